import type { Env } from './paths.js'

/** Upload limits and retry policy. The defaults suit real use; tests and slow links tune them. */
export type Tuning = {
  /** Items (sessions + messages) per batch; at most 2,000. */
  readonly batchItems: number
  /** Bytes of JSON per batch; at most 8 MiB (one larger item travels alone). */
  readonly batchBytes: number
  /** Attempts per batch before `sync` leaves it queued for the next run. */
  readonly maxAttempts: number
  /** First retry delay; doubles per attempt (with jitter) up to `maxBackoffMs`. */
  readonly backoffMs: number
  readonly maxBackoffMs: number
  readonly timeoutMs: number
  /** How often `watch` looks for changes. */
  readonly watchIntervalMs: number
}

export const MAX_BATCH_ITEMS = 2000
export const MAX_BATCH_BYTES = 8 * 1024 * 1024

export const TUNING_ENV = {
  batchItems: 'OPENSYNC_SYNC_BATCH_ITEMS',
  batchBytes: 'OPENSYNC_SYNC_BATCH_BYTES',
  maxAttempts: 'OPENSYNC_SYNC_MAX_ATTEMPTS',
  backoffMs: 'OPENSYNC_SYNC_BACKOFF_MS',
  maxBackoffMs: 'OPENSYNC_SYNC_MAX_BACKOFF_MS',
  timeoutMs: 'OPENSYNC_SYNC_TIMEOUT_MS',
  watchIntervalMs: 'OPENSYNC_WATCH_INTERVAL_MS',
} as const satisfies Record<keyof Tuning, string>

const DEFAULTS: Tuning = {
  batchItems: MAX_BATCH_ITEMS,
  batchBytes: MAX_BATCH_BYTES,
  maxAttempts: 6,
  backoffMs: 500,
  maxBackoffMs: 30_000,
  timeoutMs: 60_000,
  watchIntervalMs: 1000,
}

const CAPS: Partial<Record<keyof Tuning, number>> = {
  batchItems: MAX_BATCH_ITEMS,
  batchBytes: MAX_BATCH_BYTES,
}

export function loadTuning(env: Env): Tuning {
  const out: Record<string, number> = { ...DEFAULTS }
  const errors: string[] = []
  for (const [key, name] of Object.entries(TUNING_ENV) as [keyof Tuning, string][]) {
    const raw = env[name]?.trim()
    if (!raw) continue
    const value = Number(raw)
    if (!Number.isInteger(value) || value < (key === 'backoffMs' ? 0 : 1)) {
      errors.push(`${name} must be a whole number${key === 'backoffMs' ? '' : ' above 0'}`)
      continue
    }
    out[key] = Math.min(value, CAPS[key] ?? value)
  }
  if (errors.length > 0) throw new Error(`bad configuration:\n  ${errors.join('\n  ')}`)
  return out as Tuning
}

/** Exponential backoff with jitter: base·2^(n-1), capped, scaled by a random 50–100 %. */
export function backoffDelay(attempt: number, tuning: Tuning, random = Math.random): number {
  const raw = Math.min(tuning.maxBackoffMs, tuning.backoffMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(raw * (0.5 + random() / 2))
}
