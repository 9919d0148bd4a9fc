/** Name-based detection: NAME=value, name: value, "name": "value", --flag value, XML, SQL. */

import type { SecretKind } from './redact.js'
import {
  CONSTANT_NAME,
  hasTexture,
  IDENTIFIER,
  isCodeLike,
  isPathLike,
  isPlaceholder,
  lineStartWithin,
  looksRandom,
  TYPE_WORD,
  WORDY,
} from './secret-heuristics.js'

/** 'password' / 'secret': any real value is redacted; 'weak': only random-looking values. */
export type NameClass = 'password' | 'secret' | 'weak'

/** Last words that describe metadata about a secret, not the secret (`PASSWORD_MIN_LENGTH`). */
export const META_LAST = new Set(
  (
    'name names id ids ref refs arn path paths file files filename dir directory type types kind ' +
    'length len size count min max minlength maxlength manager store provider providers version ' +
    'url uri urls endpoint host hostname port env var vars field fields header headers prefix ' +
    'suffix format regex pattern ttl expiry expires expiration expire at in timeout enabled ' +
    'disabled required policy policies rotation label hint placeholder message msg error errors ' +
    'prompt title text description desc help mode strategy location source mount volume reset ' +
    'strength visible visibility toggle input form show schema rules validator component handler ' +
    'callback fn func method class style icon button btn link route page view modal dialog ' +
    'screen template hook service client module number index idx list map set limit threshold ' +
    'interval duration delay retries attempts bits bytes algorithm algo cipher encoding charset ' +
    'scheme scope scopes audience issuer usage status state flag option options config settings ' +
    'stdin'
  ).split(' '),
)
/**
 * `<word>_key` holds a credential for these words; any other `*_key` (`cache_key`, `sort_key`,
 * `STRIPE_KEY`…) is 'weak': redacted only when the value looks random.
 */
export const KEY_STRONG_PREV = new Set(
  (
    'api secret private access master signing encryption decryption license client app auth ' +
    'service account subscription admin root shared webhook hmac jwt crypto aes ssh gpg pgp ' +
    'deploy consumer write read ingest server management mgmt rest live prod production ' +
    'session cookie token bearer password'
  ).split(' '),
)
export const TOKEN_WEAK_PREV = new Set(
  (
    'next page pagination continuation cancellation cancel sync resume max min lexer syntax parse ' +
    'parser input output prompt completion total eos bos pad unk sep cls mask special stop start ' +
    'end bpe word sub vocab'
  ).split(' '),
)
/** `is_password`, `show_token`, `get_api_key`, `--ask-pass`: flags and functions, not values. */
export const NOT_VALUE_FIRST = new Set(
  (
    'is has show hide use enable disable allow require requires needs can should ask prompt ' +
    'toggle remember forgot change validate check with no skip save store print read from ' +
    'generate gen get set update create delete rotate revoke on handle fetch load parse ' +
    'request'
  ).split(' '),
)
/** `PASSWORD_HASH`, `password_confirmation`…: still the password (or as good as). */
export const PASSWORD_SUFFIX = new Set(
  (
    'hash digest confirmation confirm plain plaintext clear cleartext encrypted enc b64 base64 ' +
    'value old new again repeat verify'
  ).split(' '),
)
export const QUICK_NAME = /key|secret|token|pass|pwd|auth|cred|salt|sig|pat/i

export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '')
}

