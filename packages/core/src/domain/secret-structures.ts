/** Structural detectors: PEM private keys, URL passwords, auth headers, cookies, curl -u. */

import {
  type Detector,
  hasTexture,
  isCodeLike,
  isPathLike,
  isPlaceholder,
  lineStartWithin,
  longestAlnumRun,
  looksRandom,
  P_PEM,
  P_STRUCTURE,
} from './secret-heuristics.js'

export const PEM_BEGIN_RE = /-----BEGIN ((?:[A-Z0-9]+ ){0,4})PRIVATE KEY(?: BLOCK)?-----/g
export const PEM_LINE_RE =
  /^[ \t+>]*(?:[0-9]+(?:→|\t|:|\|)[ \t]*)?(?:[A-Za-z0-9+/=]+|(?:Proc-Type|DEK-Info|Comment|Version|Hash|Charset):.*)?[ \t]*$/
export const MAX_PEM = 65_536

/** Shrinks [start, end) past whitespace and `\n` escapes, and a diff's `+` line markers. */
export function trimSpan(
  text: string,
  start: number,
  end: number,
  diff: boolean,
): [number, number] {
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

export const PEM_NEXT_LINE_RE = /(?:\r?\n|\\r?\\n)([^\r\n\\]*)/y

export const pemDetector: Detector = {
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
export const URL_PASSWORD_RE =
  /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/[^\s:/?#@"'`<>\\[\]]*:(?<s>[^\s/?#"'`<>\\]+)@(?=[A-Za-z0-9[_-])/dg

export const urlPasswordDetector: Detector = {
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

export const AUTH_SCHEMES = new Set([
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
export const AUTH_HEADER_RE =
  /(?<![A-Za-z0-9_-])(?:proxy-)?authorization\\?["']?[ \t]*[:=][ \t]*\\?["'`]?[ \t]*(?:(?:bearer|basic|token|bot|negotiate|ntlm|apikey|api-key|sso-key|key)[ \t]+)?(?<s>[\w.~+/=:-]{6,})/dgi

export const authHeaderDetector: Detector = {
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

export const COOKIE_RE = /(?<![A-Za-z0-9_-])(?:set-)?cookie\\?["']?[ \t]*:[ \t]*\\?["']?/gi
export const COOKIE_ATTRIBUTES = new Set([
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

export const cookieDetector: Detector = {
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

export function lineBefore(text: string, at: number): string {
  return text.slice(lineStartWithin(text, at, 400) ?? at - 400, at)
}

/** `curl -u user:password`, `--user user:password` (uid:gid pairs are not credentials). */
export const CLI_USER_RE =
  /(?<![A-Za-z0-9_-])(?:-u[ \t]+|--user[ \t=]+)["']?[^\s:"'$]+:(?<s>[^\s"']+)/dg

export const cliPasswordDetector: Detector = {
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
