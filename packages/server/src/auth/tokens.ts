import { createHash, randomBytes } from 'node:crypto'
import type { ApiKeyPrefix } from '@opensync/core/wire'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
/** Random characters after the prefix (SPEC §6: at least 32). */
export const KEY_RANDOM_LENGTH = 40
/** Characters of the key kept in clear to recognise it in lists (`os_` + 8). */
const SHOWN_RANDOM_CHARS = 8

/** Uniform base62 from rejection sampling, so no character is more likely than another. */
export function randomBase62(length: number): string {
  let out = ''
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62]
    }
  }
  return out
}

export function generateApiKey(prefix: ApiKeyPrefix = 'os_'): string {
  return `${prefix}${randomBase62(KEY_RANDOM_LENGTH)}`
}

/** The stored form of a key. Keys carry 238 bits of entropy, so a plain SHA-256 is enough. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}

export function displayPrefix(key: string): string {
  const prefixLength = key.startsWith('osk_') ? 4 : 3
  return key.slice(0, prefixLength + SHOWN_RANDOM_CHARS)
}

export function looksLikeApiKey(value: string): boolean {
  return /^osk?_[0-9A-Za-z_-]{16,200}$/.test(value)
}
