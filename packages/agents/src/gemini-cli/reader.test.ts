/**
 * Golden tests of the Gemini CLI reader. Every number is read off the fixture line named next
 * to it. Token rule (schema.ts `toTokens`): input = tokens.input − tokens.cached + tokens.tool,
 * cacheRead = tokens.cached, output = tokens.output + tokens.thoughts, reasoning = thoughts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Part, Tokens } from '@opensync/core/wire'
import { describe, expect, it } from 'vitest'
import type { NormalizedMessage, NormalizedSession } from '../reader.js'
import { readGeminiSession } from './reader.js'
import { toTokens } from './schema.js'

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/gemini-cli/', import.meta.url))
const TMP = join(FIXTURES, 'synthetic', 'home', '.gemini', 'tmp')
const MAIN = join(TMP, 'demo-app', 'chats', 'session-2026-03-04T10-00-5f1e2d3c.jsonl')
const SID = '5f1e2d3c-7a6b-4c5d-8e9f-0a1b2c3d4e5f'
const SUB = join(TMP, 'demo-app', 'chats', SID, '7c1d9e2a-3b4f-4a5c-9d8e-1f2a3b4c5d6e.jsonl')
const LEGACY_HASH = '2136a2490b0bdc8f317d3e16aecb6c0b6c264127ce17e17345fe6c0dc2ce7069'
const LEGACY = join(TMP, LEGACY_HASH, 'chats', 'session-2026-02-01T09-30-a1b2c3d4.json')
const AGENTSVIEW = join(FIXTURES, 'agentsview-synthetic')

const t = (iso: string) => Date.parse(iso)
const text = (s: string): Part => ({ type: 'text', text: s })
const reasoning = (s: string): Part => ({ type: 'reasoning', text: s })

function tokens(input: number, output: number, cacheRead: number, reasoning: number): Tokens {
  return { input, output, cacheRead, cacheWrite5m: 0, cacheWrite1h: 0, reasoning }
}

function msg(
  m: Pick<NormalizedMessage, 'externalId' | 'role' | 'createdAt' | 'parts'> &
    Partial<NormalizedMessage>,
): NormalizedMessage {
  const joined = m.parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n\n')
  return {
    model: null,
    provider: null,
    text: joined,
    usage: null,
    reportedCost: null,
    durationMs: null,
    parentExternalId: null,
    flags: [],
    ...m,
  }
}

const gemini = (m: Parameters<typeof msg>[0]) =>
  msg({ provider: 'google', ...m, role: 'assistant' })

async function readOne(path: string): Promise<NormalizedSession> {
  const result = await readGeminiSession(path)
  expect(result.issues).toEqual([])
  const [session] = result.sessions
  if (result.sessions.length !== 1 || session === undefined) throw new Error('expected 1 session')
  return session
}

function tmpFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'gemini-reader-')), name)
  writeFileSync(path, content)
  return path
}

const lines = (rows: readonly unknown[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`

describe('readGeminiSession: current .jsonl replay log (synthetic, chatRecordingService.ts)', () => {
  it('replays upserts, $set and $rewindTo into the final conversation', async () => {
    const s = await readOne(MAIN)
    expect({ ...s, messages: [] }).toEqual({
      externalId: SID, // line 1 sessionId
      source: 'gemini-cli',
      title: 'Add a --verbose flag to the CLI', // last line: $set.summary
      projectPath: '/home/dev/demo-app', // tmp/demo-app/.project_root
      projectName: 'demo-app',
      cwd: '/home/dev/demo-app',
      gitBranch: null,
      model: 'gemini-2.5-flash', // g-004, the last answer
      provider: 'google',
      agentVersion: null,
      parentExternalId: null,
      startedAt: t('2026-03-04T10:00:00.000Z'), // line 1 startTime
      endedAt: t('2026-03-04T10:03:00.000Z'), // last line: $set.lastUpdated
      messages: [],
      reportedTotals: null,
    })
    expect(s.messages).toEqual([
      msg({
        externalId: 'u-001',
        role: 'user',
        createdAt: t('2026-03-04T10:00:05.000Z'),
        parts: [text('Add a --verbose flag to the CLI in src/cli.ts')],
      }),
      // line 4 wrote g-001 with the call executing; line 5 rewrote it with the result.
      gemini({
        externalId: 'g-001',
        createdAt: t('2026-03-04T10:00:09.000Z'),
        model: 'gemini-2.5-pro',
        parts: [
          reasoning(
            'Reading the CLI entry point\nI need to see how flags are parsed before adding one.',
          ),
          {
            type: 'tool-call',
            callId: 'read_file-1772618409000-a1',
            name: 'read_file',
            args: { absolute_path: '/home/dev/demo-app/src/cli.ts' },
          },
        ],
        // {input 12450, output 48, cached 8192, thoughts 310, tool 0, total 12808}:
        // 12450 − 8192 = 4258; 48 + 310 = 358
        usage: tokens(4258, 358, 8192, 310),
      }),
      msg({
        externalId: 'g-001:results',
        role: 'tool',
        createdAt: t('2026-03-04T10:00:09.500Z'), // the finished call's timestamp
        parentExternalId: 'g-001',
        parts: [
          {
            type: 'tool-result',
            callId: 'read_file-1772618409000-a1',
            name: 'read_file',
            output:
              "import { parseArgs } from 'node:util'\nexport const flags = parseArgs({ options: {} })\n",
            isError: false,
          },
        ],
      }),
      gemini({
        externalId: 'g-002',
        createdAt: t('2026-03-04T10:00:15.000Z'),
        model: 'gemini-2.5-pro',
        parts: [
          text('Adding the flag now.'),
          {
            type: 'tool-call',
            callId: 'replace-1772618415000-b2',
            name: 'replace',
            args: {
              file_path: '/home/dev/demo-app/src/cli.ts',
              old_string: 'options: {}',
              new_string: "options: { verbose: { type: 'boolean' } }",
            },
          },
        ],
        // {input 13020, output 61, cached 12288, thoughts 0}: 13020 − 12288 = 732
        usage: tokens(732, 61, 12288, 0),
      }),
      msg({
        externalId: 'g-002:results',
        role: 'tool',
        createdAt: t('2026-03-04T10:00:16.000Z'),
        parentExternalId: 'g-002',
        parts: [
          {
            type: 'tool-result',
            callId: 'replace-1772618415000-b2',
            name: 'replace',
            output: 'Failed to edit, 0 occurrences found for old_string', // response.error
            isError: true, // status "error"
          },
        ],
      }),
      // u-002 and g-003 are gone: {"$rewindTo":"u-002"} dropped them.
      msg({
        externalId: 'u-003',
        role: 'user',
        createdAt: t('2026-03-04T10:02:00.000Z'),
        // displayContent (what was typed), not content (with the expanded @file).
        parts: [text('Print the version from @package.json when --verbose is set')],
      }),
      gemini({
        externalId: 'g-004',
        createdAt: t('2026-03-04T10:02:09.000Z'),
        model: 'gemini-2.5-flash',
        parts: [
          reasoning('Wiring the version\nRead it from package.json at startup.'),
          text('With `--verbose` the CLI now prints `demo-app 1.4.0` first.'),
        ],
        // {input 14100, output 120, cached 13000, thoughts 64, tool 25, total 14309}:
        // 14100 − 13000 + 25 = 1125; 120 + 64 = 184
        usage: tokens(1125, 184, 13000, 64),
      }),
      msg({
        externalId: 'i-001',
        role: 'system',
        createdAt: t('2026-03-04T10:02:30.000Z'),
        parts: [text('Checkpoint saved.')],
        flags: ['synthetic'],
      }),
    ])
  })

  it('links a subagent recording to the session folder it sits in', async () => {
    const s = await readOne(SUB)
    expect([s.externalId, s.parentExternalId, s.cwd, s.title]).toEqual([
      '7c1d9e2a-3b4f-4a5c-9d8e-1f2a3b4c5d6e',
      SID, // chats/<parentSessionId>/
      '/home/dev/demo-app',
      'Find every place that reads process.argv', // no summary: the first prompt
    ])
    expect(s.messages.map((m) => [m.externalId, m.role, m.usage])).toEqual([
      ['su-001', 'user', null],
      // {input 2100, output 150, cached 0, thoughts 40}: output 150 + 40 = 190
      ['sg-001', 'assistant', tokens(2100, 190, 0, 40)],
    ])
    expect([s.startedAt, s.endedAt]).toEqual([
      t('2026-03-04T10:00:20.000Z'),
      t('2026-03-04T10:00:24.000Z'),
    ])
  })
})

describe('readGeminiSession: legacy .json document', () => {
  it('reads the whole document; the hash folder resolves through projects.json', async () => {
    const s = await readOne(LEGACY)
    expect({ ...s, messages: [] }).toMatchObject({
      externalId: 'a1b2c3d4-0000-4000-8000-00000000000a',
      title: 'Why does `npm test` hang?',
      cwd: '/home/dev/legacy-app', // sha256("/home/dev/legacy-app") is the folder name
      projectName: 'legacy-app',
      model: 'gemini-2.5-pro',
      startedAt: t('2026-02-01T09:30:00.000Z'),
      endedAt: t('2026-02-01T09:31:10.000Z'),
    })
    expect(s.messages).toEqual([
      msg({
        externalId: 'm1',
        role: 'user',
        createdAt: t('2026-02-01T09:30:02.000Z'),
        parts: [text('Why does `npm test` hang?')], // content as a plain string
      }),
      gemini({
        externalId: 'm2',
        createdAt: t('2026-02-01T09:30:20.000Z'),
        model: 'gemini-2.5-pro',
        parts: [text('A test leaves a server listening; close it in afterAll.')],
        usage: tokens(5000, 200, 0, 0), // {input 5000, output 200, cached 0, thoughts 0}
      }),
      msg({
        externalId: 'm3',
        role: 'system',
        createdAt: t('2026-02-01T09:31:10.000Z'),
        parts: [text('[API Error: You exceeded your current quota]')],
        flags: ['synthetic'],
      }),
    ])
  })

  it('reads the agentsview test documents (no tokens, no project folder)', async () => {
    const s = await readOne(join(AGENTSVIEW, 'tool_calls.json'))
    expect([s.externalId, s.title, s.cwd, s.model]).toEqual([
      'sess-uuid-2',
      'Read this file',
      null,
      'gemini-2.5-pro',
    ])
    expect(s.messages).toEqual([
      msg({
        externalId: 'u1',
        role: 'user',
        createdAt: t('2024-01-01T10:00:00Z'),
        parts: [text('Read this file')],
      }),
      gemini({
        externalId: 'a1',
        createdAt: t('2024-01-01T10:00:05Z'),
        model: 'gemini-2.5-pro',
        parts: [
          reasoning('Planning\nI need to read the file first.'),
          text('Let me read it.'),
          // No id and no result in the record: a call without a result part.
          { type: 'tool-call', callId: null, name: 'read_file', args: { file_path: 'main.go' } },
        ],
      }),
    ])
    const thinking = await readOne(join(AGENTSVIEW, 'thinking_only.json'))
    expect(thinking.messages[1]?.parts).toEqual([
      reasoning('Understanding request\nThe user wants an explanation of the system.'),
      reasoning('Planning response\nI should describe the config loading flow.'),
      text('Here is how it works: the system reads the config file on startup.'),
    ])
    expect([thinking.startedAt, thinking.endedAt]).toEqual([
      t('2024-01-01T10:00:00Z'),
      t('2024-01-01T10:00:05Z'),
    ])
  })
})

describe('readGeminiSession: edge cases', () => {
  const meta = { sessionId: 'edge-1', projectHash: 'x', startTime: '2026-01-01T00:00:00.000Z' }
  const user = (id: string, s: string) => ({
    id,
    timestamp: '2026-01-01T00:00:01.000Z',
    type: 'user',
    content: s,
  })

  it('$set.messages replaces the list; later records apply on top of the snapshot', async () => {
    const path = tmpFile(
      'session-edge.jsonl',
      lines([
        meta,
        user('a', 'first'),
        user('b', 'second'),
        { $set: { messages: [user('c', 'compressed summary'), { nope: true }] } },
        user('d', 'after the checkpoint'),
        user('c', 'compressed summary, rewritten'),
      ]),
    )
    const result = await readGeminiSession(path)
    expect(result.issues).toEqual([
      { file: path, line: 4, code: 'invalid-record', message: 'messages[1] has no string "id"' },
    ])
    expect(result.sessions[0]?.messages.map((m) => [m.externalId, m.text])).toEqual([
      ['c', 'compressed summary, rewritten'], // upsert keeps its place
      ['d', 'after the checkpoint'],
    ])
  })

  it('a $rewindTo of an unknown id clears every message (gemini loader behaviour)', async () => {
    const path = tmpFile(
      'session-rewind.jsonl',
      lines([meta, user('a', 'x'), { $rewindTo: 'zz' }, user('b', 'y')]),
    )
    const s = await readOne(path)
    expect(s.messages.map((m) => m.externalId)).toEqual(['b'])
  })

  it('turns garbage lines into issues and keeps the rest', async () => {
    const path = tmpFile(
      'session-bad.jsonl',
      `${JSON.stringify(meta)}\nnot json at all\n[1,2]\n{"hello":"world"}\n${JSON.stringify(user('a', 'ok'))}\n`,
    )
    const result = await readGeminiSession(path)
    expect(result.issues.map((i) => [i.line, i.code])).toEqual([
      [2, 'invalid-json'],
      [3, 'invalid-record'],
      [4, 'unknown-record'],
    ])
    expect(result.sessions[0]?.messages.map((m) => m.text)).toEqual(['ok'])
  })

  it('reports a broken or foreign .json file and a missing file, with no session', async () => {
    const broken = tmpFile('session-broken.json', '{"sessionId": "x", "messages": [')
    const foreign = tmpFile('session-foreign.json', '{"hello": 1}')
    const missing = join(tmpdir(), 'gemini-nowhere', 'session-none.jsonl')
    for (const [path, code] of [
      [broken, 'invalid-json'],
      [foreign, 'unsupported-format'],
      [missing, 'unreadable'],
    ] as const) {
      const result = await readGeminiSession(path)
      expect(result.sessions).toEqual([])
      expect(result.issues.map((i) => [i.file, i.line, i.code])).toEqual([[path, null, code]])
    }
  })

  it('a user record of functionResponse parts is a tool message', async () => {
    const path = tmpFile(
      'session-fr.jsonl',
      lines([
        meta,
        {
          id: 'r',
          type: 'user',
          content: [{ functionResponse: { id: 'c1', name: 'ls', response: { output: 'a.txt' } } }],
        },
      ]),
    )
    expect((await readOne(path)).messages).toEqual([
      msg({
        externalId: 'r',
        role: 'tool',
        createdAt: null,
        parts: [{ type: 'tool-result', callId: 'c1', name: 'ls', output: 'a.txt', isError: false }],
      }),
    ])
  })
})

describe('toTokens', () => {
  it('subtracts cached from input unless total shows it was counted outside', () => {
    // Gemini API: total = input + output + thoughts + tool (cached inside input).
    expect(
      toTokens({ input: 100, output: 10, cached: 40, thoughts: 5, tool: 0, total: 115 }),
    ).toEqual(tokens(60, 15, 40, 5))
    // total = 100 + 40 + 10 + 5 = 155: cached was outside input, nothing subtracted.
    expect(
      toTokens({ input: 100, output: 10, cached: 40, thoughts: 5, tool: 0, total: 155 }),
    ).toEqual(tokens(100, 15, 40, 5))
    expect(toTokens({ total: 7 })).toBeNull()
    expect(toTokens(null)).toBeNull()
  })
})
