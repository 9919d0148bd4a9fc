import { describe, expect, it } from 'vitest'
import { contentBlocks, parseEntry, parseHeader, toEpochMs } from './schema.js'

describe('parseHeader', () => {
  it('reads a v1 header (no version; branchedFrom is the fork parent)', () => {
    expect(
      parseHeader({
        type: 'session',
        id: 'a',
        timestamp: '2025-12-09T00:53:29.825Z',
        cwd: '/w',
        provider: 'anthropic',
        modelId: 'claude-opus-4-5',
        thinkingLevel: 'off',
        branchedFrom: '/s/x_b.jsonl',
      }),
    ).toEqual({
      version: 1,
      id: 'a',
      timestamp: '2025-12-09T00:53:29.825Z',
      cwd: '/w',
      parentSession: '/s/x_b.jsonl',
      provider: 'anthropic',
      modelId: 'claude-opus-4-5',
      rewrittenFromV1: false,
    })
  })

  it('tells a v3 header pi wrote from one it migrated from v1', () => {
    const native = { type: 'session', version: 3, id: 'a', timestamp: 't', cwd: '/w' }
    expect(parseHeader(native)?.rewrittenFromV1).toBe(false)
    expect(parseHeader({ ...native, thinkingLevel: 'off' })?.rewrittenFromV1).toBe(true)
    expect(parseHeader({ ...native, parentSession: '/p.jsonl' })?.parentSession).toBe('/p.jsonl')
  })

  it('is null for anything else and tolerates wrong types', () => {
    expect(parseHeader({ type: 'message' })).toBeNull()
    expect(parseHeader({ type: 'session', version: 'x', id: 5, cwd: '' })).toMatchObject({
      version: 1,
      id: null,
      cwd: null,
    })
  })
})

describe('helpers', () => {
  it('parses entries, times and content', () => {
    expect(parseEntry({ type: 'label', id: '', parentId: 7 }, 4)).toMatchObject({
      line: 4,
      ordinal: 4,
      type: 'label',
      id: null,
      parentId: null,
    })
    expect(parseEntry({ type: '' }, 1)).toBeNull()
    expect(toEpochMs('2026-01-01T00:00:00.000Z')).toBe(1767225600000)
    expect([toEpochMs('nope'), toEpochMs(Number.NaN), toEpochMs(null)]).toEqual([null, null, null])
    expect(contentBlocks('hi')).toEqual([{ type: 'text', text: 'hi' }])
    expect([contentBlocks(''), contentBlocks(undefined)]).toEqual([[], []])
  })
})
