/**
 * Golden tests of the pi reader. Every expected number is read off the fixture line named in
 * the comment next to it; the per-file sums were checked with a node one-off that adds
 * `message.usage.{input,output,cacheRead,cacheWrite,cost.total}` over the raw assistant lines
 * (`JSON.parse` each line, no reader code involved).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Part, Tokens } from '@opensync/core/wire'
import { describe, expect, it } from 'vitest'
import type { NormalizedMessage, NormalizedSession, ReadResult } from '../reader.js'
import { readPiSession } from './reader.js'

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/pi/', import.meta.url))
const MOCK_DIR = join(FIXTURES, 'mockllm', 'sessions', '--tmp-agentlab-pi-work--')
const MOCK_A = join(MOCK_DIR, '2026-11-21T10-09-22-428Z_01a1fd94-fdfc-7446-a5ca-1b6991df96e6.jsonl')
const MOCK_B = join(MOCK_DIR, '2026-11-21T10-09-24-386Z_01a1fd95-05a1-7309-afd1-0c9e2a3f5174.jsonl')
const REAL_V1 = join(FIXTURES, 'before-compaction.jsonl')
const SYNTHETIC = join(FIXTURES, 'synthetic')

const t = (iso: string) => Date.parse(iso)

function tokens(input: number, output: number, cacheRead: number, cacheWrite5m: number): Tokens {
  return { input, output, cacheRead, cacheWrite5m, cacheWrite1h: 0, reasoning: 0 }
}

/** A message with the defaults of a non-assistant line; `text` follows from the text parts. */
function msg(
  m: Pick<NormalizedMessage, 'externalId' | 'role' | 'createdAt' | 'parts'> &
    Partial<NormalizedMessage>,
): NormalizedMessage {
  const text = m.parts
    .map((p: Part) => (p.type === 'text' ? p.text : null))
    .filter((x) => x !== null)
    .join('\n\n')
  return {
    model: null,
    provider: null,
    text,
    usage: null,
    reportedCost: null,
    durationMs: null,
    parentExternalId: null,
    flags: [],
    ...m,
  }
}

const text = (s: string): Part => ({ type: 'text', text: s })

/** Session totals as the server derives them: the sum of every message's buckets and cost. */
function totals(session: NormalizedSession) {
  const sum = { ...tokens(0, 0, 0, 0), cost: 0, billed: 0 }
  for (const m of session.messages) {
    if (m.usage !== null) {
      sum.billed += 1
      sum.input += m.usage.input
      sum.output += m.usage.output
      sum.cacheRead += m.usage.cacheRead
      sum.cacheWrite5m += m.usage.cacheWrite5m
      sum.cacheWrite1h += m.usage.cacheWrite1h
      sum.reasoning += m.usage.reasoning
    }
    sum.cost += m.reportedCost ?? 0
  }
  return sum
}

async function readOne(path: string): Promise<{ session: NormalizedSession; result: ReadResult }> {
  const result = await readPiSession(path)
  const session = result.sessions[0]
  if (result.sessions.length !== 1 || session === undefined) throw new Error('expected 1 session')
  return { session, result }
}

function tmp(name: string, lines: readonly unknown[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'pi-reader-')), name)
  writeFileSync(
    path,
    `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`,
  )
  return path
}

