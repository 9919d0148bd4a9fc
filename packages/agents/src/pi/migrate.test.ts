import { describe, expect, it } from 'vitest'
import type { PiFile } from './migrate.js'
import {
  CURRENT_FORMAT_VERSION,
  migrateToCurrent,
  migrateV1ToV2,
  migrateV2ToV3,
} from './migrate.js'
import type { PiEntry, PiHeader, PiRecord } from './schema.js'
import { parseEntry } from './schema.js'

const HEADER: PiHeader = {
  version: 1,
  id: 'sid',
  timestamp: '2025-11-30T10:00:00.000Z',
  cwd: '/w',
  parentSession: null,
  provider: 'anthropic',
  modelId: 'claude-sonnet-4-5',
  rewrittenFromV1: false,
}

function entry(line: number, raw: PiRecord, ordinal = line): PiEntry {
  const parsed = parseEntry(raw, line, ordinal)
  if (parsed === null) throw new Error('test entry without a type')
  return parsed
}

describe('migrateV1ToV2', () => {
  // Lines 2, 3, 5, 6; line 4 was blank, so the ordinals (the lines of pi's rewrite, header
  // = 1) are 2, 3, 4, 5, and pi's parsed-entries index (header = 0) is ordinal − 1.
  const v1: PiFile = {
    header: HEADER,
    entries: [
      entry(2, { type: 'message', message: { role: 'user', content: 'a' } }),
      entry(3, { type: 'message', message: { role: 'assistant', content: [] } }),
      entry(5, { type: 'model_change', provider: 'p', modelId: 'm' }, 4),
      entry(6, { type: 'compaction', summary: 's', firstKeptEntryIndex: 2, tokensBefore: 9 }, 5),
    ],
  }

  it('gives each entry the id <sessionId>:<ordinal> and the previous entry as parent', () => {
    const v2 = migrateV1ToV2(v1, 'sid')
    expect(v2.header.version).toBe(2)
    expect(v2.entries.map((e) => [e.id, e.parentId])).toEqual([
      ['sid:2', null],
      ['sid:3', 'sid:2'],
      ['sid:4', 'sid:3'],
      ['sid:5', 'sid:4'],
    ])
  })

  it('turns firstKeptEntryIndex (header = 0) into firstKeptEntryId', () => {
    const compaction = migrateV1ToV2(v1, 'sid').entries[3]
    // index 2 = ordinal 3 = line 3
    expect(compaction?.raw).toEqual({
      type: 'compaction',
      summary: 's',
      tokensBefore: 9,
      firstKeptEntryId: 'sid:3',
    })
  })

  it('drops an index that points at the header or past the end', () => {
    const bad: PiFile = {
      header: HEADER,
      entries: [entry(2, { type: 'compaction', summary: 's', firstKeptEntryIndex: 0 })],
    }
    expect(migrateV1ToV2(bad, 'sid').entries[0]?.raw).toEqual({ type: 'compaction', summary: 's' })
  })

  it('is deterministic and leaves its input alone', () => {
    const before = JSON.stringify(v1)
    expect(migrateV1ToV2(v1, 'sid')).toEqual(migrateV1ToV2(v1, 'sid'))
    expect(JSON.stringify(v1)).toBe(before)
  })
})

describe('migrateV2ToV3', () => {
  const v2: PiFile = {
    header: { ...HEADER, version: 2 },
    entries: [
      entry(2, {
        type: 'message',
        id: 'a',
        parentId: null,
        message: { role: 'hookMessage', customType: 'r', content: 'x', display: true },
      }),
      entry(3, {
        type: 'message',
        id: 'b',
        parentId: 'a',
        message: { role: 'user', content: 'y' },
      }),
    ],
  }

  it('renames the hookMessage role to custom and nothing else', () => {
    const v3 = migrateV2ToV3(v2)
    expect(v3.header.version).toBe(3)
    expect(v3.entries[0]?.raw.message).toEqual({
      role: 'custom',
      customType: 'r',
      content: 'x',
      display: true,
    })
    expect(v3.entries[1]).toBe(v2.entries[1])
    expect(v3.entries.map((e) => [e.id, e.parentId])).toEqual([
      ['a', null],
      ['b', 'a'],
    ])
  })
})

describe('migrateToCurrent', () => {
  const hook = entry(2, { type: 'message', message: { role: 'hookMessage', content: 'x' } })

  it('runs v1 → v2 → v3 for a v1 file', () => {
    const out = migrateToCurrent({ header: HEADER, entries: [hook] }, 'sid')
    expect(out.header.version).toBe(CURRENT_FORMAT_VERSION)
    expect(out.entries[0]).toMatchObject({ id: 'sid:2', parentId: null })
    expect(out.entries[0]?.raw.message).toEqual({ role: 'custom', content: 'x' })
  })

  it('runs only v2 → v3 for a v2 file (ids untouched)', () => {
    const out = migrateToCurrent({ header: { ...HEADER, version: 2 }, entries: [hook] }, 'sid')
    expect(out.entries[0]).toMatchObject({ id: null, parentId: null })
    expect(out.entries[0]?.raw.message).toEqual({ role: 'custom', content: 'x' })
  })

  it('leaves v3 and newer files as they are', () => {
    for (const version of [3, 4]) {
      const file: PiFile = { header: { ...HEADER, version }, entries: [hook] }
      expect(migrateToCurrent(file, 'sid')).toBe(file)
    }
  })
})
