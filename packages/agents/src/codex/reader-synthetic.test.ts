import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import type { Part, Tokens } from '@opensync/core/wire'
import { describe, expect, it } from 'vitest'
import type { NormalizedMessage, NormalizedSession, ReadResult } from '../reader.js'
import { readRollout } from './reader.js'

/**
 * Golden tests over the hand-written fixtures in test/fixtures/codex/synthetic/ (labelled
 * SYNTHETIC in its SOURCES.md): what no copied file shows. Every expected number is worked out
 * in the comments from the file's own lines.
 */

const SYNTHETIC = fileURLToPath(new URL('../../test/fixtures/codex/synthetic/', import.meta.url))
const at = (iso: string) => Date.parse(iso)

function tokens(input: number, output: number, cacheRead: number, rest: Partial<Tokens> = {}) {
  return { input, output, cacheRead, cacheWrite5m: 0, cacheWrite1h: 0, reasoning: 0, ...rest }
}

type Expected = Partial<NormalizedMessage> & Pick<NormalizedMessage, 'externalId' | 'role'>

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
    for (const key of Object.keys(total) as (keyof Tokens)[]) total[key] += m.usage[key]
  }
  return total
}

describe('synthetic turn shapes (aaaaaaaa)', () => {
  const path = join(
    SYNTHETIC,
    'sessions/2026/03/01/rollout-2026-03-01T10-00-00-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa.jsonl',
  )
  const id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'
  const T = (s: string) => at(`2026-03-01T10:${s}Z`)
  const gpt = { model: 'gpt-5-codex', provider: 'openai' }

  it('reads every message exactly, once, and reports the bad lines', async () => {
    const result = await readRollout(path)
    expect(result.issues).toEqual([
      // A token_count cut off mid-line, in the middle of the file.
      {
        file: path,
        line: 23,
        code: 'invalid-json',
        message: expect.stringContaining('Unterminated string'),
      },
      {
        file: path,
        line: 32,
        code: 'unknown-record',
        message: 'unknown record type "brand_new_record"',
      },
      {
        file: path,
        line: 33,
        code: 'unknown-record',
        message: 'unknown response_item type "hologram_call"',
      },
    ])
    const session = only(result)
    expect({ ...session, messages: [] }).toEqual({
      externalId: id,
      source: 'codex-cli',
      // The user typed it with surrounding spaces; the AGENTS.md and environment items before it
      // are not titles.
      title: 'Fix the failing test in src/math.ts',
      projectPath: '/home/dev/projects/demo-app',
      projectName: 'demo-app',
      cwd: '/home/dev/projects/demo-app',
      gitBranch: 'feature/fix-add',
      model: 'gpt-5-codex',
      provider: 'openai',
      agentVersion: '0.50.0',
      parentExternalId: null,
      startedAt: T('00:00.000'),
      endedAt: T('01:04.200'),
      messages: [],
      reportedTotals: null,
    })
    expect(session.messages).toEqual([
      // Developer instructions: role system (the harness talking to the model).
      message({
        externalId: `${id}:2`,
        role: 'system',
        createdAt: T('00:00.101'),
        parts: [
          text('<permissions instructions>Sandbox: workspace-write.</permissions instructions>'),
        ],
      }),
      // User-role scaffolding: role user as the model saw it, flagged synthetic.
      message({
        externalId: `${id}:3`,
        role: 'user',
        createdAt: T('00:00.102'),
        parts: [
          text(
            '# AGENTS.md instructions for /home/dev/projects/demo-app\n\n<INSTRUCTIONS>\nUse npm.\n</INSTRUCTIONS>',
          ),
        ],
        flags: ['synthetic'],
      }),
      message({
        externalId: `${id}:4`,
        role: 'user',
        createdAt: T('00:00.103'),
        parts: [
          text(
            '<environment_context>\n  <cwd>/home/dev/projects/demo-app</cwd>\n  <shell>bash</shell>\n</environment_context>',
          ),
        ],
        flags: ['synthetic'],
      }),
      // Event line 6 comes first, its item twin at line 7: the item is kept, as written.
      message({
        externalId: `${id}:7`,
        role: 'user',
        createdAt: T('00:00.202'),
        parts: [text('  Fix the failing test in src/math.ts  ')],
      }),
      // Line 9: info null (no usage). Lines 10/11 are reasoning twins. Line 13's totals T1
      // {input 1200, cached 1000, out 80, reasoning 40} are the first: input 200.
      // Line 14 repeats T1 (re-send): nothing.
      message({
        externalId: `${id}:11`,
        role: 'assistant',
        createdAt: T('00:02.001'),
        ...gpt,
        parts: [
          { type: 'reasoning', text: 'Reading the test first.' },
          { type: 'tool-call', callId: 'call_1', name: 'exec_command', args: { cmd: 'npm test' } },
        ],
        usage: tokens(200, 80, 1000, { reasoning: 40 }),
      }),
      // JSON-wrapped output: the text is `output`, exit_code 1 is an error.
      message({
        externalId: `${id}:15`,
        role: 'tool',
        createdAt: T('00:04.000'),
        parts: [
          {
            type: 'tool-result',
            callId: 'call_1',
            name: 'exec_command',
            output: 'FAIL src/math.test.ts\n  expected 3, got -1\n',
            isError: true,
          },
        ],
      }),
      // Item line 17 then event twin line 18. apply_patch touches two files: one patch part each.
      // T2 {2600, 2200, 200, 90} − T1 = {1400, 1200, 120, 50}: input 200.
      message({
        externalId: `${id}:17`,
        role: 'assistant',
        createdAt: T('00:05.000'),
        ...gpt,
        parts: [
          text('The add function subtracts; patching it.'),
          {
            type: 'tool-call',
            callId: 'call_2',
            name: 'apply_patch',
            args: '*** Begin Patch\n*** Update File: src/math.ts\n@@\n-  return a - b\n+  return a + b\n*** Add File: CHANGELOG.md\n+- fix add()\n*** End Patch\n',
          },
          {
            type: 'patch',
            path: 'src/math.ts',
            diff: '*** Update File: src/math.ts\n@@\n-  return a - b\n+  return a + b',
          },
          { type: 'patch', path: 'CHANGELOG.md', diff: '*** Add File: CHANGELOG.md\n+- fix add()' },
        ],
        usage: tokens(200, 120, 1200, { reasoning: 50 }),
      }),
      message({
        externalId: `${id}:22`,
        role: 'tool',
        createdAt: T('00:05.701'),
        parts: [
          {
            type: 'tool-result',
            callId: 'call_2',
            name: 'apply_patch',
            output: 'Success. Updated the following files:\nM src/math.ts\nA CHANGELOG.md\n',
            isError: false,
          },
        ],
      }),
      // T3 {4000, 3400, 230, 90} − T2 = {1400, 1200, 30, 0}: input 200.
      message({
        externalId: `${id}:24`,
        role: 'assistant',
        createdAt: T('00:06.000'),
        ...gpt,
        parts: [
          { type: 'tool-call', callId: 'call_3', name: 'exec_command', args: { cmd: 'npm test' } },
        ],
        usage: tokens(200, 30, 1200),
      }),
      // Plain text with the older `Exit code: 0` line (and exec_command_end exit_code 0).
      message({
        externalId: `${id}:27`,
        role: 'tool',
        createdAt: T('00:07.001'),
        parts: [
          {
            type: 'tool-result',
            callId: 'call_3',
            name: 'exec_command',
            output: 'Exit code: 0\nWall time: 1.2 seconds\nOutput:\nPASS src/math.test.ts\n',
            isError: false,
          },
        ],
      }),
      // T4 {5500, 4800, 290, 100} − T3 = {1500, 1400, 60, 10}: input 100.
      message({
        externalId: `${id}:28`,
        role: 'assistant',
        createdAt: T('00:08.000'),
        ...gpt,
        parts: [text('Fixed: add() now adds. All tests pass.')],
        usage: tokens(100, 60, 1400, { reasoning: 10 }),
      }),
      // The `<image name=…>` / `</image>` wrappers are dropped, the data URL kept as a media type.
      message({
        externalId: `${id}:35`,
        role: 'user',
        createdAt: T('01:00.001'),
        parts: [
          text('What is in this screenshot?'),
          { type: 'image', mediaType: 'image/png', url: null },
        ],
      }),
      // An agent_message with no item twin is emitted from the event.
      // T5 {7000, 6000, 330, 100} − T4 = {1500, 1200, 40, 0}: input 300. Line 40 re-sends T5.
      message({
        externalId: `${id}:38`,
        role: 'assistant',
        createdAt: T('01:03.000'),
        ...gpt,
        parts: [text('It shows a passing test run.')],
        usage: tokens(300, 40, 1200),
      }),
    ])
    // The session adds up to the final totals T5 {7000, 6000, 330, 100}.
    expect(sum(session.messages)).toEqual(tokens(1000, 330, 6000, { reasoning: 100 }))
    expect(JSON.stringify(result)).not.toContain('gAAAAB-opaque')
  })

  it('a final line still being written (no newline) is not an issue; a complete one is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codex-partial-'))
    const copy = join(dir, 'rollout-2026-03-01T10-00-00-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa.jsonl')
    const original = readFileSync(path, 'utf8')
    const cut = '{"timestamp":"2026-03-01T10:02:00.000Z","type":"event_msg","payl'
    writeFileSync(copy, original + cut)
    const writing = await readRollout(copy)
    expect(writing.issues.map((i) => i.line)).toEqual([23, 32, 33])
    expect(only(writing).messages).toHaveLength(13)
    writeFileSync(copy, `${original}${cut}\n`)
    const done = await readRollout(copy)
    expect(done.issues.map((i) => [i.line, i.code])).toEqual([
      [23, 'invalid-json'],
      [32, 'unknown-record'],
      [33, 'unknown-record'],
      [42, 'invalid-json'],
    ])
  })
})

