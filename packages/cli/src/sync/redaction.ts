import { redactSecrets, redactValue } from '@opensync/core'

/** Redacts every string before it leaves the machine, counting what it replaced. */
export type Redactor = {
  readonly enabled: boolean
  text(value: string): string
  value<T>(value: T): T
  /** Secrets replaced so far. */
  readonly count: number
}

function redactionCount(redactions: unknown): number {
  if (typeof redactions === 'number') return redactions
  if (Array.isArray(redactions)) return redactions.length
  return 0
}

/** Strings remembered (a message's text usually repeats its text part); big ones are not kept. */
const MEMO_SIZE = 256
const MEMO_MAX_CHARS = 64 * 1024

/** The redactor the config asks for: core's `redactSecrets`/`redactValue`, or the identity. */
export function createRedactor(enabled: boolean): Redactor {
  let count = 0
  const memo = new Map<string, { text: string; found: number }>()
  if (!enabled) {
    return {
      enabled,
      text: (value) => value,
      value: (value) => value,
      get count() {
        return 0
      },
    }
  }
  return {
    enabled,
    text(value) {
      if (value === '') return value
      const known = memo.get(value)
      if (known) {
        count += known.found
        return known.text
      }
      const result = redactSecrets(value)
      const found = redactionCount(result.redactions)
      if (value.length <= MEMO_MAX_CHARS) {
        if (memo.size >= MEMO_SIZE) memo.clear()
        memo.set(value, { text: result.text, found })
      }
      count += found
      return result.text
    },
    value<T>(value: T): T {
      const result = redactValue(value)
      count += result.count
      return result.value as T
    },
    get count() {
      return count
    },
  }
}
