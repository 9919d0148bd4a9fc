import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Part, Tokens } from '@opensync/core/wire'
import { describe, expect, it } from 'vitest'
import type { NormalizedMessage, NormalizedSession, ReadResult } from '../reader.js'
import { readRollout } from './reader.js'

/**
 * Golden tests over the copied fixtures (test/fixtures/codex/SOURCES.md): the third-party
 * synthetic files, the redacted real localpush files (Codex Desktop 0.104.0-alpha.1) and the lab
 * files of the real `@openai/codex` 0.169.0 binary against mockllm.
 */

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/codex/', import.meta.url))
const fixture = (...parts: string[]) => join(FIXTURES, ...parts)
const at = (iso: string) => Date.parse(iso)

function tokens(input: number, output: number, cacheRead: number, rest: Partial<Tokens> = {}) {
  return { input, output, cacheRead, cacheWrite5m: 0, cacheWrite1h: 0, reasoning: 0, ...rest }
}

type Expected = Partial<NormalizedMessage> & Pick<NormalizedMessage, 'externalId' | 'role'>

/** A message with the defaults most messages share; `text` is the text parts joined. */
function message(m: Expected): NormalizedMessage {
  const parts: readonly Part[] = m.parts ?? []
  return {
    createdAt: null,
    model: null,
    provider: null,
    text: parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n\n'),
    parts,
    usage: null,
    reportedCost: null,
    durationMs: null,
    parentExternalId: null,
    flags: [],
    ...m,
  }
}

const text = (t: string): Part => ({ type: 'text', text: t })

function only(result: ReadResult): NormalizedSession {
  expect(result.sessions).toHaveLength(1)
  const [session] = result.sessions
  if (!session) throw new Error('no session')
  return session
}

function sum(messages: readonly NormalizedMessage[]): Tokens {
  const total = tokens(0, 0, 0)
  for (const m of messages) {
    if (!m.usage) continue
    total.input += m.usage.input
    total.output += m.usage.output
    total.cacheRead += m.usage.cacheRead
    total.cacheWrite5m += m.usage.cacheWrite5m
    total.cacheWrite1h += m.usage.cacheWrite1h
    total.reasoning += m.usage.reasoning
  }
  return total
}

function countBy(messages: readonly NormalizedMessage[]) {
  const out: Record<string, number> = {}
  for (const m of messages) {
    const key = [m.role, ...m.flags].join('/')
    out[key] = (out[key] ?? 0) + 1
  }
  return out
}

function partCounts(messages: readonly NormalizedMessage[]) {
  const out: Record<string, number> = {}
  for (const p of messages.flatMap((m) => m.parts)) out[p.type] = (out[p.type] ?? 0) + 1
  return out
}

