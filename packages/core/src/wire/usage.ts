import { z } from 'zod'

const tokenCount = z
  .number({ error: 'must be a non-negative integer' })
  .int('must be a non-negative integer')
  .nonnegative('must be a non-negative integer')

/**
 * Token usage of one assistant request (SPEC §4). Raw buckets with one meaning each:
 * `input` excludes cache reads and writes, `output` includes reasoning, `reasoning` is an
 * informational subset of `output`.
 */
export const usageSchema = z.object({
  input: tokenCount.nullish(),
  output: tokenCount.nullish(),
  cacheRead: tokenCount.nullish(),
  cacheWrite5m: tokenCount.nullish(),
  cacheWrite1h: tokenCount.nullish(),
  reasoning: tokenCount.nullish(),
})
export type UsageInput = z.infer<typeof usageSchema>

export const tokenBucketsSchema = z.object({
  input: z.number(),
  output: z.number(),
  cacheRead: z.number(),
  cacheWrite5m: z.number(),
  cacheWrite1h: z.number(),
  reasoning: z.number(),
})
export type Tokens = z.infer<typeof tokenBucketsSchema>

export const ZERO_TOKENS: Tokens = Object.freeze({
  input: 0,
  output: 0,
  cacheRead: 0,
  cacheWrite5m: 0,
  cacheWrite1h: 0,
  reasoning: 0,
})

export const TOKEN_BUCKETS = [
  'input',
  'output',
  'cacheRead',
  'cacheWrite5m',
  'cacheWrite1h',
  'reasoning',
] as const satisfies readonly (keyof Tokens)[]

export function toTokens(usage: UsageInput | null | undefined): Tokens {
  return {
    input: usage?.input ?? 0,
    output: usage?.output ?? 0,
    cacheRead: usage?.cacheRead ?? 0,
    cacheWrite5m: usage?.cacheWrite5m ?? 0,
    cacheWrite1h: usage?.cacheWrite1h ?? 0,
    reasoning: usage?.reasoning ?? 0,
  }
}

/** Total tokens of a request: every bucket except `reasoning`, which is already in `output`. */
export function totalTokens(t: Tokens): number {
  return t.input + t.output + t.cacheRead + t.cacheWrite5m + t.cacheWrite1h
}

/** Prompt side (what upstream calls promptTokens): uncached input plus cache reads and writes. */
export function promptTokens(t: Tokens): number {
  return t.input + t.cacheRead + t.cacheWrite5m + t.cacheWrite1h
}
