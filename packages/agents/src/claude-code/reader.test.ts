import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Part, Tokens } from '@opensync/core/wire'
import { describe, expect, it } from 'vitest'
import type { NormalizedMessage, NormalizedSession, ReadResult } from '../reader.js'
import { claudeCodeReader } from './index.js'

/*
 * Golden tests over test/fixtures/claude-code (provenance in its SOURCES.md). Token expectations
 * were computed outside the reader with this jq one-off (group assistant lines by
 * message.id + requestId, keep each group's LAST line, skip `<synthetic>`, sum):
 *
 *   jq -s '[.[] | select((.type // .message.role) == "assistant"
 *              and .message.model != "<synthetic>")]
 *     | group_by(.message.id + ":" + (.requestId // "")) | map(last.message.usage)
 *     | {keys: length, input: (map(.input_tokens) | add), output: (map(.output_tokens) | add),
 *        cacheRead: (map(.cache_read_input_tokens) | add),
 *        w1h: (map(.cache_creation.ephemeral_1h_input_tokens // 0) | add),
 *        w5m: (map([(.cache_creation.ephemeral_5m_input_tokens // 0),
 *                   ((.cache_creation_input_tokens // 0)
 *                     - (.cache_creation.ephemeral_1h_input_tokens // 0))] | max) | add)}' FILE
 */

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/claude-code/', import.meta.url))

function read(path: string): Promise<ReadResult> {
  return claudeCodeReader.read({ agent: 'claude-code', path: FIXTURES + path, kind: 'file' })
}

async function only(path: string): Promise<NormalizedSession> {
  const result = await read(path)
  expect(result.issues).toEqual([])
  expect(result.sessions).toHaveLength(1)
  const [session] = result.sessions
  if (!session) throw new Error('no session')
  return session
}

const t = (iso: string) => Date.parse(iso)

function tokens(
  input: number,
  output: number,
  cacheRead: number,
  cacheWrite5m: number,
  cacheWrite1h: number,
): Tokens {
  return { input, output, cacheRead, cacheWrite5m, cacheWrite1h, reasoning: 0 }
}

const none = {
  model: null,
  provider: null,
  usage: null,
  reportedCost: null,
  durationMs: null,
  parentExternalId: null,
  flags: [],
} as const

function userMsg(
  externalId: string,
  at: string,
  text: string,
  extra: Partial<NormalizedMessage> = {},
): NormalizedMessage {
  return {
    ...none,
    externalId,
    role: 'user',
    createdAt: t(at),
    text,
    parts: [{ type: 'text', text }],
    ...extra,
  }
}

function toolMsg(
  externalId: string,
  at: string,
  parts: Part[],
  parentExternalId: string,
): NormalizedMessage {
  return { ...none, externalId, role: 'tool', createdAt: t(at), text: '', parts, parentExternalId }
}

function assistantMsg(
  externalId: string,
  at: string,
  model: string,
  parts: Part[],
  usage: Tokens,
  extra: Partial<NormalizedMessage> = {},
): NormalizedMessage {
  const text = parts
    .flatMap((p) => (p.type === 'text' && p.text.trim() !== '' ? [p.text] : []))
    .join('\n\n')
  return {
    ...none,
    externalId,
    role: 'assistant',
    createdAt: t(at),
    model,
    provider: 'anthropic',
    text,
    parts,
    usage,
    ...extra,
  }
}

function totals(session: NormalizedSession) {
  const sum = tokens(0, 0, 0, 0, 0)
  let requests = 0
  for (const m of session.messages) {
    if (!m.usage) continue
    requests += 1
    sum.input += m.usage.input
    sum.output += m.usage.output
    sum.cacheRead += m.usage.cacheRead
    sum.cacheWrite5m += m.usage.cacheWrite5m
    sum.cacheWrite1h += m.usage.cacheWrite1h
  }
  return { requests, ...sum }
}

function countBy(messages: readonly NormalizedMessage[], key: (m: NormalizedMessage) => string[]) {
  const out: Record<string, number> = {}
  for (const m of messages) for (const k of key(m)) out[k] = (out[k] ?? 0) + 1
  return out
}
const roles = (s: NormalizedSession) => countBy(s.messages, (m) => [m.role])
const flags = (s: NormalizedSession) => countBy(s.messages, (m) => [...m.flags])

