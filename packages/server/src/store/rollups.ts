import { totalTokens } from '@opensync/core/wire'
import { type Kysely, sql } from 'kysely'
import type { DeltaBook } from './contributions.js'
import type { Dialect } from './dialect.js'
import type { Database } from './schema.js'

const CHUNK = 400

/** Writes the accumulated deltas into `usage_hourly` and the sessions' totals. */
export async function applyDeltas(
  dialect: Dialect,
  trx: Kysely<Database>,
  userId: number,
  book: DeltaBook,
  now: number,
): Promise<void> {
  const rows = [...book.rollups.values()].filter(
    (r) =>
      r.messages !== 0 || r.requests !== 0 || r.costMicros !== 0 || totalTokens(r.tokens) !== 0,
  )
  for (let i = 0; i < rows.length; i += CHUNK) {
    const values = rows.slice(i, i + CHUNK).map((r) => ({
      user_id: userId,
      hour: r.hour,
      source: r.source,
      project: r.project,
      model: r.model,
      provider: r.provider,
      messages: r.messages,
      requests: r.requests,
      input_tokens: r.tokens.input,
      output_tokens: r.tokens.output,
      cache_read_tokens: r.tokens.cacheRead,
      cache_write_5m_tokens: r.tokens.cacheWrite5m,
      cache_write_1h_tokens: r.tokens.cacheWrite1h,
      reasoning_tokens: r.tokens.reasoning,
      cost_micros: r.costMicros,
      unpriced_requests: r.unpricedRequests,
      unpriced_tokens: r.unpricedTokens,
    }))
    await trx
      .insertInto('usage_hourly')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['user_id', 'hour', 'source', 'project', 'model', 'provider']).doUpdateSet({
          messages: sql`usage_hourly.messages + excluded.messages`,
          requests: sql`usage_hourly.requests + excluded.requests`,
          input_tokens: sql`usage_hourly.input_tokens + excluded.input_tokens`,
          output_tokens: sql`usage_hourly.output_tokens + excluded.output_tokens`,
          cache_read_tokens: sql`usage_hourly.cache_read_tokens + excluded.cache_read_tokens`,
          cache_write_5m_tokens: sql`usage_hourly.cache_write_5m_tokens + excluded.cache_write_5m_tokens`,
          cache_write_1h_tokens: sql`usage_hourly.cache_write_1h_tokens + excluded.cache_write_1h_tokens`,
          reasoning_tokens: sql`usage_hourly.reasoning_tokens + excluded.reasoning_tokens`,
          cost_micros: sql`usage_hourly.cost_micros + excluded.cost_micros`,
          unpriced_requests: sql`usage_hourly.unpriced_requests + excluded.unpriced_requests`,
          unpriced_tokens: sql`usage_hourly.unpriced_tokens + excluded.unpriced_tokens`,
        }),
      )
      .execute()
  }

  for (const [sessionId, d] of book.sessions) {
    const hasRange = Number.isFinite(d.minAt)
    await trx
      .updateTable('sessions')
      .set((eb) => ({
        message_count: eb('message_count', '+', d.messages),
        usage_requests: eb('usage_requests', '+', d.requests),
        input_tokens: eb('input_tokens', '+', d.tokens.input),
        output_tokens: eb('output_tokens', '+', d.tokens.output),
        cache_read_tokens: eb('cache_read_tokens', '+', d.tokens.cacheRead),
        cache_write_5m_tokens: eb('cache_write_5m_tokens', '+', d.tokens.cacheWrite5m),
        cache_write_1h_tokens: eb('cache_write_1h_tokens', '+', d.tokens.cacheWrite1h),
        reasoning_tokens: eb('reasoning_tokens', '+', d.tokens.reasoning),
        total_tokens: eb('total_tokens', '+', totalTokens(d.tokens)),
        cost_micros: eb('cost_micros', '+', d.costMicros),
        unpriced_requests: eb('unpriced_requests', '+', d.unpricedRequests),
        unpriced_tokens: eb('unpriced_tokens', '+', d.unpricedTokens),
        ...(hasRange
          ? {
              started_at: dialect.least(sql<number>`coalesce(started_at, ${d.minAt})`, d.minAt),
              ended_at: dialect.greatest(sql<number>`coalesce(ended_at, ${d.maxAt})`, d.maxAt),
            }
          : {}),
        updated_at: now,
      }))
      .where('id', '=', sessionId)
      .where('user_id', '=', userId)
      .execute()
  }
}