describe('mockllm sessions (real pi 0.73.1, format v3)', () => {
  it('session A: plain reply, then a bash call (every field)', async () => {
    const { session, result } = await readOne(MOCK_A)
    expect(result.issues).toEqual([])
    expect(session).toEqual({
      externalId: '01a1fd94-fdfc-7446-a5ca-1b6991df96e6', // header id (= file name)
      source: 'pi',
      title: 'Say hello', // first user prompt (line 4)
      projectPath: '/tmp/agentlab/pi/work', // header cwd
      projectName: 'work',
      cwd: '/tmp/agentlab/pi/work',
      gitBranch: null, // pi records none
      model: 'mock-model', // line 9, the last answer
      provider: 'mock',
      agentVersion: null, // pi records none
      parentExternalId: null,
      startedAt: t('2026-11-21T10:09:22.428Z'), // header timestamp
      endedAt: t('2026-11-21T10:09:23.549Z'), // line 9 entry timestamp
      reportedTotals: null,
      messages: [
        // line 4; its parents (lines 3, 2) are thinking_level_change and model_change
        msg({
          externalId: 'e67c6aa4',
          role: 'user',
          createdAt: 1795255762447,
          parts: [text('Say hello')],
        }),
        msg({
          externalId: '7addab71', // line 5
          role: 'assistant',
          createdAt: 1795255762496, // message.timestamp: the request start
          durationMs: 35, // entry 22.531 − message 22.496
          model: 'mock-model',
          provider: 'mock',
          parts: [
            text('Hello from mockllm. You said: "Say hello". This is a scripted plain-text reply.'),
          ],
          usage: tokens(208, 20, 0, 1176), // 208 + 20 + 0 + 1176 = totalTokens 1404
          reportedCost: 0.005334,
          parentExternalId: 'e67c6aa4',
        }),
        msg({
          externalId: '32b0068f', // line 6
          role: 'user',
          createdAt: 1795255763429,
          parts: [text('Run the shell command `echo hi` and tell me what it printed')],
          parentExternalId: '7addab71',
        }),
        msg({
          externalId: 'df113080', // line 7
          role: 'assistant',
          createdAt: 1795255763481,
          durationMs: 34, // 23.515 − 23.481
          model: 'mock-model',
          provider: 'mock',
          parts: [
            text("I'll run `echo hi`."),
            {
              type: 'tool-call',
              callId: 'call_mockf3d84bada5f9e0dd5421729b',
              name: 'bash',
              args: { command: 'echo hi' },
            },
          ],
          usage: tokens(289, 10, 1152, 0), // = totalTokens 1451
          reportedCost: 0.0013626,
          parentExternalId: '32b0068f',
        }),
        msg({
          externalId: '913d67ac', // line 8
          role: 'tool',
          createdAt: 1795255763528,
          parts: [
            {
              type: 'tool-result',
              callId: 'call_mockf3d84bada5f9e0dd5421729b',
              name: 'bash',
              output: 'hi\n',
              isError: false,
            },
          ],
          parentExternalId: 'df113080',
        }),
        msg({
          externalId: '6b36f735', // line 9
          role: 'assistant',
          createdAt: 1795255763529,
          durationMs: 20, // 23.549 − 23.529
          model: 'mock-model',
          provider: 'mock',
          parts: [text('The tool finished. Its output was:\n\nhi\n\nThat completes the task.')],
          usage: tokens(303, 16, 1208, 0), // = totalTokens 1527
          reportedCost: 0.0015114,
          parentExternalId: '913d67ac',
        }),
      ],
    })
    // lines 5 + 7 + 9: 208+289+303, 20+10+16, 0+1152+1208, 1176; cost 0.005334+0.0013626+0.0015114
    const sum = totals(session)
    expect({ ...sum, cost: 0 }).toEqual({ ...tokens(800, 46, 2360, 1176), cost: 0, billed: 3 })
    expect(sum.cost).toBeCloseTo(0.008208, 12)
  })

  it('session B: thinking, a read, and a failing bash call', async () => {
    const { session, result } = await readOne(MOCK_B)
    expect(result.issues).toEqual([])
    const thought: Part = {
      type: 'reasoning',
      text: 'The user gave a scripted prompt; follow the mock script.',
    }
    const answer = (m: Partial<NormalizedMessage>) => ({
      model: 'mock-model',
      provider: 'mock',
      ...m,
    })
    expect(session.messages).toEqual([
      msg({
        externalId: 'ed0c9b5b', // line 4
        role: 'user',
        createdAt: 1795255764405,
        parts: [
          text(
            'Think first, then read the file `/tmp/agentlab/pi/work/notes.txt` and summarise it',
          ),
        ],
      }),
      msg({
        ...answer({ durationMs: 51 }), // line 5: 24.510 − 24.459
        externalId: '53e75798',
        role: 'assistant',
        createdAt: 1795255764459,
        parts: [
          thought,
          text("I'll read /tmp/agentlab/pi/work/notes.txt."),
          {
            type: 'tool-call',
            callId: 'call_mock6d89241dae221b1d7ac844a1',
            name: 'read',
            args: { path: '/tmp/agentlab/pi/work/notes.txt' },
          },
        ],
        usage: tokens(211, 35, 0, 1192), // = totalTokens 1438
        reportedCost: 0.005628,
        parentExternalId: 'ed0c9b5b',
      }),
      msg({
        externalId: 'a29e1c9e', // line 6
        role: 'tool',
        createdAt: 1795255764524,
        parts: [
          {
            type: 'tool-result',
            callId: 'call_mock6d89241dae221b1d7ac844a1',
            name: 'read',
            output: 'hello from a file\n',
            isError: false,
          },
        ],
        parentExternalId: '53e75798',
      }),
      msg({
        ...answer({ durationMs: 34 }), // line 7: 24.559 − 24.525
        externalId: '8959bf71',
        role: 'assistant',
        createdAt: 1795255764525,
        parts: [
          thought,
          text(
            'The tool finished. Its output was:\n\nhello from a file\n\nThat completes the task.',
          ),
        ],
        usage: tokens(302, 34, 1205, 0), // = totalTokens 1541
        reportedCost: 0.0017775000000000002,
        parentExternalId: 'a29e1c9e',
      }),
      msg({
        externalId: 'e4845c9e', // line 8
        role: 'user',
        createdAt: 1795255765439,
        parts: [text('Run `ls missing-file.txt` please')],
        parentExternalId: '8959bf71',
      }),
      msg({
        ...answer({ durationMs: 36 }), // line 9: 25.504 − 25.468
        externalId: 'e676a98f',
        role: 'assistant',
        createdAt: 1795255765468,
        parts: [
          text("I'll run `ls missing-file.txt`."),
          {
            type: 'tool-call',
            callId: 'call_mock4a626a9946f29518a2979cf4',
            name: 'bash',
            args: { command: 'ls missing-file.txt' },
          },
        ],
        usage: tokens(316, 16, 1262, 0), // = totalTokens 1594
        reportedCost: 0.0015666,
        parentExternalId: 'e4845c9e',
      }),
      msg({
        externalId: 'ec1bebe3', // line 10: isError true
        role: 'tool',
        createdAt: 1795255765516,
        parts: [
          {
            type: 'tool-result',
            callId: 'call_mock4a626a9946f29518a2979cf4',
            name: 'bash',
            output:
              "ls: cannot access 'missing-file.txt': No such file or directory\n\n\nCommand exited with code 2",
            isError: true,
          },
        ],
        parentExternalId: 'e676a98f',
      }),
      msg({
        ...answer({ durationMs: 35 }), // line 11: 25.551 − 25.516
        externalId: 'e1391886',
        role: 'assistant',
        createdAt: 1795255765516,
        parts: [
          text(
            "The tool finished. Its output was:\n\nls: cannot access 'missing-file.txt': No such file or directory\n\n\nCommand exited with code 2\n\nThat completes the task.",
          ),
        ],
        usage: tokens(336, 39, 1340, 0), // = totalTokens 1715
        reportedCost: 0.001995,
        parentExternalId: 'ec1bebe3',
      }),
    ])
    expect(session).toMatchObject({
      title: 'Think first, then read the file `/tmp/agentlab/pi/work/notes.txt` and summarise it',
      startedAt: t('2026-11-21T10:09:24.386Z'),
      endedAt: t('2026-11-21T10:09:25.551Z'),
      model: 'mock-model',
      provider: 'mock',
    })
    // lines 5, 7, 9, 11
    const sum = totals(session)
    expect({ ...sum, cost: 0 }).toEqual({ ...tokens(1165, 124, 3807, 1192), cost: 0, billed: 4 })
    expect(sum.cost).toBeCloseTo(0.0109671, 12)
  })
})