/** Does this assignment/flag/property name look like it holds a secret? */
export function classifyName(name: string): NameClass | null {
  if (!QUICK_NAME.test(name)) return null
  const words = nameWords(name)
  const last = words.at(-1)
  if (last === undefined || META_LAST.has(last) || NOT_VALUE_FIRST.has(words[0] ?? '')) return null
  const prev = words.at(-2)
  const joined = words.join('')
  const lower = name.toLowerCase()
  if (
    /^(?:password|passwd|passphrase|pwd|pass)$/.test(last) ||
    /(?:password|passwd|passphrase|pwd)$/.test(joined) ||
    (prev !== undefined && /^(?:password|passwd)$/.test(prev) && PASSWORD_SUFFIX.has(last))
  )
    return 'password'
  if (words.includes('secret') || joined.endsWith('secret')) return 'secret'
  if (last === 'token' || /(?:auth|access|refresh|api|bearer|session|id)token$/.test(joined))
    return prev !== undefined && TOKEN_WEAK_PREV.has(prev) ? 'weak' : 'secret'
  if (/(?:api|secret|private|access|master|signing|encryption)key$/.test(joined)) return 'secret'
  if (last === 'key') return prev !== undefined && KEY_STRONG_PREV.has(prev) ? 'secret' : 'weak'
  if (last === 'credentials' || last === 'creds' || last === 'salt') return 'secret'
  if (last === 'credential') return 'weak' // SigV4 `Credential=AKIA…/20240101/…` is a scope
  if (last === 'auth') return lower === '_auth' ? 'secret' : 'weak'
  if (last === 'pat') return 'weak'
  if (lower === 'sig' || lower === 'x-amz-signature') return 'weak'
  return null
}

// ---------------------------------------------------------------------------------------------
// Generic assignments: NAME=value, name: value, "name": "value", --flag value, <password>…
// ---------------------------------------------------------------------------------------------

export const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '')

/** Checks shared by every generic form. */
export function acceptGenericValue(value: string, name: string, cls: NameClass): boolean {
  if (value.includes('[REDACTED:')) return false
  const min = cls === 'password' ? 4 : 8
  if (value.length < min || value.length > 4096) return false
  if (isPlaceholder(value)) return false
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) return false // URLs: url-password decides
  if (/^[0-9]+$/.test(value) && value.length < 16) return false
  if (isPathLike(value)) return false
  const nv = norm(value)
  const nn = norm(name)
  if (nv === '' || nn.endsWith(nv) || (nn.length >= 4 && nv.includes(nn))) return false
  if (CONSTANT_NAME.test(value) || TYPE_WORD.test(value)) return false
  if (cls === 'weak') return looksRandom(value)
  return cls === 'password' || (hasTexture(value) && !WORDY.test(value))
}

export type ValueSpan = { start: number; end: number; quoted: boolean; next: number }

export const QUOTES = '"\'`'

/** A quoted value starting at i (`"…"`, `'…'`, `` `…` `` or JSON-escaped `\"…\"`), single line. */
export function readQuoted(text: string, i: number): ValueSpan | null {
  const escaped = text[i] === '\\' && QUOTES.includes(text[i + 1] ?? '#')
  const q = escaped ? text[i + 1] : text[i]
  if (q === undefined || !QUOTES.includes(q)) return null
  const start = i + (escaped ? 2 : 1)
  const limit = Math.min(text.length, start + 4096)
  for (let j = start; j < limit; j++) {
    const c = text[j]
    if (c === '\n' || c === '\r') return null
    if (escaped) {
      if (c === '\\' && text[j + 1] === q) return { start, end: j, quoted: true, next: j + 2 }
      if (c === '\\' && text[j + 1] === 'n') return null
    } else if (c === '\\') {
      j++
    } else if (c === q) {
      return { start, end: j, quoted: true, next: j + 1 }
    }
  }
  return null
}

export const isEscapeAt = (text: string, j: number): boolean =>
  text[j] === '\\' && /[nrt"'\\]/.test(text[j + 1] ?? '')

/** An unquoted value: a run of characters up to whitespace, a quote, an escape or `stop`. */
export function readBare(text: string, i: number, stop: RegExp): ValueSpan {
  let j = i
  const limit = Math.min(text.length, i + 4096)
  while (j < limit) {
    const c = text[j] ?? ''
    if (/\s/.test(c) || QUOTES.includes(c) || stop.test(c) || isEscapeAt(text, j)) break
    j++
  }
  return { start: i, end: j, quoted: false, next: j }
}

export const NO_STOP = /(?!)/
export const STRICT_STOP = /[&;,)}\]><|]/

