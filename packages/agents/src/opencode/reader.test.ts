import { cpSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  cleanUp,
  dataDirWith,
  dbSource,
  LEGACY,
  mockllmDump,
  tempDir,
  treeSource,
} from '../../test/fixtures/opencode/support.js'
import type { SessionSource } from '../reader.js'
import { opencodeReader } from './index.js'

afterAll(cleanUp)

describe('opencodeReader: both generations on one machine', () => {
  it('a session in the database and in the legacy tree comes out once, from the database', async () => {
    const xdg = tempDir()
    const data = join(xdg, 'opencode')
    mkdirSync(data)
    dataDirWith(mockllmDump(), true, data)
    const sources: SessionSource[] = []
    for await (const source of opencodeReader.discover({ XDG_DATA_HOME: xdg, HOME: '/nowhere' })) {
      sources.push(source)
    }
    expect(sources).toEqual([
      dbSource(join(data, 'opencode.db')),
      treeSource(join(data, 'storage')),
    ])
    const read = await Promise.all(sources.map((s) => opencodeReader.read(s)))
    const ids = read.flatMap((r) => r.sessions.map((s) => s.externalId))
    expect(ids).toEqual([
      'ses_e026b329affezw6SIIS5VH0oib',
      'ses_e026b1cadffee46ls3AaXi9YJG',
      'ses_7ffe000000001LegacyMain',
      'ses_7ffd000000001LegacyChild',
    ])
    const fromDb = read[0]?.sessions[0]
    expect(fromDb?.title).toBe('Mock session title')
    expect(fromDb?.messages).toHaveLength(5)
  })

  it('when the database beside the tree is unreadable, the tree is not read either', async () => {
    const dir = tempDir()
    cpSync(LEGACY, join(dir, 'storage'), { recursive: true })
    writeFileSync(join(dir, 'opencode.db'), 'this is not a database, it is only text\n'.repeat(200))
    const fromTree = await opencodeReader.read(treeSource(join(dir, 'storage')))
    expect(fromTree.sessions).toEqual([])
    expect(fromTree.issues).toEqual([
      {
        file: join(dir, 'opencode.db'),
        line: null,
        code: 'unreadable',
        message: expect.stringMatching(/legacy tree is not read/),
      },
    ])
    const fromDb = await opencodeReader.read(dbSource(join(dir, 'opencode.db')))
    expect(fromDb.sessions).toEqual([])
    expect(fromDb.issues.map((i) => i.code)).toEqual(['unreadable'])
  })

  it('without a database the frozen copy is read from the tree', async () => {
    const dir = dataDirWith(null, true)
    const { sessions } = await opencodeReader.read(treeSource(join(dir, 'storage')))
    expect(sessions.map((s) => s.externalId)).toContain('ses_e026b329affezw6SIIS5VH0oib')
  })
})

describe('opencodeReader.discover', () => {
  async function discover(env: Record<string, string | undefined>) {
    const out: SessionSource[] = []
    for await (const source of opencodeReader.discover(env)) out.push(source)
    return out
  }

  it('finds the database and the legacy tree under a fake HOME', async () => {
    const home = tempDir()
    const data = join(home, '.local', 'share', 'opencode')
    mkdirSync(join(data, 'storage', 'session', 'global'), { recursive: true })
    writeFileSync(join(data, 'opencode.db'), '')
    writeFileSync(join(data, 'opencode.db-wal'), '')
    writeFileSync(join(data, 'opencode-dev.db'), '')
    expect(opencodeReader.roots({ HOME: home })).toEqual([data])
    expect(await discover({ HOME: home })).toEqual([
      dbSource(join(data, 'opencode-dev.db')),
      dbSource(join(data, 'opencode.db')),
      treeSource(join(data, 'storage')),
    ])
  })

  it('XDG_DATA_HOME wins over HOME; OPENCODE_DB adds its database first', async () => {
    const home = tempDir()
    mkdirSync(join(home, '.local', 'share', 'opencode'), { recursive: true })
    writeFileSync(join(home, '.local', 'share', 'opencode', 'opencode.db'), '')
    const xdg = tempDir()
    const data = join(xdg, 'opencode')
    mkdirSync(data)
    writeFileSync(join(data, 'opencode.db'), '')
    const elsewhere = join(tempDir(), 'custom.db')
    writeFileSync(elsewhere, '')
    expect(opencodeReader.roots({ HOME: home, XDG_DATA_HOME: xdg })).toEqual([data])
    expect(await discover({ HOME: home, XDG_DATA_HOME: xdg })).toEqual([
      dbSource(join(data, 'opencode.db')),
    ])
    expect(await discover({ HOME: home, XDG_DATA_HOME: xdg, OPENCODE_DB: elsewhere })).toEqual([
      dbSource(elsewhere),
      dbSource(join(data, 'opencode.db')),
    ])
  })

  it('yields nothing when the data dir does not exist', async () => {
    expect(await discover({ HOME: join(tempDir(), 'missing') })).toEqual([])
  })

  it('reports a source of an unknown kind instead of throwing', async () => {
    const result = await opencodeReader.read({ agent: 'opencode', path: '/x.json', kind: 'file' })
    expect(result.sessions).toEqual([])
    expect(result.issues.map((i) => i.code)).toEqual(['unsupported-format'])
  })
})