describe('v1 (synthetic, linear, no ids)', () => {
  const V1 = '11111111-1111-4111-8111-111111111111'
  const error = (stopReason: string, errorMessage: string): Part => ({
    type: 'other',
    kind: 'error',
    raw: { stopReason, errorMessage },
  })

  // Ids are `<sessionId>:<n>`, n the line once pi drops the blank line 6 (its rewrite does):
  // lines 2–5 keep their number, lines 9–13 become 8–12.
  it('migrates to a chain with <sessionId>:<ordinal> ids and reads every entry kind', async () => {
    const { session, result } = await readOne(join(SYNTHETIC, 'v1-linear.jsonl'))
    expect(result.issues).toEqual([])
    const sonnet = { model: 'claude-sonnet-4-5', provider: 'anthropic' }
    const opus = { model: 'claude-opus-4-5', provider: 'anthropic' }
    expect(session.messages).toEqual([
      // line 2: aborted with zero usage before the first user line → kept, no usage
      msg({
        ...sonnet,
        externalId: `${V1}:2`,
        role: 'assistant',
        createdAt: t('2025-11-30T10:00:00.400Z'),
        durationMs: 100, // entry .500 − message .400
        parts: [error('aborted', 'Request was aborted.')],
      }),
      msg({
        externalId: `${V1}:3`, // string content
        role: 'user',
        createdAt: t('2025-11-30T10:00:00.990Z'),
        parts: [text('Fix the failing test in src/app.ts')],
        parentExternalId: `${V1}:2`,
      }),
      msg({
        ...sonnet,
        externalId: `${V1}:4`,
        role: 'assistant',
        createdAt: t('2025-11-30T10:00:01.500Z'),
        durationMs: 2500, // entry 04.000 − message 01.500
        parts: [
          { type: 'reasoning', text: 'The assertion compares strings; fix the typo.' },
          {
            type: 'tool-call',
            callId: 'toolu_edit1',
            name: 'edit',
            args: { path: 'src/app.ts', oldText: 'helo', newText: 'hello' },
          },
        ],
        usage: tokens(100, 50, 1000, 200),
        reportedCost: 0.0021, // 100×3 + 50×15 + 1000×0.3 + 200×3.75 per M
        parentExternalId: `${V1}:3`,
      }),
      msg({
        externalId: `${V1}:5`, // details.diff → a patch on the call's path
        role: 'tool',
        createdAt: t('2025-11-30T10:00:04.100Z'),
        parts: [
          {
            type: 'tool-result',
            callId: 'toolu_edit1',
            name: 'edit',
            output: 'Successfully replaced text in src/app.ts.',
            isError: false,
          },
          { type: 'patch', path: 'src/app.ts', diff: '-  3 helo\n+  3 hello' },
        ],
        parentExternalId: `${V1}:4`,
      }),
      // line 6 is blank; lines 7–8 are thinking_level_change and model_change (not messages)
      msg({
        ...opus,
        externalId: `${V1}:8`, // line 9: error with zero usage
        role: 'assistant',
        createdAt: t('2025-11-30T10:01:01.500Z'),
        durationMs: 500,
        parts: [error('error', '529 overloaded')],
        parentExternalId: `${V1}:5`,
      }),
      msg({
        externalId: `${V1}:9`, // line 10
        role: 'system',
        createdAt: t('2025-11-30T10:02:00.000Z'),
        parts: [
          text('The user asked to fix a test; the typo was fixed.'),
          // firstKeptEntryIndex 4: header 0, line 2 → 1, 3 → 2, 4 → 3, 5 → 4 (id :5)
          {
            type: 'other',
            kind: 'compaction',
            raw: { tokensBefore: 1350, firstKeptEntryId: `${V1}:5` },
          },
        ],
        flags: ['compaction-summary'],
        parentExternalId: `${V1}:8`,
      }),
      msg({
        externalId: `${V1}:10`, // line 11: the user's `!npm test`, exit code 1
        role: 'user',
        createdAt: t('2025-11-30T10:02:10.000Z'),
        parts: [
          { type: 'tool-call', callId: null, name: 'bash', args: { command: 'npm test' } },
          { type: 'tool-result', callId: null, name: 'bash', output: '1 failing', isError: true },
        ],
        parentExternalId: `${V1}:9`,
      }),
      msg({
        externalId: `${V1}:11`, // line 12: the image's base64 is not kept
        role: 'user',
        createdAt: t('2025-11-30T10:02:20.000Z'),
        parts: [
          text('Still failing, see the screenshot'),
          { type: 'image', mediaType: 'image/png', url: null },
        ],
        parentExternalId: `${V1}:10`,
      }),
      msg({
        ...opus,
        externalId: `${V1}:12`, // line 13
        role: 'assistant',
        createdAt: t('2025-11-30T10:02:21.000Z'),
        durationMs: 9000,
        parts: [text('The screenshot shows a snapshot mismatch.')],
        usage: tokens(2000, 120, 0, 0),
        reportedCost: 0.0078, // 2000×3 + 120×15 per M
        parentExternalId: `${V1}:11`,
      }),
    ])
    expect(session).toMatchObject({
      externalId: V1,
      title: 'Fix the failing test in src/app.ts', // the aborted answer before it is no prompt
      projectName: 'linear-demo',
      model: 'claude-opus-4-5', // line 13, the last billed answer
      provider: 'anthropic',
      parentExternalId: null,
      // the v1 header (10:00:05) was written after the first exchange: start at line 2
      startedAt: t('2025-11-30T10:00:00.400Z'),
      endedAt: t('2025-11-30T10:02:30.000Z'), // line 13 entry
    })
    // lines 4 + 13 (the two failed requests carry zero usage)
    const sum = totals(session)
    expect({ ...sum, cost: 0 }).toEqual({ ...tokens(2100, 170, 1000, 200), cost: 0, billed: 2 })
    expect(sum.cost).toBeCloseTo(0.0099, 12)
  })

  it('reads the same v1 file twice with the same ids', async () => {
    const a = await readPiSession(join(SYNTHETIC, 'v1-linear.jsonl'))
    const b = await readPiSession(join(SYNTHETIC, 'v1-linear.jsonl'))
    expect(a).toEqual(b)
  })

  it('pitfall 3: pi rewriting the file as v3 (new random ids) changes nothing we emit', async () => {
    // v1-linear.rewritten-v3.jsonl is what pi's migrateToCurrentVersion + _rewriteFile write:
    // header version 3 (its v1 fields kept), random ids (fixed here as r0000001…), a parentId
    // chain, firstKeptEntryId, the blank line dropped. The v1-only header fields show it was
    // a v1 file, so its entries keep their `<sessionId>:<ordinal>` ids: a sync before and
    // after the rewrite upserts the same messages instead of adding a second copy.
    const before = await readPiSession(join(SYNTHETIC, 'v1-linear.jsonl'))
    const after = await readPiSession(join(SYNTHETIC, 'v1-linear.rewritten-v3.jsonl'))
    expect(after).toEqual({
      ...before,
      issues: [],
    })
    expect(after.sessions[0]?.messages.map((m) => m.externalId)).toEqual(
      [2, 3, 4, 5, 8, 9, 10, 11, 12].map((n) => `${V1}:${n}`),
    )
  })

  it('uses entry ids for a tree file pi created as v2+ (no v1 header fields)', async () => {
    const path = tmp('native.jsonl', [
      { type: 'session', version: 3, id: 's', timestamp: '2026-01-01T00:00:00.000Z', cwd: '/w' },
      '',
      {
        type: 'message',
        id: 'abcd1234',
        parentId: null,
        timestamp: '2026-01-01T00:00:01.000Z',
        message: { role: 'user', content: 'hi' },
      },
    ])
    expect((await readOne(path)).session.messages.map((m) => m.externalId)).toEqual(['abcd1234'])
  })
})

