/**
 * Golden tests of the Amp reader on SYNTHETIC threads written to
 * `reference/agent-formats.md` §9 (no real thread was found). Numbers are the fixture's fields,
 * named in the comment next to them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Part, Tokens } from '@opensync/core/wire'
import { describe, expect, it } from 'vitest'
import type { NormalizedMessage, NormalizedSession, ReadResult } from '../reader.js'
import { readAmpThread } from './reader.js'

const THREADS = fileURLToPath(
  new URL('../../test/fixtures/amp/synthetic/home/.local/share/amp/threads/', import.meta.url),
)
const NEW_ID = 'T-6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'
const OLD_ID = 'T-1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b'

const t = (iso: string) => Date.parse(iso)
const text = (s: string): Part => ({ type: 'text', text: s })

function tokens(input: number, output: number, cacheRead = 0, cacheWrite5m = 0): Tokens {
  return { input, output, cacheRead, cacheWrite5m, cacheWrite1h: 0, reasoning: 0 }
}

function msg(
  m: Pick<NormalizedMessage, 'externalId' | 'role' | 'parts'> & Partial<NormalizedMessage>,
): NormalizedMessage {
  return {
    createdAt: null,
    model: null,
    provider: null,
    text: m.parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n\n'),
    usage: null,
    reportedCost: null, // credits are not dollars
    durationMs: null,
    parentExternalId: null,
    flags: [],
    ...m,
  }
}

async function readOne(path: string): Promise<{ session: NormalizedSession; result: ReadResult }> {
  const result = await readAmpThread(path)
  const [session] = result.sessions
  if (result.sessions.length !== 1 || session === undefined) throw new Error('expected 1 session')
  return { session, result }
}

function tmpThread(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'amp-')), 'T-x.json')
  writeFileSync(path, content)
  return path
}

describe('readAmpThread', () => {
  it('reads a thread with messages[].usage', async () => {
    const { session: s, result } = await readOne(join(THREADS, `${NEW_ID}.json`))
    expect(result.issues).toEqual([])
    expect({ ...s, messages: [] }).toEqual({
      externalId: NEW_ID,
      source: 'amp',
      title: 'Fix flaky date test', // title
      projectPath: null,
      projectName: 'cal', // env.initial.trees[0].displayName
      cwd: null,
      gitBranch: null,
      model: 'claude-sonnet-4-5-20250929', // messageId 3 usage.model
      provider: null,
      agentVersion: null,
      parentExternalId: null,
      startedAt: t('2026-01-02T10:00:00.000Z'), // created (epoch ms)
      endedAt: t('2026-01-02T10:00:21.000Z'), // meta.traces[0].endTime
      messages: [],
      reportedTotals: null, // usage is per message
    })
    expect(s.messages).toEqual([
      msg({
        externalId: '0',
        role: 'user',
        parts: [text('The date test fails around midnight UTC. Fix it.')],
      }),
      msg({
        externalId: '1',
        role: 'assistant',
        createdAt: t('2026-01-02T10:00:08.000Z'), // usage.timestamp
        model: 'claude-sonnet-4-5-20250929',
        parts: [
          { type: 'reasoning', text: 'Probably uses the local clock.' },
          text('Let me look at the test.'),
          {
            type: 'tool-call',
            callId: 'toolu_a1',
            name: 'Read',
            args: { path: '/home/dev/cal/test/date.test.ts' },
          },
        ],
        // inputTokens 12, outputTokens 96, cacheRead 0, cacheCreation 4200
        // (totalInputTokens 4212 = 12 + 4200 + 0: input excludes the cache)
        usage: tokens(12, 96, 0, 4200),
      }),
      msg({
        externalId: '2',
        role: 'tool',
        parts: [
          {
            type: 'tool-result',
            callId: 'toolu_a1',
            name: 'Read',
            output: 'expect(format(new Date())).toBe(today)',
            isError: false,
          },
        ],
      }),
      msg({
        externalId: '3',
        role: 'assistant',
        createdAt: t('2026-01-02T10:00:20.000Z'),
        model: 'claude-sonnet-4-5-20250929',
        parts: [
          text('Pinned the clock with vi.setSystemTime; the test no longer depends on the hour.'),
        ],
        // inputTokens 8, outputTokens 140, cacheRead 4200, cacheCreation 310 (8 + 310 + 4200 = 4518)
        usage: tokens(8, 140, 4200, 310),
      }),
    ])
  })

  it('reads an older thread whose usage is in usageLedger.events', async () => {
    const { session: s, result } = await readOne(join(THREADS, `${OLD_ID}.json`))
    expect(result.issues).toEqual([])
    expect([s.title, s.projectName, s.model, s.startedAt, s.endedAt]).toEqual([
      'Rename getUser to fetchUser everywhere', // title "": the first prompt
      null,
      'claude-sonnet-4-20250514', // the last assistant message's ledger model
      t('2025-10-09T09:00:00.000Z'),
      t('2025-10-09T09:01:03.000Z'), // ev-3, the latest event
    ])
    expect(s.messages).toEqual([
      msg({
        externalId: '0',
        role: 'user',
        parts: [text('Rename getUser to fetchUser everywhere')],
      }),
      msg({
        externalId: '1',
        role: 'assistant',
        createdAt: t('2025-10-09T09:00:06.000Z'), // ev-1 (toMessageId 1)
        model: 'claude-sonnet-4-20250514',
        parts: [
          { type: 'tool-call', callId: 'toolu_b1', name: 'Grep', args: { pattern: 'getUser' } },
        ],
        usage: tokens(3100, 210), // ev-1 tokens {input 3100, output 210}
      }),
      msg({
        externalId: '2',
        role: 'tool',
        parts: [
          {
            type: 'tool-result',
            callId: 'toolu_b1',
            name: 'Grep',
            output: 'src/api.ts:4\nsrc/app.ts:12',
            isError: false,
          },
        ],
      }),
      msg({
        externalId: '3',
        role: 'assistant',
        createdAt: t('2025-10-09T09:01:02.000Z'), // ev-2 (toMessageId 3)
        model: 'claude-sonnet-4-20250514',
        parts: [text('Renamed in src/api.ts and src/app.ts.')],
        usage: tokens(3400, 180), // ev-2 tokens
      }),
      // ev-3 (operationType "title", toMessageId 0, a user message) produced no assistant
      // message: it is kept as a synthetic system message with its usage.
      msg({
        externalId: 'ledger:ev-3',
        role: 'system',
        createdAt: t('2025-10-09T09:01:03.000Z'),
        model: 'claude-3-5-haiku-20241022',
        parts: [
          {
            type: 'other',
            kind: 'usage-ledger',
            raw: {
              id: 'ev-3',
              timestamp: t('2025-10-09T09:01:03.000Z'),
              model: 'claude-3-5-haiku-20241022',
              input: 420,
              output: 12,
              operationType: 'title',
              fromMessageId: '0',
              toMessageId: '0',
            },
          },
        ],
        usage: tokens(420, 12),
        flags: ['synthetic'],
      }),
    ])
  })

  it('prefers a message usage over its ledger event (never both)', async () => {
    const path = tmpThread(
      JSON.stringify({
        id: 'T-x',
        messages: [
          {
            role: 'assistant',
            messageId: 1,
            content: 'hi',
            usage: { inputTokens: 5, outputTokens: 6 },
          },
        ],
        usageLedger: { events: [{ id: 'e', tokens: { input: 99, output: 99 }, toMessageId: 1 }] },
      }),
    )
    const { session: s } = await readOne(path)
    expect(s.messages.map((m) => [m.externalId, m.usage])).toEqual([['1', tokens(5, 6)]])
  })

  it('reports bad messages, a broken document and a missing file', async () => {
    const path = tmpThread(
      JSON.stringify({
        id: 'T-x',
        messages: [
          7,
          { role: 'user', messageId: 1, content: 'a' },
          { role: 'user', messageId: 1, content: 'b' },
        ],
      }),
    )
    const { session: s, result } = await readOne(path)
    expect(result.issues).toEqual([
      { file: path, line: null, code: 'invalid-record', message: 'messages[0] is not an object' },
      {
        file: path,
        line: null,
        code: 'invalid-record',
        message: 'messages[2] repeats messageId 1',
      },
    ])
    expect(s.messages.map((m) => [m.externalId, m.text])).toEqual([
      ['1', 'a'],
      ['1#2', 'b'],
    ])
    for (const [content, code] of [
      ['{"id": "T-x", "messages": [', 'invalid-json'],
      ['{"id": "T-x"}', 'unsupported-format'],
    ] as const) {
      const bad = tmpThread(content)
      const r = await readAmpThread(bad)
      expect([r.sessions, r.issues.map((i) => [i.file, i.line, i.code])]).toEqual([
        [],
        [[bad, null, code]],
      ])
    }
    const missing = join(tmpdir(), 'amp-nowhere', 'T-y.json')
    expect((await readAmpThread(missing)).issues.map((i) => i.code)).toEqual(['unreadable'])
  })
})