describe('an image-only prompt', () => {
  it('pairs its event and item by image count and keeps the item', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codex-image-only-'))
    const path = join(dir, 'rollout-image-only.jsonl')
    const png = 'data:image/png;base64,iVBORw0KGgo='
    const line = (type: string, payload: object) =>
      JSON.stringify({ timestamp: '2026-03-04T08:00:00.000Z', type, payload })
    writeFileSync(
      path,
      [
        line('session_meta', { id: 'img', timestamp: '2026-03-04T08:00:00.000Z' }),
        line('event_msg', { type: 'task_started' }),
        line('response_item', {
          type: 'message',
          role: 'user',
          content: [{ type: 'input_image', image_url: png }],
        }),
        line('event_msg', { type: 'user_message', message: '', images: [png], local_images: [] }),
        // An event-only prompt with a local image keeps the path as the reference.
        line('event_msg', {
          type: 'user_message',
          message: 'and this',
          local_images: ['/tmp/a.png'],
        }),
        '',
      ].join('\n'),
    )
    const session = only(await readRollout(path))
    expect(session.title).toBe('and this')
    expect(session.messages.map((m) => [m.externalId, m.role, m.flags, m.parts])).toEqual([
      ['img:3', 'user', [], [{ type: 'image', mediaType: 'image/png', url: null }]],
      [
        'img:5',
        'user',
        [],
        [text('and this'), { type: 'image', mediaType: null, url: '/tmp/a.png' }],
      ],
    ])
  })
})