describe('v2 (synthetic tree with the old hookMessage role)', () => {
  it('migrates v2 → v3: hookMessage is read as an extension (custom) message', async () => {
    const { session, result } = await readOne(join(SYNTHETIC, 'v2-hook-message.jsonl'))
    expect(result.issues).toEqual([])
    expect(session.messages).toEqual([
      msg({
        externalId: 'a0000001',
        role: 'user',
        createdAt: t('2026-01-10T08:00:01.000Z'),
        parts: [
          text('Remember the style guide.'),
          { type: 'other', kind: 'custom', raw: { customType: 'reminder', display: true } },
        ],
        flags: ['synthetic'],
      }),
      msg({
        externalId: 'a0000002',
        role: 'user',
        createdAt: t('2026-01-10T08:00:02.000Z'),
        parts: [text('Rename   foo\nto bar')],
        parentExternalId: 'a0000001',
      }),
      msg({
        externalId: 'a0000003',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        provider: 'anthropic',
        createdAt: t('2026-01-10T08:00:03.000Z'),
        durationMs: 2000,
        parts: [text('Renamed.')],
        usage: tokens(300, 10, 0, 0),
        reportedCost: 0.00105,
        parentExternalId: 'a0000002',
      }),
    ])
    // the injected reminder is no prompt; whitespace collapses in the title
    expect(session.title).toBe('Rename foo to bar')
    expect([session.startedAt, session.endedAt]).toEqual([
      t('2026-01-10T08:00:00.000Z'),
      t('2026-01-10T08:00:05.000Z'),
    ])
  })
})

