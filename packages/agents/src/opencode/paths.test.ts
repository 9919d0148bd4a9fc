import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { cleanUp, tempDir } from '../../test/fixtures/opencode/support.js'
import { legacyStorageDir, opencodeDatabases, opencodeDataDir } from './paths.js'

afterAll(cleanUp)

describe('opencodeDataDir', () => {
  it('is $XDG_DATA_HOME/opencode, else ~/.local/share/opencode', () => {
    expect(opencodeDataDir({ HOME: '/h', XDG_DATA_HOME: '/x' })).toBe('/x/opencode')
    expect(opencodeDataDir({ HOME: '/h' })).toBe('/h/.local/share/opencode')
    // A relative or empty XDG_DATA_HOME is invalid per the XDG spec.
    expect(opencodeDataDir({ HOME: '/h', XDG_DATA_HOME: 'rel' })).toBe('/h/.local/share/opencode')
    expect(opencodeDataDir({ HOME: '/h', XDG_DATA_HOME: ' ' })).toBe('/h/.local/share/opencode')
    expect(opencodeDataDir({ USERPROFILE: '/u' })).toBe('/u/.local/share/opencode')
  })
})

describe('opencodeDatabases', () => {
  const data = tempDir()
  for (const name of [
    'opencode.db',
    'opencode.db-wal',
    'opencode.db-shm',
    'opencode-dev.db',
    'opencode-dev.db-wal',
    'opencode.db.bak',
    'other.db',
    'custom.db',
  ]) {
    writeFileSync(join(data, name), '')
  }
  mkdirSync(join(data, 'opencode-dir.db'))

  it('lists opencode.db and the channel databases, not their -wal/-shm or other files', () => {
    expect(opencodeDatabases(data, {})).toEqual([
      join(data, 'opencode-dev.db'),
      join(data, 'opencode.db'),
    ])
  })

  it('puts OPENCODE_DB first, relative to the data dir or absolute, when it exists', () => {
    expect(opencodeDatabases(data, { OPENCODE_DB: 'custom.db' })[0]).toBe(join(data, 'custom.db'))
    const elsewhere = join(tempDir(), 'x.db')
    writeFileSync(elsewhere, '')
    expect(opencodeDatabases(data, { OPENCODE_DB: elsewhere })[0]).toBe(elsewhere)
    expect(opencodeDatabases(data, { OPENCODE_DB: 'missing.db' })).toHaveLength(2)
    expect(opencodeDatabases(data, { OPENCODE_DB: ':memory:' })).toHaveLength(2)
    // Named twice, listed once.
    expect(opencodeDatabases(data, { OPENCODE_DB: 'opencode.db' })).toEqual([
      join(data, 'opencode.db'),
      join(data, 'opencode-dev.db'),
    ])
  })

  it('a missing data dir has no databases', () => {
    expect(opencodeDatabases(join(data, 'nope'), {})).toEqual([])
  })
})

describe('legacyStorageDir', () => {
  it('is storage/ when it has a session folder', () => {
    const data = tempDir()
    expect(legacyStorageDir(data)).toBeNull()
    mkdirSync(join(data, 'storage', 'snapshot'), { recursive: true })
    expect(legacyStorageDir(data)).toBeNull()
    mkdirSync(join(data, 'storage', 'session'))
    expect(legacyStorageDir(data)).toBe(join(data, 'storage'))
  })
})