describe('claudeCodeReader.read: mockllm samples (Claude Code 2.1.197, REAL lab)', () => {
  const dir = 'mockllm-v2.1.197/projects/-tmp-agentlab-claude-work/'

  it('session A: plain text, then one streamed reply split over two lines + a Bash call', async () => {
    const s = await only(`${dir}90e36d5a-f1cb-4bc5-b2c2-c659b09ad9e4.jsonl`)
    const { messages, ...meta } = s
    expect(meta).toEqual({
      externalId: '90e36d5a-f1cb-4bc5-b2c2-c659b09ad9e4',
      source: 'claude-code',
      title: 'Say hello',
      projectPath: '/tmp/agentlab/claude/work',
      projectName: 'work',
      cwd: '/tmp/agentlab/claude/work',
      gitBranch: 'HEAD',
      model: 'claude-opus-4-8',
      provider: 'anthropic',
      agentVersion: '2.1.197',
      parentExternalId: null,
      // The first queue-operation (enqueue) line; the last timestamped line is the final reply.
      startedAt: t('2026-11-21T10:08:55.811Z'),
      endedAt: t('2026-11-21T10:08:56.980Z'),
      reportedTotals: null,
    })
    const call: Part = {
      type: 'tool-call',
      callId: 'toolu_mock7ad1f999783d57e7d6f4263d',
      name: 'Bash',
      args: { command: 'echo hi', description: 'Run echo hi' },
    }
    expect(messages).toEqual([
      userMsg('5dcb1255-ab74-4619-a741-140757ea3c4b', '2026-11-21T10:08:55.827Z', 'Say hello'),
      // Its parentUuid is the skill_listing attachment, which stands for its parent, the prompt.
      // The split {1h: 0, 5m: 0} does not add up to cache_creation_input_tokens 16141: the
      // remainder is kept as 5-minute writes.
      assistantMsg(
        'msg_mockdd8cbd83fc870666c8d53982',
        '2026-11-21T10:08:55.952Z',
        'claude-opus-4-8',
        [
          {
            type: 'text',
            text: 'Hello from mockllm. You said: "Say hello". This is a scripted plain-text reply.',
          },
        ],
        tokens(2849, 20, 0, 16141, 0),
        { parentExternalId: '5dcb1255-ab74-4619-a741-140757ea3c4b' },
      ),
      userMsg(
        '7db7b2fd-5bf3-4239-9351-4d10005a5b37',
        '2026-11-21T10:08:56.667Z',
        'Run the shell command `echo hi` and tell me what it printed',
        { parentExternalId: 'msg_mockdd8cbd83fc870666c8d53982' },
      ),
      // Lines 11 and 12 share message.id + requestId: one message, usage counted once.
      assistantMsg(
        'msg_mock82eaba8da5bf4a2d738c132a',
        '2026-11-21T10:08:56.777Z',
        'claude-opus-4-8',
        [{ type: 'text', text: "I'll run `echo hi`." }, call],
        tokens(1143, 17, 15236, 2667, 0),
        { parentExternalId: '7db7b2fd-5bf3-4239-9351-4d10005a5b37' },
      ),
      toolMsg(
        '910e2b9a-61b2-46d4-9eb4-179cfaade06a',
        '2026-11-21T10:08:56.954Z',
        [
          {
            type: 'tool-result',
            callId: 'toolu_mock7ad1f999783d57e7d6f4263d',
            name: 'Bash',
            output: 'hi',
            isError: false,
          },
        ],
        'msg_mock82eaba8da5bf4a2d738c132a',
      ),
      assistantMsg(
        'msg_mockc4fe866ae69a34d555aca97b',
        '2026-11-21T10:08:56.980Z',
        'claude-opus-4-8',
        [
          {
            type: 'text',
            text: 'The tool finished. Its output was:\n\nhi\n\nThat completes the task.',
          },
        ],
        tokens(1148, 16, 15300, 2678, 0),
        { parentExternalId: '910e2b9a-61b2-46d4-9eb4-179cfaade06a' },
      ),
    ])
  })

  it('session B: thinking + text + tool_use over three lines, a Read, and a failing Bash', async () => {
    const s = await only(`${dir}190c26a4-6cf9-4f98-be4f-3c37b00bd083.jsonl`)
    const prompt =
      'Think first, then read the file `/tmp/agentlab/claude/work/notes.txt` and summarise it'
    const thought: Part = {
      type: 'reasoning',
      text: 'The user gave a scripted prompt; follow the mock script.',
    }
    expect(s.title).toBe(prompt)
    expect([s.startedAt, s.endedAt]).toEqual([
      t('2026-11-21T10:08:57.597Z'),
      t('2026-11-21T10:08:58.960Z'),
    ])
    expect(s.messages).toEqual([
      userMsg('3bd231cf-2202-438d-8dc3-cd3bde6c00b5', '2026-11-21T10:08:57.611Z', prompt),
      assistantMsg(
        'msg_mock45263c18cdc3bbce3fb54d34',
        '2026-11-21T10:08:57.721Z',
        'claude-opus-4-8',
        [
          thought,
          { type: 'text', text: "I'll read /tmp/agentlab/claude/work/notes.txt." },
          {
            type: 'tool-call',
            callId: 'toolu_mock9ca47f0d453906341cf4e752',
            name: 'Read',
            args: { file_path: '/tmp/agentlab/claude/work/notes.txt' },
          },
        ],
        tokens(2852, 39, 0, 16158, 0),
        { parentExternalId: '3bd231cf-2202-438d-8dc3-cd3bde6c00b5' },
      ),
      toolMsg(
        'f204dfe5-b319-407a-8579-a1cc1598e4cc',
        '2026-11-21T10:08:57.892Z',
        [
          {
            type: 'tool-result',
            callId: 'toolu_mock9ca47f0d453906341cf4e752',
            name: 'Read',
            output: '1\thello from a file\n2\t',
            isError: false,
          },
        ],
        'msg_mock45263c18cdc3bbce3fb54d34',
      ),
      assistantMsg(
        'msg_mock92a336fa251c39c12e14ee8f',
        '2026-11-21T10:08:57.918Z',
        'claude-opus-4-8',
        [
          thought,
          {
            type: 'text',
            text: 'The tool finished. Its output was:\n\n1\thello from a file\n2\n\nThat completes the task.',
          },
        ],
        tokens(1149, 35, 15317, 2681, 0),
        { parentExternalId: 'f204dfe5-b319-407a-8579-a1cc1598e4cc' },
      ),
      userMsg(
        '6542d9fe-dea9-4d56-bd9a-711d27052654',
        '2026-11-21T10:08:58.635Z',
        'Run `ls missing-file.txt` please',
        { parentExternalId: 'msg_mock92a336fa251c39c12e14ee8f' },
      ),
      assistantMsg(
        'msg_mockc3fe5c8f5556cda8f2c762f0',
        '2026-11-21T10:08:58.744Z',
        'claude-opus-4-8',
        [
          { type: 'text', text: "I'll run `ls missing-file.txt`." },
          {
            type: 'tool-call',
            callId: 'toolu_mocke1a52b8debf9a82918a15eb0',
            name: 'Bash',
            args: { command: 'ls missing-file.txt', description: 'Run ls missing-file.txt' },
          },
        ],
        tokens(1155, 26, 15392, 2693, 0),
        { parentExternalId: '6542d9fe-dea9-4d56-bd9a-711d27052654' },
      ),
      toolMsg(
        'afa75b16-b4e3-4182-a99b-6f308370059b',
        '2026-11-21T10:08:58.923Z',
        [
          {
            type: 'tool-result',
            callId: 'toolu_mocke1a52b8debf9a82918a15eb0',
            name: 'Bash',
            output: "Exit code 2\nls: cannot access 'missing-file.txt': No such file or directory",
            isError: true,
          },
        ],
        'msg_mockc3fe5c8f5556cda8f2c762f0',
      ),
      assistantMsg(
        'msg_mock715a3bdb752e2d0162d367e1',
        '2026-11-21T10:08:58.960Z',
        'claude-opus-4-8',
        [
          {
            type: 'text',
            text: "The tool finished. Its output was:\n\nExit code 2\nls: cannot access 'missing-file.txt': No such file or directory\n\nThat completes the task.",
          },
        ],
        tokens(1161, 35, 15478, 2709, 0),
        { parentExternalId: 'afa75b16-b4e3-4182-a99b-6f308370059b' },
      ),
    ])
  })

  it('gives the same ids and numbers when the file is read again', async () => {
    const path = `${dir}190c26a4-6cf9-4f98-be4f-3c37b00bd083.jsonl`
    expect(await read(path)).toEqual(await read(path))
  })
})

