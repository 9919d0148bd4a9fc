import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  cleanUp,
  dataDirWith,
  dbSource,
  LEGACY,
  legacyTreeAsRows,
  message,
  mockllmDump,
  treeSource,
  usage,
} from '../../test/fixtures/opencode/support.js'
import type { NormalizedSession } from '../reader.js'
import { opencodeReader } from './index.js'

// The synthetic tree of test/fixtures/opencode/legacy-json (SOURCES.md): every number below is
// written in its files; the comments say which.
afterAll(cleanUp)

describe('opencodeReader: legacy JSON tree (before v1.2), synthetic fixture', () => {
  const T0 = 1768899600000 // 2026-01-20T09:00:00.000Z, the fixture's clock
  const S1 = 'ses_7ffe000000001LegacyMain'
  const S2 = 'ses_7ffd000000001LegacyChild'
  const S3 = 'ses_e026b329affezw6SIIS5VH0oib'
  const sonnet = { model: 'claude-sonnet-4-5', provider: 'anthropic' }
  const haiku = { model: 'claude-haiku-4-5', provider: 'anthropic' }
  const prompt =
    'Fix the failing test in src/math.ts, then explain the cause in one paragraph. The test runner is `npm test`; please do not touch package.json or the lockfile.'
  const calc = {
    source: 'opencode',
    projectPath: '/home/dev/calc',
    projectName: 'calc',
    cwd: '/home/dev/calc',
    gitBranch: null,
    agentVersion: '1.1.36',
    reportedTotals: null,
  } as const

  const main: NormalizedSession = {
    ...calc,
    externalId: S1,
    // "New session - 2026-01-20T09:00:00.000Z" is a placeholder: the first prompt, cut to 120.
    title:
      'Fix the failing test in src/math.ts, then explain the cause in one paragraph. The test runner is `npm test`; please do…',
    ...sonnet,
    parentExternalId: null,
    startedAt: T0,
    endedAt: T0 + 101000, // msg_a006 (still running) is the latest message
    messages: [
      message(sonnet, {
        externalId: 'msg_a001',
        createdAt: T0,
        text: prompt,
        parts: [
          { type: 'text', text: prompt },
          {
            type: 'other',
            kind: 'synthetic-text',
            raw: {
              text: 'Called the Read tool with the following input: {"filePath":"/home/dev/calc/src/math.ts"}',
            },
          },
          { type: 'file', path: 'src/math.ts', mediaType: 'text/plain', text: null },
          // prt_a001_4 is `ignored: true`: dropped.
        ],
      }),
      // Pitfall 1: msg_a002 is ONE message with TWO steps. Its message.tokens {input 150,
      // output 40, cache.read 6200} is only the last step; message.cost 0.0168 is the sum.
      message(sonnet, {
        externalId: 'msg_a002',
        role: 'assistant',
        createdAt: T0 + 1000,
        durationMs: 2000, // to the step's last part end (bash tool, T0 + 3000)
        parts: [
          {
            type: 'reasoning',
            text: 'The test compares add(2, 3) with 5; check the implementation.',
          },
          { type: 'text', text: "I'll run the tests first." },
          {
            type: 'tool-call',
            callId: 'toolu_01',
            name: 'bash',
            args: { command: 'npm test', description: 'Run tests' },
          },
          {
            type: 'tool-result',
            callId: 'toolu_01',
            name: 'bash',
            output: 'FAIL src/math.test.ts\n  add adds: expected 5, received -1\n',
            isError: false,
          },
        ],
        // step-finish prt_a002_05 {input 1200, output 80, reasoning 30, cache 5000/300}, no
        // `total`: the pre-AI-SDK-v6 semantics, output already includes the reasoning.
        usage: {
          input: 1200,
          output: 80,
          cacheRead: 5000,
          cacheWrite5m: 300,
          cacheWrite1h: 0,
          reasoning: 30,
        },
        reportedCost: 0.0123,
        parentExternalId: 'msg_a001',
      }),
      message(sonnet, {
        externalId: 'msg_a002#2',
        role: 'assistant',
        createdAt: T0 + 5000, // the edit tool's state.time.start (legacy step-starts carry no time)
        durationMs: 4000, // to the message's time.completed, T0 + 9000
        parts: [
          {
            type: 'tool-call',
            callId: 'toolu_02',
            name: 'edit',
            args: {
              filePath: '/home/dev/calc/src/math.ts',
              oldString: 'a - b',
              newString: 'a + b',
            },
          },
          {
            type: 'tool-result',
            callId: 'toolu_02',
            name: 'edit',
            output: 'Error: oldString not found in content',
            isError: true,
          },
          { type: 'text', text: 'The edit did not apply: the file changed since I read it.' },
          { type: 'patch', path: '/home/dev/calc/src/math.ts', diff: '' },
        ],
        // step-finish prt_a002_09.
        usage: usage(150, 40, 6200),
        reportedCost: 0.0045,
        parentExternalId: 'msg_a001',
      }),
      message(sonnet, {
        externalId: 'msg_a003',
        createdAt: T0 + 60000,
        parts: [{ type: 'other', kind: 'compaction', raw: { type: 'compaction', auto: true } }],
        flags: ['synthetic'],
      }),
      message(sonnet, {
        externalId: 'msg_a004',
        role: 'assistant',
        createdAt: T0 + 61000,
        durationMs: 9000,
        parts: [
          { type: 'reasoning', text: 'Summarise the session so far.' },
          {
            type: 'text',
            text: 'Summary: add() subtracts, so its test fails; one edit was attempted and failed.',
          },
        ],
        // {total 9065, input 800, output 200, reasoning 65, cache.read 8000}: 800 + 200 + 65 +
        // 8000 = 9065, so output leaves reasoning out: 200 + 65 = 265.
        usage: usage(800, 265, 8000, 65),
        reportedCost: 0.0031,
        parentExternalId: 'msg_a003',
        flags: ['compaction-summary'],
      }),
      message(sonnet, {
        externalId: 'msg_a005',
        createdAt: T0 + 100000,
        parts: [
          { type: 'text', text: 'Now ask @docs to update README.md.' },
          {
            type: 'other',
            kind: 'agent',
            raw: { type: 'agent', name: 'docs', source: { value: '@docs', start: 8, end: 13 } },
          },
          {
            type: 'other',
            kind: 'subtask',
            raw: {
              type: 'subtask',
              agent: 'docs',
              description: 'Update README',
              prompt: 'Update README.md with the add() fix.',
            },
          },
        ],
      }),
      message(sonnet, {
        externalId: 'msg_a006',
        role: 'assistant',
        createdAt: T0 + 101000,
        // Running: no step-finish, all-zero message tokens and cost → no usage, no cost.
        parts: [
          { type: 'text', text: 'Delegating to @docs.' },
          {
            type: 'tool-call',
            callId: 'toolu_03',
            name: 'task',
            args: {
              description: 'Update README',
              prompt: 'Update README.md with the add() fix.',
              subagent_type: 'docs',
            },
          },
        ],
        parentExternalId: 'msg_a005',
      }),
    ],
  }
  const child: NormalizedSession = {
    ...calc,
    externalId: S2,
    title: 'Update README (@docs subagent)',
    ...haiku,
    parentExternalId: S1,
    startedAt: T0 + 102100,
    endedAt: T0 + 110000,
    messages: [
      message(haiku, {
        externalId: 'msg_b001',
        createdAt: T0 + 102200,
        parts: [{ type: 'text', text: 'Update README.md with the add() fix.' }],
      }),
      message(haiku, {
        externalId: 'msg_b002',
        role: 'assistant',
        createdAt: T0 + 102300,
        durationMs: 1700,
        text: 'Updating README.md now.',
        parts: [
          { type: 'text', text: 'Updating README.md now.' },
          {
            type: 'other',
            kind: 'error',
            raw: { name: 'MessageAbortedError', data: { message: 'Aborted' } },
          },
        ],
        parentExternalId: 'msg_b001',
      }),
      message(haiku, {
        externalId: 'msg_b003',
        createdAt: T0 + 105000,
        parts: [{ type: 'text', text: 'Try again.' }],
      }),
      message(haiku, {
        externalId: 'msg_b004',
        role: 'assistant',
        createdAt: T0 + 105100,
        durationMs: 4900,
        parts: [{ type: 'text', text: 'README.md updated.' }],
        // No step parts at all: message.tokens is the only record (one step).
        usage: {
          input: 3000,
          output: 120,
          cacheRead: 0,
          cacheWrite5m: 2500,
          cacheWrite1h: 0,
          reasoning: 0,
        },
        reportedCost: 0.0009,
        parentExternalId: 'msg_b003',
      }),
    ],
  }
  const frozen: NormalizedSession = {
    externalId: S3,
    source: 'opencode',
    // The real placeholder title of this session (plugin-events.jsonl) → its first prompt.
    title: '"Say hello"',
    projectPath: '/tmp/agentlab/opencode/work',
    projectName: 'work',
    cwd: '/tmp/agentlab/opencode/work',
    gitBranch: null,
    model: 'mock-model',
    provider: 'mock',
    agentVersion: '1.18.33',
    parentExternalId: null,
    startedAt: 1795255749989,
    endedAt: 1795255750032,
    reportedTotals: null,
    messages: [
      message(
        { model: 'mock-model', provider: 'mock' },
        {
          externalId: 'msg_1fd94cd900019uIUCH8jc7xq2Q',
          createdAt: 1795255750032,
          parts: [{ type: 'text', text: '"Say hello"' }],
        },
      ),
    ],
  }

  it('reads every session exactly, and reports the broken files', async () => {
    const dir = dataDirWith(null, true)
    const storage = join(dir, 'storage')
    const result = await opencodeReader.read(treeSource(storage))
    expect(result.sessions).toEqual([main, child, frozen])
    expect(result.issues).toEqual([
      {
        file: join(storage, 'part', 'msg_a005', 'prt_a005_9.json'),
        line: null,
        code: 'invalid-record',
        message: 'not a JSON object',
      },
      {
        file: join(storage, 'message', S1, 'msg_a007.json'),
        line: null,
        code: 'invalid-json',
        message: expect.stringMatching(/JSON/),
      },
    ])
  })

  it('pitfall 1: per-step usage, not message.tokens (which is the last step only)', async () => {
    const file = join(LEGACY, 'message', S1, 'msg_a002.json')
    const stored = JSON.parse(readFileSync(file, 'utf8')) as {
      cost: number
      tokens: { input: number; output: number }
    }
    expect(stored.tokens).toMatchObject({ input: 150, output: 40 })
    const { sessions } = await opencodeReader.read(
      treeSource(join(dataDirWith(null, true), 'storage')),
    )
    const read = sessions.find((s) => s.externalId === S1)?.messages ?? []
    const steps = read.filter((m) => m.externalId.startsWith('msg_a002'))
    expect(steps.map((m) => m.usage?.input)).toEqual([1200, 150])
    expect(steps.reduce((sum, m) => sum + (m.usage?.input ?? 0), 0)).toBe(1350) // not 150
    expect(steps.reduce((sum, m) => sum + (m.reportedCost ?? 0), 0)).toBeCloseTo(stored.cost, 10)
  })

  it('a database built from the same tree gives the same messages (SQLite multi-step)', async () => {
    const dir = dataDirWith(legacyTreeAsRows(LEGACY, mockllmDump()))
    const fromDb = await opencodeReader.read(dbSource(join(dir, 'opencode.db')))
    expect(fromDb.issues).toEqual([])
    // Times aside (the rebuilt part rows have time_created 0), everything matches.
    const strip = (s: NormalizedSession) => ({
      ...s,
      messages: s.messages.map(({ createdAt, durationMs, ...m }) => m),
    })
    expect(fromDb.sessions.map(strip)).toEqual([main, child, frozen].map(strip))
  })
})
