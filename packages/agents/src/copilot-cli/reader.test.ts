/**
 * Golden tests of the Copilot CLI reader on the real 1.0.78 files (lantern harness, BYOK
 * Ollama qwen3:0.6b). Line numbers are the fixture's. Long texts are compared with the raw
 * `data` field of the line they come from, read here with JSON.parse (no reader code).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Part } from '@opensync/core/wire'
import { describe, expect, it } from 'vitest'
import type { NormalizedMessage, NormalizedSession, ReadResult } from '../reader.js'
import { readCopilotSession } from './reader.js'

const STATE = fileURLToPath(
  new URL('../../test/fixtures/copilot-cli/lantern-1.0.78/session-state/', import.meta.url),
)
const A_ID = '049410b4-c1df-44ee-87a5-caa1c349091e'
const B_ID = '8b23eac7-b9d0-4c24-8e3c-90f5f8a8d02b'
const A = join(STATE, A_ID, 'events.jsonl')
const B = join(STATE, B_ID, 'events.jsonl')

const t = (iso: string) => Date.parse(iso)
const text = (s: string): Part => ({ type: 'text', text: s })

/** `data` of the fixture's 1-based line `n`. */
function data(path: string, n: number): Record<string, string> {
  const line = readFileSync(path, 'utf8').split('\n')[n - 1] ?? ''
  return (JSON.parse(line) as { data: Record<string, string> }).data
}

function msg(
  m: Pick<NormalizedMessage, 'externalId' | 'role' | 'createdAt' | 'parts'> &
    Partial<NormalizedMessage>,
): NormalizedMessage {
  return {
    model: null,
    provider: null,
    text: m.parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n\n'),
    usage: null,
    reportedCost: null,
    durationMs: null,
    parentExternalId: null,
    flags: [],
    ...m,
  }
}

async function readOne(path: string): Promise<{ session: NormalizedSession; result: ReadResult }> {
  const result = await readCopilotSession(path)
  const [session] = result.sessions
  if (result.sessions.length !== 1 || session === undefined) throw new Error('expected 1 session')
  return { session, result }
}

