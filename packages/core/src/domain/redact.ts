/**
 * Secret redaction for everything that leaves the machine (SPEC §7) and for public share pages and
 * eval exports (SPEC §8). Pure string work: no Node APIs, no DOM.
 *
 * How it works: every enabled detector proposes spans of the input (vendor formats such as `ghp_…`,
 * structural ones such as PEM bodies, URL passwords and Authorization headers, and generic
 * `NAME=value` assignments whose NAME looks secret). Overlapping spans are merged; the merged span
 * takes the kind of its most specific detector. Each span becomes `[REDACTED:<kind>]` and only the
 * secret itself is replaced: `KEY=`, `https://user:` … `@host` and `Authorization: Bearer ` stay.
 *
 * Decisions (documented here because callers and tests rely on them):
 * - Bare high-entropy strings are never redacted (git SHAs, UUIDs, lockfile hashes, base64 data):
 *   only vendor formats with a distinctive prefix/shape, or values attached to a secret-looking
 *   name, are. Names ending in password/secret/token/api key/credentials… redact any real value;
 *   "weak" names (`key`, `cache_key`, `auth`, `sig`, `next_token`…) only random-looking ones, and
 *   metadata names (`PASSWORD_MIN_LENGTH`, `TOKEN_TTL`, `secretName`, `is_password`) nothing.
 * - Placeholders are not secrets and are kept: empty values, `${VAR}`, `$VAR`, `$(cmd)`, `{{ x }}`,
 *   `<token>`, `[key]`, `%s`, masks such as `****` / `xxxx` / `sk-xxxx…`, `your-api-key-here`,
 *   `YOUR_TOKEN`, `changeme`, `example`, `dummy`, `test`, `secret`, `password`, `none`, `null`,
 *   `true`/`false`, variable names (`OPENAI_API_KEY`), file paths (`/run/secrets/db`), and values
 *   that restate the name (`"password": "Password"`). A URL password of `password` is kept too.
 * - Code is not a value: type annotations (`password: string`), calls (`token = await login()`),
 *   member accesses (`apiKey: process.env.API_KEY`), keyword arguments passing a variable
 *   (`f(token=token_value)`) and object properties ending in `,` are left alone. An unquoted
 *   `name: value` counts only when the value ends the line (YAML, INI, logs), never mid-sentence.
 * - Vendor formats are redacted even when they look fake (e.g. AWS's documented example key);
 *   use `allow` for known test keys. Only a token whose random part is one repeated character
 *   (`ghp_xxxx…`) counts as a placeholder.
 * - Quoted values with whitespace are kept under JSON/YAML keys (UI labels such as
 *   `"password": "Enter your password"`); `.env`/shell/TOML/Python `PASSWORD="two words"` is
 *   redacted.
 * - Known limitations: passwords in URLs containing an unencoded `/`, `mysql -pSECRET`, tokens
 *   used as the bare username of a URL (other than vendor formats) and secrets under names that
 *   say nothing (`--body "…"`) are not detected.
 * - Offsets in `Redaction` are UTF-16 indices into the ORIGINAL text.
 * - Idempotent: an existing `[REDACTED:…]` marker is never part of a new span.
 * - Linear time: every regex is free of nested quantifiers over overlapping classes, look-behind
 *   and look-ahead windows are bounded, and a value is never scanned twice.
 */

import {
  acceptGenericValue,
  classifyName,
  findAssignments,
  findFlags,
  findSqlPasswords,
  findXml,
  type GenericEmit,
  kindOf,
  nameWords,
} from './secret-assignments.js'
import {
  type Detector,
  type Emit,
  isPlaceholder,
  MARKER_RE,
  P_CUSTOM,
  P_GENERIC,
} from './secret-heuristics.js'
import {
  AUTH_SCHEMES,
  authHeaderDetector,
  cliPasswordDetector,
  cookieDetector,
  pemDetector,
  urlPasswordDetector,
} from './secret-structures.js'
import { regexDetector, VENDORS } from './secret-vendors.js'

