import type { Tokens } from '@opensync/core/wire'
import { isRecord, num, type Raw } from './schema.js'

function count(value: unknown): number {
  const n = num(value)
  return n !== null && n > 0 ? Math.round(n) : 0
}

/**
 * Anthropic `message.usage` in our buckets. `input_tokens` already excludes cache reads and
 * writes, and `output_tokens` includes thinking (no separate reasoning count is reported, so
 * `reasoning` stays 0).
 *
 * Cache writes: `cache_creation.ephemeral_1h_input_tokens` is the 1-hour part and everything
 * else of `cache_creation_input_tokens` is 5-minute (the API's default TTL). So a line without the
 * split (≤ 1.0.x) puts the whole total in `cacheWrite5m`, and a split that does not add up to the
 * total (the mockllm samples write `{1h: 0, 5m: 0}` next to a non-zero total) keeps the
 * remainder as 5-minute instead of dropping it.
 */
export function claudeUsageToTokens(usage: Raw): Tokens {
  const split = isRecord(usage.cache_creation) ? usage.cache_creation : null
  const write1h = count(split?.ephemeral_1h_input_tokens)
  const write5m = count(split?.ephemeral_5m_input_tokens)
  const total = count(usage.cache_creation_input_tokens)
  return {
    input: count(usage.input_tokens),
    output: count(usage.output_tokens),
    cacheRead: count(usage.cache_read_input_tokens),
    cacheWrite5m: Math.max(write5m, total - write1h),
    cacheWrite1h: write1h,
    reasoning: 0,
  }
}