describe('claude-code-log synthetic rollouts (SYNTHETIC, modelled on codex-cli 0.144.1)', () => {
  const dir = ['claude-code-log-synthetic', 'sessions', '2026', '01']

  it('1111: every main response_item kind, one request per tool round, unknown type reported', async () => {
    const path = fixture(
      ...dir,
      '02',
      'rollout-2026-01-02T03-04-05-11111111-1111-4111-8111-111111111111.jsonl',
    )
    const result = await readRollout(path)
    const id = '11111111-1111-4111-8111-111111111111'
    const assistant = { model: 'synthetic-model', provider: 'synthetic' }
    expect(result).toEqual({
      sessions: [
        {
          externalId: id,
          source: 'codex-cli',
          title: 'List the synthetic files.',
          projectPath: '/workspace/synthetic-project',
          projectName: 'synthetic-project',
          cwd: '/workspace/synthetic-project',
          gitBranch: null,
          model: 'synthetic-model',
          provider: 'synthetic',
          agentVersion: '0.0.0-test',
          parentExternalId: null,
          startedAt: at('2026-01-02T03:04:05.000Z'),
          endedAt: at('2026-01-02T03:04:15.001Z'),
          reportedTotals: null,
          messages: [
            // Line 3 (event user_message) and line 4 (item) are one message: the item is kept.
            message({
              externalId: `${id}:4`,
              role: 'user',
              createdAt: at('2026-01-02T03:04:07.001Z'),
              parts: [text('List the synthetic files.')],
            }),
            // No token_count in this file: each tool output starts a new assistant message.
            message({
              externalId: `${id}:5`,
              role: 'assistant',
              createdAt: at('2026-01-02T03:04:08.000Z'),
              ...assistant,
              parts: [
                { type: 'reasoning', text: 'I will inspect the synthetic directory.' },
                {
                  type: 'tool-call',
                  callId: 'call-structured-001',
                  name: 'exec_command',
                  args: { cmd: 'find . -maxdepth 1 -type f' },
                },
              ],
            }),
            message({
              externalId: `${id}:7`,
              role: 'tool',
              createdAt: at('2026-01-02T03:04:10.000Z'),
              parts: [
                {
                  type: 'tool-result',
                  callId: 'call-structured-001',
                  name: 'exec_command',
                  output: './alpha.txt\n./beta.txt',
                  isError: false,
                },
              ],
            }),
            message({
              externalId: `${id}:8`,
              role: 'assistant',
              createdAt: at('2026-01-02T03:04:11.000Z'),
              ...assistant,
              parts: [
                {
                  type: 'tool-call',
                  callId: 'call-custom-001',
                  name: 'apply_patch',
                  args: '*** Begin Patch\n*** Add File: gamma.txt\n+synthetic\n*** End Patch',
                },
                { type: 'patch', path: 'gamma.txt', diff: '*** Add File: gamma.txt\n+synthetic' },
              ],
            }),
            // custom_tool_call_output as content items [{type: output_text}].
            message({
              externalId: `${id}:9`,
              role: 'tool',
              createdAt: at('2026-01-02T03:04:12.000Z'),
              parts: [
                {
                  type: 'tool-result',
                  callId: 'call-custom-001',
                  name: 'apply_patch',
                  output: 'Done!',
                  isError: false,
                },
              ],
            }),
            message({
              externalId: `${id}:10`,
              role: 'assistant',
              createdAt: at('2026-01-02T03:04:13.000Z'),
              ...assistant,
              parts: [
                {
                  type: 'tool-call',
                  callId: 'call-mcp-001',
                  name: 'mcp__synthetic__lookup',
                  args: { query: 'fixture' },
                },
              ],
            }),
            // JSON that is neither {output, metadata} nor an MCP CallToolResult stays as written.
            message({
              externalId: `${id}:11`,
              role: 'tool',
              createdAt: at('2026-01-02T03:04:14.000Z'),
              parts: [
                {
                  type: 'tool-result',
                  callId: 'call-mcp-001',
                  name: 'mcp__synthetic__lookup',
                  output: '{"status":"ok"}',
                  isError: false,
                },
              ],
            }),
            // Line 12 (event agent_message) duplicates line 13 (item): emitted once.
            message({
              externalId: `${id}:13`,
              role: 'assistant',
              createdAt: at('2026-01-02T03:04:15.001Z'),
              ...assistant,
              parts: [text('The synthetic files are alpha.txt and beta.txt.')],
            }),
          ],
        },
      ],
      issues: [
        {
          file: path,
          line: 14,
          code: 'unknown-record',
          message: 'unknown record type "future_synthetic_record"',
        },
      ],
    })
    // encrypted_content is opaque and never copied anywhere.
    expect(JSON.stringify(result)).not.toContain('SYNTHETIC_ENCRYPTED_CONTENT_MUST_NOT_RENDER')
  })

  it('2222: a parent thread with an event-only user prompt and a spawn_agent call', async () => {
    const path = fixture(
      ...dir,
      '03',
      'rollout-2026-01-03T04-05-06-22222222-2222-4222-8222-222222222222.jsonl',
    )
    const id = '22222222-2222-4222-8222-222222222222'
    const result = await readRollout(path)
    expect(result.issues).toEqual([])
    const session = only(result)
    expect({ ...session, messages: [] }).toEqual({
      externalId: id,
      source: 'codex-cli',
      title: 'Spawn a synthetic researcher.',
      projectPath: '/workspace/synthetic-project',
      projectName: 'synthetic-project',
      cwd: '/workspace/synthetic-project',
      gitBranch: null,
      model: null,
      provider: null,
      agentVersion: '0.0.0-test',
      parentExternalId: null,
      startedAt: at('2026-01-03T04:05:06.000Z'),
      // Line 4 (collab_tool_call, not read) still counts for the span; line 5 is the last.
      endedAt: at('2026-01-03T04:05:10.000Z'),
      messages: [],
      reportedTotals: null,
    })
    expect(session.messages).toEqual([
      message({
        externalId: `${id}:2`,
        role: 'user',
        createdAt: at('2026-01-03T04:05:07.000Z'),
        parts: [text('Spawn a synthetic researcher.')],
      }),
      message({
        externalId: `${id}:3`,
        role: 'assistant',
        createdAt: at('2026-01-03T04:05:08.000Z'),
        parts: [
          {
            type: 'tool-call',
            callId: 'call-spawn-001',
            name: 'spawn_agent',
            args: { task_name: 'synthetic_researcher', message: 'Inspect fixtures.' },
          },
        ],
      }),
      message({
        externalId: `${id}:5`,
        role: 'tool',
        createdAt: at('2026-01-03T04:05:10.000Z'),
        parts: [
          {
            type: 'tool-result',
            callId: 'call-spawn-001',
            name: 'spawn_agent',
            output: 'agent 33333333-3333-4333-8333-333333333333 spawned',
            isError: false,
          },
        ],
      }),
    ])
  })

  it('3333: the child links to its parent; the replayed parent history is flagged, not titled', async () => {
    const path = fixture(
      ...dir,
      '03',
      'rollout-2026-01-03T04-05-10-33333333-3333-4333-8333-333333333333.jsonl',
    )
    const id = '33333333-3333-4333-8333-333333333333'
    const result = await readRollout(path)
    expect(result.issues).toEqual([])
    const session = only(result)
    expect(session.parentExternalId).toBe('22222222-2222-4222-8222-222222222222')
    expect(session.title).toBe('Inspect fixtures.')
    // The replay (lines 2–3, stamped before the thread existed, ending at the spawn call) does
    // not move the span.
    expect([session.startedAt, session.endedAt]).toEqual([
      at('2026-01-03T04:05:10.000Z'),
      at('2026-01-03T04:05:12.000Z'),
    ])
    expect(session.messages).toEqual([
      message({
        externalId: `${id}:2`,
        role: 'user',
        createdAt: at('2026-01-03T04:05:07.000Z'),
        parts: [text('Spawn a synthetic researcher.')],
        flags: ['synthetic'],
      }),
      message({
        externalId: `${id}:3`,
        role: 'assistant',
        createdAt: at('2026-01-03T04:05:08.000Z'),
        parts: [
          {
            type: 'tool-call',
            callId: 'call-spawn-001',
            name: 'spawn_agent',
            args: { task_name: 'synthetic_researcher', message: 'Inspect fixtures.' },
          },
        ],
        flags: ['synthetic'],
      }),
      message({
        externalId: `${id}:4`,
        role: 'user',
        createdAt: at('2026-01-03T04:05:11.000Z'),
        parts: [text('Inspect fixtures.')],
      }),
      message({
        externalId: `${id}:5`,
        role: 'assistant',
        createdAt: at('2026-01-03T04:05:12.000Z'),
        parts: [text('The fixtures are fully synthetic.')],
      }),
    ])
  })
})

