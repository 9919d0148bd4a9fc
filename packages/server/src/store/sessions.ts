import {
  AppError,
  type BulkAction,
  type Message,
  type Part,
  type Session,
  type SessionListQuery,
  type SessionListResponse,
  type SessionPatch,
  type SessionSort,
} from '@opensync/core'
import { type Kysely, type RawBuilder, sql } from 'kysely'
import { contributionOf, DeltaBook } from './contributions.js'
import type { Store } from './db.js'
import { selectMessageRows, selectMessageUsage, storedOf } from './message-rows.js'
import { applyDeltas } from './rollups.js'
import type { Database } from './schema.js'
import { filterSessions } from './session-filter.js'
import { type MessageRowWithUsage, type SessionRow, toMessage, toSession } from './session-rows.js'

const SORT_EXPRESSIONS: Readonly<Record<SessionSort, RawBuilder<number | string>>> = {
  updatedAt: sql`sessions.updated_at`,
  createdAt: sql`sessions.created_at`,
  startedAt: sql`coalesce(sessions.started_at, sessions.created_at)`,
  totalTokens: sql`sessions.total_tokens`,
  cost: sql`sessions.cost_micros`,
  messageCount: sql`sessions.message_count`,
  durationMs: sql`coalesce(sessions.duration_ms, sessions.ended_at - sessions.started_at, 0)`,
  title: sql`coalesce(sessions.title, '')`,
}

type Cursor = readonly [number | string, number]

function encodeCursor(value: number | string, id: number): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url')
}

function decodeCursor(cursor: string): Cursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (typeof parsed[0] === 'number' || typeof parsed[0] === 'string') &&
      typeof parsed[1] === 'number'
    ) {
      return [parsed[0], parsed[1]]
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('invalid-request', 'cursor is not one this server issued', {
    details: { issues: [{ path: 'cursor', message: 'is not a cursor this server issued' }] },
  })
}

async function unpricedModelsOf(
  store: Store,
  ids: readonly number[],
): Promise<Map<number, string[]>> {
  const map = new Map<number, string[]>()
  if (ids.length === 0) return map
  const rows = await store.db
    .selectFrom('usage')
    .select(['session_id', 'model'])
    .distinct()
    .where('session_id', 'in', ids)
    .where('price_status', '=', 'unpriced')
    .execute()
  for (const row of rows) {
    const list = map.get(row.session_id) ?? []
    list.push(row.model ?? 'unknown')
    map.set(row.session_id, list)
  }
  return map
}

export async function toSessions(store: Store, rows: readonly SessionRow[]): Promise<Session[]> {
  const withUnpriced = rows.filter((r) => r.unpriced_requests > 0).map((r) => r.id)
  const unpriced = await unpricedModelsOf(store, withUnpriced)
  return rows.map((r) => toSession(r, unpriced.get(r.id)))
}

/** `GET /api/sessions`: filtered, sorted, keyset-paginated. */
export async function listSessions(
  store: Store,
  userId: number,
  query: SessionListQuery,
): Promise<SessionListResponse> {
  const expr = SORT_EXPRESSIONS[query.sort]
  const desc = query.order === 'desc'
  let q = filterSessions(
    store.db.selectFrom('sessions').selectAll('sessions'),
    store,
    userId,
    query,
  )
  const total = await filterSessions(
    store.db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')),
    store,
    userId,
    query,
  ).executeTakeFirstOrThrow()
  if (query.cursor) {
    const [value, id] = decodeCursor(query.cursor)
    const op = desc ? sql`<` : sql`>`
    q = q.where(
      sql<boolean>`(${expr} ${op} ${value} OR (${expr} = ${value} AND sessions.id ${op} ${id}))`,
    )
  }
  const rows = await q
    .select(expr.as('sort_value'))
    .orderBy(expr, desc ? 'desc' : 'asc')
    .orderBy('sessions.id', desc ? 'desc' : 'asc')
    .limit(query.limit + 1)
    .execute()
  const page = rows.slice(0, query.limit)
  const last = page[page.length - 1]
  const nextCursor =
    rows.length > query.limit && last ? encodeCursor(last.sort_value, last.id) : null
  return { sessions: await toSessions(store, page), nextCursor, total: Number(total.n) }
}

