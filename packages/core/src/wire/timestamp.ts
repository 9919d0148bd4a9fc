import { z } from 'zod'

/** Below this a number is taken as epoch seconds (1e11 ms is March 1973). */
const SECONDS_THRESHOLD = 1e11

/**
 * `createdAt`-style instants: epoch milliseconds (upstream's unit), epoch seconds (converted),
 * or an ISO-8601 string. Parsed to epoch milliseconds.
 */
export const timestampSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) {
      ctx.addIssue({ code: 'custom', message: 'must be epoch milliseconds or an ISO-8601 date' })
      return z.NEVER
    }
    return Math.round(value < SECONDS_THRESHOLD ? value * 1000 : value)
  }
  const trimmed = value.trim()
  const ms = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Date.parse(trimmed)
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: 'must be epoch milliseconds or an ISO-8601 date' })
    return z.NEVER
  }
  return Math.round(ms < SECONDS_THRESHOLD ? ms * 1000 : ms)
})
