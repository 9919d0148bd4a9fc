// SPEC §10: `/sync/batch` ingest over HTTP vs raw better-sqlite3 inserts of the same rows.
import { createRequire } from 'node:module'
import { join } from 'node:path'
import {
  client,
  fmtInt,
  printTable,
  progress,
  round,
  scale,
  spawnServer,
  tempDir,
} from './common.js'
import { messageItem, rng, sourceAndModel, vocabulary } from './corpus.js'

const require = createRequire(new URL('../packages/server/package.json', import.meta.url))
/** @type {typeof import('better-sqlite3')} */
const Database = require('better-sqlite3')

const BATCH_MESSAGES = 1000
const SESSIONS = 50
const DAY_MS = 86_400_000

/**
 * The batches of the run: each holds 20 messages of each of the 50 sessions (a client syncing
 * many live sessions), plus the 50 session items (re-sent each time, as plugins do).
 * @param {number} total messages
 */
export function ingestBatches(total) {
  const v = vocabulary(5000, 20_000)
  const random = rng(42)
  const perSession = BATCH_MESSAGES / SESSIONS
  const start = Date.now() - 30 * DAY_MS
  const sessions = Array.from({ length: SESSIONS }, (_, i) => {
    const { source, model } = sourceAndModel(random)
    return {
      externalId: `bench-ingest-${i}`,
      source,
      title: `Session ${i}: refactor the ${v.words[50 + i]} module`,
      projectName: `project-${i % 10}`,
      model,
      createdAt: start + i * 60_000,
    }
  })
  /** @type {{ sessions: typeof sessions, messages: ReturnType<typeof messageItem>[] }[]} */
  const batches = []
  const count = Math.max(1, Math.round(total / BATCH_MESSAGES))
  for (let b = 0; b < count; b++) {
    const messages = []
    for (const s of sessions) {
      for (let j = 0; j < perSession; j++) {
        const index = b * perSession + j
        messages.push(
          messageItem({
            v,
            random,
            sessionExternalId: s.externalId,
            index,
            createdAt: s.createdAt + index * 30_000,
            model: s.model,
          }),
        )
      }
    }
    batches.push({ sessions, messages })
  }
  return batches
}

/**
 * Tables equivalent to the product's sessions, messages and parts (same keys and indexes);
 * with `indexes`, also an FTS5 table and a usage table like the product's.
 * @param {import('better-sqlite3').Database} db
 * @param {boolean} indexes
 */
function createRawSchema(db, indexes) {
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma('cache_size = -65536')
  db.exec(`
    CREATE TABLE sessions (
      id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, external_id TEXT NOT NULL,
      source TEXT, title TEXT, project_name TEXT, model TEXT, message_count INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, UNIQUE (user_id, external_id));
    CREATE TABLE messages (
      id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL,
      session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
      external_id TEXT NOT NULL, role TEXT NOT NULL, text_content TEXT NOT NULL, model TEXT,
      created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, UNIQUE (session_id, external_id));
    CREATE INDEX messages_session_created ON messages (session_id, created_at, id);
    CREATE TABLE parts (
      message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
      position INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL,
      PRIMARY KEY (message_id, position));
  `)
  if (indexes) {
    db.exec(`
      CREATE TABLE usage (
        message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
        session_id INTEGER NOT NULL, model TEXT, input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL, cache_read_tokens INTEGER NOT NULL,
        cache_write_5m_tokens INTEGER NOT NULL, reasoning_tokens INTEGER NOT NULL);
      CREATE INDEX usage_session ON usage (session_id);
      CREATE VIRTUAL TABLE messages_fts USING fts5(body, tools, tokenize = 'unicode61 remove_diacritics 2');
    `)
  }
}

/**
 * Inserts the batches with prepared statements, one transaction per batch.
 * @param {string} file
 * @param {ReturnType<typeof ingestBatches>} batches
 * @param {boolean} indexes also fill FTS5 and usage
 */