describe('synthetic usage edge cases (bbbbbbbb)', () => {
  const path = join(
    SYNTHETIC,
    'sessions/2026/03/02/rollout-2026-03-02T09-00-00-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb.jsonl',
  )
  const id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'
  const S = (s: string) => at(`2026-03-02T09:${s}Z`)

  it('counts each request once through re-sends, compaction and a re-baseline', async () => {
    const result = await readRollout(path)
    expect(result.issues).toEqual([])
    const session = only(result)
    expect(session.title).toBe('Summarise the repo')
    // The last request ran on the turn's model (gpt-5.1-codex-mini, line 19).
    expect(session.model).toBe('gpt-5.1-codex-mini')
    expect(session.messages).toEqual([
      message({
        externalId: `${id}:3`,
        role: 'user',
        createdAt: S('00:00.200'),
        parts: [text('Summarise the repo')],
      }),
      // Line 7, first totals A {10000, cached 8000, out 500, reasoning 200}: input 2000.
      message({
        externalId: `${id}:6`,
        role: 'assistant',
        createdAt: S('00:02.000'),
        model: 'gpt-5-codex',
        provider: 'openai',
        parts: [text('Working on it.')],
        usage: tokens(2000, 500, 8000, { reasoning: 200 }),
      }),
      // Line 8: totals B {20000, 16000, 900, 300} − A = {10000, 8000, 400, 100}, and no output
      // item since line 7: the request is kept as an assistant message with no parts.
      message({
        externalId: `${id}:8`,
        role: 'assistant',
        createdAt: S('00:03.100'),
        model: 'gpt-5-codex',
        provider: 'openai',
        usage: tokens(2000, 400, 8000, { reasoning: 100 }),
      }),
      // Line 9 is the compaction artefact: totals still B, last_token_usage all 0 with
      // total_tokens 940499. Nothing is counted. Line 10 is the compacted record.
      message({
        externalId: `${id}:10`,
        role: 'system',
        createdAt: S('00:04.001'),
        parts: [text('Summary: the repo is a demo app.')],
        flags: ['compaction-summary'],
      }),
      // Line 14: totals DROP to C {3000, 1000, 100, 0} (re-baseline after compaction). A
      // decrease is a reset: the request is last_token_usage = C, input 2000. Line 15 re-sends C.
      message({
        externalId: `${id}:13`,
        role: 'assistant',
        createdAt: S('00:05.000'),
        model: 'gpt-5-codex',
        provider: 'openai',
        parts: [text('Continuing after compaction.')],
        usage: tokens(2000, 100, 1000),
      }),
      message({
        externalId: `${id}:17`,
        role: 'user',
        createdAt: S('00:10.001'),
        parts: [text('Use the mini model')],
      }),
      // Line 20 is encrypted-only reasoning: nothing readable, no part.
      // Line 22: D {5000, 2500, writes 500, out 160, reasoning 30} − C = {2000, 1500, 500, 60, 30}:
      // input 2000 − 1500 read − 500 written = 0.
      message({
        externalId: `${id}:21`,
        role: 'assistant',
        createdAt: S('00:11.500'),
        model: 'gpt-5.1-codex-mini',
        provider: 'openai',
        parts: [text('Done with mini.')],
        usage: tokens(0, 60, 1500, { cacheWrite5m: 500, reasoning: 30 }),
      }),
      // Line 23 has last_token_usage only (no totals) and its own info.model.
      message({
        externalId: `${id}:23`,
        role: 'assistant',
        createdAt: S('00:12.000'),
        model: 'gpt-5.1-codex',
        provider: 'openai',
        usage: tokens(100, 10, 0),
      }),
      // Line 24: remote compaction, its summary is encrypted.
      message({
        externalId: `${id}:24`,
        role: 'system',
        createdAt: S('00:13.000'),
        parts: [{ type: 'other', kind: 'compaction', raw: {} }],
        flags: ['compaction-summary'],
      }),
      // Line 25: totals {400, 0, 20, 0} < D with an empty last: counted from zero.
      message({
        externalId: `${id}:25`,
        role: 'assistant',
        createdAt: S('00:14.000'),
        model: 'gpt-5.1-codex-mini',
        provider: 'openai',
        usage: tokens(400, 20, 0),
      }),
    ])
    // 2000+2000+2000+0+100+400 uncached, 8000+8000+1000+1500 read, 500 written,
    // 500+400+100+60+10+20 out, 200+100+30 reasoning.
    expect(sum(session.messages)).toEqual(
      tokens(6500, 1090, 18500, { cacheWrite5m: 500, reasoning: 330 }),
    )
  })
})