describe('claudeCodeReader.read: spotter (Claude Code 2.1.38/2.1.39, REAL)', () => {
  it('short.jsonl: one response split over 5 lines, rejected tools, local commands', async () => {
    const s = await only('spotter-v2.1/short.jsonl')
    const { messages, ...meta } = s
    expect(meta).toEqual({
      // The stem "short" is not a UUID (the fixture was renamed): the lines' sessionId is used.
      externalId: '55604662-cf2a-4331-851a-ec234028f8ca',
      source: 'claude-code',
      title: 'mix phx.server doesnt seem to start',
      projectPath: '/home/marco/projects/spotter',
      projectName: 'spotter',
      cwd: '/home/marco/projects/spotter',
      gitBranch: 'master',
      model: 'claude-opus-4-6',
      provider: 'anthropic',
      agentVersion: '2.1.38',
      parentExternalId: null,
      // First SessionStart hook_progress line .. the last system/local_command line.
      startedAt: t('2026-02-10T21:11:52.438Z'),
      endedAt: t('2026-02-10T21:16:12.381Z'),
      reportedTotals: null,
    })
    const rejected =
      "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed."
    const thinking =
      "The user is having trouble starting their Phoenix server. Let me check what's happening by trying to run the command and looking at the project structure."
    expect(messages).toEqual([
      userMsg(
        '7d48cbd2-6615-4dd8-87f6-38f12b8167d6',
        '2026-02-10T21:11:56.846Z',
        'mix phx.server doesnt seem to start',
      ),
      // Lines 5-8 and 10 (msg_01MKH1…): text "\n\n", thinking, text, tool_use, tool_use, with a
      // progress line between the two tool_use lines. Usage identical on all five: counted once.
      assistantMsg(
        'msg_01MKH1ccEGrZGNPvu8pYiiQa',
        '2026-02-10T21:11:59.186Z',
        'claude-opus-4-6',
        [
          { type: 'text', text: '\n\n' },
          { type: 'reasoning', text: thinking },
          {
            type: 'text',
            text: 'Let me check the project structure and try running the server to see the error.',
          },
          {
            type: 'tool-call',
            callId: 'toolu_0116Hyi5v8ut7Ffb7d8qV1Sc',
            name: 'Bash',
            args: { command: 'mix phx.server 2>&1 | head -80', timeout: 30000 },
          },
          {
            type: 'tool-call',
            callId: 'toolu_01FdQ8qTyVyZjE3Kw4dguQGx',
            name: 'Glob',
            args: { pattern: 'mix.exs', path: '/home/marco/projects/spotter' },
          },
        ],
        tokens(3, 13, 11515, 0, 13835),
        { parentExternalId: '7d48cbd2-6615-4dd8-87f6-38f12b8167d6' },
      ),
      toolMsg(
        'ff80d82a-4ac1-4945-83dd-1226f98b8cf6',
        '2026-02-10T21:12:02.480Z',
        [
          {
            type: 'tool-result',
            callId: 'toolu_0116Hyi5v8ut7Ffb7d8qV1Sc',
            name: 'Bash',
            output: rejected,
            isError: true,
          },
        ],
        'msg_01MKH1ccEGrZGNPvu8pYiiQa',
      ),
      toolMsg(
        '2618ef5d-c1c6-4938-b81c-8a3230ccad76',
        '2026-02-10T21:12:02.480Z',
        [
          {
            type: 'tool-result',
            callId: 'toolu_01FdQ8qTyVyZjE3Kw4dguQGx',
            name: 'Glob',
            output: rejected,
            isError: true,
          },
        ],
        'msg_01MKH1ccEGrZGNPvu8pYiiQa',
      ),
      userMsg(
        'c06a9fe4-ba05-44f2-b619-a057c18101e5',
        '2026-02-10T21:12:02.480Z',
        '[Request interrupted by user for tool use]',
        { parentExternalId: '2618ef5d-c1c6-4938-b81c-8a3230ccad76', flags: ['synthetic'] },
      ),
      {
        ...none,
        externalId: '87cfd146-38ca-48ef-96f2-3c893113b511',
        role: 'system',
        createdAt: t('2026-02-10T21:16:12.381Z'),
        text: '<command-name>/model</command-name>\n            <command-message>model</command-message>\n            <command-args></command-args>',
        parts: [
          {
            type: 'text',
            text: '<command-name>/model</command-name>\n            <command-message>model</command-message>\n            <command-args></command-args>',
          },
        ],
        parentExternalId: 'c06a9fe4-ba05-44f2-b619-a057c18101e5',
        flags: ['synthetic'],
      },
      {
        ...none,
        externalId: '40003bdd-2613-4975-83d5-36fb0b6bbc59',
        role: 'system',
        createdAt: t('2026-02-10T21:16:12.381Z'),
        text: '<local-command-stdout>Kept model as \u001b[1mDefault (recommended)\u001b[22m</local-command-stdout>',
        parts: [
          {
            type: 'text',
            text: '<local-command-stdout>Kept model as \u001b[1mDefault (recommended)\u001b[22m</local-command-stdout>',
          },
        ],
        parentExternalId: '87cfd146-38ca-48ef-96f2-3c893113b511',
        flags: ['synthetic'],
      },
    ])
  })

  it('tool_heavy.jsonl: the LAST line of a streamed response wins (output 25 then 173)', async () => {
    const s = await only('spotter-v2.1/tool_heavy.jsonl')
    // msg_019BN3… is written on line 34 (output_tokens 25) and line 37 (173), with a tool
    // result between them: one message, both tool calls, usage from line 37.
    const msg = s.messages.find((m) => m.externalId === 'msg_019BN3FRqb7NU4DgBN5jdsym')
    expect(msg?.usage).toEqual(tokens(47, 173, 26504, 0, 1115))
    expect(msg?.parts.map((p) => (p.type === 'tool-call' ? p.name : p.type))).toEqual([
      'Read',
      'WebFetch',
    ])
    // jq: keys 4 (9 assistant lines), input 54, output 212, cacheRead 88231, w1h 17696, w5m 0.
    expect(totals(s)).toEqual({ requests: 4, ...tokens(54, 212, 88231, 0, 17696) })
    // 13 user lines: 4 prompts/commands, 6 tool results, 2 interrupts (synthetic), 1 caveat
    // (isMeta); plus the two system/local_command lines. queue-operation, progress and
    // file-history-snapshot lines carry no message.
    expect(s.messages).toHaveLength(19)
    expect(roles(s)).toEqual({ user: 7, assistant: 4, tool: 6, system: 2 })
    expect(flags(s)).toEqual({ synthetic: 6 })
    expect(s.title).toBe('start phoenix in background')
    expect([s.startedAt, s.endedAt]).toEqual([
      t('2026-02-10T22:57:51.291Z'),
      t('2026-02-10T22:59:46.748Z'),
    ])
  })

  it('subagent.jsonl: agent_progress copies of the subagent are not counted', async () => {
    const s = await only('spotter-v2.1/subagent.jsonl')
    // 19 progress/agent_progress lines embed the Task subagent's own messages (with usage):
    // they are not messages of this session, so the totals are the 12 main responses only.
    // jq: keys 12 (28 lines), input 1576, output 1586, cacheRead 427286, w1h 25842, w5m 0.
    expect(totals(s)).toEqual({ requests: 12, ...tokens(1576, 1586, 427286, 0, 25842) })
    expect(s.messages).toHaveLength(32)
    expect(roles(s)).toEqual({ user: 4, assistant: 12, tool: 16 })
    // The skill expansion (isMeta) and "[Request interrupted by user]".
    expect(flags(s)).toEqual({ synthetic: 2 })
    // The first line is a slash command with arguments; its expansion is isMeta.
    expect(s.title).toBe(
      '/handgemacht:create-beads websearch to learn how to fastest setup credo, dialyzer, mix_audit (basically all supported b…',
    )
    expect(s.title?.length).toBe(120)
    // The Task tool_result (line 56) carries toolUseResult.usage, the subagent's own totals:
    // not added here (the subagent file holds them). Its two text blocks become the output.
    const task = s.messages.find((m) => m.externalId === 'ad8edfa3-c6cd-4fc3-ab58-50738a695ec9')
    expect(task?.role).toBe('tool')
    expect(task?.usage).toBeNull()
    expect(task?.parentExternalId).toBe('msg_01QVA9ZtQhiqWU7kKBrXThFY')
    const result = task?.parts[0]
    expect(result?.type === 'tool-result' && [result.callId, result.name]).toEqual([
      'toolu_01Cz2Pnv7qNcnK1ZiocxWhQX',
      'Task',
    ])
    expect(result?.type === 'tool-result' && result.output).toMatch(/\nagentId: afb92ff /)
  })

  it('subagents/agent-aac57f5.jsonl: a separate session linked to its parent', async () => {
    const s = await only(
      'spotter-v2.1/ae4a77f8-aedd-4bc1-888f-c94edc91af04/subagents/agent-aac57f5.jsonl',
    )
    expect(s.externalId).toBe('ae4a77f8-aedd-4bc1-888f-c94edc91af04:agent-aac57f5')
    expect(s.parentExternalId).toBe('ae4a77f8-aedd-4bc1-888f-c94edc91af04')
    expect(s.title).toBe(
      'Search hex.pm for the latest versions of these Elixir packages and return the recommended version constraints for mix.e…',
    )
    expect([s.model, s.agentVersion, s.gitBranch, s.projectName]).toEqual([
      'claude-sonnet-4-5-20250929',
      '2.1.39',
      'spotter-4te',
      'spotter-4te',
    ])
    // 15 assistant lines, 3 keys; msg_01QUWJ… is written on 7 lines interleaved with its tool
    // results. jq: input 2408, output 7, cacheRead 29274, w5m 18814 (subagents write 5m cache).
    expect(totals(s)).toEqual({ requests: 3, ...tokens(2408, 7, 29274, 18814, 0) })
    expect(roles(s)).toEqual({ user: 1, assistant: 3, tool: 12 })
    // Every line of a subagent file is isSidechain:true.
    expect(flags(s)).toEqual({ sidechain: 16 })
    const tools = s.messages.filter((m) => m.role === 'tool')
    expect(new Set(tools.map((m) => m.parentExternalId))).toEqual(
      new Set(['msg_01XnP8V9m3LNbxPnXbuinNKs', 'msg_01QUWJL4JqVhaSxqh4fsVEw3']),
    )
  })

  it('subagents/agent-acompact-946d2b.jsonl: the compaction agent', async () => {
    const path =
      'spotter-v2.1/ae4a77f8-aedd-4bc1-888f-c94edc91af04/subagents/agent-acompact-946d2b.jsonl'
    const [prompt, reply] = readFileSync(FIXTURES + path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    const s = await only(path)
    const { messages, ...meta } = s
    expect(meta).toEqual({
      externalId: 'ae4a77f8-aedd-4bc1-888f-c94edc91af04:agent-acompact-946d2b',
      source: 'claude-code',
      // Its only prompt is written by Claude Code (synthetic): no title.
      title: null,
      projectPath: '/home/USER/projects/spotter-worktrees/spotter-4te',
      projectName: 'spotter-4te',
      cwd: '/home/USER/projects/spotter-worktrees/spotter-4te',
      gitBranch: 'spotter-4te',
      model: 'claude-opus-4-6',
      provider: 'anthropic',
      agentVersion: '2.1.39',
      parentExternalId: 'ae4a77f8-aedd-4bc1-888f-c94edc91af04',
      startedAt: t('2026-02-12T14:47:09.231Z'),
      endedAt: t('2026-02-12T14:48:36.518Z'),
      reportedTotals: null,
    })
    const summary: string = reply.message.content[0].text
    expect(messages).toEqual([
      // parentUuid points into the parent's file: not a message of this session.
      userMsg(
        '0bfe3134-312c-453f-89e2-2cd38068e160',
        '2026-02-12T14:47:09.231Z',
        prompt.message.content,
        {
          flags: ['synthetic', 'sidechain'],
        },
      ),
      assistantMsg(
        'msg_01PKUiWZohLj43EHW343WeHF',
        '2026-02-12T14:48:36.518Z',
        'claude-opus-4-6',
        [{ type: 'text', text: summary }],
        tokens(3, 8, 17842, 121689, 0),
        {
          parentExternalId: '0bfe3134-312c-453f-89e2-2cd38068e160',
          flags: ['compaction-summary', 'sidechain'],
        },
      ),
    ])
    expect(summary.startsWith('\n\n<analysis>')).toBe(true)
  })
})

describe('claudeCodeReader.read: sniffly (Claude Code 1.0.17, REAL)', () => {
  const dir = 'sniffly-v1.0.17/-Users-chip-dev-ai-music/'

  it('ba79134d: message.id + requestId repeated up to 9 times is counted once', async () => {
    const s = await only(`${dir}ba79134d-b6e9-4867-af0c-6941038c9e4b.jsonl`)
    // Lines 13-21 are one response (msg_012sQGak…/req_011CPvcyBQ…): a text block then 8 Glob
    // calls, usage repeated 9 times. No cache split in 1.0.x: the 437 cache writes are 5m.
    const nine = s.messages.find((m) => m.externalId === 'msg_012sQGakUhELhhykRHa4Dypy')
    expect(nine?.usage).toEqual(tokens(8, 4, 14092, 437, 0))
    expect(nine?.parts.map((p) => (p.type === 'tool-call' ? p.name : p.type))).toEqual([
      'text',
      ...Array<string>(8).fill('Glob'),
    ])
    // jq: 40 assistant lines, 24 keys; deduped input 91, output 2266, cacheRead 503769,
    // w5m 16072. Summing every line instead would give input 195, output 2350,
    // cacheRead 714901, cache writes 42030.
    expect(totals(s)).toEqual({ requests: 24, ...tokens(91, 2266, 503769, 16072, 0) })
    // 36 user lines: 6 typed (the first is the /init command) and 30 tool results.
    expect(s.messages).toHaveLength(60)
    expect(roles(s)).toEqual({ user: 6, assistant: 24, tool: 30 })
    expect(flags(s)).toEqual({})
    expect([s.startedAt, s.endedAt]).toEqual([
      t('2025-06-08T10:47:08.446Z'),
      t('2025-06-08T10:55:59.652Z'),
    ])
    expect([s.agentVersion, s.gitBranch, s.projectPath]).toEqual([
      '1.0.17',
      null,
      '/Users/chip/dev/ai-music',
    ])
  })

  it('ba79134d: titled by the summary-only sibling ff71dbed, whose leafUuid is its line 54', async () => {
    const s = await only(`${dir}ba79134d-b6e9-4867-af0c-6941038c9e4b.jsonl`)
    expect(s.title).toBe('AI Music Generation from Word Embeddings')
  })

  it('ff71dbed: a file holding only a summary line yields no session and no issue', async () => {
    expect(await read(`${dir}ff71dbed-a4f2-4284-a4fc-fe2fb90de929.jsonl`)).toEqual({
      sessions: [],
      issues: [],
    })
  })

  it("fed8ce56: its own summary's leaf is in another file, so the first prompt titles it", async () => {
    const s = await only(`${dir}fed8ce56-bc79-401f-a83e-af084253362f.jsonl`)
    expect(s.title).toBe('push to github')
    // jq: 10 assistant lines, 4 keys; input 88, output 278 (the lines of msg_01XQri… say 1 then
    // 273: the last wins), cacheRead 44544, w5m 16000.
    expect(totals(s)).toEqual({ requests: 4, ...tokens(88, 278, 44544, 16000, 0) })
    expect(roles(s)).toEqual({ user: 3, assistant: 4, tool: 7 })
    expect(flags(s)).toEqual({ synthetic: 1 })
  })

  it('Edit results become a tool-result and a patch built from structuredPatch', async () => {
    const s = await only(`${dir}ba79134d-b6e9-4867-af0c-6941038c9e4b.jsonl`)
    const edit = s.messages.find((m) => m.externalId === '32a4fd75-3ca5-4da3-9901-da510443e4e0')
    expect(edit?.parts[1]).toEqual({
      type: 'patch',
      path: '/Users/chip/dev/ai-music/CLAUDE.md',
      diff: [
        '--- /Users/chip/dev/ai-music/CLAUDE.md',
        '+++ /Users/chip/dev/ai-music/CLAUDE.md',
        '@@ -24,6 +24,12 @@',
        ' ',
        ' ## Development Commands',
        ' ',
        '+Create and activate conda environment:',
        '+```bash',
        '+conda create -n aie311 python=3.11 -y',
        '+conda activate aie311',
        '+```',
        '+',
        ' Install dependencies:',
        ' ```bash',
        ' pip install -r requirements.txt',
      ].join('\n'),
    })
    // Write results (structuredPatch: []) get no patch part.
    const write = s.messages.find((m) => m.externalId === '97585535-cc9e-4cad-b5c6-d8d259832e64')
    expect(write?.parts.map((p) => p.type)).toEqual(['tool-result'])
  })
})

describe('claudeCodeReader.read: fasthooks (Claude Code 2.0.76, REAL)', () => {
  it('sample_main_transcript: compaction boundary and summary', async () => {
    const s = await only('fasthooks-v2.0.76/sample_main_transcript.jsonl')
    expect(s.title).toBe('can you run a command ls -la')
    // jq: 28 assistant lines, 12 keys; input 132, output 1480, cacheRead 223265, w5m 8467.
    expect(totals(s)).toEqual({ requests: 12, ...tokens(132, 1480, 223265, 8467, 0) })
    expect(roles(s)).toEqual({ user: 9, assistant: 12, tool: 10, system: 1 })
    // The boundary, the summary, the isMeta caveat and the /compact command's stdout.
    expect(flags(s)).toEqual({ synthetic: 4, 'compaction-summary': 1 })
    expect([s.startedAt, s.endedAt]).toEqual([
      t('2026-01-02T19:18:31.028Z'),
      t('2026-01-02T19:21:02.108Z'),
    ])
    const tail = s.messages.slice(-5)
    expect(tail.map((m) => [m.externalId, m.role, m.flags, m.parentExternalId])).toEqual([
      // Line 59: parentUuid null, logicalParentUuid = the stop_hook_summary line, which stands
      // for its own parent, the last reply.
      [
        '2b772f69-963e-4d05-8a4f-1ca2c3889686',
        'system',
        ['synthetic'],
        'msg_012Xq94DAuuz4QR2jG7TtBKB',
      ],
      [
        '1d483453-e0cd-4ea2-bde6-540216e174a2',
        'user',
        ['compaction-summary', 'synthetic'],
        '2b772f69-963e-4d05-8a4f-1ca2c3889686',
      ],
      [
        'a51dfbf1-42a5-45ff-97dd-249d86e55d6c',
        'user',
        ['synthetic'],
        '1d483453-e0cd-4ea2-bde6-540216e174a2',
      ],
      ['b9f0a482-95c1-4429-b154-0dce0f856a2d', 'user', [], 'a51dfbf1-42a5-45ff-97dd-249d86e55d6c'],
      [
        '5685c15e-81ef-48c0-902c-5acad440265a',
        'user',
        ['synthetic'],
        'b9f0a482-95c1-4429-b154-0dce0f856a2d',
      ],
    ])
    expect(tail[0]?.parts).toEqual([
      { type: 'text', text: 'Conversation compacted' },
      { type: 'other', kind: 'compact_boundary', raw: { trigger: 'manual', preTokens: 21558 } },
    ])
    expect(tail[1]?.text).toMatch(/^This session is being continued from a previous conversation/)
  })

  it('sample_agent_sidechain: a 2.0.x project-level subagent file ("Warmup")', async () => {
    const path = 'fasthooks-v2.0.76/sample_agent_sidechain.jsonl'
    const reply = JSON.parse(
      readFileSync(FIXTURES + path, 'utf8')
        .trim()
        .split('\n')[1] ?? '',
    )
    const s = await only(path)
    const { messages, ...meta } = s
    expect(meta).toEqual({
      externalId: 'c45af7b1-cb7c-4e51-93db-8cbb250a877a:agent-af1ff21',
      source: 'claude-code',
      title: null,
      projectPath: '/workspace',
      projectName: 'workspace',
      cwd: '/workspace',
      gitBranch: null,
      model: 'claude-haiku-4-5-20251001',
      provider: 'anthropic',
      agentVersion: '2.0.76',
      // The lines carry the parent's sessionId (the main transcript above).
      parentExternalId: 'c45af7b1-cb7c-4e51-93db-8cbb250a877a',
      startedAt: t('2026-01-02T19:11:22.139Z'),
      endedAt: t('2026-01-02T19:11:24.315Z'),
      reportedTotals: null,
    })
    expect(messages).toEqual([
      userMsg('6e3bca70-1157-4968-9897-622ae11bf2f5', '2026-01-02T19:11:22.139Z', 'Warmup', {
        flags: ['synthetic', 'sidechain'],
      }),
      assistantMsg(
        'msg_01UQW3Q8Gyqe5nNQXVESoD81',
        '2026-01-02T19:11:24.315Z',
        'claude-haiku-4-5-20251001',
        [{ type: 'text', text: reply.message.content[0].text }],
        tokens(728, 152, 0, 0, 0),
        { parentExternalId: '6e3bca70-1157-4968-9897-622ae11bf2f5', flags: ['sidechain'] },
      ),
    ])
  })
})

describe('claudeCodeReader.read: ccusage synthetic usage lines (SYNTHETIC)', () => {
  it('legacy lines without "type", uuid or content: usage, costUSD, 5m fallback', async () => {
    const s = await only('ccusage/synthetic/projects/project-alpha/session-alpha/chat.jsonl')
    const { messages, ...meta } = s
    expect(meta).toEqual({
      // Stem "chat" is not a UUID: the lines' sessionId.
      externalId: 'session-alpha',
      source: 'claude-code',
      title: null,
      projectPath: null,
      projectName: null,
      cwd: null,
      gitBranch: null,
      // sonnet answers 2 of the 3 requests.
      model: 'claude-sonnet-4-20250514',
      provider: 'anthropic',
      // The last line's version.
      agentVersion: '1.1.0',
      parentExternalId: null,
      startedAt: t('2026-01-09T10:00:00.000Z'),
      endedAt: t('2026-01-10T09:15:00.000Z'),
      reportedTotals: null,
    })
    const line = (id: string, at: string, model: string, usage: Tokens, cost: number) =>
      assistantMsg(id, at, model, [], usage, { reportedCost: cost })
    expect(messages).toEqual([
      line(
        'msg-alpha-1',
        '2026-01-09T10:00:00.000Z',
        'claude-sonnet-4-20250514',
        tokens(100, 50, 10, 25, 0),
        0.12,
      ),
      line(
        'msg-alpha-2',
        '2026-01-09T12:30:00.000Z',
        'claude-opus-4-20250514',
        tokens(200, 75, 20, 50, 0),
        0.34,
      ),
      line(
        'msg-alpha-3',
        '2026-01-10T09:15:00.000Z',
        'claude-sonnet-4-20250514',
        tokens(300, 125, 40, 0, 0),
        0.56,
      ),
    ])
  })
})

describe('claudeCodeReader.read: hand-written fixtures (synthetic/)', () => {
  it('every record type of 2.1.x: titles, attachments, server tools, retries, API errors', async () => {
    const path = 'synthetic/projects/-work-demo/aaaaaaaa-0000-4000-8000-000000000001.jsonl'
    const result = await read(path)
    expect(result.issues).toEqual([
      {
        file: FIXTURES + path,
        line: 29,
        code: 'unknown-record',
        message: 'unknown record type "future-record" ignored (2 lines)',
      },
    ])
    const [s] = result.sessions
    const { messages, ...meta } = s ?? { messages: [] }
    expect(result.sessions).toHaveLength(1)
    expect(meta).toEqual({
      externalId: 'aaaaaaaa-0000-4000-8000-000000000001',
      source: 'claude-code',
      // custom-title wins over ai-title and over the first prompt.
      title: 'Login bug',
      projectPath: '/work/demo',
      projectName: 'demo',
      cwd: '/work/demo',
      gitBranch: 'main',
      model: 'claude-opus-4-7',
      provider: 'anthropic',
      agentVersion: '2.1.150',
      parentExternalId: null,
      // queue-operation (line 2) .. progress (line 28); pr-link's 10:00:14 is in between.
      startedAt: t('2026-05-01T10:00:00.000Z'),
      endedAt: t('2026-05-01T10:00:15.000Z'),
      reportedTotals: null,
    })
    const at = (s: string) => `2026-05-01T10:00:${s}.000Z`
    expect(messages).toEqual([
      userMsg('u1', at('01'), 'Fix the login bug\nIt fails on empty passwords'),
      // Lines 5-7: thinking, redacted_thinking, tool_use; output 5, 5 then 42 (the last wins).
      // Its parent is the hook_success attachment, which stands for u1.
      assistantMsg(
        'msg_A',
        at('02'),
        'claude-opus-4-7',
        [
          { type: 'reasoning', text: 'Look at auth.ts' },
          { type: 'reasoning', text: '' },
          {
            type: 'tool-call',
            callId: 'toolu_1',
            name: 'Edit',
            args: { file_path: '/work/demo/auth.ts', old_string: 'a', new_string: 'b' },
          },
        ],
        tokens(10, 42, 100, 0, 50),
        { parentExternalId: 'u1' },
      ),
      // Line 9 repeats line 8 (same uuid): read once.
      toolMsg(
        't1',
        at('04'),
        [
          {
            type: 'tool-result',
            callId: 'toolu_1',
            name: 'Edit',
            output: 'Edited',
            isError: false,
          },
          { type: 'image', mediaType: 'image/png', url: null },
          {
            type: 'patch',
            path: '/work/demo/auth.ts',
            diff: '--- /work/demo/auth.ts\n+++ /work/demo/auth.ts\n@@ -3,1 +3,1 @@\n-a\n+b',
          },
        ],
        'msg_A',
      ),
      // Same message.id, another requestId: another request, another message.
      assistantMsg(
        'msg_A:req_A2',
        at('05'),
        'claude-opus-4-7',
        [{ type: 'text', text: 'Retrying.' }],
        tokens(1, 2, 0, 0, 0),
        {
          parentExternalId: 't1',
        },
      ),
      // No message.id (a proxy): the line is its own request, keyed by its uuid. Only
      // cache_creation_input_tokens: 5m.
      assistantMsg(
        'as5',
        at('06'),
        'glm-4.6',
        [
          {
            type: 'tool-call',
            callId: 'srvtoolu_1',
            name: 'web_search',
            args: { query: 'bcrypt empty password' },
          },
          {
            type: 'tool-result',
            callId: 'srvtoolu_1',
            name: 'web_search',
            output: '[{"type":"web_search_result","url":"https://example.com","title":"Ex"}]',
            isError: false,
          },
          { type: 'text', text: 'Found it.' },
        ],
        tokens(20, 7, 0, 30, 0),
        { parentExternalId: 'msg_A:req_A2' },
      ),
      {
        ...none,
        externalId: 's1',
        role: 'system',
        createdAt: t(at('07')),
        text: 'Overloaded',
        parts: [{ type: 'text', text: 'Overloaded' }],
        parentExternalId: 'as5',
        flags: ['synthetic'],
      },
      // model "<synthetic>": no model, no usage.
      {
        ...none,
        externalId: 'msg_syn',
        role: 'assistant',
        createdAt: t(at('08')),
        text: 'API Error: Overloaded',
        parts: [{ type: 'text', text: 'API Error: Overloaded' }],
        parentExternalId: 's1',
        flags: ['synthetic'],
      },
      // turn_duration (s2) is not a message; the queued prompt hangs off its parent.
      userMsg('a2', at('10'), 'also add a test', { parentExternalId: 'msg_syn' }),
      userMsg('a3', at('11'), '<task-notification>done</task-notification>', {
        parentExternalId: 'a2',
        flags: ['synthetic'],
      }),
      {
        ...userMsg('u2', at('12'), 'Here is a screenshot', { parentExternalId: 'a3' }),
        parts: [
          { type: 'text', text: 'Here is a screenshot' },
          { type: 'image', mediaType: 'image/jpeg', url: null },
          { type: 'file', path: null, mediaType: 'application/pdf', text: null },
        ],
      },
      {
        ...none,
        externalId: 's3',
        role: 'system',
        createdAt: t(at('13')),
        text: 'Context microcompacted',
        parts: [{ type: 'text', text: 'Context microcompacted' }],
        parentExternalId: 'u2',
        flags: ['synthetic'],
      },
    ])
  })

  it('malformed.jsonl: bad lines become issues, the rest is read, a half-written tail is left', async () => {
    const path = 'synthetic/malformed.jsonl'
    const file = FIXTURES + path
    const result = await read(path)
    expect(result.issues).toEqual([
      { file, line: 2, code: 'invalid-json', message: expect.any(String) },
      { file, line: 4, code: 'invalid-record', message: 'line is not a JSON object' },
      { file, line: 5, code: 'invalid-record', message: 'line is not a JSON object' },
      { file, line: 6, code: 'invalid-record', message: 'record has no "type"' },
      { file, line: 7, code: 'invalid-record', message: 'assistant line without message' },
      { file, line: 8, code: 'invalid-record', message: 'user line without message.content' },
      { file, line: 9, code: 'invalid-record', message: 'summary line without summary' },
      { file, line: 10, code: 'invalid-record', message: 'custom-title line without a title' },
      {
        file,
        line: 11,
        code: 'unknown-record',
        message: 'unknown record type "brand-new-type" ignored (2 lines)',
      },
      { file, line: 13, code: 'invalid-json', message: expect.any(String) },
    ])
    // Line 3 is blank (skipped silently); line 15 has no newline yet (being written): not read.
    expect(result.sessions).toEqual([
      {
        externalId: 'bbbbbbbb-0000-4000-8000-000000000002',
        source: 'claude-code',
        title: 'hello',
        projectPath: null,
        projectName: null,
        cwd: null,
        gitBranch: null,
        model: 'claude-sonnet-4-5',
        provider: 'anthropic',
        agentVersion: null,
        parentExternalId: null,
        startedAt: t('2026-05-02T08:00:00.000Z'),
        endedAt: t('2026-05-02T08:00:01.000Z'),
        messages: [
          userMsg('m1', '2026-05-02T08:00:00.000Z', 'hello'),
          assistantMsg(
            'msg_M',
            '2026-05-02T08:00:01.000Z',
            'claude-sonnet-4-5',
            [{ type: 'text', text: 'hi' }],
            tokens(3, 4, 0, 0, 0),
            {
              parentExternalId: 'm1',
            },
          ),
        ],
        reportedTotals: null,
      },
    ])
  })

  it('inline sidechains (1.0.x): one session per chain, linked to the main session', async () => {
    const result = await read(
      'synthetic/inline-sidechain/cccccccc-0000-4000-8000-000000000003.jsonl',
    )
    expect(result.issues).toEqual([])
    const main = 'cccccccc-0000-4000-8000-000000000003'
    const at = (s: string) => `2025-06-01T09:00:${s}.000Z`
    const model = 'claude-sonnet-4-20250514'
    const common = {
      source: 'claude-code',
      projectPath: '/work/app',
      projectName: 'app',
      cwd: '/work/app',
      gitBranch: null,
      model,
      provider: 'anthropic',
      agentVersion: '1.0.30',
      reportedTotals: null,
    } as const
    const side = ['sidechain'] as const
    expect(result.sessions).toEqual([
      {
        ...common,
        externalId: main,
        title: 'Find the config loader',
        parentExternalId: null,
        startedAt: t(at('00')),
        endedAt: t(at('06')),
        messages: [
          userMsg('x1', at('00'), 'Find the config loader'),
          assistantMsg(
            'msg_P',
            at('01'),
            model,
            [
              {
                type: 'tool-call',
                callId: 'toolu_T',
                name: 'Task',
                args: { description: 'find loader', prompt: 'Search for the config loader' },
              },
            ],
            tokens(5, 20, 1000, 200, 0),
            { parentExternalId: 'x1' },
          ),
          toolMsg(
            'x3',
            at('05'),
            [
              {
                type: 'tool-result',
                callId: 'toolu_T',
                name: 'Task',
                output: 'It is in config.ts',
                isError: false,
              },
            ],
            'msg_P',
          ),
          assistantMsg(
            'msg_Q',
            at('06'),
            model,
            [{ type: 'text', text: 'The loader is in config.ts.' }],
            tokens(3, 8, 1200, 0, 0),
            {
              parentExternalId: 'x3',
            },
          ),
        ],
      },
      {
        ...common,
        externalId: `${main}:sidechain-y1`,
        title: 'Search for the config loader',
        parentExternalId: main,
        startedAt: t(at('02')),
        endedAt: t(at('04')),
        messages: [
          userMsg('y1', at('02'), 'Search for the config loader', { flags: [...side] }),
          assistantMsg(
            'msg_S',
            at('03'),
            model,
            [{ type: 'text', text: 'It is in config.ts' }],
            tokens(7, 9, 0, 300, 0),
            {
              parentExternalId: 'y1',
              flags: [...side],
            },
          ),
          // A replay of the main session's msg_P/req_P: kept as a message, usage not counted twice.
          {
            ...assistantMsg(
              'msg_P',
              at('04'),
              model,
              [{ type: 'text', text: 'replayed parent reply' }],
              tokens(0, 0, 0, 0, 0),
            ),
            usage: null,
            parentExternalId: 'msg_S',
            flags: [...side],
          },
        ],
      },
      {
        ...common,
        externalId: `${main}:sidechain-z1`,
        title: null,
        parentExternalId: main,
        startedAt: t(at('07')),
        endedAt: t(at('08')),
        messages: [
          userMsg('z1', at('07'), 'Warmup', { flags: ['synthetic', 'sidechain'] }),
          assistantMsg(
            'msg_W',
            at('08'),
            model,
            [{ type: 'text', text: 'Ready.' }],
            tokens(2, 1, 0, 0, 0),
            {
              parentExternalId: 'z1',
              flags: [...side],
            },
          ),
        ],
      },
    ])
  })

  it('a missing file is one "unreadable" issue, not an exception', async () => {
    const path = `${FIXTURES}synthetic/does-not-exist.jsonl`
    const result = await claudeCodeReader.read({ agent: 'claude-code', path, kind: 'file' })
    expect(result).toEqual({
      sessions: [],
      issues: [{ file: path, line: null, code: 'unreadable', message: expect.any(String) }],
    })
  })
})

describe('claudeCodeReader.read: never throws on content', () => {
  it('survives every field of real lines replaced by null, numbers, strings, arrays, objects', async () => {
    const sources = [
      'spotter-v2.1/short.jsonl',
      'synthetic/projects/-work-demo/aaaaaaaa-0000-4000-8000-000000000001.jsonl',
      'fasthooks-v2.0.76/sample_main_transcript.jsonl',
    ]
    const junk: unknown[] = [null, 42, 'x', [], {}, [{ type: 7 }], true]
    const out: string[] = []
    for (const path of sources) {
      for (const text of readFileSync(FIXTURES + path, 'utf8')
        .trim()
        .split('\n')) {
        const line = JSON.parse(text) as Record<string, unknown>
        const message = (line.message ?? {}) as Record<string, unknown>
        for (const value of junk) {
          for (const key of Object.keys(line)) out.push(JSON.stringify({ ...line, [key]: value }))
          for (const key of Object.keys(message)) {
            out.push(JSON.stringify({ ...line, message: { ...message, [key]: value } }))
          }
        }
      }
    }
    const file = join(mkdtempSync(join(tmpdir(), 'claude-fuzz-')), 'fuzz.jsonl')
    writeFileSync(file, `${out.join('\n')}\n`)
    const result = await claudeCodeReader.read({ agent: 'claude-code', path: file, kind: 'file' })
    expect(out.length).toBeGreaterThan(3000)
    expect(result.sessions.length).toBeGreaterThan(0)
    expect(
      result.issues.every((i) => i.code === 'invalid-record' || i.code === 'unknown-record'),
    ).toBe(true)
  })
})

describe('claudeCodeReader.read: subagent files', () => {
  it('agent-<id>.jsonl is one session, even with a line not marked isSidechain', async () => {
    const parent = '77777777-7777-4777-8777-777777777777'
    const dir = join(mkdtempSync(join(tmpdir(), 'claude-sub-')), parent, 'subagents')
    const path = join(dir, 'agent-x1.jsonl')
    mkdirSync(dir, { recursive: true })
    // No sessionId on the lines: the parent comes from the <sessionId>/subagents/ directory.
    const lines = [
      {
        type: 'user',
        uuid: 'q1',
        parentUuid: null,
        isSidechain: true,
        agentId: 'x1',
        message: { role: 'user', content: 'List the files' },
        timestamp: '2026-03-01T00:00:00.000Z',
      },
      {
        type: 'system',
        subtype: 'informational',
        uuid: 'q2',
        parentUuid: 'q1',
        isSidechain: false,
        content: 'note',
        timestamp: '2026-03-01T00:00:01.000Z',
      },
    ]
    writeFileSync(path, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`)
    const result = await claudeCodeReader.read({ agent: 'claude-code', path, kind: 'file' })
    expect(result.issues).toEqual([])
    expect(result.sessions.map((s) => [s.externalId, s.parentExternalId, s.title])).toEqual([
      [`${parent}:agent-x1`, parent, 'List the files'],
    ])
    expect(
      result.sessions[0]?.messages.map((m) => [m.externalId, m.flags, m.parentExternalId]),
    ).toEqual([
      ['q1', ['sidechain'], null],
      ['q2', ['synthetic'], 'q1'],
    ])
  })
})

describe('claudeCodeReader.read: re-reading a growing file (hooks fire before the flush)', () => {
  it('keeps every id stable while lines of a streamed response are still arriving', async () => {
    const lines = readFileSync(`${FIXTURES}spotter-v2.1/short.jsonl`, 'utf8').trim().split('\n')
    const path = join(
      mkdtempSync(join(tmpdir(), 'claude-grow-')),
      `${'0'.repeat(8)}-0000-4000-8000-000000000000.jsonl`,
    )
    // After line 6 only the first two of msg_01MKH1…'s five lines are on disk.
    writeFileSync(path, `${lines.slice(0, 6).join('\n')}\n`)
    const source = { agent: 'claude-code', path, kind: 'file' } as const
    const early = (await claudeCodeReader.read(source)).sessions[0]
    writeFileSync(path, `${lines.join('\n')}\n`)
    const late = (await claudeCodeReader.read(source)).sessions[0]
    expect(early?.messages.map((m) => [m.externalId, m.parts.length])).toEqual([
      ['7d48cbd2-6615-4dd8-87f6-38f12b8167d6', 1],
      ['msg_01MKH1ccEGrZGNPvu8pYiiQa', 2],
    ])
    expect(late?.messages.slice(0, 2).map((m) => [m.externalId, m.parts.length])).toEqual([
      ['7d48cbd2-6615-4dd8-87f6-38f12b8167d6', 1],
      ['msg_01MKH1ccEGrZGNPvu8pYiiQa', 5],
    ])
    expect(late?.externalId).toBe(early?.externalId)
  })

  it('without requestId (proxies) lines merge on message.id alone; the last line wins', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'claude-proxy-')), 'proxy.jsonl')
    const line = (uuid: string, parentUuid: string | null, block: object, output: number) => ({
      type: 'assistant',
      uuid,
      parentUuid,
      sessionId: 'dddddddd-0000-4000-8000-000000000004',
      message: {
        id: 'msg_X',
        model: 'kimi-k2',
        content: [block],
        usage: { input_tokens: 11, output_tokens: output },
      },
    })
    const records = [
      line('r1', null, { type: 'text', text: 'Looking.' }, 3),
      line(
        'r2',
        'r1',
        { type: 'tool_use', id: 'call_1', name: 'Read', input: { file_path: '/a' } },
        9,
      ),
    ]
    writeFileSync(path, `${records.map((r) => JSON.stringify(r)).join('\n')}\n`)
    const result = await claudeCodeReader.read({ agent: 'claude-code', path, kind: 'file' })
    expect(result.issues).toEqual([])
    expect(
      result.sessions[0]?.messages.map((m) => [m.externalId, m.parts.length, m.usage]),
    ).toEqual([['msg_X', 2, tokens(11, 9, 0, 0, 0)]])
  })
})