/** Finds a session of the user by externalId, else by id. */
export async function findSessionRow(
  store: Store,
  userId: number,
  idOrExternalId: string,
): Promise<SessionRow | null> {
  const byExternal = await store.db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('external_id', '=', idOrExternalId)
    .executeTakeFirst()
  if (byExternal) return byExternal
  if (!/^\d{1,15}$/.test(idOrExternalId)) return null
  const byId = await store.db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('id', '=', Number(idOrExternalId))
    .executeTakeFirst()
  return byId ?? null
}

export async function requireSessionRow(
  store: Store,
  userId: number,
  idOrExternalId: string,
): Promise<SessionRow> {
  const row = await findSessionRow(store, userId, idOrExternalId)
  if (!row) throw new AppError('not-found', `No session "${idOrExternalId}" for this user`)
  return row
}

export async function getSession(store: Store, userId: number, idOrExternalId: string) {
  const row = await requireSessionRow(store, userId, idOrExternalId)
  const [session] = await toSessions(store, [row])
  return session as Session
}

async function withParts(store: Store, rows: readonly MessageRowWithUsage[]): Promise<Message[]> {
  const byMessage = new Map<number, Part[]>()
  const ids = rows.map((r) => r.id)
  for (let i = 0; i < ids.length; i += 500) {
    const parts = await store.db
      .selectFrom('parts')
      .select(['message_id', 'data'])
      .where('message_id', 'in', ids.slice(i, i + 500))
      .orderBy('message_id')
      .orderBy('position')
      .execute()
    for (const p of parts) {
      const list = byMessage.get(p.message_id) ?? []
      list.push(JSON.parse(p.data) as Part)
      byMessage.set(p.message_id, list)
    }
  }
  return rows.map((r) => toMessage(r, byMessage.get(r.id) ?? []))
}

/** Messages of a session in order, one page at a time (long sessions never load at once). */
export async function listMessages(
  store: Store,
  sessionId: number,
  cursor: string | undefined,
  limit: number,
): Promise<{ messages: Message[]; nextCursor: string | null }> {
  let q = selectMessageRows(store.db).where('m.session_id', '=', sessionId)
  if (cursor) {
    const [at, id] = decodeCursor(cursor)
    q = q.where(sql<boolean>`(m.created_at > ${at} OR (m.created_at = ${at} AND m.id > ${id}))`)
  }
  const rows = await q
    .orderBy('m.created_at')
    .orderBy('m.id')
    .limit(limit + 1)
    .execute()
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return {
    messages: await withParts(store, page),
    nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
  }
}

/** Messages by id, scoped to the user (search results). */
export async function messagesByIds(store: Store, userId: number, ids: readonly number[]) {
  if (ids.length === 0) return []
  const rows = await selectMessageRows(store.db)
    .where('m.user_id', '=', userId)
    .where('m.id', 'in', [...ids])
    .execute()
  return rows
}

export async function listExternalIds(store: Store, userId: number): Promise<string[]> {
  const rows = await store.db
    .selectFrom('sessions')
    .select('external_id')
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute()
  return rows.map((r) => r.external_id)
}

function randomSlug(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(9))).toString('base64url')
}

async function setTags(db: Kysely<Database>, row: SessionRow, tags: readonly string[]) {
  const unique = [...new Set(tags)]
  await db.deleteFrom('session_tags').where('session_id', '=', row.id).execute()
  if (unique.length > 0) {
    await db
      .insertInto('session_tags')
      .values(unique.map((tag) => ({ session_id: row.id, user_id: row.user_id, tag })))
      .execute()
  }
  await db
    .updateTable('sessions')
    .set({ eval_tags: JSON.stringify(unique) })
    .where('id', '=', row.id)
    .execute()
}