describe('synthetic subagent replay burst (cccccccc)', () => {
  it('skips the replayed parent usage and flags the replayed messages', async () => {
    const path = join(
      SYNTHETIC,
      'sessions/2026/03/03/rollout-2026-03-03T12-00-00-cccccccc-cccc-4ccc-8ccc-cccccccccccc.jsonl',
    )
    const id = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc'
    const result = await readRollout(path)
    expect(result.issues).toEqual([])
    const session = only(result)
    expect(session.parentExternalId).toBe('dddddddd-dddd-4ddd-8ddd-dddddddddddd')
    expect(session.title).toBe('Check the changelog')
    expect([session.startedAt, session.endedAt]).toEqual([
      at('2026-03-03T12:00:00.000Z'),
      at('2026-03-03T12:00:04.100Z'),
    ])
    expect(session.messages).toEqual([
      message({
        externalId: `${id}:3`,
        role: 'user',
        createdAt: at('2026-03-03T12:00:00.102Z'),
        parts: [text('Plan the release')],
        flags: ['synthetic'],
      }),
      message({
        externalId: `${id}:6`,
        role: 'assistant',
        createdAt: at('2026-03-03T12:00:00.105Z'),
        model: 'gpt-5-codex',
        provider: 'openai',
        parts: [
          text('Spawning a helper.'),
          {
            type: 'tool-call',
            callId: 'call_spawn_9',
            name: 'spawn_agent',
            args: { message: 'Check the changelog' },
          },
        ],
        flags: ['synthetic'],
      }),
      message({
        externalId: `${id}:11`,
        role: 'user',
        createdAt: at('2026-03-03T12:00:02.001Z'),
        parts: [text('Check the changelog')],
      }),
      // Lines 7 and 9 (the parent's token_counts) share the second 12:00:00 with the thread's
      // creation: a replay burst. Only line 15 is this thread's:
      // {14000, 11000, 190, 30} − the replayed baseline {11000, 9000, 150, 30} = {3000, 2000, 40, 0}.
      message({
        externalId: `${id}:14`,
        role: 'assistant',
        createdAt: at('2026-03-03T12:00:04.000Z'),
        model: 'gpt-5-codex',
        provider: 'openai',
        parts: [text('The changelog is up to date.')],
        usage: tokens(1000, 40, 2000),
      }),
    ])
  })
  it('a child whose own first two requests end in one second (not its creation second) keeps both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codex-fast-child-'))
    const path = join(dir, 'rollout-2026-03-03T12-00-00-cccccccc-cccc-4ccc-8ccc-cccccccccccc.jsonl')
    const usage = (input: number, output: number) => ({
      input_tokens: input,
      cached_input_tokens: 0,
      output_tokens: output,
      reasoning_output_tokens: 0,
      total_tokens: input + output,
    })
    const count = (ts: string, total: object) =>
      JSON.stringify({
        timestamp: ts,
        type: 'event_msg',
        payload: {
          type: 'token_count',
          info: { total_token_usage: total, last_token_usage: total },
        },
      })
    const source = { subagent: { thread_spawn: { parent_thread_id: 'parent' } } }
    writeFileSync(
      path,
      [
        JSON.stringify({
          timestamp: '2026-03-03T12:00:00.000Z',
          type: 'session_meta',
          payload: { id: 'child', timestamp: '2026-03-03T12:00:00.000Z', source },
        }),
        count('2026-03-03T12:00:03.100Z', usage(100, 10)),
        count('2026-03-03T12:00:03.900Z', usage(250, 30)),
        '',
      ].join('\n'),
    )
    const session = only(await readRollout(path))
    // No turn_context (like early-September-2025 builds): the model stays null (unpriced), it is
    // never guessed.
    expect(session.messages.map((m) => [m.externalId, m.flags, m.model, m.usage])).toEqual([
      ['child:2', [], null, tokens(100, 10, 0)],
      ['child:3', [], null, tokens(150, 20, 0)],
    ])
  })
})

