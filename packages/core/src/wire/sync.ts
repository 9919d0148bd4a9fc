import { z } from 'zod'
import { timestampSchema } from './timestamp.js'
import { usageSchema } from './usage.js'

const ID_MAX = 512

const idString = z
  .string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a string') })
  .trim()
  .min(1, 'must not be empty')
  .max(ID_MAX, `must be at most ${ID_MAX} characters`)
/** Ids sent as numbers by some clients are kept as their decimal string. */
const idLike = z.union([idString, z.number().transform(String)], {
  error: (iss) => (iss.input === undefined ? 'is required' : 'must be a string id'),
})
const text = z.string({ error: 'must be a string' }).nullish()
const count = z
  .number({ error: 'must be a non-negative number' })
  .int('must be an integer')
  .nonnegative('must be non-negative')
  .nullish()
const dollars = z
  .number({ error: 'must be a number of dollars' })
  .nonnegative('must be non-negative')
  .nullish()
const instant = timestampSchema.nullish()

export const EVAL_STATUSES = ['golden', 'correct', 'incorrect', 'needs_review'] as const
export const evalStatusSchema = z.enum(EVAL_STATUSES)
export type EvalStatus = z.infer<typeof evalStatusSchema>

export const ROLES = ['user', 'assistant', 'system', 'tool', 'unknown'] as const
export type Role = (typeof ROLES)[number]

/**
 * `POST /sync/session` and `sessions[]` of `/sync/batch` (SPEC §5.1). `sessionId` is
 * claude-code-sync's alias for `externalId`; legacy `promptTokens`/`completionTokens`/`cost`
 * are kept as reported totals, never added to message usage. Unknown fields are ignored.
 */
export const sessionSyncSchema = z
  .object({
    externalId: idLike.optional(),
    sessionId: idLike.optional(),
    source: text,
    title: text,
    projectPath: text,
    projectName: text,
    cwd: text,
    gitBranch: text,
    model: text,
    provider: text,
    agentVersion: text,
    machine: text,
    parentExternalId: idLike.nullish(),
    startedAt: instant,
    endedAt: instant,
    createdAt: instant,
    durationMs: count,
    promptTokens: count,
    completionTokens: count,
    cost: dollars,
  })
  .superRefine((value, ctx) => {
    if (value.externalId === undefined && value.sessionId === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['externalId'],
        message: 'is required (or its alias sessionId)',
      })
    }
  })
  .transform(({ sessionId, externalId, ...rest }) => ({
    ...rest,
    externalId: (externalId ?? sessionId) as string,
  }))
export type SessionSync = z.infer<typeof sessionSyncSchema>

/**
 * `POST /sync/message` and `messages[]` of `/sync/batch`. A role outside the enum is kept as
 * `unknown` with a warning. `promptTokens`/`completionTokens` fill `usage.input`/`usage.output`
 * only when `usage` is absent.
 */
export const messageSyncSchema = z.object({
  sessionExternalId: idLike,
  externalId: idLike,
  role: z.string({ error: 'must be one of user, assistant, system, tool, unknown' }).nullish(),
  textContent: text,
  model: text,
  provider: text,
  source: text,
  parts: z.array(z.unknown(), { error: 'must be an array of parts' }).nullish(),
  createdAt: instant,
  durationMs: count,
  promptTokens: count,
  completionTokens: count,
  cost: dollars,
  usage: usageSchema.nullish(),
})
export type MessageSync = z.infer<typeof messageSyncSchema>

/** The batch envelope; items are validated one by one so one bad item rejects only itself. */
export const batchSyncSchema = z.object({
  sessions: z.array(z.unknown(), { error: 'must be an array' }).nullish(),
  messages: z.array(z.unknown(), { error: 'must be an array' }).nullish(),
})
export type BatchSync = z.infer<typeof batchSyncSchema>

export const syncWarningSchema = z.object({
  kind: z.enum(['session', 'message']),
  index: z.number().optional(),
  externalId: z.string().optional(),
  field: z.string(),
  message: z.string(),
})
export type SyncWarning = z.infer<typeof syncWarningSchema>

export const batchItemErrorSchema = z.object({
  kind: z.enum(['session', 'message']),
  index: z.number(),
  externalId: z.string().optional(),
  error: z.string(),
  code: z.string(),
  details: z.unknown().optional(),
})
export type BatchItemError = z.infer<typeof batchItemErrorSchema>

export const sessionSyncResponseSchema = z.object({
  ok: z.literal(true),
  sessionId: z.string(),
  warnings: z.array(syncWarningSchema).optional(),
})
export const messageSyncResponseSchema = z.object({
  ok: z.literal(true),
  messageId: z.string(),
  warnings: z.array(syncWarningSchema).optional(),
})
export const batchSyncResponseSchema = z.object({
  ok: z.boolean(),
  sessions: z.number(),
  messages: z.number(),
  errors: z.array(batchItemErrorSchema),
  warnings: z.array(syncWarningSchema).optional(),
})
export type BatchSyncResponse = z.infer<typeof batchSyncResponseSchema>

export const sessionIdsResponseSchema = z.object({ sessionIds: z.array(z.string()) })

export const healthResponseSchema = z.object({
  status: z.literal('ok'),
  timestamp: z.number(),
  version: z.string(),
})