describe('v3 tree with an abandoned branch (synthetic)', () => {
  it('flags what is off the leaf path, keeps its usage, links parents through state entries', async () => {
    const { session, result } = await readOne(join(SYNTHETIC, 'v3-tree-abandoned.jsonl'))
    expect(result.issues).toEqual([])
    const at = (s: string) => t(`2026-03-01T09:${s}.000Z`)
    const sonnet = { model: 'claude-sonnet-4-5', provider: 'anthropic' }
    expect(session.messages).toEqual([
      // line 3; its parent m0000000 is a model_change
      msg({
        externalId: 'u1000000',
        role: 'user',
        createdAt: at('00:02'),
        parts: [text('Write a haiku about trees')],
      }),
      msg({
        ...sonnet,
        externalId: 'a1000000', // line 4
        role: 'assistant',
        createdAt: at('00:03'),
        durationMs: 2000,
        parts: [text('Old oak, quiet bark')],
        usage: tokens(10, 20, 0, 500),
        reportedCost: 0.002205,
        parentExternalId: 'u1000000',
      }),
      msg({
        externalId: 'u2000000', // line 5: the branch the user left with /tree
        role: 'user',
        createdAt: at('01:00'),
        parts: [text('Make it rhyme')],
        parentExternalId: 'a1000000',
        flags: ['abandoned-branch'],
      }),
      msg({
        ...sonnet,
        externalId: 'a2000000', // line 6: abandoned but billed (pitfall 2); its label was cleared
        role: 'assistant',
        createdAt: at('01:01'),
        durationMs: 3000,
        parts: [text('Trees in a breeze')],
        usage: tokens(5, 15, 500, 30),
        reportedCost: 0.0005025,
        parentExternalId: 'u2000000',
        flags: ['abandoned-branch'],
      }),
      msg({
        externalId: 'b1000000', // line 8: branch_summary, child of a1000000
        role: 'system',
        createdAt: at('02:00'),
        parts: [
          text('The user asked for a rhyming version, then went back.'),
          { type: 'other', kind: 'branch-summary', raw: { fromId: 'a2000000' } },
        ],
        parentExternalId: 'a1000000',
        flags: ['synthetic'],
      }),
      msg({
        externalId: 'u3000000', // line 10; its parent m1000000 (line 9) is a model_change
        role: 'user',
        createdAt: at('02:02'),
        parts: [text('Make it about autumn instead')],
        parentExternalId: 'b1000000',
      }),
      msg({
        model: 'claude-opus-4-5',
        provider: 'anthropic',
        externalId: 'a3000000', // line 11, labelled "final" by line 12
        role: 'assistant',
        createdAt: at('02:03'),
        durationMs: 3000,
        parts: [
          { type: 'reasoning', text: 'Autumn: falling leaves.' },
          text('Red leaves drift and fall'),
          { type: 'other', kind: 'label', raw: { label: 'final' } },
        ],
        usage: tokens(40, 60, 530, 20),
        reportedCost: 0.0012540000000000001,
        parentExternalId: 'u3000000',
      }),
      msg({
        externalId: 'cm100000', // line 15: custom_message; parents label, session_info, custom
        role: 'user',
        createdAt: at('02:13'),
        parts: [
          text('Stay concise.'),
          { type: 'other', kind: 'custom', raw: { customType: 'reminder', display: false } },
        ],
        parentExternalId: 'a3000000',
        flags: ['synthetic'],
      }),
    ])
    expect(session).toMatchObject({
      title: 'Tree haiku', // session_info (line 13), trimmed
      model: 'claude-opus-4-5', // a3000000, the last answer on the main path
      startedAt: at('00:00'),
      endedAt: at('02:14'), // line 16, the label that clears a2000000's
    })
    // every assistant line counts, abandoned ones included: lines 4 + 6 + 11
    const sum = totals(session)
    expect({ ...sum, cost: 0 }).toEqual({ ...tokens(55, 95, 1030, 550), cost: 0, billed: 3 })
    expect(sum.cost).toBeCloseTo(0.0039615, 12)
  })
})

