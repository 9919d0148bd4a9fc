import { PRICE_TABLE_VERSION, priceRequest } from '@opensync/core'
import {
  normalizeSource,
  type Part,
  type ServerEvent,
  type SessionSync,
  type Tokens,
} from '@opensync/core/wire'
import type { Kysely, Selectable } from 'kysely'
import {
  type Contribution,
  contributionOf,
  DeltaBook,
  effectiveModel,
  type SessionDims,
  type StoredMessage,
  type StoredUsage,
} from './contributions.js'
import type { Store } from './db.js'
import { type MessageRecord, searchTextOf, toMicros } from './message-record.js'
import { type MessageUsageRow, selectMessageUsage, storedOf } from './message-rows.js'
import { applyDeltas } from './rollups.js'
import type { Database, SessionsTable } from './schema.js'

type SessionRow = Selectable<SessionsTable>
type Trx = Kysely<Database>

export type IngestInput = {
  readonly sessions: readonly SessionSync[]
  readonly messages: readonly MessageRecord[]
}

export type IngestOutcome = {
  /** Session externalId → id, for every session the input named. */
  readonly sessionIds: ReadonlyMap<string, number>
  /** `messageKey()` → id, for every message of the input. */
  readonly messageIds: ReadonlyMap<string, number>
  readonly events: readonly ServerEvent[]
}

const CHUNK = 400
/** Above this many changed messages a batch publishes session events only. */
const MESSAGE_EVENT_LIMIT = 1000

export function messageKey(sessionExternalId: string, externalId: string): string {
  return `${sessionExternalId}\u0000${externalId}`
}

/**
 * Upserts sessions and messages of one user in one transaction. Idempotent: a replayed item
 * whose content is unchanged writes nothing. Session totals and hourly rollups move by deltas.
 */
export function ingest(
  store: Store,
  userId: number,
  input: IngestInput,
  now = Date.now(),
): Promise<IngestOutcome> {
  return store.db.transaction().execute(async (trx) => {
    const book = new DeltaBook()
    const events: ServerEvent[] = []
    const touched = new Set<number>()
    const sessions = await loadSessions(trx, userId, [
      ...input.sessions.map((s) => s.externalId),
      ...input.messages.map((m) => m.sessionExternalId),
    ])

    for (const s of input.sessions) {
      const existing = sessions.get(s.externalId)
      if (!existing) {
        const row = await insertSession(store, trx, userId, sessionValues(s), s.externalId, now)
        sessions.set(s.externalId, row)
        touched.add(row.id)
        continue
      }
      const patch = sessionPatch(existing, s)
      if (Object.keys(patch).length === 0) continue
      const updated: SessionRow = { ...existing, ...patch, updated_at: now }
      await trx
        .updateTable('sessions')
        .set({ ...patch, updated_at: now })
        .where('id', '=', existing.id)
        .execute()
      if (patch.title !== undefined) await store.indexSessionTitle(trx, existing.id, updated.title)
      if (dimsChanged(existing, updated)) await reaccount(trx, existing, updated, book)
      sessions.set(s.externalId, updated)
      touched.add(existing.id)
    }

    const records = new Map<string, MessageRecord>()
    for (const m of input.messages) records.set(messageKey(m.sessionExternalId, m.externalId), m)
    for (const m of records.values()) {
      if (sessions.has(m.sessionExternalId)) continue
      // A message before its session: create it; a later session sync fills it in.
      const values = {
        source: normalizeSource(m.source),
        model: m.model,
        provider: m.provider,
        created_at: m.createdAt ?? now,
      }
      const row = await insertSession(store, trx, userId, values, m.sessionExternalId, now)
      sessions.set(m.sessionExternalId, row)
      touched.add(row.id)
    }

    const existing = await loadMessages(trx, sessions, [...records.values()])
    const messageIds = new Map<string, number>()
    const inserts: PendingMessage[] = []
    const updates: PendingMessage[] = []
    for (const [key, m] of records) {
      const session = sessions.get(m.sessionExternalId) as SessionRow
      const old = existing.get(key)
      if (old) messageIds.set(key, old.id)
      if (old && old.content_hash === m.hash) continue
      const createdAt = m.createdAt ?? old?.created_at ?? now
      const usage = m.usage ? priceUsage(m, session, m.usage, createdAt) : null
      const pending: PendingMessage = { key, record: m, session, createdAt, usage, oldId: old?.id }
      if (old) {
        book.add(session.id, contributionOf(storedOf(old), session), -1, old.created_at)
        updates.push(pending)
      } else {
        inserts.push(pending)
      }
      const stored: StoredMessage = { createdAt, model: m.model, provider: m.provider, usage }
      book.add(session.id, contributionOf(stored, session), 1, createdAt)
      touched.add(session.id)
    }

    await insertMessages(store, trx, userId, inserts, messageIds, now)
    await updateMessages(trx, updates, now)
    const written = [...inserts, ...updates]
    await writeParts(store, trx, written, messageIds)
    await writeUsage(store, trx, userId, written, messageIds)
    const searchRow = (p: PendingMessage) => ({
      id: messageIds.get(p.key) as number,
      ...searchTextOf(p.record.text, p.record.parts),
    })
    await store.indexMessages(trx, inserts.map(searchRow), true)
    await store.indexMessages(trx, updates.map(searchRow))
    await applyDeltas(store, trx, userId, book, now)

    const sessionIds = new Map([...sessions].map(([ext, row]) => [ext, row.id]))
    if (written.length <= MESSAGE_EVENT_LIMIT) {
      for (const p of written) {
        events.push({
          type: p.oldId === undefined ? 'message.created' : 'message.updated',
          at: now,
          sessionId: String(p.session.id),
          messageId: String(messageIds.get(p.key)),
          externalId: p.record.externalId,
        })
      }
    }
    for (const row of sessions.values()) {
      if (!touched.has(row.id)) continue
      events.push({
        type: 'session.updated',
        at: now,
        sessionId: String(row.id),
        externalId: row.external_id,
      })
    }
    return { sessionIds, messageIds, events }
  })
}

