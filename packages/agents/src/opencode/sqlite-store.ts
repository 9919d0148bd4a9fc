import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import Database from 'better-sqlite3'
import type { ReadIssue } from '../reader.js'
import {
  asRecord,
  num,
  parseObject,
  type SessionRecord,
  type StoredMessage,
  type StoredPart,
  sessionModel,
  storedMessage,
  storedPart,
  str,
} from './schema.js'

type Db = Database.Database

/** OpenCode's own `busy_timeout`: a writer holds the lock briefly while it commits. */
const BUSY_TIMEOUT_MS = 5000
const PROBE = 'SELECT count(*) FROM sqlite_master'
/** Errors of a read-only open that a private copy avoids (no -shm, read-only directory, …). */
const COPY_ON = new Set([
  'SQLITE_CANTOPEN',
  'SQLITE_READONLY',
  'SQLITE_READONLY_CANTINIT',
  'SQLITE_READONLY_CANTLOCK',
  'SQLITE_READONLY_DIRECTORY',
  'SQLITE_READONLY_RECOVERY',
])

export type DatabaseHandle = {
  readonly db: Db
  /** True when the database was read from a private temp copy (see `openReadOnly`). */
  readonly copied: boolean
  close(): void
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : ''
}

function size(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

/** A -wal with content but no -shm: SQLite would create the -shm to read it. */
function walWithoutShm(path: string): boolean {
  return size(`${path}-wal`) > 0 && !existsSync(`${path}-shm`)
}

function openCopy(path: string): DatabaseHandle {
  const dir = mkdtempSync(join(tmpdir(), 'opensync-opencode-'))
  const remove = () => rmSync(dir, { recursive: true, force: true })
  try {
    const target = join(dir, basename(path))
    copyFileSync(path, target)
    // The -wal holds the newest turns; the -shm is only an index SQLite rebuilds from it.
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${target}-wal`)
    const db = new Database(target, { readonly: true, fileMustExist: true })
    try {
      db.prepare(PROBE).get()
    } catch (error) {
      db.close()
      throw error
    }
    return {
      db,
      copied: true,
      close: () => {
        db.close()
        remove()
      },
    }
  } catch (error) {
    remove()
    throw error
  }
}

/**
 * Opens OpenCode's database read-only, WAL included (never `immutable`: the newest turns may
 * only be in the -wal). A read-only connection never writes, never checkpoints and leaves the
 * -wal in place when it closes. Two cases need a private temp copy of the db and its -wal:
 * a -wal without its -shm (OpenCode is not running; SQLite would create the -shm next to the
 * user's database), and an open that fails because the directory or -shm is not writable.
 * Throws when the file is missing, locked past the busy timeout, or not a database.
 */
export function openReadOnly(path: string): DatabaseHandle {
  if (walWithoutShm(path)) return openCopy(path)
  let db: Db | null = null
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS })
    db.prepare(PROBE).get()
    const opened = db
    return { db: opened, copied: false, close: () => opened.close() }
  } catch (error) {
    db?.close()
    if (COPY_ON.has(errorCode(error))) return openCopy(path)
    throw error
  }
}

function describe(error: unknown): string {
  const code = errorCode(error)
  const message = error instanceof Error ? error.message : String(error)
  return code ? `${code}: ${message}` : message
}

function columns(db: Db, table: string): Set<string> {
  const rows = db.prepare(`PRAGMA table_info(${table})`).all()
  return new Set(rows.map((row) => str(asRecord(row)?.name)).filter((n) => n !== null))
}

/** The select list: required columns as they are, optional ones as NULL when absent. */
function selectList(
  have: Set<string>,
  required: readonly string[],
  optional: readonly string[],
): string | null {
  if (!required.every((c) => have.has(c))) return null
  return [...required, ...optional.map((c) => (have.has(c) ? c : `NULL AS ${c}`))].join(', ')
}

type Statements = {
  readonly messages: Database.Statement
  readonly parts: Database.Statement
}

function prepare(db: Db): Statements | null {
  const message = selectList(columns(db, 'message'), ['id', 'session_id', 'data'], ['time_created'])
  const partColumns = columns(db, 'part')
  const part = selectList(partColumns, ['id', 'message_id', 'data'], ['time_created'])
  if (!message || !part) return null
  const partsWhere = partColumns.has('session_id')
    ? 'session_id = ?'
    : 'message_id IN (SELECT id FROM message WHERE session_id = ?)'
  return {
    messages: db.prepare(
      `SELECT ${message} FROM message WHERE session_id = ? ORDER BY time_created, id`,
    ),
    parts: db.prepare(`SELECT ${part} FROM part WHERE ${partsWhere} ORDER BY message_id, id`),
  }
}

function readSession(
  path: string,
  statements: Statements,
  sessionId: string,
  issues: ReadIssue[],
): StoredMessage[] {
  const issue = (code: ReadIssue['code'], message: string) =>
    issues.push({ file: path, line: null, code, message })
  const partsByMessage = new Map<string, StoredPart[]>()
  for (const row of statements.parts.all(sessionId).map(asRecord)) {
    const id = str(row?.id)
    const messageId = str(row?.message_id)
    if (!row || !id || !messageId) continue
    const parsed = parseObject(str(row.data) ?? '')
    if (parsed.value === null) {
      issue(parsed.code, `part ${id} of message ${messageId}: ${parsed.error}`)
      continue
    }
    const parts = partsByMessage.get(messageId) ?? []
    parts.push(storedPart(id, parsed.value, num(row.time_created)))
    partsByMessage.set(messageId, parts)
  }
  const messages: StoredMessage[] = []
  for (const row of statements.messages.all(sessionId).map(asRecord)) {
    const id = str(row?.id)
    if (!row || !id) continue
    const parsed = parseObject(str(row.data) ?? '')
    if (parsed.value === null) {
      issue(parsed.code, `message ${id} of session ${sessionId} (and its parts): ${parsed.error}`)
      continue
    }
    const parts = partsByMessage.get(id) ?? []
    messages.push(storedMessage(id, parsed.value, num(row.time_created), parts))
  }
  return messages
}

export type StoreResult = {
  readonly records: readonly SessionRecord[]
  readonly issues: readonly ReadIssue[]
}

/**
 * Reads every session of an OpenCode database (v1.2.0+) in one read transaction, so the
 * sessions, messages and parts come from one WAL snapshot while OpenCode keeps writing.
 * A database that can't be opened or listed yields no sessions and an `unreadable` issue:
 * the caller must treat that as "unknown", never as "every session was deleted" (pitfall 5).
 */
export function readDatabase(path: string): StoreResult {
  const issues: ReadIssue[] = []
  const fail = (code: ReadIssue['code'], message: string): StoreResult => ({
    records: [],
    issues: [...issues, { file: path, line: null, code, message }],
  })
  let handle: DatabaseHandle
  try {
    handle = openReadOnly(path)
  } catch (error) {
    return fail('unreadable', `cannot open the database read-only: ${describe(error)}`)
  }
  const { db } = handle
  try {
    db.exec('BEGIN')
    const sessionList = selectList(
      columns(db, 'session'),
      ['id', 'title', 'directory', 'time_created'],
      ['parent_id', 'version', 'time_updated', 'model'],
    )
    const statements = prepare(db)
    if (!sessionList || !statements) {
      return fail('unsupported-format', 'no session/message/part tables with the known columns')
    }
    const sessions = db
      .prepare(`SELECT ${sessionList} FROM session ORDER BY time_created, id`)
      .all()
      .map(asRecord)
    const records: SessionRecord[] = []
    for (const row of sessions) {
      const id = str(row?.id)
      if (!row || !id) continue
      let messages: StoredMessage[]
      try {
        messages = readSession(path, statements, id, issues)
      } catch (error) {
        issues.push({
          file: path,
          line: null,
          code: 'unreadable',
          message: `session ${id}: ${describe(error)}`,
        })
        continue
      }
      records.push({
        session: {
          id,
          parentId: str(row.parent_id),
          title: str(row.title),
          directory: str(row.directory),
          version: str(row.version),
          createdAt: num(row.time_created),
          updatedAt: num(row.time_updated),
          ...sessionModel(row.model),
        },
        messages,
      })
    }
    return { records, issues }
  } catch (error) {
    return fail('unreadable', `cannot read the database: ${describe(error)}`)
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK')
    handle.close()
  }
}

/** The session ids of a database, to skip their frozen copies in the legacy tree. Throws. */
export function databaseSessionIds(path: string): Set<string> {
  const handle = openReadOnly(path)
  try {
    const rows = handle.db.prepare('SELECT id FROM session').all()
    return new Set(rows.map((row) => str(asRecord(row)?.id)).filter((id) => id !== null))
  } finally {
    handle.close()
  }
}