/** After an unquoted `name: value`, only a line end, a ` #comment` or a closing quote may follow. */
export function endsLine(text: string, j: number): boolean {
  let k = j
  while (text[k] === ' ' || text[k] === '\t') k++
  const c = text[k]
  if (c === undefined || c === '\n' || c === '\r') return true
  if (c === '#' && k > j) return true
  if (QUOTES.includes(c)) return true
  return isEscapeAt(text, k) && /[nr"']/.test(text[k + 1] ?? '')
}

export const ANCHOR_PREFIX =
  /^[ \t]*(?:[+-](?![+-]))?[ \t]*(?:[0-9]+(?:→|\t|:|\|)[ \t]*)?(?:(?:export|set|setx|declare(?:[ \t]+-[a-zA-Z]+)?|local|readonly|ENV|ARG|env)[ \t]+|-[ \t]+)?$/

export function isAnchored(text: string, nameStart: number): boolean {
  const lineStart = lineStartWithin(text, nameStart, 64)
  return lineStart !== null && ANCHOR_PREFIX.test(text.slice(lineStart, nameStart))
}

export const LABEL_WORD = /^\p{Lu}\p{Ll}+$/u

export const ASSIGN_RE =
  /(?<![\w$.])(?<![\w$.]-)(\\?["'`]?)([A-Za-z_$][\w$.-]{0,127})(\\?["'`]?)([ \t]{0,16})(=>|:=|=(?![=~])|:(?![:/\\]))([ \t]*)/g
export const FLAG_RE = /(?<![\w-])--([A-Za-z][\w-]{1,63})[ \t]+(?=[^\s-])/g
export const XML_RE = /<((?:[\w-]+:)?[A-Za-z][\w.-]{0,63})>([^<>\s]{1,512})<\/\1>/dg
export const SQL_PASSWORD_RE = /\b(?:PASSWORD|IDENTIFIED[ \t]+BY)[ \t]+'(?<s>[^'\n]{1,200})'/dgi

export const kindOf = (cls: NameClass): SecretKind =>
  cls === 'password' ? 'password-assignment' : 'secret-assignment'

export type GenericEmit = (start: number, end: number, kind: SecretKind) => void

export type Assignment = {
  readonly name: string
  readonly cls: NameClass
  readonly nameStart: number
  readonly nameQuoted: boolean
  readonly spBefore: string
  readonly sep: string
  readonly tight: boolean
  /** `:` just before the name (Ruby symbols `:api_key =>`). */
  readonly symbol: boolean
}

/** Reads the value of one assignment; `ok` says whether it is a secret to redact. */
export function assignedValue(
  text: string,
  at: number,
  a: Assignment,
): { v: ValueSpan; ok: boolean } | null {
  const quoted = readQuoted(text, at)
  if (quoted === null && QUOTES.includes(text[at] ?? '#')) return null
  if (quoted !== null) {
    const value = text.slice(quoted.start, quoted.end)
    let ok = true
    if (a.sep === '=>' && !(a.nameQuoted || a.symbol)) ok = false
    if (/\s/.test(value)) {
      const last = nameWords(a.name).at(-1) ?? ''
      if (a.nameQuoted || a.sep === ':' || a.cls !== 'password') ok = false
      else if (value.toLowerCase().includes(last)) ok = false
    }
    if ((a.nameQuoted || a.sep === ':') && LABEL_WORD.test(value)) ok = false
    return { v: quoted, ok: ok && acceptGenericValue(value, a.name, a.cls) }
  }
  if (a.sep === '=>') return null
  if (a.tight) {
    const anchored = !a.nameQuoted && isAnchored(text, a.nameStart)
    let v = readBare(text, at, anchored ? NO_STOP : STRICT_STOP)
    let value = text.slice(v.start, v.end)
    if (anchored && value.endsWith(';')) {
      v = { ...v, end: v.end - 1 }
      value = value.slice(0, -1)
    }
    const code =
      isCodeLike(value, anchored) ||
      (anchored && /[,)]$/.test(value)) ||
      (!anchored && IDENTIFIER.test(value) && /[,)]/.test(text[v.end] ?? ''))
    return { v, ok: !code && acceptGenericValue(value, a.name, a.cls) }
  }
  // `name: value`, `name = value`: YAML/INI/prose, the value must end the line.
  if (a.sep === ':' && a.spBefore !== '') return null // `Pass :meth:` prose, never YAML
  // A weak name (`key`) in prose ("public key: …", "GPG key: …") is not a config entry.
  if (a.cls === 'weak' && !isAnchored(text, a.nameStart)) return null
  const v = readBare(text, at, NO_STOP)
  const value = text.slice(v.start, v.end)
  const ok =
    !/[,;{}()[\]]$/.test(value) &&
    !isCodeLike(value) &&
    hasTexture(value) &&
    endsLine(text, v.end) &&
    acceptGenericValue(value, a.name, a.cls)
  return { v, ok }
}

