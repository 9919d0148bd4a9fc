import { microsToDollars } from '@opensync/core'
import {
  type EvalStatus,
  type Message,
  type Part,
  type Role,
  type Session,
  ZERO_TOKENS,
} from '@opensync/core/wire'
import type { Selectable } from 'kysely'
import { type MessageUsageRow, usageTokens } from './message-rows.js'
import type { SessionsTable } from './schema.js'

export type SessionRow = Selectable<SessionsTable>

export type UnpricedSummary = { requests: number; tokens: number; models: string[] }

/** Maps a sessions row to its wire object (SPEC §4), choosing message or reported totals. */
export function toSession(row: SessionRow, unpricedModels: readonly string[] = []): Session {
  const fromMessages = row.usage_requests > 0
  const reported =
    !fromMessages &&
    (row.reported_prompt_tokens !== null ||
      row.reported_completion_tokens !== null ||
      row.reported_cost_micros !== null)
  // Reported totals are the plugin's own sums (often with cache mixed into the prompt): they
  // fill promptTokens/completionTokens, never the per-bucket `tokens`.
  const tokens = fromMessages
    ? {
        input: row.input_tokens,
        output: row.output_tokens,
        cacheRead: row.cache_read_tokens,
        cacheWrite5m: row.cache_write_5m_tokens,
        cacheWrite1h: row.cache_write_1h_tokens,
        reasoning: row.reasoning_tokens,
      }
    : ZERO_TOKENS
  const prompt = fromMessages
    ? tokens.input + tokens.cacheRead + tokens.cacheWrite5m + tokens.cacheWrite1h
    : (row.reported_prompt_tokens ?? 0)
  const completion = fromMessages ? tokens.output : (row.reported_completion_tokens ?? 0)
  const pricedRequests = row.usage_requests - row.unpriced_requests
  const costMicros = fromMessages
    ? pricedRequests > 0
      ? row.cost_micros
      : null
    : row.reported_cost_micros
  // Reported tokens without a reported cost are unpriced, not free.
  const reportedUnpriced = reported && costMicros === null && prompt + completion > 0
  const unpriced = reportedUnpriced
    ? { requests: 0, tokens: prompt + completion, models: row.model ? [row.model] : ['unknown'] }
    : { requests: row.unpriced_requests, tokens: row.unpriced_tokens, models: [...unpricedModels] }
  return {
    id: String(row.id),
    externalId: row.external_id,
    source: row.source,
    title: row.title,
    projectPath: row.project_path,
    projectName: row.project_name,
    cwd: row.cwd,
    gitBranch: row.git_branch,
    model: row.model,
    provider: row.provider,
    agentVersion: row.agent_version,
    machine: row.machine,
    parentExternalId: row.parent_external_id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationMs:
      row.duration_ms ??
      (row.started_at !== null && row.ended_at !== null ? row.ended_at - row.started_at : null),
    messageCount: row.message_count,
    tokens,
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: prompt + completion,
    cost: costMicros === null ? null : microsToDollars(costMicros),
    costMicros,
    usageOrigin: fromMessages ? 'messages' : reported ? 'reported' : 'none',
    unpriced,
    reportedCost:
      row.reported_cost_micros === null ? null : microsToDollars(row.reported_cost_micros),
    isPublic: row.is_public === 1,
    publicSlug: row.public_slug,
    evalReady: row.eval_ready === 1,
    evalStatus: row.eval_status as EvalStatus | null,
    evalTags: JSON.parse(row.eval_tags) as string[],
    evalNotes: row.eval_notes,
    expectedOutput: row.expected_output,
    reviewedAt: row.reviewed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export type MessageRowWithUsage = MessageUsageRow & {
  session_id: number
  external_id: string
  role: string
  text_content: string
  duration_ms: number | null
  reported_cost_micros: number | null
  priced_model: string | null
}

export function toMessage(row: MessageRowWithUsage, parts: readonly Part[]): Message {
  const hasUsage = row.price_status !== null
  return {
    id: String(row.id),
    externalId: row.external_id,
    sessionId: String(row.session_id),
    role: row.role as Role,
    textContent: row.text_content,
    model: row.model,
    provider: row.provider,
    createdAt: row.created_at,
    durationMs: row.duration_ms,
    usage: usageTokens(row),
    cost: row.cost_micros === null || !hasUsage ? null : microsToDollars(row.cost_micros),
    costMicros: hasUsage ? row.cost_micros : null,
    priceStatus: hasUsage ? (row.price_status as 'priced' | 'unpriced' | 'no-usage') : 'no-usage',
    pricedModel: row.priced_model,
    reportedCost:
      row.reported_cost_micros === null ? null : microsToDollars(row.reported_cost_micros),
    parts: [...parts],
  }
}