describe('fork (synthetic, /fork into a new file)', () => {
  it('links the parent session and does not count the copied history twice (pitfall 1)', async () => {
    const { session, result } = await readOne(join(SYNTHETIC, 'v3-fork.jsonl'))
    expect(result.issues).toEqual([])
    const sonnet = { model: 'claude-sonnet-4-5', provider: 'anthropic' }
    expect(session.messages).toEqual([
      // lines 3–4 are copies from the tree file (same ids, times and usage), older than the
      // fork's header: transcript only, their usage was counted in the parent
      msg({
        externalId: 'u1000000',
        role: 'user',
        createdAt: t('2026-03-01T09:00:02.000Z'),
        parts: [text('Write a haiku about trees')],
      }),
      msg({
        ...sonnet,
        externalId: 'a1000000',
        role: 'assistant',
        createdAt: t('2026-03-01T09:00:03.000Z'),
        durationMs: 2000,
        parts: [text('Old oak, quiet bark')],
        parentExternalId: 'u1000000',
      }),
      msg({
        externalId: 'f1000000',
        role: 'user',
        createdAt: t('2026-03-01T10:00:10.000Z'),
        parts: [text('Now a limerick')],
        parentExternalId: 'a1000000',
      }),
      msg({
        ...sonnet,
        externalId: 'f2000000',
        role: 'assistant',
        createdAt: t('2026-03-01T10:00:11.000Z'),
        durationMs: 3000,
        parts: [text('There once was a tree')],
        usage: tokens(8, 25, 510, 12),
        reportedCost: 0.000597,
        parentExternalId: 'f1000000',
      }),
    ])
    expect(session).toMatchObject({
      externalId: '44444444-4444-4444-8444-444444444444',
      // from the parentSession file name `<ts>_<id>.jsonl`
      parentExternalId: '33333333-3333-4333-8333-333333333333',
      title: 'Write a haiku about trees',
      startedAt: t('2026-03-01T10:00:00.000Z'), // the fork's header, not the copied history
      endedAt: t('2026-03-01T10:00:14.000Z'),
    })
    // only line 6: line 4's (10, 20, 0, 500, $0.002205) belongs to the tree file
    const sum = totals(session)
    expect({ ...sum, cost: 0 }).toEqual({ ...tokens(8, 25, 510, 12), cost: 0, billed: 1 })
    expect(sum.cost).toBeCloseTo(0.000597, 12)
  })

  it('reads the parent id from the parent header when its file name is custom', async () => {
    const parent = tmp('custom-name.jsonl', [
      {
        type: 'session',
        version: 3,
        id: 'parent-id',
        timestamp: '2026-01-01T00:00:00.000Z',
        cwd: '/w',
      },
    ])
    const header = {
      type: 'session',
      version: 3,
      id: 'child',
      timestamp: '2026-01-02T00:00:00.000Z',
      cwd: '/w',
    }
    const child = tmp('child.jsonl', [{ ...header, parentSession: parent }])
    expect((await readOne(child)).session.parentExternalId).toBe('parent-id')
    const orphan = tmp('orphan.jsonl', [{ ...header, parentSession: '/gone/custom.jsonl' }])
    expect((await readOne(orphan)).session.parentExternalId).toBeNull()
  })

  it('keeps branchedFrom, which pi leaves in place when it rewrites a v1 file as v3', async () => {
    const path = tmp('rewritten.jsonl', [
      {
        type: 'session',
        version: 3,
        id: 'child',
        timestamp: '2026-01-02T00:00:00.000Z',
        cwd: '/w',
        branchedFrom: '/h/.pi/agent/sessions/--w--/2026-01-01T00-00-00-000Z_parent-uuid.jsonl',
      },
    ])
    expect((await readOne(path)).session.parentExternalId).toBe('parent-uuid')
  })
})