describe('ccusage synthetic session-alpha (SYNTHETIC)', () => {
  it('token_count only: each request becomes an assistant message with no parts, info.model wins', async () => {
    const path = fixture('ccusage-synthetic', 'session-alpha.jsonl')
    const result = await readRollout(path)
    // No session_meta and no uuid in the name: the file name is the id.
    expect(result).toEqual({
      sessions: [
        {
          externalId: 'session-alpha',
          source: 'codex-cli',
          title: null,
          projectPath: null,
          projectName: null,
          cwd: null,
          gitBranch: null,
          model: 'gpt-5.3-codex',
          provider: null,
          agentVersion: null,
          parentExternalId: null,
          startedAt: at('2026-05-13T09:00:00.000Z'),
          endedAt: at('2026-05-14T10:00:00.000Z'),
          reportedTotals: null,
          messages: [
            // First totals: {input 1000, cached 250, output 125, reasoning 75} counted from zero;
            // our input excludes the 250 cached tokens.
            message({
              externalId: 'session-alpha:2',
              role: 'assistant',
              createdAt: at('2026-05-13T09:01:00.000Z'),
              model: 'gpt-5.2-codex',
              usage: tokens(750, 125, 250, { reasoning: 75 }),
            }),
            // Totals {3500, 750, 425, 275} − {1000, 250, 125, 75} = {2500, 500, 300, 200}; the
            // line's info.model (gpt-5.3-codex) wins over the turn_context's gpt-5.2-codex.
            message({
              externalId: 'session-alpha:3',
              role: 'assistant',
              createdAt: at('2026-05-14T10:00:00.000Z'),
              model: 'gpt-5.3-codex',
              usage: tokens(2000, 300, 500, { reasoning: 200 }),
            }),
          ],
        },
      ],
      issues: [],
    })
  })
})

