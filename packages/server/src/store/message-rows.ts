import type { Tokens } from '@opensync/core/wire'
import type { Kysely } from 'kysely'
import type { StoredMessage } from './contributions.js'
import type { Database } from './schema.js'

/** Messages joined with their usage, without the (possibly large) text. */
export function selectMessageUsage(db: Kysely<Database>) {
  return db
    .selectFrom('messages as m')
    .leftJoin('usage as u', 'u.message_id', 'm.id')
    .select([
      'm.id',
      'm.session_id',
      'm.external_id',
      'm.content_hash',
      'm.created_at',
      'm.model',
      'm.provider',
      'u.model as u_model',
      'u.provider as u_provider',
      'u.input_tokens',
      'u.output_tokens',
      'u.cache_read_tokens',
      'u.cache_write_5m_tokens',
      'u.cache_write_1h_tokens',
      'u.reasoning_tokens',
      'u.cost_micros',
      'u.price_status',
      'u.priced_model',
    ])
}

/** Everything the read API shows of a message, but its parts. */
export function selectMessageRows(db: Kysely<Database>) {
  return selectMessageUsage(db).select([
    'm.role',
    'm.text_content',
    'm.duration_ms',
    'm.reported_cost_micros',
  ])
}

export type MessageUsageRow = {
  id: number
  created_at: number
  model: string | null
  provider: string | null
  u_model: string | null
  u_provider: string | null
  input_tokens: number | null
  output_tokens: number | null
  cache_read_tokens: number | null
  cache_write_5m_tokens: number | null
  cache_write_1h_tokens: number | null
  reasoning_tokens: number | null
  cost_micros: number | null
  price_status: string | null
}

/** The usage buckets of a joined row, or null when the message has no usage row. */
export function usageTokens(row: MessageUsageRow): Tokens | null {
  if (row.price_status === null) return null
  return {
    input: row.input_tokens ?? 0,
    output: row.output_tokens ?? 0,
    cacheRead: row.cache_read_tokens ?? 0,
    cacheWrite5m: row.cache_write_5m_tokens ?? 0,
    cacheWrite1h: row.cache_write_1h_tokens ?? 0,
    reasoning: row.reasoning_tokens ?? 0,
  }
}

/** A joined row as the contribution math sees it. */
export function storedOf(row: MessageUsageRow): StoredMessage {
  const tokens = usageTokens(row)
  return {
    createdAt: row.created_at,
    model: row.model,
    provider: row.provider,
    usage:
      tokens === null
        ? null
        : {
            model: row.u_model,
            provider: row.u_provider,
            costMicros: row.cost_micros,
            priceStatus: row.price_status as string,
            tokens,
          },
  }
}