describe('bad content (synthetic)', () => {
  it('reports every bad line and reads the rest', async () => {
    const path = join(SYNTHETIC, 'garbage.jsonl')
    const { session, result } = await readOne(path)
    const issue = (line: number, code: string, message: unknown) => ({
      file: path,
      line,
      code,
      message,
    })
    expect(result.issues).toEqual([
      issue(3, 'invalid-json', expect.any(String)),
      issue(4, 'invalid-record', 'not a JSON object'),
      issue(5, 'invalid-record', 'entry without a string "type"'),
      issue(6, 'invalid-record', 'message entry without a message object'),
      issue(7, 'unknown-record', 'unknown entry type "future_thing"'),
      issue(8, 'invalid-record', 'a second session header'),
      issue(10, 'invalid-record', 'duplicate entry id "g1000000"'),
      // line 11 has no newline yet (pi may be writing it): not read, not an issue
    ])
    expect(session.messages).toEqual([
      msg({
        externalId: 'g1000000',
        role: 'user',
        createdAt: t('2026-04-01T12:00:01.000Z'),
        parts: [text('hello')],
      }),
      msg({
        model: 'claude-sonnet-4-5',
        provider: 'anthropic',
        externalId: 'g5000000',
        role: 'assistant',
        createdAt: t('2026-04-01T12:00:05.000Z'),
        durationMs: 1000,
        parts: [text('hi')],
        usage: tokens(3, 4, 0, 0),
        reportedCost: 0.000069,
        parentExternalId: 'g1000000',
      }),
      // the duplicate id (whose parent chain loops back to itself) gets the line as suffix
      msg({
        externalId: 'g1000000:10',
        role: 'user',
        createdAt: t('2026-04-01T12:00:07.000Z'),
        parts: [text('same id again')],
        parentExternalId: 'g5000000',
      }),
    ])
    expect(session.cwd).toBe('/home/dev/projects/garbage-demo') // not the second header's
  })

  it('reports an unreadable file and reads an empty one as nothing', async () => {
    const missing = join(SYNTHETIC, 'does-not-exist.jsonl')
    expect(await readPiSession(missing)).toEqual({
      sessions: [],
      issues: [{ file: missing, line: null, code: 'unreadable', message: expect.any(String) }],
    })
    expect(await readPiSession(tmp('2026-01-01T00-00-00-000Z_x.jsonl', []))).toEqual({
      sessions: [],
      issues: [],
    })
  })

  it('recovers a file whose header line is torn, using the id in the file name', async () => {
    const path = tmp('2026-01-01T00-00-00-000Z_torn-id.jsonl', [
      '{"type":"session","version":3,"id":"torn',
      {
        type: 'message',
        id: 'x1',
        parentId: null,
        timestamp: '2026-01-01T00:00:01.000Z',
        message: { role: 'user', content: 'hi' },
      },
    ])
    const { session, result } = await readOne(path)
    expect(result.issues.map((i) => [i.line, i.code])).toEqual([
      [1, 'invalid-json'],
      [2, 'unsupported-format'],
    ])
    expect(session).toMatchObject({
      externalId: 'torn-id',
      cwd: null,
      projectName: null,
      title: 'hi',
    })
    // ids in the entries → read as v2+, so the entry id is kept
    expect(session.messages.map((m) => m.externalId)).toEqual(['x1'])
  })

  it('gives up on a file with neither a header nor an id in its name', async () => {
    const path = tmp('notes.jsonl', [{ type: 'message', message: { role: 'user', content: 'hi' } }])
    expect((await readPiSession(path)).issues.map((i) => i.code)).toEqual([
      'unsupported-format',
      'unsupported-format',
    ])
    expect((await readPiSession(path)).sessions).toEqual([])
  })

  it('reads a newer format version as v3 and says so', async () => {
    const path = tmp('v4.jsonl', [
      { type: 'session', version: 4, id: 's4', timestamp: '2026-01-01T00:00:00.000Z', cwd: '/w' },
      {
        type: 'message',
        id: 'm',
        parentId: null,
        timestamp: '2026-01-01T00:00:01.000Z',
        message: { role: 'user', content: 'hi' },
      },
    ])
    const { session, result } = await readOne(path)
    expect(result.issues).toEqual([
      {
        file: path,
        line: 1,
        code: 'unsupported-format',
        message: 'format version 4 is newer than v3; read as v3',
      },
    ])
    expect(session.messages.map((m) => m.text)).toEqual(['hi'])
  })

  it('cuts a long first prompt to 120 characters', async () => {
    const long = `${'word '.repeat(40)}end`
    const path = tmp('long.jsonl', [
      { type: 'session', version: 3, id: 's', timestamp: '2026-01-01T00:00:00.000Z', cwd: '/' },
      {
        type: 'message',
        id: 'm',
        parentId: null,
        timestamp: '2026-01-01T00:00:01.000Z',
        message: { role: 'user', content: long },
      },
    ])
    const { session } = await readOne(path)
    expect(session.title).toBe(`${'word '.repeat(23)}word…`) // 119 characters + '…'
    expect(session.title).toHaveLength(120)
    expect(session.projectName).toBe('/') // basename of '/' is empty: the path itself
  })
})