type PendingMessage = {
  readonly key: string
  readonly record: MessageRecord
  readonly session: SessionRow
  readonly createdAt: number
  readonly usage: PricedUsage | null
  readonly oldId: number | undefined
}

type PricedUsage = StoredUsage & { readonly pricedModel: string | null }

function priceUsage(
  message: { readonly model: string | null; readonly provider: string | null },
  session: SessionDims,
  tokens: Tokens,
  createdAt: number,
): PricedUsage {
  const { model, provider } = effectiveModel(message, session)
  const result = priceRequest({ model, provider, usage: tokens, timestamp: new Date(createdAt) })
  return {
    model,
    provider: result.status === 'priced' ? result.matchedProvider : provider,
    tokens,
    costMicros:
      result.status === 'priced' ? result.costMicros : result.status === 'no-usage' ? 0 : null,
    priceStatus: result.status,
    pricedModel: result.status === 'priced' ? result.matchedModel : null,
  }
}

type ExistingMessage = MessageUsageRow & { external_id: string; content_hash: string }

async function loadSessions(
  trx: Trx,
  userId: number,
  externalIds: readonly string[],
): Promise<Map<string, SessionRow>> {
  const unique = [...new Set(externalIds)]
  const map = new Map<string, SessionRow>()
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await trx
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .where('external_id', 'in', unique.slice(i, i + CHUNK))
      .execute()
    for (const row of rows) map.set(row.external_id, row)
  }
  return map
}

async function loadMessages(
  trx: Trx,
  sessions: ReadonlyMap<string, SessionRow>,
  records: readonly MessageRecord[],
): Promise<Map<string, ExistingMessage>> {
  const bySession = new Map<string, string[]>()
  for (const r of records) {
    const list = bySession.get(r.sessionExternalId) ?? []
    list.push(r.externalId)
    bySession.set(r.sessionExternalId, list)
  }
  const map = new Map<string, ExistingMessage>()
  for (const [sessionExternalId, ids] of bySession) {
    const session = sessions.get(sessionExternalId) as SessionRow
    if (session.message_count === 0) continue
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await selectMessageUsage(trx)
        .where('m.session_id', '=', session.id)
        .where('m.external_id', 'in', ids.slice(i, i + CHUNK))
        .execute()
      for (const row of rows) map.set(messageKey(sessionExternalId, row.external_id), row)
    }
  }
  return map
}

type SessionValues = Partial<Omit<SessionRow, 'id' | 'user_id' | 'external_id'>>

async function insertSession(
  store: Store,
  trx: Trx,
  userId: number,
  values: SessionValues,
  externalId: string,
  now: number,
): Promise<SessionRow> {
  const row = await trx
    .insertInto('sessions')
    .values({
      ...values,
      user_id: userId,
      external_id: externalId,
      created_at: values.created_at ?? values.started_at ?? now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  if (row.title) await store.indexSessionTitle(trx, row.id, row.title)
  return row
}

function nonEmpty(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined
  return value.trim() === '' ? undefined : value
}

/** The columns a session sync sets; absent and null fields are left as they are. */
function sessionValues(s: SessionSync): SessionValues {
  const values: SessionValues = {
    source: normalizeSource(s.source) ?? undefined,
    title: nonEmpty(s.title),
    project_path: nonEmpty(s.projectPath),
    project_name: nonEmpty(s.projectName),
    cwd: nonEmpty(s.cwd),
    git_branch: nonEmpty(s.gitBranch),
    model: nonEmpty(s.model),
    provider: nonEmpty(s.provider),
    agent_version: nonEmpty(s.agentVersion),
    machine: nonEmpty(s.machine),
    parent_external_id: nonEmpty(s.parentExternalId),
    started_at: s.startedAt ?? undefined,
    ended_at: s.endedAt ?? undefined,
    duration_ms: s.durationMs ?? undefined,
    created_at: s.createdAt ?? undefined,
    // Reported totals only move on non-zero values (upstream's rule): plugins send 0 when they
    // could not read the transcript, or price a model they don't know.
    reported_prompt_tokens: s.promptTokens || undefined,
    reported_completion_tokens: s.completionTokens || undefined,
    reported_cost_micros: s.cost ? toMicros(s.cost) : undefined,
  }
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined))
}