export function findAssignments(text: string, emit: GenericEmit): void {
  const re = ASSIGN_RE
  re.lastIndex = 0
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const [, openQ = '', name = '', closeQ = '', spBefore = '', sep = '', spAfter = ''] = m
    const cls = classifyName(name)
    if (cls === null || text.startsWith('://', m.index - 3)) continue // URL userinfo
    const read = assignedValue(text, re.lastIndex, {
      name,
      cls,
      nameStart: m.index + openQ.length,
      nameQuoted: openQ !== '' || closeQ !== '',
      spBefore,
      sep,
      tight: sep === '=' && spBefore === '' && spAfter === '',
      symbol: text[m.index - 1] === ':',
    })
    if (read === null) continue
    if (read.ok) emit(read.v.start, read.v.end, kindOf(cls))
    // Never rescan a value: keeps `KEY=KEY=KEY=…` linear.
    re.lastIndex = Math.max(re.lastIndex, read.v.next)
  }
}

export function findFlags(text: string, emit: GenericEmit): void {
  FLAG_RE.lastIndex = 0
  for (let m = FLAG_RE.exec(text); m !== null; m = FLAG_RE.exec(text)) {
    const name = m[1] ?? ''
    const cls = classifyName(name)
    if (cls === null) continue
    const at = FLAG_RE.lastIndex
    const v = readQuoted(text, at) ?? readBare(text, at, STRICT_STOP)
    const value = text.slice(v.start, v.end)
    if (!v.quoted && (isCodeLike(value) || !hasTexture(value))) continue
    if (!acceptGenericValue(value, name, cls)) continue
    emit(v.start, v.end, kindOf(cls))
  }
}

export function findXml(text: string, emit: GenericEmit): void {
  XML_RE.lastIndex = 0
  for (let m = XML_RE.exec(text); m !== null; m = XML_RE.exec(text)) {
    const name = (m[1] ?? '').replace(/^[\w-]+:/, '')
    const cls = classifyName(name)
    const span = m.indices?.[2]
    if (cls === null || span === undefined) continue
    if (acceptGenericValue(m[2] ?? '', name, cls)) emit(span[0], span[1], kindOf(cls))
  }
}

export function findSqlPasswords(text: string, emit: GenericEmit): void {
  SQL_PASSWORD_RE.lastIndex = 0
  for (let m = SQL_PASSWORD_RE.exec(text); m !== null; m = SQL_PASSWORD_RE.exec(text)) {
    const span = m.indices?.groups?.s
    if (span === undefined) continue
    const value = text.slice(span[0], span[1])
    if (acceptGenericValue(value, 'password', 'password'))
      emit(span[0], span[1], 'password-assignment')
  }
}