describe('legacy pre-envelope rollout (eeeeeeee)', () => {
  it('reads the bare header and bare items; without events, text decides what was injected', async () => {
    const path = join(
      SYNTHETIC,
      'sessions/2025/07/01/rollout-2025-07-01T08-00-00-eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee.jsonl',
    )
    const id = 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee'
    const result = await readRollout(path)
    expect(result).toEqual({
      issues: [],
      sessions: [
        {
          externalId: id,
          source: 'codex-cli',
          title: 'hello legacy',
          projectPath: null,
          projectName: null,
          cwd: null,
          gitBranch: 'main',
          model: null,
          provider: null,
          agentVersion: null,
          parentExternalId: null,
          // Only the header has a timestamp.
          startedAt: at('2025-07-01T08:00:00.000Z'),
          endedAt: at('2025-07-01T08:00:00.000Z'),
          reportedTotals: null,
          messages: [
            message({
              externalId: `${id}:3`,
              role: 'user',
              parts: [
                text(
                  '<environment_context>\n  <cwd>/home/dev/legacy</cwd>\n</environment_context>',
                ),
              ],
              flags: ['synthetic'],
            }),
            message({ externalId: `${id}:4`, role: 'user', parts: [text('hello legacy')] }),
            // apply_patch through the old `shell` tool: {command: ["apply_patch", patch]}.
            message({
              externalId: `${id}:5`,
              role: 'assistant',
              parts: [
                { type: 'reasoning', text: 'Greeting.' },
                {
                  type: 'tool-call',
                  callId: 'call_a',
                  name: 'shell',
                  args: {
                    command: [
                      'apply_patch',
                      '*** Begin Patch\n*** Add File: hello.txt\n+hi\n*** End Patch',
                    ],
                  },
                },
                { type: 'patch', path: 'hello.txt', diff: '*** Add File: hello.txt\n+hi' },
              ],
            }),
            message({
              externalId: `${id}:7`,
              role: 'tool',
              parts: [
                {
                  type: 'tool-result',
                  callId: 'call_a',
                  name: 'shell',
                  output: 'Done!\n',
                  isError: false,
                },
              ],
            }),
            message({
              externalId: `${id}:9`,
              role: 'assistant',
              parts: [text('Hi! I created hello.txt.')],
            }),
          ],
        },
      ],
    })
  })
})

