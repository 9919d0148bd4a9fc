/** Detector plumbing and the heuristics every detector shares (entropy, placeholders). */

import type { SecretKind } from './redact.js'

export type Emit = (start: number, end: number) => void
export type Detector = {
  readonly kind: SecretKind
  /** Higher wins the kind of a merged span. */
  readonly priority: number
  readonly find: (text: string, emit: Emit) => void
}

export const P_CUSTOM = 100
export const P_PEM = 60
export const P_VENDOR = 50
export const P_JWT = 45
export const P_STRUCTURE = 30
export const P_GENERIC = 10

export const MARKER_RE = /\[REDACTED:[A-Za-z0-9_.:-]{1,80}\]/g

/** Longest run of ASCII letters/digits. */
export function longestAlnumRun(s: string): number {
  let best = 0
  let run = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
    run = alnum ? run + 1 : 0
    if (run > best) best = run
  }
  return best
}

export function shannon(s: string): number {
  const counts = new Map<string, number>()
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  let h = 0
  for (const n of counts.values()) {
    const p = n / s.length
    h -= p * Math.log2(p)
  }
  return h
}

/** Mean length of the words in `s`, split at case changes and non-letters (`retryPeriodSeconds`). */
export function meanWordLength(s: string): number {
  const words = s.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g) ?? []
  return words.length === 0 ? 0 : words.reduce((n, w) => n + w.length, 0) / words.length
}

/**
 * Random-looking: 16+ characters with a 12+ character stretch between `-_.` separators, digits or
 * mixed case, no dictionary-like words (camelCase identifiers have long words, random text short
 * ones), and enough entropy. Used only for values under a weak name such as `key`.
 */
export function looksRandom(s: string): boolean {
  if (s.length < 16) return false
  if (!s.split(/[-_.\s]/).some((segment) => segment.length >= 12)) return false
  const digit = /[0-9]/.test(s)
  const lower = /[a-z]/.test(s)
  const upper = /[A-Z]/.test(s)
  if (!digit && !(lower && upper)) return false
  if (meanWordLength(s) >= (lower && upper ? 4.5 : 8)) return false
  return shannon(s) >= Math.min(3, Math.log2(s.length) - 1.5)
}

/** The random tail of a vendor token is not one repeated character (`ghp_xxxx…`). */
export function diverseTail(s: string): boolean {
  const tail = s.slice(-16)
  return new Set(tail).size >= 4
}

export const PLACEHOLDER_WORDS = new Set([
  'changeme',
  'change-me',
  'change_me',
  'changeit',
  'placeholder',
  'example',
  'sample',
  'dummy',
  'fake',
  'test',
  'testing',
  'demo',
  'secret',
  'secrets',
  'password',
  'passwd',
  'pass',
  'pwd',
  'token',
  'apikey',
  'api-key',
  'api_key',
  'key',
  'none',
  'null',
  'nil',
  'undefined',
  'true',
  'false',
  'yes',
  'no',
  'on',
  'off',
  'todo',
  'tbd',
  'fixme',
  'redacted',
  'hidden',
  'masked',
  'removed',
  'omitted',
  'default',
  'required',
  'optional',
  'string',
  'str',
  'foo',
  'bar',
  'baz',
  'qux',
  'abc',
  'empty',
  'value',
  'unset',
  'n/a',
])

