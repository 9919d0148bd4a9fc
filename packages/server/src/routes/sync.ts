import { AppError } from '@opensync/core'
import {
  type BatchItemError,
  batchSyncSchema,
  describeFieldIssues,
  messageSyncSchema,
  type SessionSync,
  type SyncWarning,
  sessionSyncSchema,
  toFieldIssues,
} from '@opensync/core/wire'
import { Hono } from 'hono'
import type { AppDeps, AppEnv } from '../app-env.js'
import { requireCaller } from '../auth/middleware.js'
import { ingest, messageKey } from '../store/ingest.js'
import { type MessageRecord, toMessageRecord } from '../store/message-record.js'
import { listExternalIds } from '../store/sessions.js'
import { jsonObject, parseWith, readJson } from './parse.js'

/** The OpenSync plugin protocol (SPEC §5.1). */
export function syncRoutes(deps: AppDeps) {
  const publish = (userId: number, events: Parameters<AppDeps['bus']['publish']>[1]) =>
    deps.bus.publish(userId, events)

  return new Hono<AppEnv>()
    .use(requireCaller(deps))
    .post('/session', async (c) => {
      const { userId } = c.get('caller')
      const session = parseWith(sessionSyncSchema, jsonObject(await readJson(c)))
      const outcome = await ingest(deps.store, userId, { sessions: [session], messages: [] })
      publish(userId, outcome.events)
      return c.json({
        ok: true as const,
        sessionId: String(outcome.sessionIds.get(session.externalId)),
      })
    })
    .post('/message', async (c) => {
      const { userId } = c.get('caller')
      const message = parseWith(messageSyncSchema, jsonObject(await readJson(c)))
      const warnings: SyncWarning[] = []
      const record = toMessageRecord(message, deps.config.maxTextBytes, (w) =>
        warnings.push({ kind: 'message', ...w }),
      )
      const outcome = await ingest(deps.store, userId, {
        sessions: [],
        messages: [record],
      })
      publish(userId, outcome.events)
      const id = outcome.messageIds.get(messageKey(record.sessionExternalId, record.externalId))
      return c.json({
        ok: true as const,
        messageId: String(id),
        ...(warnings.length > 0 ? { warnings } : {}),
      })
    })
    .post('/batch', async (c) => {
      const { userId } = c.get('caller')
      const envelope = parseWith(batchSyncSchema, jsonObject(await readJson(c)))
      const rawSessions = envelope.sessions ?? []
      const rawMessages = envelope.messages ?? []
      const items = rawSessions.length + rawMessages.length
      if (items > deps.config.maxBatchItems) {
        throw new AppError(
          'batch-too-large',
          `A batch may hold at most ${deps.config.maxBatchItems} items; this one has ${items}. Split it.`,
          { details: { limit: deps.config.maxBatchItems, items } },
        )
      }
      const errors: BatchItemError[] = []
      const warnings: SyncWarning[] = []
      const sessions: SessionSync[] = []
      rawSessions.forEach((raw, index) => {
        const parsed = sessionSyncSchema.safeParse(raw)
        if (parsed.success) sessions.push(parsed.data)
        else errors.push(itemError('session', index, raw, parsed.error.issues))
      })
      const messages: MessageRecord[] = []
      rawMessages.forEach((raw, index) => {
        const parsed = messageSyncSchema.safeParse(raw)
        if (!parsed.success) {
          errors.push(itemError('message', index, raw, parsed.error.issues))
          return
        }
        messages.push(
          toMessageRecord(parsed.data, deps.config.maxTextBytes, (w) =>
            warnings.push({ kind: 'message', index, ...w }),
          ),
        )
      })
      const outcome = await ingest(deps.store, userId, { sessions, messages })
      publish(userId, [
        ...outcome.events,
        {
          type: 'sync.completed',
          at: Date.now(),
          sessions: sessions.length,
          messages: messages.length,
        },
      ])
      return c.json({
        ok: errors.length === 0,
        sessions: sessions.length,
        messages: messages.length,
        errors,
        ...(warnings.length > 0 ? { warnings } : {}),
      })
    })
    .get('/sessions/list', async (c) => {
      const { userId } = c.get('caller')
      return c.json({ sessionIds: await listExternalIds(deps.store, userId) })
    })
}

function itemError(
  kind: 'session' | 'message',
  index: number,
  raw: unknown,
  zodIssues: Parameters<typeof toFieldIssues>[0],
): BatchItemError {
  const issues = toFieldIssues(zodIssues).map((i) => ({
    ...i,
    path: `${kind}s[${index}].${i.path}`,
  }))
  const record = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {}
  const id = record.externalId ?? record.sessionId
  return {
    kind,
    index,
    ...(typeof id === 'string' ? { externalId: id } : {}),
    error: describeFieldIssues(issues),
    code: 'invalid-request',
    details: { issues },
  }
}