function sessionPatch(existing: SessionRow, s: SessionSync): SessionValues {
  const patch: Record<string, unknown> = {}
  for (const [column, value] of Object.entries(sessionValues(s))) {
    if (existing[column as keyof SessionRow] !== value) patch[column] = value
  }
  return patch as SessionValues
}

function dimsChanged(a: SessionDims, b: SessionDims): boolean {
  return (
    a.source !== b.source ||
    a.project_name !== b.project_name ||
    a.project_path !== b.project_path ||
    a.model !== b.model ||
    a.provider !== b.provider
  )
}

/**
 * A session's source, project or model changed: move its messages' rollup contributions to the
 * new dimensions, re-pricing requests that inherit the session's model.
 */
async function reaccount(trx: Trx, before: SessionRow, after: SessionRow, book: DeltaBook) {
  if (before.message_count === 0) return
  const rows = await selectMessageUsage(trx).where('m.session_id', '=', before.id).execute()
  for (const row of rows) {
    const old = storedOf(row)
    let usage = old.usage
    if (
      usage &&
      row.model === null &&
      (before.model !== after.model || before.provider !== after.provider)
    ) {
      const priced = priceUsage(row, after, usage.tokens, row.created_at)
      await trx
        .updateTable('usage')
        .set({
          model: priced.model,
          provider: priced.provider,
          cost_micros: priced.costMicros,
          price_status: priced.priceStatus,
          priced_model: priced.pricedModel,
          price_version: PRICE_TABLE_VERSION,
        })
        .where('message_id', '=', row.id)
        .execute()
      usage = priced
    }
    const moved: Contribution = contributionOf({ ...old, usage }, after)
    book.add(before.id, contributionOf(old, before), -1, row.created_at)
    book.add(before.id, moved, 1, row.created_at)
  }
}

async function insertMessages(
  store: Store,
  trx: Trx,
  userId: number,
  inserts: readonly PendingMessage[],
  ids: Map<string, number>,
  now: number,
): Promise<void> {
  const rows = inserts.map((p) => ({
    user_id: userId,
    session_id: p.session.id,
    external_id: p.record.externalId,
    ...messageColumns(p, now),
  }))
  const newIds = await store.insertRows(trx, 'messages', rows, true)
  for (const [i, p] of inserts.entries()) ids.set(p.key, newIds[i] as number)
}

/** The columns a message write sets, on insert and on update alike. */
function messageColumns(p: PendingMessage, now: number) {
  return {
    role: p.record.role,
    text_content: p.record.text,
    model: p.record.model,
    provider: p.record.provider,
    created_at: p.createdAt,
    duration_ms: p.record.durationMs,
    reported_cost_micros: p.record.reportedCostMicros,
    content_hash: p.record.hash,
    updated_at: now,
  }
}

async function updateMessages(trx: Trx, updates: readonly PendingMessage[], now: number) {
  for (const p of updates) {
    const id = p.oldId as number
    await trx.updateTable('messages').set(messageColumns(p, now)).where('id', '=', id).execute()
    await trx.deleteFrom('parts').where('message_id', '=', id).execute()
    await trx.deleteFrom('usage').where('message_id', '=', id).execute()
  }
}

function partRows(messageId: number, parts: readonly Part[]) {
  return parts.map((part, position) => ({
    message_id: messageId,
    position,
    type: part.type,
    data: JSON.stringify(part),
  }))
}

async function writeParts(
  store: Store,
  trx: Trx,
  written: readonly PendingMessage[],
  ids: ReadonlyMap<string, number>,
): Promise<void> {
  const rows = written.flatMap((p) => partRows(ids.get(p.key) as number, p.record.parts))
  await store.insertRows(trx, 'parts', rows)
}

async function writeUsage(
  store: Store,
  trx: Trx,
  userId: number,
  written: readonly PendingMessage[],
  ids: ReadonlyMap<string, number>,
): Promise<void> {
  const rows = written
    .filter((p) => p.usage !== null)
    .map((p) => {
      const u = p.usage as PricedUsage
      return {
        message_id: ids.get(p.key) as number,
        user_id: userId,
        session_id: p.session.id,
        model: u.model,
        provider: u.provider,
        input_tokens: u.tokens.input,
        output_tokens: u.tokens.output,
        cache_read_tokens: u.tokens.cacheRead,
        cache_write_5m_tokens: u.tokens.cacheWrite5m,
        cache_write_1h_tokens: u.tokens.cacheWrite1h,
        reasoning_tokens: u.tokens.reasoning,
        cost_micros: u.costMicros,
        price_status: u.priceStatus,
        priced_model: u.pricedModel,
        price_version: PRICE_TABLE_VERSION,
      }
    })
  await store.insertRows(trx, 'usage', rows)
}