function rawInsert(file, batches, indexes) {
  const db = new Database(file)
  createRawSchema(db, indexes)
  const upsertSession = db.prepare(
    `INSERT INTO sessions (user_id, external_id, source, title, project_name, model, created_at, updated_at)
     VALUES (1, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (user_id, external_id) DO UPDATE SET title = excluded.title, updated_at = excluded.updated_at
     RETURNING id`,
  )
  const insertMessage = db.prepare(
    `INSERT INTO messages (user_id, session_id, external_id, role, text_content, model, created_at, updated_at)
     VALUES (1, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const insertPart = db.prepare(
    'INSERT INTO parts (message_id, position, type, data) VALUES (?, ?, ?, ?)',
  )
  const insertUsage = indexes
    ? db.prepare(
        `INSERT INTO usage (message_id, session_id, model, input_tokens, output_tokens, cache_read_tokens, cache_write_5m_tokens, reasoning_tokens)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
    : null
  const insertFts = indexes
    ? db.prepare('INSERT INTO messages_fts (rowid, body, tools) VALUES (?, ?, ?)')
    : null
  const countMessages = db.prepare(
    'UPDATE sessions SET message_count = message_count + ?, updated_at = ? WHERE id = ?',
  )
  const write = db.transaction((/** @type {(typeof batches)[number]} */ batch) => {
    const now = Date.now()
    /** @type {Map<string, number>} */
    const ids = new Map()
    for (const s of batch.sessions) {
      const row = /** @type {{ id: number }} */ (
        upsertSession.get(s.externalId, s.source, s.title, s.projectName, s.model, s.createdAt, now)
      )
      ids.set(s.externalId, row.id)
    }
    /** @type {Map<number, number>} */
    const counts = new Map()
    for (const m of batch.messages) {
      const sessionId = /** @type {number} */ (ids.get(m.sessionExternalId))
      const { lastInsertRowid } = insertMessage.run(
        sessionId,
        m.externalId,
        m.role,
        m.textContent,
        m.model ?? null,
        m.createdAt,
        now,
      )
      counts.set(sessionId, (counts.get(sessionId) ?? 0) + 1)
      const tools = []
      for (let i = 0; i < m.parts.length; i++) {
        const part = m.parts[i]
        insertPart.run(lastInsertRowid, i, part.type, JSON.stringify(part))
        if (part.type !== 'text') tools.push(JSON.stringify(part.content))
      }
      if (insertFts) insertFts.run(lastInsertRowid, m.textContent, tools.join('\n'))
      if (insertUsage && m.usage) {
        const u = m.usage
        insertUsage.run(
          lastInsertRowid,
          sessionId,
          m.model ?? null,
          u.input,
          u.output,
          u.cacheRead,
          u.cacheWrite5m,
          u.reasoning,
        )
      }
    }
    for (const [id, n] of counts) countMessages.run(n, now, id)
  })
  const t0 = performance.now()
  for (const batch of batches) write(batch)
  const ms = performance.now() - t0
  const rows = /** @type {{ n: number }} */ (db.prepare('SELECT count(*) AS n FROM messages').get())
  db.close()
  return { ms, messages: rows.n }
}

/**
 * POSTs the batches to a real server over loopback HTTP, one at a time.
 * @param {string} dataDir
 * @param {readonly string[]} bodies
 */
async function httpInsert(dataDir, bodies) {
  const server = await spawnServer(dataDir)
  let closed = false
  try {
    const http = client(server.url, server.key)
    let messages = 0
    const t0 = performance.now()
    for (const body of bodies) {
      const res = await http.post('/sync/batch', body)
      if (res.status !== 200 || !res.body.ok) {
        throw new Error(
          `/sync/batch failed: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`,
        )
      }
      messages += res.body.messages
    }
    const ms = performance.now() - t0
    const stored = await http.get('/api/stats')
    closed = true
    const usage = await server.close()
    return { ms, messages, stored: stored.body.messageCount, server: usage }
  } finally {
    if (!closed) await server.close()
  }
}

/** Runs the ingest benchmark and returns its figures. */
export async function runIngest() {
  const total = scale(200_000)
  progress(`ingest: generating ${fmtInt(total)} messages in batches of ${BATCH_MESSAGES}`)
  const batches = ingestBatches(total)
  const bodies = batches.map((b) => JSON.stringify(b))
  const bytes = bodies.reduce((s, b) => s + Buffer.byteLength(b), 0)
  const messages = batches.reduce((s, b) => s + b.messages.length, 0)
  const tmp = tempDir('ingest')
  try {
    progress('ingest: raw better-sqlite3 (sessions, messages, parts)')
    const raw = rawInsert(join(tmp.dir, 'raw.db'), batches, false)
    progress('ingest: POST /sync/batch over HTTP')
    const http = await httpInsert(join(tmp.dir, 'server'), bodies)
    progress('ingest: raw better-sqlite3 + FTS5 + usage (informational)')
    const rawIndexed = rawInsert(join(tmp.dir, 'raw-indexed.db'), batches, true)
    if (raw.messages !== messages || http.stored !== messages || rawIndexed.messages !== messages) {
      throw new Error(
        `row counts differ: sent ${messages}, raw ${raw.messages}, http ${http.stored}, raw+fts ${rawIndexed.messages}`,
      )
    }
    const mb = bytes / 1e6
    const rate = (/** @type {{ ms: number }} */ r) => ({
      ms: round(r.ms, 0),
      messagesPerSec: round((messages / r.ms) * 1000, 0),
      mbPerSec: round((mb / r.ms) * 1000, 2),
    })
    const result = {
      messages,
      batches: batches.length,
      sessions: SESSIONS,
      jsonMB: round(mb, 1),
      raw: rate(raw),
      http: rate(http),
      rawIndexed: rate(rawIndexed),
      ratio: round(raw.ms / http.ms, 3),
      serverCpuMsPerMessage: round((http.server.cpuUserMs + http.server.cpuSystemMs) / messages, 3),
      serverMaxRssMB: http.server.maxRssMB,
      ratioVsIndexed: round(rawIndexed.ms / http.ms, 3),
      target: 0.5,
    }
    console.log(
      `\nIngest: ${fmtInt(messages)} messages, ${batches.length} batches × ${BATCH_MESSAGES} over ${SESSIONS} sessions, ${result.jsonMB} MB of JSON`,
    )
    printTable(
      ['path', 'time', 'messages/s', 'MB/s JSON', 'vs raw'],
      [
        [
          'raw better-sqlite3 (reference)',
          `${result.raw.ms} ms`,
          fmtInt(result.raw.messagesPerSec),
          result.raw.mbPerSec,
          '100 %',
        ],
        [
          'HTTP POST /sync/batch',
          `${result.http.ms} ms`,
          fmtInt(result.http.messagesPerSec),
          result.http.mbPerSec,
          `${round(result.ratio * 100, 1)} %`,
        ],
        [
          'raw + FTS5 + usage (info)',
          `${result.rawIndexed.ms} ms`,
          fmtInt(result.rawIndexed.messagesPerSec),
          result.rawIndexed.mbPerSec,
          `${round((raw.ms / rawIndexed.ms) * 100, 1)} %`,
        ],
      ],
    )
    console.log(
      `Server process: ${result.serverCpuMsPerMessage} ms CPU per message, peak RSS ${result.serverMaxRssMB} MB`,
    )
    return result
  } finally {
    tmp.cleanup()
  }
}