describe('files that are not rollouts', () => {
  it('`codex exec --json` output is one unsupported-format issue, no session', async () => {
    const path = join(SYNTHETIC, 'exec-json/codex-exec-output.jsonl')
    expect(await readRollout(path)).toEqual({
      sessions: [],
      issues: [
        {
          file: path,
          line: 1,
          code: 'unsupported-format',
          message: '"thread.started" is `codex exec --json` output, not a rollout',
        },
      ],
    })
  })

  it('a compressed rollout is reported, not parsed as garbage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codex-gz-'))
    const path = join(dir, 'rollout-2026-03-01T10-00-00-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa.jsonl')
    writeFileSync(path, gzipSync('{"timestamp":"2026-03-01T10:00:00Z","type":"session_meta"}\n'))
    expect(await readRollout(path)).toEqual({
      sessions: [],
      issues: [
        {
          file: path,
          line: null,
          code: 'unsupported-format',
          message: 'gzip-compressed rollout; not read',
        },
      ],
    })
  })

  it('a missing file is an unreadable issue, not a throw; an empty file is nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codex-missing-'))
    const missing = join(dir, 'rollout-gone.jsonl')
    const result = await readRollout(missing)
    expect(result.sessions).toEqual([])
    expect(result.issues).toEqual([
      { file: missing, line: null, code: 'unreadable', message: expect.stringContaining('ENOENT') },
    ])
    const empty = join(dir, 'rollout-empty.jsonl')
    writeFileSync(empty, '')
    expect(await readRollout(empty)).toEqual({ sessions: [], issues: [] })
  })

  it('a file of garbage gives issues for every line and no session', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codex-garbage-'))
    const path = join(dir, 'rollout-garbage.jsonl')
    writeFileSync(path, 'not json\n[1,2]\n{"type":"event_msg","payload":"nope"}\n')
    const result = await readRollout(path)
    expect(result.sessions).toEqual([])
    expect(result.issues.map((i) => [i.line, i.code])).toEqual([
      [1, 'invalid-json'],
      [2, 'invalid-record'],
      [3, 'invalid-record'],
    ])
  })
})
