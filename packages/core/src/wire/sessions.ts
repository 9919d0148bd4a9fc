import { z } from 'zod'
import { partSchema } from './parts.js'
import { evalStatusSchema, ROLES } from './sync.js'
import { timestampSchema } from './timestamp.js'
import { tokenBucketsSchema } from './usage.js'

const nullableString = z.string().nullable()

/** Where a session's token and cost totals come from (legacy clients report only totals). */
export const USAGE_ORIGINS = ['messages', 'reported', 'none'] as const

export const sessionSchema = z.object({
  id: z.string(),
  externalId: z.string(),
  source: nullableString,
  title: nullableString,
  projectPath: nullableString,
  projectName: nullableString,
  cwd: nullableString,
  gitBranch: nullableString,
  model: nullableString,
  provider: nullableString,
  agentVersion: nullableString,
  machine: nullableString,
  parentExternalId: nullableString,
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  durationMs: z.number().nullable(),
  messageCount: z.number(),
  tokens: tokenBucketsSchema,
  /** Upstream-compatible totals, derived from `tokens`. */
  promptTokens: z.number(),
  completionTokens: z.number(),
  totalTokens: z.number(),
  /** Dollars; null when nothing could be priced. */
  cost: z.number().nullable(),
  costMicros: z.number().nullable(),
  usageOrigin: z.enum(USAGE_ORIGINS),
  /** Requests whose model has no price: their tokens are counted, their cost is not. */
  unpriced: z.object({ requests: z.number(), tokens: z.number(), models: z.array(z.string()) }),
  reportedCost: z.number().nullable(),
  isPublic: z.boolean(),
  publicSlug: nullableString,
  evalReady: z.boolean(),
  evalStatus: evalStatusSchema.nullable(),
  evalTags: z.array(z.string()),
  evalNotes: nullableString,
  expectedOutput: nullableString,
  reviewedAt: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
})
export type Session = z.infer<typeof sessionSchema>

export const messageSchema = z.object({
  id: z.string(),
  externalId: z.string(),
  sessionId: z.string(),
  role: z.enum(ROLES),
  textContent: z.string(),
  model: nullableString,
  provider: nullableString,
  createdAt: z.number(),
  durationMs: z.number().nullable(),
  usage: tokenBucketsSchema.nullable(),
  /** Dollars, computed per request on the server; null when unpriced or no usage. */
  cost: z.number().nullable(),
  costMicros: z.number().nullable(),
  priceStatus: z.enum(['priced', 'unpriced', 'no-usage']),
  pricedModel: nullableString,
  reportedCost: z.number().nullable(),
  parts: z.array(partSchema),
})
export type Message = z.infer<typeof messageSchema>

export const SESSION_SORTS = [
  'updatedAt',
  'createdAt',
  'startedAt',
  'totalTokens',
  'cost',
  'messageCount',
  'durationMs',
  'title',
] as const
export type SessionSort = (typeof SESSION_SORTS)[number]

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')

/** Filters shared by `/api/sessions`, `/api/stats` and `/api/analytics/*` (SPEC §5.2). */
export const sessionFilterSchema = z.object({
  source: z.string().optional(),
  project: z.string().optional(),
  model: z.string().optional(),
  provider: z.string().optional(),
  machine: z.string().optional(),
  from: timestampSchema.optional(),
  to: timestampSchema.optional(),
  q: z.string().trim().min(1).optional(),
  evalReady: bool.optional(),
  evalStatus: evalStatusSchema.optional(),
  tag: z.string().optional(),
})
export type SessionFilter = z.infer<typeof sessionFilterSchema>

export const limitSchema = (max: number, fallback: number) =>
  z.coerce
    .number({ error: `must be a whole number from 1 to ${max}` })
    .int(`must be a whole number from 1 to ${max}`)
    .min(1, `must be a whole number from 1 to ${max}`)
    .max(max, `must be a whole number from 1 to ${max}`)
    .default(fallback)

export const sessionListQuerySchema = sessionFilterSchema.extend({
  sort: z.enum(SESSION_SORTS).default('updatedAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  cursor: z.string().optional(),
  limit: limitSchema(200, 50),
})
export type SessionListQuery = z.infer<typeof sessionListQuerySchema>

export const sessionListResponseSchema = z.object({
  sessions: z.array(sessionSchema),
  nextCursor: z.string().nullable(),
  total: z.number(),
})
export type SessionListResponse = z.infer<typeof sessionListResponseSchema>

export const sessionDetailResponseSchema = z.object({
  session: sessionSchema,
  messages: z.array(messageSchema),
  nextCursor: z.string().nullable(),
})
export type SessionDetailResponse = z.infer<typeof sessionDetailResponseSchema>

export const messagePageQuerySchema = z.object({
  cursor: z.string().optional(),
  limit: limitSchema(1000, 200),
})

export const messagePageResponseSchema = z.object({
  messages: z.array(messageSchema),
  nextCursor: z.string().nullable(),
})

export const sessionPatchSchema = z
  .object({
    title: z.string().max(1000).nullable(),
    isPublic: z.boolean(),
    evalReady: z.boolean(),
    evalStatus: evalStatusSchema.nullable(),
    evalTags: z.array(z.string().trim().min(1).max(100)).max(100),
    evalNotes: z.string().max(100_000).nullable(),
    expectedOutput: z.string().max(1_000_000).nullable(),
  })
  .partial()
  .strict()
export type SessionPatch = z.infer<typeof sessionPatchSchema>

export const BULK_ACTIONS = ['delete', 'tag', 'untag', 'evalReady', 'evalStatus'] as const
export const bulkActionSchema = z.object({
  ids: z.array(z.string().min(1)).min(1, 'must list at least one id').max(10_000),
  action: z.enum(BULK_ACTIONS),
  value: z.unknown().optional(),
})
export type BulkAction = z.infer<typeof bulkActionSchema>
export const bulkActionResponseSchema = z.object({
  updated: z.number(),
  failed: z.array(z.object({ id: z.string(), error: z.string() })),
})