/** `PATCH /api/sessions/:id`. Label edits do not bump `updatedAt` (upstream polluted "recent"). */
export async function patchSession(
  store: Store,
  userId: number,
  idOrExternalId: string,
  patch: SessionPatch,
): Promise<Session> {
  const row = await requireSessionRow(store, userId, idOrExternalId)
  const now = Date.now()
  await store.db.transaction().execute(async (trx) => {
    const set: Record<string, unknown> = {}
    if (patch.title !== undefined) set.title = patch.title
    if (patch.isPublic !== undefined) {
      set.is_public = patch.isPublic ? 1 : 0
      if (patch.isPublic && !row.public_slug) set.public_slug = randomSlug()
    }
    if (patch.evalReady !== undefined) {
      set.eval_ready = patch.evalReady ? 1 : 0
      set.reviewed_at = patch.evalReady ? now : null
    }
    if (patch.evalStatus !== undefined) {
      set.eval_status = patch.evalStatus
      set.reviewed_at = now
    }
    if (patch.evalNotes !== undefined) set.eval_notes = patch.evalNotes
    if (patch.expectedOutput !== undefined) set.expected_output = patch.expectedOutput
    if (Object.keys(set).length > 0) {
      await trx.updateTable('sessions').set(set).where('id', '=', row.id).execute()
    }
    if (patch.title !== undefined) await store.indexSessionTitle(trx, row.id, patch.title)
    if (patch.evalTags !== undefined) await setTags(trx, row, patch.evalTags)
  })
  return getSession(store, userId, String(row.id))
}

/** Deletes sessions with everything below them, and takes them out of rollups and search. */
export async function deleteSessionRows(store: Store, userId: number, rows: readonly SessionRow[]) {
  if (rows.length === 0) return
  await store.db.transaction().execute(async (trx) => {
    const book = new DeltaBook()
    for (const row of rows) {
      const messages = await selectMessageUsage(trx).where('m.session_id', '=', row.id).execute()
      for (const m of messages) book.add(row.id, contributionOf(storedOf(m), row), -1, m.created_at)
      await store.unindexMessages(
        trx,
        messages.map((m) => m.id),
      )
    }
    book.sessions.clear()
    await applyDeltas(store, trx, userId, book, Date.now())
    const ids = rows.map((r) => r.id)
    await store.unindexSessions(trx, ids)
    await trx.deleteFrom('sessions').where('user_id', '=', userId).where('id', 'in', ids).execute()
  })
}

export async function deleteSession(store: Store, userId: number, idOrExternalId: string) {
  const row = await requireSessionRow(store, userId, idOrExternalId)
  await deleteSessionRows(store, userId, [row])
  return row
}

/** `POST /api/sessions/bulk`: per-id outcome; ids of other users count as not found. */
export async function bulkUpdate(
  store: Store,
  userId: number,
  action: BulkAction,
): Promise<{ updated: number; failed: { id: string; error: string }[] }> {
  const failed: { id: string; error: string }[] = []
  const rows: SessionRow[] = []
  for (const id of new Set(action.ids)) {
    const row = await findSessionRow(store, userId, id)
    if (row) rows.push(row)
    else failed.push({ id, error: 'not found' })
  }
  const value = action.value
  if (action.action === 'delete') {
    await deleteSessionRows(store, userId, rows)
    return { updated: rows.length, failed }
  }
  if (action.action === 'tag' || action.action === 'untag') {
    const tags = (Array.isArray(value) ? value : [value]).filter(
      (t): t is string => typeof t === 'string' && t.trim() !== '',
    )
    if (tags.length === 0) {
      throw new AppError('invalid-request', 'value must be a tag or a list of tags', {
        details: { issues: [{ path: 'value', message: 'must be a tag or a list of tags' }] },
      })
    }
    await store.db.transaction().execute(async (trx) => {
      for (const row of rows) {
        const current = JSON.parse(row.eval_tags) as string[]
        const next =
          action.action === 'tag'
            ? [...new Set([...current, ...tags.map((t) => t.trim())])]
            : current.filter((t) => !tags.includes(t))
        await setTags(trx, row, next)
      }
    })
    return { updated: rows.length, failed }
  }
  const patch: SessionPatch =
    action.action === 'evalReady'
      ? { evalReady: value === undefined ? true : value === true }
      : { evalStatus: value as SessionPatch['evalStatus'] }
  for (const row of rows) await patchSession(store, userId, String(row.id), patch)
  return { updated: rows.length, failed }
}
