import {
  bulkActionSchema,
  messagePageQuerySchema,
  type ServerEvent,
  sessionListQuerySchema,
  sessionPatchSchema,
} from '@opensync/core/wire'
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps, AppEnv } from '../app-env.js'
import {
  bulkUpdate,
  deleteSession,
  getSession,
  listMessages,
  listSessions,
  patchSession,
  requireSessionRow,
} from '../store/sessions.js'
import { body, query } from './parse.js'

const getQuerySchema = messagePageQuerySchema.extend({
  id: z.string({ error: 'is required' }).min(1),
})

/** `/api/sessions…` (SPEC §5.2). Every query is scoped to the caller. */
export function sessionRoutes(deps: AppDeps) {
  const { store } = deps
  return new Hono<AppEnv>()
    .get('/', query(sessionListQuerySchema), async (c) => {
      return c.json(await listSessions(store, c.get('caller').userId, c.req.valid('query')))
    })
    .get('/get', query(getQuerySchema), async (c) => {
      const { id, cursor, limit } = c.req.valid('query')
      const userId = c.get('caller').userId
      const session = await getSession(store, userId, id)
      const page = await listMessages(store, Number(session.id), cursor, limit)
      return c.json({ session, ...page })
    })
    .post('/bulk', body(bulkActionSchema), async (c) => {
      const userId = c.get('caller').userId
      const action = c.req.valid('json')
      const result = await bulkUpdate(store, userId, action)
      const at = Date.now()
      deps.bus.publish(
        userId,
        action.ids.map(
          (id): ServerEvent =>
            action.action === 'delete'
              ? { type: 'session.deleted', at, sessionId: id }
              : { type: 'session.updated', at, sessionId: id, externalId: id },
        ),
      )
      return c.json(result)
    })
    .get('/:id', query(messagePageQuerySchema), async (c) => {
      const { cursor, limit } = c.req.valid('query')
      const session = await getSession(store, c.get('caller').userId, c.req.param('id'))
      const page = await listMessages(store, Number(session.id), cursor, limit)
      return c.json({ session, ...page })
    })
    .get('/:id/messages', query(messagePageQuerySchema), async (c) => {
      const { cursor, limit } = c.req.valid('query')
      const row = await requireSessionRow(store, c.get('caller').userId, c.req.param('id'))
      return c.json(await listMessages(store, row.id, cursor, limit))
    })
    .patch('/:id', body(sessionPatchSchema), async (c) => {
      const userId = c.get('caller').userId
      const session = await patchSession(store, userId, c.req.param('id'), c.req.valid('json'))
      deps.bus.publish(userId, [
        {
          type: 'session.updated',
          at: Date.now(),
          sessionId: session.id,
          externalId: session.externalId,
        },
      ])
      return c.json(session)
    })
    .delete('/:id', async (c) => {
      const userId = c.get('caller').userId
      const row = await deleteSession(store, userId, c.req.param('id'))
      deps.bus.publish(userId, [
        { type: 'session.deleted', at: Date.now(), sessionId: String(row.id) },
      ])
      return c.json({ ok: true as const, deleted: String(row.id) })
    })
}
