import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { Kysely, type Migration, SqliteDialect, sql } from 'kysely'
import type { Dialect, IndexedMessage, MessageHit, SearchParams, SessionHit } from '../dialect.js'
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

const WORD = /[\p{L}\p{N}_]+/gu

/**
 * Turns what a person typed into a safe FTS5 query: every word must appear (quoted, so FTS5
 * syntax in the input is just text), the last one as a prefix.
 */
export function toFtsQuery(input: string): string {
  const words = input.match(WORD) ?? []
  return words
    .slice(0, 16)
    .map((w, i, all) => `"${w}"${i === all.length - 1 ? '*' : ''}`)
    .join(' ')
}

const SNIPPET_TOKENS = 16
/** Prose outranks tool output (SPEC §5.2). */
const BODY_WEIGHT = 1.0
const TOOLS_WEIGHT = 0.25

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
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) })

  async function searchMessages(p: SearchParams): Promise<MessageHit[]> {
    const match = toFtsQuery(p.query)
    if (match === '') return []
    const result = await sql<{
      id: number
      rank: number
      body_snippet: string
      tools_snippet: string
    }>`
      SELECT m.id AS id,
        bm25(messages_fts, ${BODY_WEIGHT}, ${TOOLS_WEIGHT}) AS rank,
        snippet(messages_fts, 0, '[[', ']]', '…', ${SNIPPET_TOKENS}) AS body_snippet,
        snippet(messages_fts, 1, '[[', ']]', '…', ${SNIPPET_TOKENS}) AS tools_snippet
      FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
      WHERE messages_fts MATCH ${match} AND m.user_id = ${p.userId}
      ORDER BY rank LIMIT ${p.limit} OFFSET ${p.offset}`.execute(db)
    return result.rows.map((r) => {
      const inBody = r.body_snippet.includes('[[')
      return {
        messageId: r.id,
        score: -r.rank,
        snippet: inBody ? r.body_snippet : r.tools_snippet,
        matchedIn: inBody ? 'text' : 'tool',
      }
    })
  }

  async function searchSessions(p: SearchParams): Promise<SessionHit[]> {
    const match = toFtsQuery(p.query)
    if (match === '') return []
    // Best message hit per session, and title hits (weighted up), merged by session.
    const result = await sql<{
      session_id: number
      message_id: number | null
      rank: number
      snippet: string
      matched: string
    }>`
      WITH message_hits AS (
        SELECT m.session_id AS session_id, m.id AS message_id,
          bm25(messages_fts, ${BODY_WEIGHT}, ${TOOLS_WEIGHT}) AS rank,
          snippet(messages_fts, 0, '[[', ']]', '…', ${SNIPPET_TOKENS}) AS body_snippet,
          snippet(messages_fts, 1, '[[', ']]', '…', ${SNIPPET_TOKENS}) AS tools_snippet
        FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
        WHERE messages_fts MATCH ${match} AND m.user_id = ${p.userId}
        ORDER BY rank LIMIT 2000
      ),
      title_hits AS (
        SELECT s.id AS session_id, NULL AS message_id, bm25(sessions_fts) * 2 AS rank,
          snippet(sessions_fts, 0, '[[', ']]', '…', ${SNIPPET_TOKENS}) AS snippet,
          'title' AS matched
        FROM sessions_fts JOIN sessions s ON s.id = sessions_fts.rowid
        WHERE sessions_fts MATCH ${match} AND s.user_id = ${p.userId}
      ),
      all_hits AS (
        SELECT session_id, message_id, rank,
          CASE WHEN instr(body_snippet, '[[') > 0 THEN body_snippet ELSE tools_snippet END AS snippet,
          CASE WHEN instr(body_snippet, '[[') > 0 THEN 'text' ELSE 'tool' END AS matched
        FROM message_hits
        UNION ALL SELECT session_id, message_id, rank, snippet, matched FROM title_hits
      )
      SELECT session_id, message_id, min(rank) AS rank, snippet, matched
      FROM all_hits GROUP BY session_id
      ORDER BY rank LIMIT ${p.limit} OFFSET ${p.offset}`.execute(db)
    return result.rows.map((r) => ({
      sessionId: r.session_id,
      messageId: r.message_id,
      score: -r.rank,
      snippet: r.snippet,
      matchedIn: r.matched === 'title' ? 'title' : r.matched === 'tool' ? 'tool' : 'text',
    }))
  }

  return {
    name: 'sqlite',
    db,
    migrations: ftsMigrations,
    async indexMessages(trx, rows: readonly IndexedMessage[]) {
      if (rows.length === 0) return
      const ids = rows.map((r) => r.id)
      await sql`DELETE FROM messages_fts WHERE rowid IN (${sql.join(ids)})`.execute(trx)
      for (let i = 0; i < rows.length; i += 300) {
        const chunk = rows.slice(i, i + 300)
        await sql`INSERT INTO messages_fts (rowid, body, tools) VALUES ${sql.join(
          chunk.map((r) => sql`(${r.id}, ${r.body}, ${r.tools})`),
        )}`.execute(trx)
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
