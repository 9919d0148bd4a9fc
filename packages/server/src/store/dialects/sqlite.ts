import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { Kysely, type Migration, SqliteDialect, sql } from 'kysely'
import type {
  Dialect,
  IndexedMessage,
  MessagePage,
  MessageSearchParams,
  SearchParams,
  SearchPosition,
  SessionHit,
} from '../dialect.js'
import type { Database } from '../schema.js'

/** Path of a SQLite database from `file:…`, `sqlite:…` or `:memory:`. */
export function sqlitePath(url: string): string {
  if (url === ':memory:' || url === 'sqlite::memory:' || url === 'file::memory:') return ':memory:'
  return url.replace(/^(sqlite|file):(\/\/)?/, '')
}

const ftsMigrations: Record<string, Migration> = {
  '2026-11-21T1201-sqlite-fts': {
    async up(db) {
      // FTS5 keeps its own copy of the text so snippets work; rowid = messages.id / sessions.id.
      await sql`CREATE VIRTUAL TABLE messages_fts USING fts5(body, tools, tokenize = 'unicode61 remove_diacritics 2')`.execute(
        db,
      )
      await sql`CREATE VIRTUAL TABLE sessions_fts USING fts5(title, tokenize = 'unicode61 remove_diacritics 2')`.execute(
        db,
      )
    },
    async down(db) {
      await sql`DROP TABLE IF EXISTS messages_fts`.execute(db)
      await sql`DROP TABLE IF EXISTS sessions_fts`.execute(db)
    },
  },
}

const TERM = /[\p{L}\p{N}_]+\*?/gu

/**
 * Turns what a person typed into a safe FTS5 query: every word must appear, quoted so FTS5
 * syntax in the input is just text. A word ending in `*` matches as a prefix; other words match
 * whole (implicit prefixes of common words cost seconds on a large index).
 */
export function toFtsQuery(input: string): string {
  const terms = input.match(TERM) ?? []
  return terms
    .slice(0, 16)
    .map((t) => (t.endsWith('*') ? `"${t.slice(0, -1)}"*` : `"${t}"`))
    .join(' ')
}

const SNIPPET_TOKENS = 16
/** How many of the newest matches a search ranks (see rankedMessageIds). */
const CANDIDATES = 500
/** Queries matching at most this many messages are ranked by bm25; broader ones newest first. */
const RANKED_MATCHES = 500
/** Prose outranks tool output (SPEC §5.2). */
const BODY_WEIGHT = 1.0
const TOOLS_WEIGHT = 0.25

const STATEMENT_CACHE_LIMIT = 500

/**
 * Kysely prepares every query afresh; the same SQL text comes back constantly (ingest, reads),
 * so keep prepared statements by text. Safe: Kysely runs one query at a time on this connection.
 */
