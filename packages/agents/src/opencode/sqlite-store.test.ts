import { createHash } from 'node:crypto'
import { copyFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import {
  buildDatabase,
  cleanUp,
  keepOpen,
  lanternDump,
  mockllmDump,
  tempDir,
} from '../../test/fixtures/opencode/support.js'
import { databaseSessionIds, openReadOnly, readDatabase } from './sqlite-store.js'

afterAll(cleanUp)

/** File names of a folder, and a hash of each file that holds data (the -shm is an index). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of readdirSync(dir).sort()) {
    out[name] = name.endsWith('-shm')
      ? 'index'
      : createHash('sha256')
          .update(readFileSync(join(dir, name)))
          .digest('hex')
  }
  return out
}

describe('readDatabase: WAL and read-only', () => {
  // The lantern database rebuilt with automatic checkpoints off and the writer left open:
  // every table and row is only in opencode.db-wal, as with OpenCode running.
  const dir = tempDir()
  const { path, writer } = buildDatabase(dir, lanternDump())
  keepOpen(writer)

  it('reads rows that are only in the -wal, and writes nothing', () => {
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0)
    const before = snapshot(dir)
    expect(Object.keys(before)).toEqual(['opencode.db', 'opencode.db-shm', 'opencode.db-wal'])

    // The main file alone holds none of it.
    const mainOnly = join(tempDir(), 'opencode.db')
    copyFileSync(path, mainOnly)
    expect(readDatabase(mainOnly).records).toEqual([])

    const handle = openReadOnly(path)
    expect(handle.copied).toBe(false)
    expect(handle.db.readonly).toBe(true)
    expect(() => handle.db.exec('CREATE TABLE x (a)')).toThrow(/readonly/)
    handle.close()

    const result = readDatabase(path)
    expect(result.issues).toEqual([])
    expect(result.records.map((r) => [r.session.id, r.messages.length])).toEqual([
      ['ses_03156b771ffeANj3CiDnYkqmmr', 2],
      ['ses_031559a74ffe4reBgr5U6MnTO4', 2],
      ['ses_031541bf9ffeMiy2LOFii47rch', 3],
    ])
    // No checkpoint, no new file: the db and the -wal are byte for byte what they were.
    expect(snapshot(dir)).toEqual(before)
  })

  it('a -wal without its -shm (OpenCode not running): reads a private copy, leaves the folder alone', () => {
    const copy = tempDir()
    copyFileSync(path, join(copy, 'opencode.db'))
    copyFileSync(`${path}-wal`, join(copy, 'opencode.db-wal'))
    const before = snapshot(copy)
    const handle = openReadOnly(join(copy, 'opencode.db'))
    expect(handle.copied).toBe(true)
    handle.close()
    expect(readDatabase(join(copy, 'opencode.db')).records).toHaveLength(3)
    expect(databaseSessionIds(join(copy, 'opencode.db')).size).toBe(3)
    // SQLite would have created opencode.db-shm here; the copy kept it out of the user's folder.
    expect(snapshot(copy)).toEqual(before)
  })
})

describe('readDatabase: what it cannot read is an issue, never a throw', () => {
  it('a file that is not a database', () => {
    const path = join(tempDir(), 'opencode.db')
    writeFileSync(path, 'not a database\n'.repeat(300))
    expect(readDatabase(path)).toEqual({
      records: [],
      issues: [
        {
          file: path,
          line: null,
          code: 'unreadable',
          message: expect.stringMatching(/^cannot open the database read-only: SQLITE_NOTADB/),
        },
      ],
    })
  })

  it('a file that is gone', () => {
    const path = join(tempDir(), 'opencode.db')
    expect(readDatabase(path).issues.map((i) => i.code)).toEqual(['unreadable'])
  })

  it('a database without the session, message and part tables', () => {
    const path = join(tempDir(), 'opencode.db')
    const other = new Database(path)
    other.exec('CREATE TABLE session (id TEXT PRIMARY KEY)')
    other.close()
    expect(readDatabase(path)).toEqual({
      records: [],
      issues: [
        {
          file: path,
          line: null,
          code: 'unsupported-format',
          message: 'no session/message/part tables with the known columns',
        },
      ],
    })
  })

  it('a broken row is an issue; the rest of the database is read', () => {
    // The mockllm run with one message's data cut short and one part's data not an object.
    const dump = mockllmDump()
    const broken = 'msg_1fd94de77001WxLJ91tdcLFMh9'
    const brokenPart = 'prt_1fd94e7b8001N6j7gW7gkWEx7Z'
    dump.tables.message = (dump.tables.message ?? []).map((r) =>
      r.id === broken ? { ...r, data: String(r.data).slice(0, 40) } : r,
    )
    dump.tables.part = (dump.tables.part ?? []).map((r) =>
      r.id === brokenPart ? { ...r, data: '[1, 2]' } : r,
    )
    const dir = tempDir()
    const built = buildDatabase(dir, dump)
    built.writer.close()
    const result = readDatabase(built.path)
    expect(result.issues).toEqual([
      {
        file: built.path,
        line: null,
        code: 'invalid-json',
        message: expect.stringMatching(
          new RegExp(
            `^message ${broken} of session ses_e026b329affezw6SIIS5VH0oib \\(and its parts\\): `,
          ),
        ),
      },
      {
        file: built.path,
        line: null,
        code: 'invalid-record',
        message: `part ${brokenPart} of message msg_1fd94e5a800164li3ygbRJ2Asy: not a JSON object`,
      },
    ])
    // Session A lost one of its 5 messages; session B lost one part (the text) of one message.
    expect(result.records.map((r) => r.messages.length)).toEqual([4, 6])
    expect(result.records[1]?.messages[1]?.parts.map((p) => p.type)).toEqual([
      'step-start',
      'reasoning',
      'tool',
      'step-finish',
    ])
  })

  it('an older schema without the optional columns still reads', () => {
    // No parent_id, version, time_updated, model on session; no time_created on message and
    // part; no part.session_id (parts are found through their messages).
    const path = join(tempDir(), 'opencode.db')
    const old = new Database(path)
    old.exec(`
      CREATE TABLE session (id TEXT PRIMARY KEY, title TEXT, directory TEXT, time_created INTEGER);
      CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT, data TEXT);
      CREATE TABLE part (id TEXT PRIMARY KEY, message_id TEXT, data TEXT);
    `)
    const dump = mockllmDump()
    for (const s of dump.tables.session ?? []) {
      old
        .prepare('INSERT INTO session VALUES (?, ?, ?, ?)')
        .run(s.id, s.title, s.directory, s.time_created)
    }
    for (const m of dump.tables.message ?? []) {
      old.prepare('INSERT INTO message VALUES (?, ?, ?)').run(m.id, m.session_id, m.data)
    }
    for (const p of dump.tables.part ?? []) {
      old.prepare('INSERT INTO part VALUES (?, ?, ?)').run(p.id, p.message_id, p.data)
    }
    old.close()
    const result = readDatabase(path)
    expect(result.issues).toEqual([])
    expect(
      result.records.map((r) => [r.session.version, r.session.modelId, r.messages.length]),
    ).toEqual([
      [null, null, 5],
      [null, null, 6],
    ])
    // Messages still in time order (data.time.created), parts by id.
    expect(result.records[0]?.messages.map((m) => m.createdAt)).toEqual([
      1795255750032, 1795255751156, 1795255753106, 1795255753733, 1795255754359,
    ])
    expect(result.records[0]?.messages[3]?.parts.map((p) => p.type)).toEqual([
      'step-start',
      'text',
      'tool',
      'step-finish',
    ])
  })
})
