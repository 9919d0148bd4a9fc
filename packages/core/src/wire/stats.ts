import { z } from 'zod'
import { tokenBucketsSchema } from './usage.js'

export const unpricedSchema = z.object({ tokens: z.number(), models: z.array(z.string()) })

/** `GET /api/stats`: upstream's shape plus our buckets and the unpriced models (SPEC §5.2). */
export const statsResponseSchema = z.object({
  sessionCount: z.number(),
  messageCount: z.number(),
  totalTokens: z.number(),
  /** Dollars. */
  totalCost: z.number(),
  totalDurationMs: z.number(),
  modelUsage: z.record(
    z.string(),
    z.object({ tokens: z.number(), cost: z.number(), sessions: z.number() }),
  ),
  tokens: tokenBucketsSchema,
  unpriced: unpricedSchema,
})
export type StatsResponse = z.infer<typeof statsResponseSchema>

export const ANALYTICS_DIMENSIONS = ['daily', 'models', 'projects', 'sources', 'providers'] as const
export type AnalyticsDimension = (typeof ANALYTICS_DIMENSIONS)[number]

export const analyticsRowSchema = z.object({
  /** `YYYY-MM-DD` for daily, else the model/project/source/provider (`unknown` when missing). */
  key: z.string(),
  sessions: z.number(),
  messages: z.number(),
  requests: z.number(),
  tokens: tokenBucketsSchema,
  totalTokens: z.number(),
  cost: z.number(),
  costMicros: z.number(),
  unpricedTokens: z.number(),
  /** cacheRead / (input + cacheRead + cache writes); null when there was no prompt. */
  cacheHitRatio: z.number().nullable(),
})
export type AnalyticsRow = z.infer<typeof analyticsRowSchema>

export const analyticsResponseSchema = z.object({
  dimension: z.enum(ANALYTICS_DIMENSIONS),
  tz: z.string(),
  rows: z.array(analyticsRowSchema),
  unpriced: unpricedSchema,
})
export type AnalyticsResponse = z.infer<typeof analyticsResponseSchema>