export const PLACEHOLDER_SHAPE =
  /[$%#]\{|\{\}|%[sd]|\{\{|\$\(|^\$[A-Za-z_]|^%[A-Za-z_(]|^\{[^{}]*\}$|^<[^<>]*>$|^\[[^[\]]*\]$|^(?:\.\.\.|…)|(?:\.\.\.|…)$/
export const PLACEHOLDER_WORD =
  /(?:^|[^a-z])(?:your|here|replace|insert|enter|paste|example|placeholder|changeme|dummy|fake|sample|redacted|xxx+)(?:[^a-z]|$)/i

/** Placeholders, masks and template references are not secrets. */
export function isPlaceholder(value: string): boolean {
  const s = value.trim()
  if (s === '') return true
  if (PLACEHOLDER_WORDS.has(s.toLowerCase())) return true
  if (PLACEHOLDER_SHAPE.test(s)) return true
  if (/^(.)\1*$/.test(s)) return true
  if (/^[x*•#.-]+$/i.test(s) || /^[*•xX]{4,}[A-Za-z0-9]{0,6}$/.test(s)) return true
  if (/^[A-Za-z0-9]{2,8}[-_](?:[x*•]{4,}|\.\.\.|…)/i.test(s)) return true
  if (/^your[A-Z]/.test(s)) return true
  return PLACEHOLDER_WORD.test(s)
}

export const CODE_START =
  /^(?:string|number|boolean|bool|str|int|float|bytes|bigint|any|unknown|object|never|void|undefined|null|None|nil|true|false|String|Optional|Union|Secret|SecretStr|char|Buffer|Uint8Array|Promise|Record|Array|List|Dict|Map|await|new|this|self|function|async|yield|return|typeof|lambda|require|import|fn|const|let|var|Vec)\b/
export const MEMBER_EXPR = /^[A-Za-z_$][\w$]*(?:(?:\.|\?\.|::|->)[A-Za-z_$][\w$]*)+[!?;,]*$/
export const IDENTIFIER = /^[A-Za-z_$][\w$]*$/
/** `storage_v1_client`, `my-app.prod`: words joined by separators, an identifier. */
export const WORDY = /^[a-z]+[0-9]*(?:[_.-][a-z]+[0-9]*)+$/
export const TYPE_WORD =
  /^(?:bool|boolean|str|string|int|integer|float|double|number|bytes|object|dict|list|array|any|char)$/i
/** `OPENAI_API_KEY`, `__CONNECTION_READY__`: the name of a variable, not its value. */
export const CONSTANT_NAME = /^_*[A-Z][A-Z0-9]*(?:_+[A-Z0-9]+)+_*$/

/**
 * Code rather than a literal value. `lenient` (a `.env`/shell line `NAME=value`) only counts whole
 * calls as code, so a password such as `p(ss)w0rd` is still a value there.
 */
export function isCodeLike(v: string, lenient = false): boolean {
  return (
    CODE_START.test(v) ||
    /^[A-Za-z_$][\w$.]*\[/.test(v) ||
    MEMBER_EXPR.test(v) ||
    (lenient ? /^[\w$.]+\((?:.*\)[;,]?)?$/.test(v) : /[()]|=>|&&|\|\||\?\./.test(v)) ||
    /^[[{!&*@:]/.test(v) ||
    v.endsWith(':')
  )
}

/** Not a plain word or identifier: has a digit, a symbol, or random-looking mixed case. */
export function hasTexture(value: string): boolean {
  const v = value.replace(/^[?@#]/, '')
  return (
    /[0-9]/.test(v) ||
    /[^A-Za-z0-9_.-]/.test(v) ||
    (v.length >= 16 && hasUpperAndLower(v) && meanWordLength(v) < 4.5)
  )
}

/** File paths and resource names (`/run/secrets/db`, `projects/p/secrets/s`), not secrets. */
export function isPathLike(v: string): boolean {
  if (/[+=]/.test(v)) return false
  if (/^(?:~|\.{1,2}|[A-Za-z]:)?[\\/][\w.~-]/.test(v))
    return v.split(/[\\/]/).every((seg) => seg.length < 20 || !looksRandom(seg))
  const segments = v.split('/')
  return segments.length >= 3 && segments.every((seg) => /^(?:[a-z0-9._-]+|[A-Z0-9_]+)$/.test(seg))
}

export const hasDigitAndLetter = (s: string): boolean => /[0-9]/.test(s) && /[A-Za-z]/.test(s)
export const hasUpperAndLower = (s: string): boolean => /[a-z]/.test(s) && /[A-Z]/.test(s)

/** Where the line holding `at` starts, looking back at most `max` characters (else null). */
export function lineStartWithin(text: string, at: number, max: number): number | null {
  const stop = Math.max(0, at - max)
  for (let i = at - 1; i >= stop; i--) if (text[i] === '\n') return i + 1
  return stop === 0 ? 0 : null
}