describe('readCopilotSession: real 1.0.78 files', () => {
  it('reads session A: a prompt, two failed tool calls, an answer, shutdown totals', async () => {
    const { session: s, result } = await readOne(A)
    expect(result.issues).toEqual([])
    expect({ ...s, messages: [] }).toEqual({
      externalId: A_ID, // line 1 data.sessionId
      source: 'copilot-cli',
      // No workspace.yaml in the fixture: the first prompt (line 4 data.content).
      title: 'In src/orders.py make average_item_price return 0 when the cart has no items.',
      projectPath: '/work', // line 1 context.gitRoot
      projectName: 'work',
      cwd: '/work', // line 1 context.cwd
      gitBranch: 'master', // line 1 context.branch
      model: 'qwen3:0.6b', // line 15 currentModel
      provider: null,
      agentVersion: '1.0.78', // line 1 copilotVersion
      parentExternalId: null,
      startedAt: t('2026-08-05T20:40:13.471Z'), // line 1 startTime
      endedAt: t('2026-08-05T20:41:27.949Z'), // line 15 timestamp, the last event
      messages: [],
      // line 15 modelMetrics["qwen3:0.6b"].usage: inputTokens 4100, outputTokens 978
      // (978 = 470 + 508, the outputTokens of the two assistant.message lines 6 and 13).
      reportedTotals: { promptTokens: 4100, completionTokens: 978 },
    })
    expect(s.messages).toEqual([
      msg({
        externalId: 'f18b1a9d-941d-45d5-b52f-81f4d2ed4a17', // line 4
        role: 'user',
        createdAt: t('2026-08-05T20:40:13.638Z'),
        parts: [
          text('In src/orders.py make average_item_price return 0 when the cart has no items.'),
        ],
      }),
      msg({
        externalId: '56ed2062-2c6e-4124-8995-313c50fc00c1', // line 6
        role: 'assistant',
        createdAt: t('2026-08-05T20:40:49.088Z'),
        model: 'qwen3:0.6b',
        // 20:40:49.088 − 20:40:13.684 (line 5, assistant.turn_start, its parent)
        durationMs: 35_404,
        parentExternalId: 'f18b1a9d-941d-45d5-b52f-81f4d2ed4a17',
        parts: [
          { type: 'reasoning', text: data(A, 6).reasoningText ?? '' },
          // content is "": no text part
          {
            type: 'tool-call',
            callId: 'call_fpjobf9a',
            name: 'view',
            args: { file_path: 'src/orders.py' },
          },
          {
            type: 'tool-call',
            callId: 'call_de798t9c',
            name: 'view',
            args: { file_path: 'src/orders.py' },
          },
        ],
      }),
      msg({
        externalId: '8e3600c7-79c4-4637-a87a-553e0fb60fe2', // line 9
        role: 'tool',
        createdAt: t('2026-08-05T20:40:49.097Z'),
        parentExternalId: '56ed2062-2c6e-4124-8995-313c50fc00c1', // requested call_fpjobf9a
        parts: [
          {
            type: 'tool-result',
            callId: 'call_fpjobf9a',
            name: 'view', // line 7 tool.execution_start toolName
            output: '"path": Required', // error.message
            isError: true, // success: false
          },
        ],
      }),
      msg({
        externalId: '89634c71-c952-4daf-8c02-705d2a208ebe', // line 10
        role: 'tool',
        createdAt: t('2026-08-05T20:40:49.147Z'),
        parentExternalId: '56ed2062-2c6e-4124-8995-313c50fc00c1',
        parts: [
          {
            type: 'tool-result',
            callId: 'call_de798t9c',
            name: 'view',
            output: '"path": Required',
            isError: true,
          },
        ],
      }),
      msg({
        externalId: 'ec2e2a73-00b3-4694-82e4-f65b5869cf44', // line 13
        role: 'assistant',
        createdAt: t('2026-08-05T20:41:27.884Z'),
        model: 'qwen3:0.6b',
        durationMs: 38_706, // 20:41:27.884 − 20:40:49.178 (line 12, turn_start)
        // Parent chain: line 12 → 11 → 10, the last tool result.
        parentExternalId: '89634c71-c952-4daf-8c02-705d2a208ebe',
        parts: [
          { type: 'reasoning', text: data(A, 13).reasoningText ?? '' },
          text(data(A, 13).content ?? ''),
        ],
      }),
    ])
    // The two generation times add up to the shutdown's totalApiDurationMs (74135) within 25 ms.
    expect(35_404 + 38_706).toBe(74_110)
  })

  it('reads session B: one prompt, one answer', async () => {
    const { session: s, result } = await readOne(B)
    expect(result.issues).toEqual([])
    expect([s.externalId, s.startedAt, s.endedAt, s.reportedTotals]).toEqual([
      B_ID,
      t('2026-08-05T20:41:29.297Z'),
      t('2026-08-05T20:41:58.785Z'),
      // line 8 modelMetrics: inputTokens 2050; outputTokens 382 (= line 6 outputTokens)
      { promptTokens: 2050, completionTokens: 382 },
    ])
    expect(s.messages).toEqual([
      msg({
        externalId: '5fe32849-87f2-4f2f-af9a-2b5768338990',
        role: 'user',
        createdAt: t('2026-08-05T20:41:29.549Z'),
        parts: [
          text(
            'Read the file /work/src/orders.py using an absolute path and reply with its first line only.',
          ),
        ],
      }),
      msg({
        externalId: '18412dfd-e7de-4067-9f29-ac2eb2aa3ee5',
        role: 'assistant',
        createdAt: t('2026-08-05T20:41:58.678Z'),
        model: 'qwen3:0.6b',
        durationMs: 29_060, // 20:41:58.678 − 20:41:29.618 (line 5); totalApiDurationMs 29093
        parentExternalId: '5fe32849-87f2-4f2f-af9a-2b5768338990',
        parts: [
          { type: 'reasoning', text: data(B, 6).reasoningText ?? '' },
          text(data(B, 6).content ?? ''),
        ],
      }),
    ])
  })
})

