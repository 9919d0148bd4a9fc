import type { Tokens } from '@opensync/core/wire'
import { type CodexUsage, type TokenCount, USAGE_FIELDS } from './schema.js'

/**
 * What one `token_count` event means for accounting (§2 pitfalls 1–3):
 * - `no-info`: `info: null`, rate limits only;
 * - `first`: the first totals of the file, counted from zero;
 * - `advanced`: the totals grew; the request's usage is `total − previous total`;
 * - `resent`: the same totals again (Codex re-emits them ~1 s later to refresh rate limits, and
 *   the compaction event repeats them with a fake `last_token_usage`); nothing is counted;
 * - `reset`: a total went down (a re-baseline, e.g. a resumed process or a compaction that
 *   restarted the counter): the request's usage is `last_token_usage`, or the new total counted
 *   from zero when `last` is missing or empty, and the new total becomes the baseline;
 * - `last-only`: no totals at all; `last_token_usage` is used as is.
 */
export type UsageStepKind = 'no-info' | 'first' | 'advanced' | 'resent' | 'reset' | 'last-only'

export type UsageStep = {
  readonly kind: UsageStepKind
  /** The request's usage in Codex semantics, or null when nothing is to be counted. */
  readonly usage: CodexUsage | null
}

function isEmpty(u: CodexUsage): boolean {
  return USAGE_FIELDS.every((field) => u[field] === 0)
}

function subtract(a: CodexUsage, b: CodexUsage): CodexUsage {
  return {
    input: a.input - b.input,
    cached: a.cached - b.cached,
    cacheWrite: a.cacheWrite - b.cacheWrite,
    output: a.output - b.output,
    reasoning: a.reasoning - b.reasoning,
  }
}

function nonEmpty(u: CodexUsage | null): CodexUsage | null {
  return u === null || isEmpty(u) ? null : u
}

/**
 * Positive deltas of the cumulative `total_token_usage` of one rollout (SPEC §7). Feed every
 * `token_count` in file order, replayed ones included (they move the baseline but their usage is
 * the parent's, so the caller drops it).
 */
export function createUsageCounter(): (count: TokenCount) => UsageStep {
  let baseline: CodexUsage | null = null
  return (count) => {
    const { total, last } = count
    if (total === null) {
      return last === null
        ? { kind: 'no-info', usage: null }
        : { kind: 'last-only', usage: nonEmpty(last) }
    }
    const previous = baseline
    baseline = total
    if (previous === null) return { kind: 'first', usage: nonEmpty(total) }
    if (USAGE_FIELDS.some((field) => total[field] < previous[field])) {
      return { kind: 'reset', usage: nonEmpty(last) ?? nonEmpty(total) }
    }
    if (USAGE_FIELDS.every((field) => total[field] === previous[field])) {
      return { kind: 'resent', usage: null }
    }
    return { kind: 'advanced', usage: subtract(total, previous) }
  }
}

/**
 * Codex semantics → ours. Codex `input_tokens` INCLUDES `cached_input_tokens` and (0.169+)
 * `cache_write_input_tokens`; `output_tokens` INCLUDES `reasoning_output_tokens`. OpenAI reports
 * no cache TTL, so writes go to the 5-minute bucket. Subsets are clamped to their totals.
 */
export function toTokens(u: CodexUsage): Tokens {
  const cacheRead = Math.min(u.cached, u.input)
  const cacheWrite = Math.min(u.cacheWrite, u.input - cacheRead)
  return {
    input: u.input - cacheRead - cacheWrite,
    output: u.output,
    cacheRead,
    cacheWrite5m: cacheWrite,
    cacheWrite1h: 0,
    reasoning: Math.min(u.reasoning, u.output),
  }
}