export type SecretKind =
  | 'private-key'
  | 'aws-access-key'
  | 'aws-secret-key'
  | 'github-token'
  | 'gitlab-token'
  | 'slack-token'
  | 'slack-webhook'
  | 'stripe-key'
  | 'anthropic-api-key'
  | 'openai-api-key'
  | 'openrouter-api-key'
  | 'google-api-key'
  | 'google-oauth-secret'
  | 'google-oauth-token'
  | 'npm-token'
  | 'pypi-token'
  | 'huggingface-token'
  | 'twilio-api-key'
  | 'sendgrid-api-key'
  | 'mailgun-api-key'
  | 'discord-bot-token'
  | 'discord-webhook'
  | 'telegram-bot-token'
  | 'shopify-token'
  | 'digitalocean-token'
  | 'groq-api-key'
  | 'xai-api-key'
  | 'replicate-token'
  | 'vault-token'
  | 'databricks-token'
  | 'supabase-token'
  | 'sentry-token'
  | 'notion-token'
  | 'linear-api-key'
  | 'age-secret-key'
  | 'opensync-api-key'
  | 'azure-storage-key'
  | 'jwt'
  | 'url-password'
  | 'authorization-header'
  | 'cookie'
  | 'cli-password'
  | 'password-assignment'
  | 'secret-assignment'
  /** A match of `RedactOptions.extraPatterns`; the marker shows the pattern's name instead. */
  | 'custom'

export type Redaction = {
  readonly kind: SecretKind
  /** Start (inclusive) and end (exclusive) in the original text, UTF-16 code units. */
  readonly start: number
  readonly end: number
  /** For kind 'custom': the extra pattern's (sanitised) name, as shown in the marker. */
  readonly name?: string
}

export type RedactOptions = {
  /** Default true. False returns the input unchanged. */
  readonly enabled?: boolean
  readonly disabledKinds?: readonly SecretKind[]
  /**
   * User patterns. The named group `secret` is redacted if present, else the first capture group,
   * else the whole match. Marker: `[REDACTED:<name>]` (name reduced to [A-Za-z0-9_.-]). The
   * caller owns the pattern's performance.
   */
  readonly extraPatterns?: readonly { readonly name: string; readonly pattern: RegExp }[]
  /** Literal values that are never redacted (e.g. a documented test key). Exact match. */
  readonly allow?: readonly string[]
}

export type RedactResult = { readonly text: string; readonly redactions: readonly Redaction[] }

// ---------------------------------------------------------------------------------------------
// The engine
// ---------------------------------------------------------------------------------------------

type Candidate = { start: number; end: number; kind: SecretKind; priority: number; name?: string }

const DETECTORS: readonly Detector[] = [
  pemDetector,
  ...VENDORS.map(regexDetector),
  urlPasswordDetector,
  authHeaderDetector,
  cookieDetector,
  cliPasswordDetector,
]

/** Every built-in detector kind ('custom' is the kind of `extraPatterns` matches). */
export const SECRET_KINDS: readonly SecretKind[] = [
  ...DETECTORS.map((d) => d.kind),
  'password-assignment',
  'secret-assignment',
]

function sanitizeName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 60)
  return s === '' ? 'custom' : s
}

