import { AppError, EXPORT_FORMATS, exportSessions, type SessionExport } from '@opensync/core'
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps, AppEnv } from '../app-env.js'
import type { Store } from '../store/db.js'
import { getSession, listMessages } from '../store/sessions.js'
import { query } from './parse.js'

const MAX_EXPORT_SESSIONS = 500

const exportQuerySchema = z.object({
  id: z
    .string({ error: 'is required: one id or a comma-separated list' })
    .transform((v) => [
      ...new Set(
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ])
    .refine((ids) => ids.length > 0, 'is required: one id or a comma-separated list')
    .refine((ids) => ids.length <= MAX_EXPORT_SESSIONS, `at most ${MAX_EXPORT_SESSIONS} ids`),
  format: z.enum(EXPORT_FORMATS).default('json'),
})

async function loadExport(store: Store, userId: number, id: string): Promise<SessionExport | null> {
  let session: Awaited<ReturnType<typeof getSession>>
  try {
    session = await getSession(store, userId, id)
  } catch (error) {
    if (error instanceof AppError && error.code === 'not-found') return null
    throw error
  }
  const messages = []
  let cursor: string | undefined
  do {
    const page = await listMessages(store, Number(session.id), cursor, 1000)
    messages.push(...page.messages)
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  return { session, messages }
}

/** `GET /api/export?id=…&format=json|jsonl|csv|markdown` (SPEC §5.2). */
export function exportRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get('/', query(exportQuerySchema), async (c) => {
    const { id, format } = c.req.valid('query')
    const userId = c.get('caller').userId
    const items: SessionExport[] = []
    for (const one of id) {
      const item = await loadExport(deps.store, userId, one)
      if (item) items.push(item)
    }
    if (items.length === 0) throw new AppError('not-found', 'None of the requested sessions exist')
    const file = exportSessions(items, format, new Date())
    return c.body(file.body, 200, {
      'Content-Type': file.contentType,
      'Content-Disposition': `attachment; filename="${file.filename}"`,
      'X-Export-Sessions': String(items.length),
    })
  })
}