describe('readCopilotSession: synthetic edge cases', () => {
  const ev = (n: number, type: string, d: unknown, parentId: string | null = null) => ({
    type,
    data: d,
    id: `e${n}`,
    timestamp: `2026-01-01T00:00:0${n}.000Z`,
    parentId,
  })

  function session(rows: readonly unknown[], extra = ''): string {
    const dir = join(mkdtempSync(join(tmpdir(), 'copilot-')), 'sess-1')
    mkdirSync(dir)
    writeFileSync(
      join(dir, 'events.jsonl'),
      rows.map((r) => `${JSON.stringify(r)}\n`).join('') + extra,
    )
    return join(dir, 'events.jsonl')
  }

  it('adds the shutdowns of every run (each resume resets the counters), over every model', async () => {
    const metrics = (input: number, output: number) => ({
      requests: { count: 1, cost: 1 },
      usage: {
        inputTokens: input,
        outputTokens: output,
        cacheReadTokens: 50,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
      },
    })
    const path = session([
      ev(1, 'session.start', { sessionId: 'sess-1', startTime: '2026-01-01T00:00:00.500Z' }),
      ev(2, 'session.shutdown', {
        modelMetrics: { 'gpt-5': metrics(100, 10) },
        currentModel: 'gpt-5',
      }),
      ev(3, 'session.resume', { context: { cwd: '/late' } }),
      ev(4, 'session.shutdown', {
        modelMetrics: { 'gpt-5': metrics(200, 20), 'claude-sonnet-4.5': metrics(300, 30) },
        currentModel: 'claude-sonnet-4.5',
      }),
    ])
    const { session: s } = await readOne(path)
    // 100 + 200 + 300 and 10 + 20 + 30; cache reads are inside inputTokens, not added.
    expect(s.reportedTotals).toEqual({ promptTokens: 600, completionTokens: 60 })
    expect([s.model, s.cwd, s.startedAt]).toEqual([
      'claude-sonnet-4.5',
      '/late', // no context on session.start: session.resume's
      t('2026-01-01T00:00:00.500Z'),
    ])
  })

  it('has no totals without a shutdown, reads results, and reports bad lines', async () => {
    const path = session(
      [
        ev(1, 'session.start', { sessionId: 'sess-1' }),
        ev(2, 'assistant.message', {
          content: 'ok',
          toolRequests: [{ toolCallId: 'c1', name: 'bash', arguments: '{"command":"ls"}' }],
        }),
        ev(
          3,
          'tool.execution_complete',
          { toolCallId: 'c1', success: true, result: { content: 'a.txt' } },
          'e2',
        ),
        ev(4, 'session.warp_drive', {}),
        { data: {} },
      ],
      'not json\n',
    )
    const { session: s, result } = await readOne(path)
    expect(result.issues).toEqual([
      {
        file: path,
        line: 4,
        code: 'unknown-record',
        message: 'unknown event type "session.warp_drive"',
      },
      { file: path, line: 5, code: 'invalid-record', message: 'event without a string "type"' },
      { file: path, line: 6, code: 'invalid-json', message: expect.any(String) },
    ])
    expect(s.reportedTotals).toBeNull()
    expect(s.title).toBeNull() // no user message
    expect(s.messages.map((m) => [m.externalId, m.role, m.parts, m.durationMs])).toEqual([
      [
        'e2',
        'assistant',
        [text('ok'), { type: 'tool-call', callId: 'c1', name: 'bash', args: { command: 'ls' } }],
        null, // its parent is unknown: no duration
      ],
      [
        'e3',
        'tool',
        [{ type: 'tool-result', callId: 'c1', name: null, output: 'a.txt', isError: false }],
        null,
      ],
    ])
  })

  it("takes the title from workspace.yaml's summary", async () => {
    const path = session([ev(1, 'user.message', { content: 'the prompt' })])
    for (const [yaml, title] of [
      ['id: x\nsummary: Fix the cart total\ncwd: /w\n', 'Fix the cart total'],
      ["summary: 'Quoted: title'\n", 'Quoted: title'],
      ['summary: >-\n  Folded\n  title\ncreated_at: now\n', 'Folded title'],
      ['cwd: /w\n', 'the prompt'],
    ] as const) {
      writeFileSync(join(path, '..', 'workspace.yaml'), yaml)
      expect((await readOne(path)).session.title).toBe(title)
    }
  })

  it('reports an unreadable file and reads nothing from an empty one', async () => {
    const missing = join(tmpdir(), 'copilot-nowhere', 'events.jsonl')
    const result = await readCopilotSession(missing)
    expect(result.sessions).toEqual([])
    expect(result.issues.map((i) => [i.line, i.code])).toEqual([[null, 'unreadable']])
    expect(await readCopilotSession(session([]))).toEqual({ sessions: [], issues: [] })
  })
})