describe('before-compaction.jsonl (real, pi v1, Dec 2025)', () => {
  const SID = 'ffae836b-9420-4060-ac13-7745215f90ff'
  // 1003 lines: header, 55 user, 484 assistant, 448 toolResult, 3 bashExecution, 2 compaction,
  // 5 model_change, 5 thinking_level_change (counted with a node one-off over `type` and
  // `message.role`)
  const roles = (s: NormalizedSession) => {
    const count: Record<string, number> = {}
    for (const m of s.messages) count[m.role] = (count[m.role] ?? 0) + 1
    return count
  }

  it('reads every line: migrated ids, compactions, failures, the fork link', async () => {
    const { session, result } = await readOne(REAL_V1)
    expect(result.issues).toEqual([])
    expect(roles(session)).toEqual({ user: 58, assistant: 484, tool: 448, system: 2 })
    expect(session.messages).toHaveLength(992) // 1003 − header − 10 model/thinking changes
    const first = session.messages[0]
    expect({ ...session, messages: [] }).toEqual({
      externalId: SID,
      source: 'pi',
      // line 2, the first user prompt, cut at 119 characters + '…'
      title:
        'alright, read @packages/coding-agent/src/main.ts @packages/coding-agent/src/tui/tui-renderer.ts in full. i feel like th…',
      projectPath: '/Users/badlogic/workspaces/pi-mono',
      projectName: 'pi-mono',
      cwd: '/Users/badlogic/workspaces/pi-mono',
      gitBranch: null,
      model: 'claude-opus-4-5', // the last billed answer
      provider: 'anthropic',
      agentVersion: null,
      // header branchedFrom: …/2025-12-09T00-52-54-397Z_d97339c6-….jsonl
      parentExternalId: 'd97339c6-6c10-4827-846b-9ff1d9c3dc37',
      startedAt: t('2025-12-09T00:53:29.825Z'), // the header: this file is a branch
      endedAt: t('2025-12-09T01:26:35.570Z'), // line 1003, a thinking_level_change
      reportedTotals: null,
      messages: [],
    })
    expect(first).toMatchObject({ externalId: `${SID}:2`, role: 'user', createdAt: 1765233665292 })
    // v1 is linear: each message's parent is the message before it
    session.messages.forEach((m, i) => {
      expect(m.parentExternalId).toBe(i === 0 ? null : session.messages[i - 1]?.externalId)
      expect(m.flags.includes('abandoned-branch')).toBe(false)
    })
    // lines 360 and 629, firstKeptEntryIndex 293 and 551 (no blank lines: index n = line n+1)
    const compactions = session.messages.filter((m) => m.flags.includes('compaction-summary'))
    expect(compactions.map((m) => [m.externalId, m.parts[1]])).toEqual([
      [
        `${SID}:360`,
        {
          type: 'other',
          kind: 'compaction',
          raw: { tokensBefore: 175004, firstKeptEntryId: `${SID}:294` },
        },
      ],
      [
        `${SID}:629`,
        {
          type: 'other',
          kind: 'compaction',
          raw: { tokensBefore: 185014, firstKeptEntryId: `${SID}:552` },
        },
      ],
    ])
    // 18 aborted + 1 error; kept in the transcript with an error part
    const failed = session.messages.filter((m) =>
      m.parts.some((p) => p.type === 'other' && p.kind === 'error'),
    )
    expect(failed).toHaveLength(19)
    // every entry but the last predates the branch's header (00:53:29.825): all inherited
    // from branchedFrom, so this file adds no usage of its own
    expect(totals(session)).toEqual({ ...tokens(0, 0, 0, 0), cost: 0, billed: 0 })
  })

  it('counts the whole $42.60 when the same file is not a branch', async () => {
    const lines = readFileSync(REAL_V1, 'utf8').split('\n')
    const { branchedFrom: _, ...header } = JSON.parse(lines[0] ?? '{}')
    const path = tmp('2025-12-09T00-53-29-825Z_ffae836b-9420-4060-ac13-7745215f90ff.jsonl', [
      header,
      ...lines.slice(1, -1),
    ])
    const { session } = await readOne(path)
    expect(session.parentExternalId).toBeNull()
    expect(session.startedAt).toBe(1765233665292) // line 2's message.timestamp
    // pitfall 4: of the 18 aborted + 1 error, the 13 with zero usage carry none
    const failed = session.messages.filter((m) =>
      m.parts.some((p) => p.type === 'other' && p.kind === 'error'),
    )
    expect(failed.map((m) => (m.usage === null ? 'none' : 'billed')).sort()).toEqual([
      ...Array<string>(6).fill('billed'),
      ...Array<string>(13).fill('none'),
    ])
    // 484 assistant lines − 13 failed with zero usage = 471 billed (6 aborted ones kept theirs)
    const sum = totals(session)
    expect({ ...sum, cost: 0 }).toEqual({
      ...tokens(3689, 187895, 54693675, 1685320),
      cost: 0,
      billed: 471,
    })
    expect(sum.cost).toBeCloseTo(42.5959075, 9)
  })
})
