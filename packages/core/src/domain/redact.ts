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

type Emit = (start: number, end: number) => void
type Detector = {
  readonly kind: SecretKind
  /** Higher wins the kind of a merged span. */
  readonly priority: number
  readonly find: (text: string, emit: Emit) => void
}

const P_CUSTOM = 100
const P_PEM = 60
const P_VENDOR = 50
const P_JWT = 45
const P_STRUCTURE = 30
const P_GENERIC = 10

const MARKER_RE = /\[REDACTED:[A-Za-z0-9_.:-]{1,80}\]/g

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

/** Longest run of ASCII letters/digits. */
function longestAlnumRun(s: string): number {
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

function shannon(s: string): number {
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
function meanWordLength(s: string): number {
  const words = s.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g) ?? []
  return words.length === 0 ? 0 : words.reduce((n, w) => n + w.length, 0) / words.length
}

/**
 * Random-looking: 16+ characters with a 12+ character stretch between `-_.` separators, digits or
 * mixed case, no dictionary-like words (camelCase identifiers have long words, random text short
 * ones), and enough entropy. Used only for values under a weak name such as `key`.
 */
function looksRandom(s: string): boolean {
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
function diverseTail(s: string): boolean {
  const tail = s.slice(-16)
  return new Set(tail).size >= 4
}

const PLACEHOLDER_WORDS = new Set([
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

const PLACEHOLDER_SHAPE =
  /[$%#]\{|\{\}|%[sd]|\{\{|\$\(|^\$[A-Za-z_]|^%[A-Za-z_(]|^\{[^{}]*\}$|^<[^<>]*>$|^\[[^[\]]*\]$|^(?:\.\.\.|…)|(?:\.\.\.|…)$/
const PLACEHOLDER_WORD =
  /(?:^|[^a-z])(?:your|here|replace|insert|enter|paste|example|placeholder|changeme|dummy|fake|sample|redacted|xxx+)(?:[^a-z]|$)/i

/** Placeholders, masks and template references are not secrets. */
function isPlaceholder(value: string): boolean {
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

// ---------------------------------------------------------------------------------------------
// Vendor formats
// ---------------------------------------------------------------------------------------------

type VendorSpec = {
  readonly kind: SecretKind
  readonly re: RegExp
  readonly validate?: (secret: string) => boolean
  readonly priority?: number
}

/** Regex detector; the secret is the named group `s` when the regex has one, else the match. */
function regexDetector(spec: VendorSpec): Detector {
  const { kind, re, validate } = spec
  return {
    kind,
    priority: spec.priority ?? P_VENDOR,
    find(text, emit) {
      re.lastIndex = 0
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        const span = m.indices?.groups?.s ?? [m.index, m.index + m[0].length]
        const secret = text.slice(span[0], span[1])
        if (
          secret.length > 0 &&
          diverseTail(secret) &&
          (validate === undefined || validate(secret))
        )
          emit(span[0], span[1])
        if (m[0].length === 0) re.lastIndex++
      }
    },
  }
}

const hasDigitAndLetter = (s: string): boolean => /[0-9]/.test(s) && /[A-Za-z]/.test(s)
const hasUpperAndLower = (s: string): boolean => /[a-z]/.test(s) && /[A-Z]/.test(s)

const VENDORS: readonly VendorSpec[] = [
  {
    kind: 'aws-access-key',
    re: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])/g,
  },
  {
    kind: 'aws-secret-key',
    re: /(?<![A-Za-z0-9])(?:(?:aws[_-]?)?secret[_-]?access[_-]?key|aws[_-]?secret[_-]?key)\\?["']?[ \t]*(?:=>|:=|=|:)[ \t]*\\?["']?(?<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dgi,
  },
  {
    kind: 'github-token',
    re: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{50,250})(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'gitlab-token',
    re: /(?<![A-Za-z0-9_-])(?:gl(?:pat|dt|ptt|rt|cbt|oas|soat|ffct|imt|agent)-[A-Za-z0-9_-]{20,}|GR1348941[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'slack-token',
    re: /(?<![A-Za-z0-9_-])(?:xox[abeoprs]|xapp|xoxe\.xox[bp])-[0-9A-Za-z-]{10,}(?![A-Za-z0-9_-])/g,
    validate: (s) => /[0-9]/.test(s),
  },
  {
    kind: 'slack-webhook',
    re: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<s>[A-Za-z0-9_/+-]{20,})/dg,
  },
  {
    kind: 'stripe-key',
    re: /(?<![A-Za-z0-9_])(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9+/=]{24,})(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'anthropic-api-key',
    re: /(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'openrouter-api-key',
    re: /(?<![A-Za-z0-9_-])sk-or-v1-[a-f0-9]{64}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'openai-api-key',
    re: /(?<![A-Za-z0-9_-])sk-(?!ant-|or-v1-)(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])/g,
    validate: (s) => hasDigitAndLetter(s.slice(3)) && longestAlnumRun(s) >= 16,
  },
  {
    kind: 'google-api-key',
    re: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'google-oauth-secret',
    re: /(?<![A-Za-z0-9_-])GOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'google-oauth-token',
    re: /(?<![A-Za-z0-9_.-])(?:ya29\.[A-Za-z0-9_-]{30,}|1\/\/0[A-Za-z0-9_-]{40,})(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'npm-token',
    re: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'pypi-token',
    re: /(?<![A-Za-z0-9_-])pypi-Ag[A-Za-z0-9_-]{50,}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'huggingface-token',
    re: /(?<![A-Za-z0-9_])(?:hf_|api_org_)[A-Za-z0-9]{30,}(?![A-Za-z0-9_])/g,
    validate: (s) => hasUpperAndLower(s.slice(3)),
  },
  {
    kind: 'twilio-api-key',
    re: /(?<![A-Za-z0-9_])SK[0-9a-f]{32}(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'sendgrid-api-key',
    re: /(?<![A-Za-z0-9_-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'mailgun-api-key',
    re: /(?<![A-Za-z0-9_-])(?:key-[0-9a-f]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'discord-bot-token',
    re: /(?<![A-Za-z0-9_.-])[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_.-])/g,
    validate: (s) => hasDigitAndLetter(s) && hasUpperAndLower(s),
  },
  {
    kind: 'discord-webhook',
    re: /https:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/api\/webhooks\/[0-9]{5,20}\/(?<s>[A-Za-z0-9_-]{40,})/dg,
  },
  {
    kind: 'telegram-bot-token',
    re: /(?<![0-9])[0-9]{8,10}:AA[A-Za-z0-9_-]{32,33}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'shopify-token',
    re: /(?<![A-Za-z0-9_])shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'digitalocean-token',
    re: /(?<![A-Za-z0-9_])do[opr]_v1_[a-f0-9]{64}(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'groq-api-key',
    re: /(?<![A-Za-z0-9_])gsk_[A-Za-z0-9]{48,}(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'xai-api-key',
    re: /(?<![A-Za-z0-9_-])xai-[A-Za-z0-9]{70,}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'replicate-token',
    re: /(?<![A-Za-z0-9_])r8_[A-Za-z0-9]{37}(?![A-Za-z0-9_])/g,
    validate: (s) => hasDigitAndLetter(s.slice(3)),
  },
  {
    kind: 'vault-token',
    re: /(?<![A-Za-z0-9_.-])hv[sbr]\.[A-Za-z0-9_-]{24,}(?![A-Za-z0-9_-])/g,
    validate: (s) => hasDigitAndLetter(s.slice(4)),
  },
  {
    kind: 'databricks-token',
    re: /(?<![A-Za-z0-9_])dapi[a-f0-9]{32}(?:-[0-9])?(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'supabase-token',
    re: /(?<![A-Za-z0-9_])sb[pa]_[a-f0-9]{40}(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'sentry-token',
    re: /(?<![A-Za-z0-9_])sntry[us]_[A-Za-z0-9_=+/-]{40,}(?![A-Za-z0-9_=+/-])/g,
  },
  {
    kind: 'notion-token',
    re: /(?<![A-Za-z0-9_])(?:ntn_[A-Za-z0-9]{40,}|secret_[A-Za-z0-9]{43})(?![A-Za-z0-9_])/g,
    validate: (s) => hasDigitAndLetter(s) && hasUpperAndLower(s.slice(4)),
  },
  {
    kind: 'linear-api-key',
    re: /(?<![A-Za-z0-9_])lin_(?:api|oauth)_[A-Za-z0-9]{40}(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'age-secret-key',
    re: /(?<![A-Za-z0-9-])AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}(?![A-Za-z0-9])/g,
  },
  {
    kind: 'opensync-api-key',
    re: /(?<![A-Za-z0-9_-])osk?_[A-Za-z0-9_-]{32,200}(?![A-Za-z0-9_-])/g,
    validate: (s) => {
      const body = s.slice(s.indexOf('_') + 1)
      return /[a-z]/.test(body) && /[A-Z0-9]/.test(body) && !WORDY.test(body)
    },
  },
  {
    kind: 'azure-storage-key',
    re: /(?<![A-Za-z0-9])(?:AccountKey|SharedAccessKey)=(?<s>[A-Za-z0-9+/]{20,}={0,2})/dg,
    priority: P_STRUCTURE,
  },
  {
    kind: 'jwt',
    re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*(?![A-Za-z0-9_-])/g,
    priority: P_JWT,
  },
]

// ---------------------------------------------------------------------------------------------
// Structural detectors: PEM private keys, URL passwords, headers, curl -u
// ---------------------------------------------------------------------------------------------

const PEM_BEGIN_RE = /-----BEGIN ((?:[A-Z0-9]+ ){0,4})PRIVATE KEY(?: BLOCK)?-----/g
const PEM_LINE_RE =
  /^[ \t+>]*(?:[0-9]+(?:→|\t|:|\|)[ \t]*)?(?:[A-Za-z0-9+/=]+|(?:Proc-Type|DEK-Info|Comment|Version|Hash|Charset):.*)?[ \t]*$/
const MAX_PEM = 65_536

/** Shrinks [start, end) past whitespace and `\n` escapes, and a diff's `+` line markers. */
function trimSpan(text: string, start: number, end: number, diff: boolean): [number, number] {
  let s = start
  let e = end
  for (;;) {
    if (s < e && /\s/.test(text[s] ?? '')) s++
    else if (diff && s < e && text[s] === '+' && text[s - 1] === '\n') s++
    else if (s + 1 < e && text[s] === '\\' && /[nr]/.test(text[s + 1] ?? '')) s += 2
    else break
  }
  for (;;) {
    if (e > s && /\s/.test(text[e - 1] ?? '')) e--
    else if (diff && e > s && text[e - 1] === '+' && text[e - 2] === '\n') e--
    else if (e - 1 > s && text[e - 2] === '\\' && /[nr]/.test(text[e - 1] ?? '')) e -= 2
    else break
  }
  return [s, e]
}

const PEM_NEXT_LINE_RE = /(?:\r?\n|\\r?\\n)([^\r\n\\]*)/y

const pemDetector: Detector = {
  kind: 'private-key',
  priority: P_PEM,
  find(text, emit) {
    // Cached look-ahead for the next END/BEGIN so that many headers stay linear.
    let nextEnd = -2
    let nextBegin = -2
    PEM_BEGIN_RE.lastIndex = 0
    for (let m = PEM_BEGIN_RE.exec(text); m !== null; m = PEM_BEGIN_RE.exec(text)) {
      const bodyStart = m.index + m[0].length
      if (nextEnd !== -1 && nextEnd < bodyStart) nextEnd = text.indexOf('-----END ', bodyStart)
      if (nextBegin !== -1 && nextBegin < bodyStart)
        nextBegin = text.indexOf('-----BEGIN ', bodyStart)
      let bodyEnd = bodyStart
      if (
        nextEnd >= 0 &&
        nextEnd - bodyStart <= MAX_PEM &&
        (nextBegin < 0 || nextBegin > nextEnd)
      ) {
        bodyEnd = nextEnd
      } else {
        // Truncated key (`head id_rsa`, cut-off output): take the base64/header lines that follow.
        PEM_NEXT_LINE_RE.lastIndex = bodyStart
        for (let lines = 0; lines < 4000; lines++) {
          const line = PEM_NEXT_LINE_RE.exec(text)
          if (line === null || !PEM_LINE_RE.test(line[1] ?? '')) break
          if ((line[1] ?? '').trim() !== '') bodyEnd = PEM_NEXT_LINE_RE.lastIndex
        }
      }
      const diff = text[m.index - 1] === '+' && (m.index === 1 || text[m.index - 2] === '\n')
      const [s, e] = trimSpan(text, bodyStart, bodyEnd, diff)
      if (e > s && /[A-Za-z0-9+/]{16}/.test(text.slice(s, e))) emit(s, e)
      PEM_BEGIN_RE.lastIndex = Math.max(PEM_BEGIN_RE.lastIndex, e)
    }
  },
}

/** scheme://user:password@host — the password only (the user and host stay). */
const URL_PASSWORD_RE =
  /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/[^\s:/?#@"'`<>\\[\]]*:(?<s>[^\s/?#"'`<>\\]+)@(?=[A-Za-z0-9[_-])/dg

const urlPasswordDetector: Detector = {
  kind: 'url-password',
  priority: P_STRUCTURE,
  find(text, emit) {
    URL_PASSWORD_RE.lastIndex = 0
    for (let m = URL_PASSWORD_RE.exec(text); m !== null; m = URL_PASSWORD_RE.exec(text)) {
      const span = m.indices?.groups?.s
      if (span === undefined) continue
      const secret = text.slice(span[0], span[1])
      if (!isPlaceholder(secret)) emit(span[0], span[1])
    }
  },
}

const AUTH_SCHEMES = new Set([
  'bearer',
  'basic',
  'token',
  'bot',
  'digest',
  'negotiate',
  'ntlm',
  'apikey',
  'api-key',
  'sso-key',
  'key',
  'hmac',
  'aws4-hmac-sha256',
])
const AUTH_HEADER_RE =
  /(?<![A-Za-z0-9_-])(?:proxy-)?authorization\\?["']?[ \t]*[:=][ \t]*\\?["'`]?[ \t]*(?:(?:bearer|basic|token|bot|negotiate|ntlm|apikey|api-key|sso-key|key)[ \t]+)?(?<s>[\w.~+/=:-]{6,})/dgi

const authHeaderDetector: Detector = {
  kind: 'authorization-header',
  priority: P_STRUCTURE,
  find(text, emit) {
    AUTH_HEADER_RE.lastIndex = 0
    for (let m = AUTH_HEADER_RE.exec(text); m !== null; m = AUTH_HEADER_RE.exec(text)) {
      const span = m.indices?.groups?.s
      if (span === undefined) continue
      const secret = text.slice(span[0], span[1])
      if (AUTH_SCHEMES.has(secret.toLowerCase()) || isPlaceholder(secret)) continue
      if (longestAlnumRun(secret) < 4 || isCodeLike(secret) || /^[([.]/.test(text[span[1]] ?? ''))
        continue
      if (!hasTexture(secret) && !looksRandom(secret)) continue
      emit(span[0], span[1])
    }
  },
}

const COOKIE_RE = /(?<![A-Za-z0-9_-])(?:set-)?cookie\\?["']?[ \t]*:[ \t]*\\?["']?/gi
const COOKIE_ATTRIBUTES = new Set([
  'path',
  'domain',
  'expires',
  'max-age',
  'samesite',
  'priority',
  'version',
  'comment',
  'secure',
  'httponly',
  'partitioned',
])

const cookieDetector: Detector = {
  kind: 'cookie',
  priority: P_STRUCTURE,
  find(text, emit) {
    COOKIE_RE.lastIndex = 0
    for (let m = COOKIE_RE.exec(text); m !== null; m = COOKIE_RE.exec(text)) {
      let i = COOKIE_RE.lastIndex
      const limit = Math.min(text.length, i + 8192)
      // One header value: pairs `name=value` separated by `;`, up to the end of the line/string.
      while (i < limit) {
        while (i < limit && (text[i] === ' ' || text[i] === ';')) i++
        const nameStart = i
        while (i < limit && /[^=;\s"'`\\]/.test(text[i] ?? '')) i++
        const name = text.slice(nameStart, i)
        if (text[i] !== '=' || name === '') break
        i++
        const valueStart = i
        while (i < limit && /[^;\s"'`\\]/.test(text[i] ?? '')) i++
        const value = text.slice(valueStart, i)
        if (
          !COOKIE_ATTRIBUTES.has(name.toLowerCase()) &&
          value.length >= 8 &&
          hasTexture(value) &&
          !isPlaceholder(value)
        )
          emit(valueStart, i)
        if (text[i] !== ';') break
      }
      COOKIE_RE.lastIndex = Math.max(COOKIE_RE.lastIndex, i)
    }
  },
}

/** Where the line holding `at` starts, looking back at most `max` characters (else null). */
function lineStartWithin(text: string, at: number, max: number): number | null {
  const stop = Math.max(0, at - max)
  for (let i = at - 1; i >= stop; i--) if (text[i] === '\n') return i + 1
  return stop === 0 ? 0 : null
}

function lineBefore(text: string, at: number): string {
  return text.slice(lineStartWithin(text, at, 400) ?? at - 400, at)
}

/** `curl -u user:password`, `--user user:password` (uid:gid pairs are not credentials). */
const CLI_USER_RE = /(?<![A-Za-z0-9_-])(?:-u[ \t]+|--user[ \t=]+)["']?[^\s:"'$]+:(?<s>[^\s"']+)/dg

const cliPasswordDetector: Detector = {
  kind: 'cli-password',
  priority: P_STRUCTURE,
  find(text, emit) {
    CLI_USER_RE.lastIndex = 0
    for (let m = CLI_USER_RE.exec(text); m !== null; m = CLI_USER_RE.exec(text)) {
      const span = m.indices?.groups?.s
      if (span === undefined) continue
      const secret = text.slice(span[0], span[1])
      if (/^[0-9]+$/.test(secret) || secret.length < 3 || isPlaceholder(secret)) continue
      if (secret.includes(':') || isPathLike(secret)) continue
      if (m[0].startsWith('-u') && !/\b(?:curl|wget|http|https)\b/.test(lineBefore(text, m.index)))
        continue
      emit(span[0], span[1])
    }
  },
}

// ---------------------------------------------------------------------------------------------
// Secret-looking names
// ---------------------------------------------------------------------------------------------

/** 'password' / 'secret': any real value is redacted; 'weak': only random-looking values. */
type NameClass = 'password' | 'secret' | 'weak'

/** Last words that describe metadata about a secret, not the secret (`PASSWORD_MIN_LENGTH`). */
const META_LAST = new Set(
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
const KEY_STRONG_PREV = new Set(
  (
    'api secret private access master signing encryption decryption license client app auth ' +
    'service account subscription admin root shared webhook hmac jwt crypto aes ssh gpg pgp ' +
    'deploy consumer write read ingest server management mgmt rest live prod production ' +
    'session cookie token bearer password'
  ).split(' '),
)
const TOKEN_WEAK_PREV = new Set(
  (
    'next page pagination continuation cancellation cancel sync resume max min lexer syntax parse ' +
    'parser input output prompt completion total eos bos pad unk sep cls mask special stop start ' +
    'end bpe word sub vocab'
  ).split(' '),
)
/** `is_password`, `show_token`, `get_api_key`, `--ask-pass`: flags and functions, not values. */
const NOT_VALUE_FIRST = new Set(
  (
    'is has show hide use enable disable allow require requires needs can should ask prompt ' +
    'toggle remember forgot change validate check with no skip save store print read from ' +
    'generate gen get set update create delete rotate revoke on handle fetch load parse ' +
    'request'
  ).split(' '),
)
/** `PASSWORD_HASH`, `password_confirmation`…: still the password (or as good as). */
const PASSWORD_SUFFIX = new Set(
  (
    'hash digest confirmation confirm plain plaintext clear cleartext encrypted enc b64 base64 ' +
    'value old new again repeat verify'
  ).split(' '),
)
const QUICK_NAME = /key|secret|token|pass|pwd|auth|cred|salt|sig|pat/i

function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '')
}

/** Does this assignment/flag/property name look like it holds a secret? */
function classifyName(name: string): NameClass | null {
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

const CODE_START =
  /^(?:string|number|boolean|bool|str|int|float|bytes|bigint|any|unknown|object|never|void|undefined|null|None|nil|true|false|String|Optional|Union|Secret|SecretStr|char|Buffer|Uint8Array|Promise|Record|Array|List|Dict|Map|await|new|this|self|function|async|yield|return|typeof|lambda|require|import|fn|const|let|var|Vec)\b/
const MEMBER_EXPR = /^[A-Za-z_$][\w$]*(?:(?:\.|\?\.|::|->)[A-Za-z_$][\w$]*)+[!?;,]*$/
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/
/** `storage_v1_client`, `my-app.prod`: words joined by separators, an identifier. */
const WORDY = /^[a-z]+[0-9]*(?:[_.-][a-z]+[0-9]*)+$/
const TYPE_WORD =
  /^(?:bool|boolean|str|string|int|integer|float|double|number|bytes|object|dict|list|array|any|char)$/i
/** `OPENAI_API_KEY`, `__CONNECTION_READY__`: the name of a variable, not its value. */
const CONSTANT_NAME = /^_*[A-Z][A-Z0-9]*(?:_+[A-Z0-9]+)+_*$/

/**
 * Code rather than a literal value. `lenient` (a `.env`/shell line `NAME=value`) only counts whole
 * calls as code, so a password such as `p(ss)w0rd` is still a value there.
 */
function isCodeLike(v: string, lenient = false): boolean {
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
function hasTexture(value: string): boolean {
  const v = value.replace(/^[?@#]/, '')
  return (
    /[0-9]/.test(v) ||
    /[^A-Za-z0-9_.-]/.test(v) ||
    (v.length >= 16 && hasUpperAndLower(v) && meanWordLength(v) < 4.5)
  )
}

/** File paths and resource names (`/run/secrets/db`, `projects/p/secrets/s`), not secrets. */
function isPathLike(v: string): boolean {
  if (/[+=]/.test(v)) return false
  if (/^(?:~|\.{1,2}|[A-Za-z]:)?[\\/][\w.~-]/.test(v))
    return v.split(/[\\/]/).every((seg) => seg.length < 20 || !looksRandom(seg))
  const segments = v.split('/')
  return segments.length >= 3 && segments.every((seg) => /^(?:[a-z0-9._-]+|[A-Z0-9_]+)$/.test(seg))
}

const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '')

/** Checks shared by every generic form. */
function acceptGenericValue(value: string, name: string, cls: NameClass): boolean {
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

type ValueSpan = { start: number; end: number; quoted: boolean; next: number }

const QUOTES = '"\'`'

/** A quoted value starting at i (`"…"`, `'…'`, `` `…` `` or JSON-escaped `\"…\"`), single line. */
function readQuoted(text: string, i: number): ValueSpan | null {
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

const isEscapeAt = (text: string, j: number): boolean =>
  text[j] === '\\' && /[nrt"'\\]/.test(text[j + 1] ?? '')

/** An unquoted value: a run of characters up to whitespace, a quote, an escape or `stop`. */
function readBare(text: string, i: number, stop: RegExp): ValueSpan {
  let j = i
  const limit = Math.min(text.length, i + 4096)
  while (j < limit) {
    const c = text[j] ?? ''
    if (/\s/.test(c) || QUOTES.includes(c) || stop.test(c) || isEscapeAt(text, j)) break
    j++
  }
  return { start: i, end: j, quoted: false, next: j }
}

const NO_STOP = /(?!)/
const STRICT_STOP = /[&;,)}\]><|]/

/** After an unquoted `name: value`, only a line end, a ` #comment` or a closing quote may follow. */
function endsLine(text: string, j: number): boolean {
  let k = j
  while (text[k] === ' ' || text[k] === '\t') k++
  const c = text[k]
  if (c === undefined || c === '\n' || c === '\r') return true
  if (c === '#' && k > j) return true
  if (QUOTES.includes(c)) return true
  return isEscapeAt(text, k) && /[nr"']/.test(text[k + 1] ?? '')
}

const ANCHOR_PREFIX =
  /^[ \t]*(?:[+-](?![+-]))?[ \t]*(?:[0-9]+(?:→|\t|:|\|)[ \t]*)?(?:(?:export|set|setx|declare(?:[ \t]+-[a-zA-Z]+)?|local|readonly|ENV|ARG|env)[ \t]+|-[ \t]+)?$/

function isAnchored(text: string, nameStart: number): boolean {
  const lineStart = lineStartWithin(text, nameStart, 64)
  return lineStart !== null && ANCHOR_PREFIX.test(text.slice(lineStart, nameStart))
}

const LABEL_WORD = /^\p{Lu}\p{Ll}+$/u

const ASSIGN_RE =
  /(?<![\w$.])(?<![\w$.]-)(\\?["'`]?)([A-Za-z_$][\w$.-]{0,127})(\\?["'`]?)([ \t]{0,16})(=>|:=|=(?![=~])|:(?![:/\\]))([ \t]*)/g
const FLAG_RE = /(?<![\w-])--([A-Za-z][\w-]{1,63})[ \t]+(?=[^\s-])/g
const XML_RE = /<((?:[\w-]+:)?[A-Za-z][\w.-]{0,63})>([^<>\s]{1,512})<\/\1>/dg
const SQL_PASSWORD_RE = /\b(?:PASSWORD|IDENTIFIED[ \t]+BY)[ \t]+'(?<s>[^'\n]{1,200})'/dgi

const kindOf = (cls: NameClass): SecretKind =>
  cls === 'password' ? 'password-assignment' : 'secret-assignment'

type GenericEmit = (start: number, end: number, kind: SecretKind) => void

type Assignment = {
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
function assignedValue(
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

function findAssignments(text: string, emit: GenericEmit): void {
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

function findFlags(text: string, emit: GenericEmit): void {
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

function findXml(text: string, emit: GenericEmit): void {
  XML_RE.lastIndex = 0
  for (let m = XML_RE.exec(text); m !== null; m = XML_RE.exec(text)) {
    const name = (m[1] ?? '').replace(/^[\w-]+:/, '')
    const cls = classifyName(name)
    const span = m.indices?.[2]
    if (cls === null || span === undefined) continue
    if (acceptGenericValue(m[2] ?? '', name, cls)) emit(span[0], span[1], kindOf(cls))
  }
}

function findSqlPasswords(text: string, emit: GenericEmit): void {
  SQL_PASSWORD_RE.lastIndex = 0
  for (let m = SQL_PASSWORD_RE.exec(text); m !== null; m = SQL_PASSWORD_RE.exec(text)) {
    const span = m.indices?.groups?.s
    if (span === undefined) continue
    const value = text.slice(span[0], span[1])
    if (acceptGenericValue(value, 'password', 'password'))
      emit(span[0], span[1], 'password-assignment')
  }
}

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