describe('localpush 0.104.0-alpha.1 (REAL, redacted)', () => {
  const dir = 'localpush-0.104.0-alpha.1'

  it('13-19-38: exact output of the smallest real session (first token_count has info: null)', async () => {
    const path = fixture(
      dir,
      'rollout-2026-02-23T13-19-38-019c8a70-dda7-7f33-98ea-f30553347322.jsonl',
    )
    const id = '019c8a70-dda7-7f33-98ea-f30553347322'
    const result = await readRollout(path)
    expect(result.issues).toEqual([])
    const session = only(result)
    expect({ ...session, messages: [] }).toEqual({
      externalId: id,
      source: 'codex-cli',
      title: '[REDACTED_TEXT len=86 sha=2239bcba]',
      projectPath: '/redacted/path/da0ba47443',
      projectName: 'da0ba47443',
      cwd: '/redacted/path/da0ba47443',
      gitBranch: 'main',
      model: 'gpt-5.3-codex',
      provider: 'openai',
      agentVersion: '0.104.0-alpha.1',
      parentExternalId: null,
      // session_meta.payload.timestamp (the thread's creation), 4 s before the first line.
      startedAt: at('2026-02-23T12:19:38.535Z'),
      endedAt: at('2026-02-23T12:19:52.689Z'),
      messages: [],
      reportedTotals: null,
    })
    const system = (line: number, t: string, ms: string) =>
      message({ externalId: `${id}:${line}`, role: 'system', createdAt: at(ms), parts: [text(t)] })
    const injected = (line: number, t: string, ms: string) =>
      message({
        externalId: `${id}:${line}`,
        role: 'user',
        createdAt: at(ms),
        parts: [text(t)],
        flags: ['synthetic'],
      })
    expect(session.messages).toEqual([
      system(2, '[REDACTED_TEXT len=3663 sha=a67043b4]', '2026-02-23T12:19:42.561Z'),
      system(3, '[REDACTED_TEXT len=6684 sha=1eb53f31]', '2026-02-23T12:19:42.562Z'),
      // The file has a user_message event, and these items have no twin: injected context.
      injected(4, '[REDACTED_TEXT len=3017 sha=f3ffd0ed]', '2026-02-23T12:19:42.562Z'),
      injected(5, '[REDACTED_TEXT len=108 sha=fc56d2e9]', '2026-02-23T12:19:42.562Z'),
      system(6, '[REDACTED_TEXT len=3696 sha=a789215d]', '2026-02-23T12:19:42.562Z'),
      system(7, '[REDACTED_TEXT len=806 sha=d10ca27b]', '2026-02-23T12:19:42.562Z'),
      // Item line 9 and event line 10 are the same text (len=86 sha=2239bcba): one message.
      message({
        externalId: `${id}:9`,
        role: 'user',
        createdAt: at('2026-02-23T12:19:42.563Z'),
        parts: [text('[REDACTED_TEXT len=86 sha=2239bcba]')],
      }),
      injected(11, '[REDACTED_TEXT len=3490 sha=00c48df1]', '2026-02-23T12:19:42.563Z'),
      // Lines 14/15 (reasoning), 16/17 (message) are event/item twins; line 18 the call; line
      // 19's totals {34469, cached 3456, out 431, reasoning 264} are the first: input 31013.
      message({
        externalId: `${id}:15`,
        role: 'assistant',
        createdAt: at('2026-02-23T12:19:49.357Z'),
        model: 'gpt-5.3-codex',
        provider: 'openai',
        parts: [
          { type: 'reasoning', text: '[REDACTED_TEXT len=34 sha=c8b34894]' },
          text('[REDACTED_TEXT len=124 sha=7a220b7e]'),
          {
            type: 'tool-call',
            callId: 'call_UtYwHmwWekzvq83m8Rb9K8jJ',
            name: 'exec_command',
            // Redacted arguments are not JSON: kept as the raw string.
            args: '[REDACTED_ARGUMENTS len=456 sha=df6be51a]',
          },
        ],
        usage: tokens(31013, 431, 3456, { reasoning: 264 }),
      }),
    ])
  })

  /*
   * Expected numbers for the larger files come from a node one-off that reads each file without
   * this reader (JSON.parse per line): the last `token_count.info.total_token_usage`, the count of
   * token_counts whose totals changed, and counts of record types, e.g.
   *   node -e 'for (const l of fs.readFileSync(f,"utf8").split("\n").filter(Boolean)) …'
   * No total ever goes down in these files, so the positive deltas telescope to the final totals:
   * input = input_tokens − cached_input_tokens, cacheRead = cached_input_tokens,
   * output = output_tokens, reasoning = reasoning_output_tokens. Summing `last_token_usage` over
   * every event instead (the ccusage #884 bug) roughly doubles everything (`naiveLast`).
   */
  const cases = [
    {
      file: 'rollout-2026-02-23T20-34-25-019c8bfe-ec25-79e0-97d7-bda6a9c575ff.jsonl',
      // 12 token_counts: 1 info:null, 6 advancing, 5 re-sent with the same totals.
      requests: 6,
      final: { input: 298373, cached: 238848, output: 1123, reasoning: 483 },
      naiveLast: { input: 533305, cached: 428032, output: 1960 },
      // 4 developer items; 3 user items of which 1 has a user_message twin; 5 outputs.
      roles: { system: 4, 'user/synthetic': 2, user: 1, assistant: 6, tool: 5 },
      parts: { text: 13, reasoning: 6, 'tool-call': 5, 'tool-result': 5 },
      span: ['2026-02-23T19:34:25.573Z', '2026-02-23T19:36:02.635Z'],
    },
    {
      file: 'rollout-2026-02-23T12-41-04-019c8a4d-8f45-7010-8b5d-7fad920aa6f9.jsonl',
      // 56 token_counts: 1 info:null, 28 advancing, 27 re-sent.
      requests: 28,
      final: { input: 1751428, cached: 1651968, output: 14600, reasoning: 4293 },
      naiveLast: { input: 3393987, cached: 3195648, output: 23011 },
      roles: { system: 4, 'user/synthetic': 2, user: 1, assistant: 28, tool: 118 },
      // 17 assistant + 3 user + 4 developer texts; 26 summarised reasoning items; 118 calls.
      parts: { text: 24, reasoning: 26, 'tool-call': 118, 'tool-result': 118 },
      span: ['2026-02-23T11:41:04.709Z', '2026-02-23T11:46:43.618Z'],
    },
    {
      file: 'rollout-2026-02-23T12-54-34-019c8a59-e9dd-71f0-9ae3-4079fe9726a9.jsonl',
      // 573 token_counts: 1 info:null, 286 advancing, 286 with unchanged totals (285 re-sends
      // plus the compaction artefact of line 1787: last {0,0,0,0, total_tokens 940499}).
      requests: 286,
      final: { input: 33810485, cached: 31621504, output: 133999, reasoning: 42113 },
      naiveLast: { input: 67248947, cached: 62876672, output: 265521 },
      // 46 user items, 38 with a user_message twin; 316 function + 49 custom outputs; 1 compacted.
      roles: {
        system: 45,
        'user/synthetic': 8,
        user: 38,
        assistant: 286,
        tool: 365,
        'system/compaction-summary': 1,
      },
      // Texts: 255 assistant + 45 developer + 1 compaction + 46 user items, of which 13 carry an
      // image between two extra text items (redacted `<image>` tags): 255+45+1+46+26 = 373.
      // Calls: 316 function_call + 49 custom_tool_call + 7 web_search_call = 372.
      // Reasoning: 219 items, 199 with a summary (20 are encrypted only).
      parts: { text: 373, reasoning: 199, 'tool-call': 372, 'tool-result': 365, image: 13 },
      span: ['2026-02-23T11:54:34.334Z', '2026-02-24T12:09:44.294Z'],
    },
  ]

  for (const c of cases) {
    it(`${c.file.slice(8, 27)}: totals are the positive deltas of the cumulative totals`, async () => {
      const result = await readRollout(fixture(dir, c.file))
      expect(result.issues).toEqual([])
      const session = only(result)
      const withUsage = session.messages.filter((m) => m.usage !== null)
      expect(withUsage).toHaveLength(c.requests)
      // Every request had visible output here: no usage-only message, no assistant without usage.
      expect(withUsage.every((m) => m.role === 'assistant' && m.parts.length > 0)).toBe(true)
      expect(session.messages.filter((m) => m.role === 'assistant' && m.usage === null)).toEqual([])
      expect(sum(session.messages)).toEqual(
        tokens(c.final.input - c.final.cached, c.final.output, c.final.cached, {
          reasoning: c.final.reasoning,
        }),
      )
      const summed = sum(session.messages)
      expect(summed.input + summed.cacheRead).not.toBe(c.naiveLast.input)
      expect(summed.output).not.toBe(c.naiveLast.output)
      expect(countBy(session.messages)).toEqual(c.roles)
      expect(partCounts(session.messages)).toEqual(c.parts)
      expect([session.startedAt, session.endedAt]).toEqual(c.span.map(at))
      expect(withUsage.every((m) => m.model === 'gpt-5.3-codex' && m.provider === 'openai')).toBe(
        true,
      )
    })
  }

  it('12-54-34: the compacted record becomes one system message flagged compaction-summary', async () => {
    const file = 'rollout-2026-02-23T12-54-34-019c8a59-e9dd-71f0-9ae3-4079fe9726a9.jsonl'
    const session = only(await readRollout(fixture(dir, file)))
    const compaction = session.messages.filter((m) => m.flags.includes('compaction-summary'))
    expect(compaction).toEqual([
      message({
        externalId: '019c8a59-e9dd-71f0-9ae3-4079fe9726a9:1788',
        role: 'system',
        createdAt: at('2026-02-24T09:51:48.878Z'),
        parts: [text('[REDACTED_MESSAGE len=0 sha=e3b0c442]')],
        flags: ['compaction-summary'],
      }),
    ])
    // The replacement_history (a copy of earlier messages) is not re-emitted.
    expect(session.messages.filter((m) => m.role === 'user' && m.flags.length === 0)).toHaveLength(
      38,
    )
  })

  it('re-reading a file gives the same externalIds', async () => {
    const path = fixture(
      dir,
      'rollout-2026-02-23T20-34-25-019c8bfe-ec25-79e0-97d7-bda6a9c575ff.jsonl',
    )
    const ids = async () => only(await readRollout(path)).messages.map((m) => m.externalId)
    const first = await ids()
    expect(await ids()).toEqual(first)
    expect(new Set(first).size).toBe(first.length)
    expect(first.every((x) => x.startsWith('019c8bfe-ec25-79e0-97d7-bda6a9c575ff:'))).toBe(true)
  })
})

