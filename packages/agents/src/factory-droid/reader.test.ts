/**
 * Golden tests of the Factory Droid reader on SYNTHETIC fixtures written to
 * `reference/agent-formats.md` §5 (no real Droid file was found). Line numbers are the
 * transcript's; totals come from the sidecar named in the comment.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Part } from '@opensync/core/wire'
import { describe, expect, it } from 'vitest'
import type { NormalizedMessage, NormalizedSession, ReadResult } from '../reader.js'
import { readDroidSession } from './reader.js'

const DIR = fileURLToPath(
  new URL(
    '../../test/fixtures/factory-droid/synthetic/home/.factory/sessions/-home-dev-shop-api/',
    import.meta.url,
  ),
)
const MAIN_ID = '3f7c2a10-5b6d-4e8f-9a0b-1c2d3e4f5a6b'
const SUB_ID = '9d4e8b21-7c3a-4f5e-8d6c-2b1a0f9e8d7c'
const MAIN = join(DIR, `${MAIN_ID}.jsonl`)
const SUB = join(DIR, `${SUB_ID}.jsonl`)

const t = (iso: string) => Date.parse(iso)
const text = (s: string): Part => ({ type: 'text', text: s })

function msg(
  m: Pick<NormalizedMessage, 'externalId' | 'role' | 'createdAt' | 'parts'> &
    Partial<NormalizedMessage>,
): NormalizedMessage {
  return {
    model: null,
    provider: null,
    text: m.parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n\n'),
    usage: null, // Droid records no per-message usage
    reportedCost: null,
    durationMs: null,
    parentExternalId: null,
    flags: [],
    ...m,
  }
}

async function readOne(path: string): Promise<{ session: NormalizedSession; result: ReadResult }> {
  const result = await readDroidSession(path)
  const [session] = result.sessions
  if (result.sessions.length !== 1 || session === undefined) throw new Error('expected 1 session')
  return { session, result }
}

function tmpSession(lines: string, settings?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'droid-'))
  writeFileSync(join(dir, 's-1.jsonl'), lines)
  if (settings !== undefined) writeFileSync(join(dir, 's-1.settings.json'), settings)
  return join(dir, 's-1.jsonl')
}

describe('readDroidSession', () => {
  it('reads the main session: transcript messages, sidecar model and totals', async () => {
    const { session: s, result } = await readOne(MAIN)
    expect(result.issues).toEqual([])
    expect({ ...s, messages: [] }).toEqual({
      externalId: MAIN_ID, // line 1 session_start.id
      source: 'factory-droid',
      title: 'Paginate the orders endpoint', // line 1 sessionTitle
      projectPath: '/home/dev/shop-api', // line 1 cwd
      projectName: 'shop-api',
      cwd: '/home/dev/shop-api',
      gitBranch: null,
      model: 'Claude-Sonnet-4.5-0', // settings "custom:Claude-Sonnet-4.5-0", prefix removed
      provider: 'anthropic', // settings providerLock
      agentVersion: null,
      parentExternalId: null,
      startedAt: t('2026-04-02T14:00:00.000Z'), // line 2, the first message
      endedAt: t('2026-04-02T14:00:55.000Z'), // line 9, the last message
      messages: [],
      // settings tokenUsage {input 1840, output 2210, cacheCreation 15320, cacheRead 88400,
      // thinking 640, total 108410}: prompt 1840 + 15320 + 88400 = 105560;
      // completion 2210 + 640 = 2850 (105560 + 2850 = 108410, the recorded total).
      reportedTotals: { promptTokens: 105_560, completionTokens: 2850 },
    })
    expect(s.messages).toEqual([
      msg({
        externalId: 'm-01',
        role: 'user',
        createdAt: t('2026-04-02T14:00:00.000Z'),
        parts: [
          {
            type: 'other',
            kind: 'system-reminder',
            raw: {
              text: '<system-reminder>\nModel: Claude Sonnet 4.5\nAutonomy: auto-medium\n</system-reminder>',
            },
          },
          text(
            'Add pagination to GET /orders (page and pageSize query params, default pageSize 20)',
          ),
          { type: 'image', mediaType: 'image/png', url: null }, // base64 payload dropped
        ],
      }),
      msg({
        externalId: 'm-02',
        role: 'assistant',
        createdAt: t('2026-04-02T14:00:06.000Z'),
        parentExternalId: 'm-01',
        parts: [
          { type: 'reasoning', text: 'Find the route handler first.' },
          text("I'll look at the orders route."),
          {
            type: 'tool-call',
            callId: 'toolu_01',
            name: 'Read',
            args: { file_path: '/home/dev/shop-api/src/routes/orders.ts' },
          },
        ],
      }),
      msg({
        externalId: 'm-03',
        role: 'tool', // only tool_result blocks
        createdAt: t('2026-04-02T14:00:07.000Z'),
        parentExternalId: 'm-02',
        parts: [
          {
            type: 'tool-result',
            callId: 'toolu_01',
            name: 'Read', // from the tool_use it answers
            output: "router.get('/orders', listOrders)",
            isError: false,
          },
        ],
      }),
      msg({
        externalId: 'm-04',
        role: 'assistant',
        createdAt: t('2026-04-02T14:00:15.000Z'),
        parentExternalId: 'm-03',
        parts: [
          {
            type: 'tool-call',
            callId: 'toolu_02',
            name: 'Task',
            args: {
              subagent_type: 'code-search',
              description: 'Find callers',
              prompt: 'Find every caller of listOrders',
            },
          },
        ],
      }),
      msg({
        externalId: 'm-05',
        role: 'tool',
        createdAt: t('2026-04-02T14:00:40.000Z'),
        parentExternalId: 'm-04',
        parts: [
          {
            type: 'tool-result',
            callId: 'toolu_02',
            name: 'Task',
            output: `agentId: ${SUB_ID}\nlistOrders is only called from src/routes/orders.ts`,
            isError: false,
          },
        ],
      }),
      msg({
        externalId: 'm-06',
        role: 'assistant',
        createdAt: t('2026-04-02T14:00:48.000Z'),
        parentExternalId: 'm-05',
        parts: [
          {
            type: 'tool-call',
            callId: 'toolu_03',
            name: 'Edit',
            args: {
              file_path: '/home/dev/shop-api/src/routes/orders.ts',
              old_str: 'listOrders)',
              new_str: 'paginate(listOrders))',
            },
          },
        ],
      }),
      msg({
        externalId: 'm-07',
        role: 'tool',
        createdAt: t('2026-04-02T14:00:49.000Z'),
        parentExternalId: 'm-06',
        parts: [
          {
            type: 'tool-result',
            callId: 'toolu_03',
            name: 'Edit',
            output: 'Edited src/routes/orders.ts',
            isError: false,
          },
        ],
      }),
      msg({
        externalId: 'm-08',
        role: 'assistant',
        createdAt: t('2026-04-02T14:00:55.000Z'),
        parentExternalId: 'm-07',
        parts: [text('GET /orders now takes page and pageSize (default 20).')],
      }),
    ])
  })

  it('links a worker session to its caller and reads its own sidecar', async () => {
    const { session: s, result } = await readOne(SUB)
    expect(result.issues).toEqual([])
    expect([s.externalId, s.parentExternalId, s.title, s.model, s.reportedTotals]).toEqual([
      SUB_ID,
      MAIN_ID, // line 1 callingSessionId
      'Find every caller of listOrders', // sessionTitle is "": the first prompt
      'claude-haiku-4-5',
      // {input 620, output 310, cacheCreation 4100, cacheRead 9800, thinking 0}
      { promptTokens: 14_520, completionTokens: 310 },
    ])
    expect(s.messages.map((m) => [m.externalId, m.role, m.text])).toEqual([
      ['s-01', 'user', 'Find every caller of listOrders'],
      ['s-02', 'assistant', ''],
      ['s-03', 'tool', ''],
      ['s-04', 'assistant', 'listOrders is only called from src/routes/orders.ts'],
    ])
  })

  it('without a sidecar: no totals, the model from a system reminder, dates from messages', async () => {
    const path = tmpSession(
      [
        '{"type":"session_start","id":"s-1","title":"","sessionTitle":"","cwd":"/w","version":2}',
        '{"type":"message","id":"a","timestamp":"2026-01-01T00:00:01.000Z","message":{"role":"user","content":[{"type":"text","text":"<system-reminder>Model: GPT-5 Codex</system-reminder>"}]}}',
        '{"type":"message","id":"b","timestamp":"2026-01-01T00:00:02.000Z","message":{"role":"user","content":"typed prompt"}}',
        '',
      ].join('\n'),
    )
    const { session: s, result } = await readOne(path)
    expect(result.issues).toEqual([])
    expect([s.model, s.provider, s.reportedTotals, s.title]).toEqual([
      'GPT-5 Codex',
      null,
      null,
      'typed prompt',
    ])
    expect(s.messages.map((m) => [m.externalId, m.flags])).toEqual([
      ['a', ['synthetic']], // only injected reminder text
      ['b', []],
    ])
  })

  it('turns garbage lines and a broken sidecar into issues and keeps the rest', async () => {
    const path = tmpSession(
      [
        '{"type":"session_start","id":"s-1","cwd":"/w"}',
        'garbage',
        '[]',
        '{"type":"todo_state","todos":[]}',
        '{"type":"message","id":"x"}',
        '{"type":"session_start","id":"again"}',
        '{"type":"message","id":"ok","timestamp":"2026-01-01T00:00:00.000Z","message":{"role":"assistant","content":[{"type":"text","text":"hi"}]}}',
        '',
      ].join('\n'),
      '{"model": ',
    )
    const settings = path.replace(/\.jsonl$/, '.settings.json')
    const { session: s, result } = await readOne(path)
    expect(result.issues.map((i) => [i.file, i.line, i.code])).toEqual([
      [path, 2, 'invalid-json'],
      [path, 3, 'invalid-record'],
      [path, 4, 'unknown-record'],
      [path, 5, 'invalid-record'],
      [path, 6, 'invalid-record'],
      [settings, null, 'invalid-json'],
    ])
    expect(s.messages.map((m) => m.externalId)).toEqual(['ok'])
    expect(s.reportedTotals).toBeNull()
  })

  it('reports an empty or missing transcript with no session', async () => {
    const empty = tmpSession('')
    expect(await readDroidSession(empty)).toEqual({
      sessions: [],
      issues: [
        {
          file: empty,
          line: null,
          code: 'unsupported-format',
          message: 'no session_start and no message lines',
        },
      ],
    })
    const missing = join(tmpdir(), 'droid-nowhere', 'x.jsonl')
    expect((await readDroidSession(missing)).issues.map((i) => i.code)).toEqual(['unreadable'])
  })
})