function cachingPrepare(raw: SqliteDatabase.Database): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>()
  const prepare = (source: string) => {
    let statement = cache.get(source)
    if (!statement) {
      if (cache.size >= STATEMENT_CACHE_LIMIT) cache.clear()
      statement = raw.prepare(source)
      cache.set(source, statement)
    }
    return statement
  }
  return new Proxy(raw, {
    get(target, property, receiver) {
      if (property === 'prepare') return prepare
      const value = Reflect.get(target, property, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

function toSqliteValue(value: unknown): unknown {
  if (value === undefined) return null
  if (typeof value === 'boolean') return value ? 1 : 0
  return value
}

export function createSqliteDialect(url: string): Dialect {
  const path = sqlitePath(url)
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const raw = new SqliteDatabase(path)
  raw.pragma('journal_mode = WAL')
  raw.pragma('foreign_keys = ON')
  raw.pragma('synchronous = NORMAL')
  raw.pragma('busy_timeout = 5000')
  raw.pragma('cache_size = -65536')
  raw.pragma('temp_store = MEMORY')
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingPrepare(raw) }) })
  // Statements of the hot ingest path, prepared once. They run on Kysely's single connection,
  // inside the transaction the caller holds.
  const statements = new Map<string, SqliteDatabase.Statement>()
  const prepared = (text: string): SqliteDatabase.Statement => {
    let statement = statements.get(text)
    if (!statement) {
      statement = raw.prepare(text)
      statements.set(text, statement)
    }
    return statement
  }

  /** bm25 ranking of every match of a selective query (its doclists are short, so it is cheap). */
  async function rankedMessageIds(
    match: string,
    userId: number,
    limit: number,
    offset: number,
  ): Promise<{ id: number; session_id: number; rank: number }[]> {
    const result = await sql<{ id: number; session_id: number; rank: number }>`
      SELECT m.id AS id, m.session_id AS session_id,
        bm25(messages_fts, ${BODY_WEIGHT}, ${TOOLS_WEIGHT}) AS rank
      FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
      WHERE messages_fts MATCH ${match} AND m.user_id = ${userId}
      ORDER BY rank, m.id DESC LIMIT ${limit} OFFSET ${offset}`.execute(db)
    return result.rows
  }

  /** Newest-first matches in one column set (FTS5 walks its index in rowid order and stops). */
  async function newestIds(
    match: string,
    userId: number,
    limit: number,
    offset: number,
  ): Promise<{ id: number; session_id: number }[]> {
    const result = await sql<{ id: number; session_id: number }>`
      SELECT m.id AS id, m.session_id AS session_id
      FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
      WHERE messages_fts MATCH ${match} AND m.user_id = ${userId}
      ORDER BY messages_fts.rowid DESC LIMIT ${limit} OFFSET ${offset}`.execute(db)
    return result.rows
  }

  /** True when the query matches more messages (of anyone) than bm25 can rank quickly. */
  async function isBroad(match: string): Promise<boolean> {
    const result = await sql<{ n: number }>`
      SELECT count(*) AS n FROM (
        SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${match}
        ORDER BY rowid DESC LIMIT ${RANKED_MATCHES + 1})`.execute(db)
    return (result.rows[0]?.n ?? 0) > RANKED_MATCHES
  }

  /**
   * Snippets of a page of hits: one `rowid = ?` lookup each (FTS5 walks every match for IN).
   * The CAST matters: a JS number binds as REAL, and FTS5 then ignores the rowid under MATCH.
   */
  async function snippets(match: string, ids: readonly number[]) {
    const cut = new Map<number, { snippet: string; matchedIn: 'text' | 'tool' }>()
    const statement = prepared(
      `SELECT snippet(messages_fts, 0, '[[', ']]', '…', ${SNIPPET_TOKENS}) AS body_snippet,
        snippet(messages_fts, 1, '[[', ']]', '…', ${SNIPPET_TOKENS}) AS tools_snippet
      FROM messages_fts WHERE messages_fts MATCH ? AND rowid = CAST(? AS INTEGER)`,
    )
    for (const id of ids) {
      const row = statement.get(match, id) as
        | { body_snippet: string; tools_snippet: string }
        | undefined
      if (!row) continue
      const inBody = row.body_snippet.includes('[[')
      cut.set(id, {
        snippet: inBody ? row.body_snippet : row.tools_snippet,
        matchedIn: inBody ? 'text' : 'tool',
      })
    }
    return cut
  }

  async function withSnippets(
    match: string,
    ids: readonly { id: number }[],
    score: (i: number) => number,
  ) {
    const cut = await snippets(
      match,
      ids.map((r) => r.id),
    )
    return ids.map((r, i) => ({
      messageId: r.id,
      score: score(i),
      snippet: cut.get(r.id)?.snippet ?? '',
      matchedIn: cut.get(r.id)?.matchedIn ?? ('text' as const),
    }))
  }

  async function searchMessages(p: MessageSearchParams): Promise<MessagePage> {
    const match = toFtsQuery(p.query)
    if (match === '') return { hits: [], next: null, order: 'relevance' }
    const position = p.position ?? { phase: (await isBroad(match)) ? 'prose' : 'ranked', offset: 0 }
    if (position.phase === 'ranked') {
      const rows = await rankedMessageIds(match, p.userId, p.limit + 1, position.offset)
      const page = rows.slice(0, p.limit)
      return {
        hits: await withSnippets(match, page, (i) => -(page[i]?.rank ?? 0)),
        next: rows.length > p.limit ? { phase: 'ranked', offset: position.offset + p.limit } : null,
        order: 'relevance',
      }
    }
    // Broad query: newest prose matches, then newest matches in tool calls and output only.
    const hits: { id: number }[] = []
    let phase = position.phase
    let offset = position.offset
    let next: SearchPosition | null = null
    while (hits.length < p.limit) {
      const columnMatch =
        phase === 'prose' ? `body : (${match})` : `tools : (${match}) NOT body : (${match})`
      const want = p.limit - hits.length
      const rows = await newestIds(columnMatch, p.userId, want + 1, offset)
      hits.push(...rows.slice(0, want))
      if (rows.length > want) {
        next = { phase, offset: offset + want }
        break
      }
      if (phase === 'tools') break
      phase = 'tools'
      offset = 0
    }
    const first = (position.phase === 'tools' ? 1 : 0) + position.offset
    return {
      hits: await withSnippets(match, hits, (i) => 1 / (1 + first + i)),
      next,
      order: 'recent',
    }
  }

  async function searchSessions(p: SearchParams): Promise<SessionHit[]> {
    const match = toFtsQuery(p.query)
    if (match === '') return []
    // Best candidate message per session, and title hits (weighted up), merged by session.
    const titles = await sql<{ session_id: number; rank: number; snippet: string }>`
      SELECT s.id AS session_id, bm25(sessions_fts) * 2 AS rank,
        snippet(sessions_fts, 0, '[[', ']]', '…', ${SNIPPET_TOKENS}) AS snippet
      FROM sessions_fts JOIN sessions s ON s.id = sessions_fts.rowid
      WHERE sessions_fts MATCH ${match} AND s.user_id = ${p.userId}
      ORDER BY sessions_fts.rowid DESC LIMIT ${CANDIDATES}`.execute(db)
    const messages = (await isBroad(match))
      ? (await newestIds(match, p.userId, CANDIDATES, 0)).map((m, i) => ({
          ...m,
          rank: i - CANDIDATES,
        }))
      : await rankedMessageIds(match, p.userId, CANDIDATES, 0)
    const best = new Map<
      number,
      { rank: number; messageId: number | null; snippet: string | null }
    >()
    for (const t of titles.rows)
      best.set(t.session_id, { rank: t.rank, messageId: null, snippet: t.snippet })
    for (const m of messages) {
      const seen = best.get(m.session_id)
      if (!seen || m.rank < seen.rank)
        best.set(m.session_id, { rank: m.rank, messageId: m.id, snippet: null })
    }
    const page = [...best]
      .sort((a, b) => a[1].rank - b[1].rank || b[0] - a[0])
      .slice(p.offset, p.offset + p.limit)
    const cut = await snippets(
      match,
      page.map(([, h]) => h.messageId).filter((id): id is number => id !== null),
    )
    return page.map(([sessionId, h]) => ({
      sessionId,
      messageId: h.messageId,
      score: -h.rank,
      snippet: h.snippet ?? cut.get(h.messageId as number)?.snippet ?? '',
      matchedIn: h.messageId === null ? 'title' : (cut.get(h.messageId)?.matchedIn ?? 'text'),
    }))
  }

  return {
    name: 'sqlite',
    db,
    migrations: ftsMigrations,
    async insertRows(_trx, table, rows, returnIds = false) {
      const first = rows[0]
      if (!first) return []
      const columns = Object.keys(first)
      const statement = prepared(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      )
      const ids: number[] = []
      for (const row of rows) {
        const result = statement.run(...columns.map((c) => toSqliteValue(row[c])))
        if (returnIds) ids.push(Number(result.lastInsertRowid))
      }
      return ids
    },
    async indexMessages(_trx, rows: readonly IndexedMessage[], fresh = false) {
      if (rows.length === 0) return
      const remove = prepared('DELETE FROM messages_fts WHERE rowid = ?')
      const insert = prepared('INSERT INTO messages_fts (rowid, body, tools) VALUES (?, ?, ?)')
      for (const r of rows) {
        if (!fresh) remove.run(r.id)
        insert.run(r.id, r.body, r.tools)
      }
    },
    async unindexMessages(trx, ids) {
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500)
        await sql`DELETE FROM messages_fts WHERE rowid IN (${sql.join(chunk)})`.execute(trx)
      }
    },
    async indexSessionTitle(trx, id, title) {
      await sql`DELETE FROM sessions_fts WHERE rowid = ${id}`.execute(trx)
      if (title)
        await sql`INSERT INTO sessions_fts (rowid, title) VALUES (${id}, ${title})`.execute(trx)
    },
    async unindexSessions(trx, ids) {
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500)
        await sql`DELETE FROM sessions_fts WHERE rowid IN (${sql.join(chunk)})`.execute(trx)
      }
    },
    searchMessages,
    searchSessions,
    sessionsMatching(userId, query) {
      const match = toFtsQuery(query)
      return sql<boolean>`(sessions.id IN (
        SELECT m.session_id FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
        WHERE messages_fts MATCH ${match} AND m.user_id = ${userId}
        UNION SELECT rowid FROM sessions_fts WHERE sessions_fts MATCH ${match}))`
    },
    hasSearchTerms(query) {
      return toFtsQuery(query) !== ''
    },
    least: (a, b) => sql<number>`min(${a}, ${b})`,
    greatest: (a, b) => sql<number>`max(${a}, ${b})`,
    async close() {
      await db.destroy()
    },
  }
}