function extraDetector(pattern: RegExp): (text: string, emit: Emit) => void {
  const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`
  const re = new RegExp(pattern.source, flags.includes('d') ? flags : `${flags}d`)
  return (text, emit) => {
    re.lastIndex = 0
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++
        continue
      }
      const span = m.indices?.groups?.secret ?? (m.length > 1 ? m.indices?.[1] : undefined)
      const [s, e] = span ?? [m.index, m.index + m[0].length]
      if (e > s) emit(s, e)
    }
  }
}

/** Markers are sorted and disjoint: binary search for the first one ending after `start`. */
function overlapsMarker(markers: readonly [number, number][], start: number, end: number): boolean {
  let lo = 0
  let hi = markers.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((markers[mid]?.[1] ?? 0) <= start) lo = mid + 1
    else hi = mid
  }
  const m = markers[lo]
  return m !== undefined && m[0] < end
}

function collect(text: string, options: RedactOptions | undefined): Candidate[] {
  const disabled = new Set(options?.disabledKinds ?? [])
  const allow = new Set(options?.allow ?? [])
  const markers: [number, number][] = []
  MARKER_RE.lastIndex = 0
  for (let m = MARKER_RE.exec(text); m !== null; m = MARKER_RE.exec(text))
    markers.push([m.index, m.index + m[0].length])
  const out: Candidate[] = []
  const push = (c: Candidate): void => {
    if (c.end <= c.start || allow.has(text.slice(c.start, c.end))) return
    if (overlapsMarker(markers, c.start, c.end)) return
    out.push(c)
  }
  for (const d of DETECTORS) {
    if (disabled.has(d.kind)) continue
    d.find(text, (start, end) => push({ start, end, kind: d.kind, priority: d.priority }))
  }
  const generic: GenericEmit = (start, end, kind) => {
    if (!disabled.has(kind)) push({ start, end, kind, priority: P_GENERIC })
  }
  if (!disabled.has('password-assignment') || !disabled.has('secret-assignment')) {
    findAssignments(text, generic)
    findFlags(text, generic)
    findXml(text, generic)
    findSqlPasswords(text, generic)
  }
  if (!disabled.has('custom')) {
    for (const { name, pattern } of options?.extraPatterns ?? []) {
      const label = sanitizeName(name)
      extraDetector(pattern)(text, (start, end) =>
        push({ start, end, kind: 'custom', priority: P_CUSTOM, name: label }),
      )
    }
  }
  return out
}

/** Overlapping candidates become one span (their union) labelled by the highest priority. */
function merge(candidates: Candidate[]): Candidate[] {
  candidates.sort((a, b) => a.start - b.start || b.priority - a.priority)
  const merged: Candidate[] = []
  for (const c of candidates) {
    const top = merged.at(-1)
    if (top !== undefined && c.start < top.end) {
      const winner = c.priority > top.priority ? c : top
      merged[merged.length - 1] = { ...winner, start: top.start, end: Math.max(top.end, c.end) }
    } else {
      merged.push({ ...c })
    }
  }
  return merged
}

const markerFor = (r: Redaction): string =>
  `[REDACTED:${r.kind === 'custom' ? (r.name ?? 'custom') : r.kind}]`

/** Replaces every secret in `text` with `[REDACTED:<kind>]`, keeping the text around it. */
export function redactSecrets(text: string, options?: RedactOptions): RedactResult {
  if (options?.enabled === false || text.length === 0) return { text, redactions: [] }
  const spans = merge(collect(text, options))
  if (spans.length === 0) return { text, redactions: [] }
  const redactions: Redaction[] = spans.map((c) =>
    c.kind === 'custom' && c.name !== undefined
      ? { kind: c.kind, start: c.start, end: c.end, name: c.name }
      : { kind: c.kind, start: c.start, end: c.end },
  )
  let out = ''
  let pos = 0
  for (const r of redactions) {
    out += text.slice(pos, r.start) + markerFor(r)
    pos = r.end
  }
  out += text.slice(pos)
  return { text: out, redactions }
}

// ---------------------------------------------------------------------------------------------
// Structured values (tool-call arguments, parsed JSON)
// ---------------------------------------------------------------------------------------------

const AUTH_VALUE_RE = /^([ \t]*(?:(?:bearer|basic|token|bot|apikey|sso-key)[ \t]+)?)(\S+)[ \t]*$/i

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/**
 * Deep redaction of strings inside objects and arrays (tool-call arguments). Object keys are never
 * changed; a string under a secret-looking key (`password`, `apiKey`, `Authorization`…) is
 * redacted as a whole when nothing more specific is found in it. Unchanged subtrees are returned
 * as the same objects; cycles are returned as they are.
 */
export function redactValue<T>(value: T, options?: RedactOptions): { value: T; count: number } {
  if (options?.enabled === false) return { value, count: 0 }
  const disabled = new Set(options?.disabledKinds ?? [])
  const allow = new Set(options?.allow ?? [])
  let count = 0
  const seen = new WeakSet<object>()

  const redactString = (s: string, key: string | undefined): string => {
    const r = redactSecrets(s, options)
    if (r.redactions.length > 0) {
      count += r.redactions.length
      return r.text
    }
    if (key === undefined || allow.has(s) || s.includes('[REDACTED:')) return s
    if (/^(?:proxy-)?authorization$/i.test(key) && !disabled.has('authorization-header')) {
      const m = AUTH_VALUE_RE.exec(s)
      const token = m?.[2]
      if (m !== null && token !== undefined && !isPlaceholder(token) && !allow.has(token)) {
        if (AUTH_SCHEMES.has(token.toLowerCase()) || token.length < 6) return s
        count++
        return `${m[1] ?? ''}[REDACTED:authorization-header]`
      }
      return s
    }
    const cls = classifyName(key)
    if (cls === null) return s
    const kind = kindOf(cls)
    if (disabled.has(kind) || !acceptGenericValue(s, key, cls)) return s
    // Prose under a secret-looking key ("not set", "Enter your password") is not a secret.
    const last = nameWords(key).at(-1) ?? ''
    if (/\s/.test(s) && (cls !== 'password' || s.toLowerCase().includes(last))) return s
    count++
    return `[REDACTED:${kind}]`
  }

  const walk = (v: unknown, key: string | undefined): unknown => {
    if (typeof v === 'string') return redactString(v, key)
    if (Array.isArray(v)) {
      if (seen.has(v)) return v
      seen.add(v)
      let changed = false
      const next = v.map((item) => {
        const r = walk(item, key)
        if (r !== item) changed = true
        return r
      })
      return changed ? next : v
    }
    if (isPlainObject(v)) {
      if (seen.has(v)) return v
      seen.add(v)
      let changed = false
      const next: Record<string, unknown> = {}
      for (const [k, item] of Object.entries(v)) {
        const r = walk(item, k)
        if (r !== item) changed = true
        next[k] = r
      }
      return changed ? next : v
    }
    return v
  }

  const out = walk(value, undefined) as T
  return { value: out, count }
}

// ---------------------------------------------------------------------------------------------
// Home paths
// ---------------------------------------------------------------------------------------------

const MAC_HOME_RE = /\/Users\/([^\s/\\'"`:;,()<>[\]{}|*?]+)/g
const LINUX_HOME_RE = /(?<![\w.%~-])\/home\/([^\s/\\'"`:;,()<>[\]{}|*?]+)/g
const WIN_HOME_RE =
  /\b([A-Za-z]:)(\\\\|\\|\/)Users\2([^\\/\s"'`<>|:*?]+(?: [^\\/\s"'`<>|:*?]+)*(?=[\\/])|[^\\/\s"'`<>|:*?]+)/g
const TILDE_USER_RE = /(?<![\w.~/-])~([a-z_][a-z0-9_.-]{0,31})(?=\/)/g
const SHARED_HOMES = new Set(['Shared', 'Public', 'Default', 'All Users', 'Default User', 'user'])

/** Splits a matched user name into the name proper and trailing sentence punctuation. */
function splitTrailing(name: string): [string, string] {
  const m = /[.]+$/.exec(name)
  return m === null ? [name, ''] : [name.slice(0, m.index), m[0]]
}

/**
 * Replaces user names in home directories: `/Users/<x>` → `/Users/user`, `/home/<x>` →
 * `/home/user`, `C:\Users\<x>` → `C:\Users\user` (also `\\` as in JSON and `C:/Users`), and
 * `~<x>/` → `~user/`. `~/`, `/Users/Shared`, `C:\Users\Public` and URLs like
 * `https://example.com/home/about` are left alone. Idempotent.
 */
export function anonymizeHomePaths(text: string): string {
  const unix = (prefix: string) => (match: string, name: string) => {
    const [user, rest] = splitTrailing(name)
    if (user === '' || SHARED_HOMES.has(user)) return match
    return `${prefix}user${rest}`
  }
  return text
    .replace(MAC_HOME_RE, unix('/Users/'))
    .replace(LINUX_HOME_RE, unix('/home/'))
    .replace(WIN_HOME_RE, (match: string, drive: string, sep: string, name: string) => {
      const [user, rest] = splitTrailing(name)
      if (user === '' || SHARED_HOMES.has(user)) return match
      return `${drive}${sep}Users${sep}user${rest}`
    })
    .replace(TILDE_USER_RE, (match: string, name: string) => (name === 'user' ? match : '~user'))
}