describe('mockllm lab files (REAL binary @openai/codex 0.169.0, scripted model)', () => {
  const dir = ['mockllm', 'sessions', '2026', '11', '21']
  const assistant = { model: 'mock-model', provider: 'mock' }

  /** Checks the long injected texts by their opening and everything else exactly. */
  function injectedOpenings(messages: readonly NormalizedMessage[]) {
    return messages
      .filter((m) => m.role === 'system' || m.flags.includes('synthetic'))
      .map((m) => [
        m.externalId.split(':')[1],
        m.role,
        m.flags,
        m.parts.map((p) => (p.type === 'text' ? p.text.slice(0, 26) : p.type)),
      ])
  }

  it('session A: resume appends a second turn; cache writes are their own bucket', async () => {
    const path = fixture(
      ...dir,
      'rollout-2026-11-21T10-08-59-01a1fd94-a3ff-7762-8cbb-659a0c9513b4.jsonl',
    )
    const id = '01a1fd94-a3ff-7762-8cbb-659a0c9513b4'
    const result = await readRollout(path)
    expect(result.issues).toEqual([])
    const session = only(result)
    expect({ ...session, messages: [] }).toEqual({
      externalId: id,
      source: 'codex-cli',
      title: 'Say hello',
      projectPath: '/tmp/agentlab/codex/work',
      projectName: 'work',
      cwd: '/tmp/agentlab/codex/work',
      gitBranch: null,
      model: 'mock-model',
      provider: 'mock',
      agentVersion: '0.169.0',
      parentExternalId: null,
      startedAt: at('2026-11-21T10:08:59.394Z'),
      endedAt: at('2026-11-21T10:09:00.516Z'),
      messages: [],
      reportedTotals: null,
    })
    // Line 1 is a 21,832-byte session_meta (full base_instructions): read whole.
    expect(injectedOpenings(session.messages)).toEqual([
      ['3', 'system', [], ['<skills_instructions>\n## S', '<permissions instructions>']],
      // 0.169 marks it `provenance: harness`.
      ['4', 'user', ['synthetic'], ['<environment_context>\n  <c']],
    ])
    const rest = session.messages.filter((m) => m.role !== 'system' && m.flags.length === 0)
    const echo = 'call_mock7938f3256d6105c5f87a4935'
    const toolOut =
      'Chunk ID: 626a45\nWall time: 0.0000 seconds\nProcess exited with code 0\nOriginal token count: 1\nOutput:\nhi\n'
    expect(rest).toEqual([
      // Item line 8; its item_completed UserMessage twin (line 9) is dropped.
      message({
        externalId: `${id}:8`,
        role: 'user',
        createdAt: at('2026-11-21T10:08:59.583Z'),
        parts: [text('Say hello')],
      }),
      // input_tokens 9839 includes 8363 cache writes and 0 cache reads: input 1476.
      message({
        externalId: `${id}:11`,
        role: 'assistant',
        createdAt: at('2026-11-21T10:08:59.629Z'),
        ...assistant,
        parts: [
          text('Hello from mockllm. You said: "Say hello". This is a scripted plain-text reply.'),
        ],
        usage: tokens(1476, 20, 0, { cacheWrite5m: 8363 }),
      }),
      message({
        externalId: `${id}:18`,
        role: 'user',
        createdAt: at('2026-11-21T10:09:00.154Z'),
        parts: [text('Run the shell command `echo hi` and tell me what it printed')],
      }),
      // Totals {19789, cached 7960, writes 8363, out 29} − {9839, 0, 8363, 20} = {9950, 7960, 0, 9}.
      // This token_count (line 26) comes after the tool output (line 25) and still lands here.
      message({
        externalId: `${id}:21`,
        role: 'assistant',
        createdAt: at('2026-11-21T10:09:00.195Z'),
        ...assistant,
        parts: [
          text("I'll run `echo hi`."),
          { type: 'tool-call', callId: echo, name: 'exec_command', args: { cmd: 'echo hi' } },
        ],
        usage: tokens(1990, 9, 7960),
      }),
      message({
        externalId: `${id}:25`,
        role: 'tool',
        createdAt: at('2026-11-21T10:09:00.380Z'),
        parts: [
          {
            type: 'tool-result',
            callId: echo,
            name: 'exec_command',
            output: toolOut,
            isError: false,
          },
        ],
      }),
      // {29897, 16046, 8363, 71} − {19789, 7960, 8363, 29} = {10108, 8086, 0, 42}.
      message({
        externalId: `${id}:28`,
        role: 'assistant',
        createdAt: at('2026-11-21T10:09:00.437Z'),
        ...assistant,
        parts: [text(`The tool finished. Its output was:\n\n${toolOut}\nThat completes the task.`)],
        usage: tokens(2022, 42, 8086),
      }),
    ])
    // Final totals {input 29897, cached 16046, cache writes 8363, output 71, reasoning 0}.
    expect(sum(session.messages)).toEqual(
      tokens(29897 - 16046 - 8363, 71, 16046, { cacheWrite5m: 8363 }),
    )
  })

  it('session B: reasoning twins, a failing command (exit code 2) is an error', async () => {
    const path = fixture(
      ...dir,
      'rollout-2026-11-21T10-09-00-01a1fd94-a952-7170-a68a-e7734194c169.jsonl',
    )
    const id = '01a1fd94-a952-7170-a68a-e7734194c169'
    const result = await readRollout(path)
    expect(result.issues).toEqual([])
    const session = only(result)
    expect(session.title).toBe(
      'Think first, then read the file `/tmp/agentlab/codex/work/notes.txt` and summarise it',
    )
    expect([session.startedAt, session.endedAt]).toEqual([
      at('2026-11-21T10:09:00.756Z'),
      at('2026-11-21T10:09:02.152Z'),
    ])
    const think = 'The user gave a scripted prompt; follow the mock script.'
    const cat = 'call_mocke3d2802073adfc9944c592b2'
    const ls = 'call_mock9362522de0e6e7257015dcb7'
    const catOut =
      'Chunk ID: f86c9e\nWall time: 0.0000 seconds\nProcess exited with code 0\nOriginal token count: 5\nOutput:\nhello from a file\n'
    const lsOut =
      "Chunk ID: 83fe2b\nWall time: 0.0000 seconds\nProcess exited with code 2\nOriginal token count: 16\nOutput:\nls: cannot access 'missing-file.txt': No such file or directory\n"
    const rest = session.messages.filter((m) => m.role !== 'system' && m.flags.length === 0)
    expect(rest).toEqual([
      message({
        externalId: `${id}:8`,
        role: 'user',
        createdAt: at('2026-11-21T10:09:00.929Z'),
        parts: [text(session.title ?? '')],
      }),
      // Totals {9858, 0, writes 8379, out 39, reasoning 14} are the first: input 1479.
      message({
        externalId: `${id}:11`,
        role: 'assistant',
        createdAt: at('2026-11-21T10:09:00.971Z'),
        ...assistant,
        parts: [
          { type: 'reasoning', text: think },
          text("I'll run `cat /tmp/agentlab/codex/work/notes.txt`."),
          {
            type: 'tool-call',
            callId: cat,
            name: 'exec_command',
            args: { cmd: 'cat /tmp/agentlab/codex/work/notes.txt' },
          },
        ],
        usage: tokens(1479, 39, 0, { cacheWrite5m: 8379, reasoning: 14 }),
      }),
      message({
        externalId: `${id}:17`,
        role: 'tool',
        createdAt: at('2026-11-21T10:09:01.185Z'),
        parts: [
          {
            type: 'tool-result',
            callId: cat,
            name: 'exec_command',
            output: catOut,
            isError: false,
          },
        ],
      }),
      // {19946, 8070, 8379, 99, 28} − {9858, 0, 8379, 39, 14} = {10088, 8070, 0, 60, 14}.
      message({
        externalId: `${id}:20`,
        role: 'assistant',
        createdAt: at('2026-11-21T10:09:01.226Z'),
        ...assistant,
        parts: [
          { type: 'reasoning', text: think },
          text(`The tool finished. Its output was:\n\n${catOut}\nThat completes the task.`),
        ],
        usage: tokens(2018, 60, 8070, { reasoning: 14 }),
      }),
      message({
        externalId: `${id}:29`,
        role: 'user',
        createdAt: at('2026-11-21T10:09:01.774Z'),
        parts: [text('Run `ls missing-file.txt` please')],
      }),
      // {30218, 16287, 8379, 114, 28} − {19946, 8070, 8379, 99, 28} = {10272, 8217, 0, 15, 0}.
      message({
        externalId: `${id}:32`,
        role: 'assistant',
        createdAt: at('2026-11-21T10:09:01.812Z'),
        ...assistant,
        parts: [
          text("I'll run `ls missing-file.txt`."),
          {
            type: 'tool-call',
            callId: ls,
            name: 'exec_command',
            args: { cmd: 'ls missing-file.txt' },
          },
        ],
        usage: tokens(2055, 15, 8217),
      }),
      // "Process exited with code 2" (and item_completed CommandExecution exit_code 2).
      message({
        externalId: `${id}:36`,
        role: 'tool',
        createdAt: at('2026-11-21T10:09:02.003Z'),
        parts: [
          { type: 'tool-result', callId: ls, name: 'exec_command', output: lsOut, isError: true },
        ],
      }),
      // {40670, 24648, 8379, 171, 28} − {30218, 16287, 8379, 114, 28} = {10452, 8361, 0, 57, 0}.
      message({
        externalId: `${id}:39`,
        role: 'assistant',
        createdAt: at('2026-11-21T10:09:02.071Z'),
        ...assistant,
        parts: [text(`The tool finished. Its output was:\n\n${lsOut}\nThat completes the task.`)],
        usage: tokens(2091, 57, 8361),
      }),
    ])
    expect(sum(session.messages)).toEqual(
      tokens(40670 - 24648 - 8379, 171, 24648, { cacheWrite5m: 8379, reasoning: 28 }),
    )
  })
})
