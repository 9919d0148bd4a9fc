import { describe, expect, it } from 'vitest'
import { normalizeSource } from './sources.js'
import { messageSyncSchema, sessionSyncSchema } from './sync.js'
import { timestampSchema } from './timestamp.js'

describe('sessionSyncSchema', () => {
  it('takes sessionId as the externalId alias and drops unknown fields', () => {
    expect(sessionSyncSchema.parse({ sessionId: 'a', totalTokens: 3, source: 'pi' })).toEqual({
      externalId: 'a',
      source: 'pi',
    })
    expect(sessionSyncSchema.parse({ externalId: 7 }).externalId).toBe('7')
  })
})

describe('messageSyncSchema', () => {
  it('names missing and mistyped fields', () => {
    const result = messageSyncSchema.safeParse({ externalId: '', role: 3, usage: { output: 1.5 } })
    expect(result.success).toBe(false)
    const issues = result.success
      ? []
      : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    expect(issues).toEqual([
      'sessionExternalId: is required',
      'externalId: must not be empty',
      'role: must be one of user, assistant, system, tool, unknown',
      'usage.output: must be a non-negative integer',
    ])
  })
})

describe('timestampSchema', () => {
  it('reads epoch ms, epoch seconds and ISO dates', () => {
    expect(timestampSchema.parse(1_700_000_000_000)).toBe(1_700_000_000_000)
    expect(timestampSchema.parse(1_700_000_000)).toBe(1_700_000_000_000)
    expect(timestampSchema.parse('2024-01-02T03:04:05.678Z')).toBe(1_704_164_645_678)
    expect(timestampSchema.parse('1700000000000')).toBe(1_700_000_000_000)
    expect(timestampSchema.safeParse('soon').success).toBe(false)
    expect(timestampSchema.safeParse(-1).success).toBe(false)
  })
})

describe('normalizeSource', () => {
  it('maps aliases to upstream ids and keeps unknown agents', () => {
    expect(
      ['cursor', 'Cursor-Sync', 'codex', ' pi ', 'aider', '', null].map(normalizeSource),
    ).toEqual(['cursor-sync', 'cursor-sync', 'codex-cli', 'pi', 'aider', null, null])
  })
})
