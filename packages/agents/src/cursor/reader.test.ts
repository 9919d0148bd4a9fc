/**
 * Golden tests of the Cursor reader on SYNTHETIC transcripts written to
 * `reference/agent-formats.md` §6 (no real transcript was found). Message ids are the first 16
 * hex digits of sha256(`<role>\n<JSON of message.content>`), `:n` for the n-th repeat; the
 * values below were computed with a node one-off over the raw lines (no reader code).
 */
import { copyFileSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Part } from '@opensync/core/wire'
import { describe, expect, it } from 'vitest'
import type { NormalizedMessage, NormalizedSession, ReadResult } from '../reader.js'
import { readCursorSession } from './reader.js'
import { unwrapUserText } from './schema.js'

const DIR = fileURLToPath(
  new URL(
    '../../test/fixtures/cursor/synthetic/home/.cursor/projects/home-dev-todo-app/agent-transcripts/',
    import.meta.url,
  ),
)
const FLAT_ID = '4b8e1f0c-2d3a-4c5b-9e6f-7a8b9c0d1e2f'
const NESTED_ID = 'c3d2e1f0-a9b8-4c7d-8e6f-5a4b3c2d1e0f'
const FLAT = join(DIR, `${FLAT_ID}.jsonl`)
const NESTED = join(DIR, NESTED_ID, `${NESTED_ID}.jsonl`)

const t = (iso: string) => Date.parse(iso)
const text = (s: string): Part => ({ type: 'text', text: s })
const call = (name: string, args: unknown): Part => ({
  type: 'tool-call',
  callId: null,
  name,
  args,
})

function msg(
  m: Pick<NormalizedMessage, 'externalId' | 'role' | 'parts'> & Partial<NormalizedMessage>,
): NormalizedMessage {
  return {
    createdAt: null, // Cursor writes no times (only a prompt's optional <timestamp> tag)
    model: null,
    provider: null,
    text: m.parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n\n'),
    usage: null, // and no usage at all
    reportedCost: null,
    durationMs: null,
    parentExternalId: null,
    flags: [],
    ...m,
  }
}

async function readOne(path: string): Promise<{ session: NormalizedSession; result: ReadResult }> {
  const result = await readCursorSession(path)
  const [session] = result.sessions
  if (result.sessions.length !== 1 || session === undefined) throw new Error('expected 1 session')
  return { session, result }
}

describe('readCursorSession', () => {
  it('reads the flat CLI transcript: prompts, text, tool calls, failed turns', async () => {
    const { session: s, result } = await readOne(FLAT)
    expect(result.issues).toEqual([])
    expect({ ...s, messages: [] }).toEqual({
      externalId: FLAT_ID, // the file stem (the conversation id)
      source: 'cursor-sync',
      title: 'Add a dueDate field to the Todo type and show it in the list', // line 2
      projectPath: null, // the folder slug is lossy: never decoded
      projectName: null,
      cwd: null,
      gitBranch: null,
      model: null,
      provider: null,
      agentVersion: null,
      parentExternalId: null,
      startedAt: t('2026-05-11T09:12:00Z'), // line 2 <timestamp>
      endedAt: t('2026-05-11T09:20:30Z'), // line 8 <timestamp>, the latest one
      messages: [],
      reportedTotals: null,
    })
    expect(s.messages).toEqual([
      // line 1 (metadata) is not a message
      msg({
        externalId: 'a633196bbc8c15ea', // line 2
        role: 'user',
        createdAt: t('2026-05-11T09:12:00Z'),
        parts: [text('Add a dueDate field to the Todo type and show it in the list')],
      }),
      msg({
        externalId: '521f228f32865818', // line 3
        role: 'assistant',
        parts: [
          text("I'll read the type first."),
          call('Read', { path: '/home/dev/todo-app/src/types.ts' }),
        ],
      }),
      msg({
        externalId: '4920df30cc05e41d', // line 4
        role: 'assistant',
        parts: [
          call('StrReplace', {
            path: '/home/dev/todo-app/src/types.ts',
            old_string: 'title: string',
            new_string: 'title: string\n  dueDate?: string',
          }),
        ],
      }),
      msg({
        externalId: 'b3f1e35145e83e0d', // line 5
        role: 'assistant',
        parts: [call('Shell', { command: 'npm test', working_directory: '/home/dev/todo-app' })],
      }),
      msg({
        externalId: '4516d4ecbd1dcd79', // line 6
        role: 'assistant',
        parts: [text('Added `dueDate` and rendered it next to each title.')],
      }),
      // line 7: turn_ended success, nothing to show
      msg({
        externalId: '7dd140b325573143', // line 8
        role: 'user',
        createdAt: t('2026-05-11T09:20:30Z'),
        parts: [text('Also sort by due date')],
      }),
      msg({
        externalId: '6786c560f15b3f82', // line 9
        role: 'assistant',
        parts: [text('Sorting now.')],
      }),
      msg({
        externalId: '7d45cf9b7de45d69', // line 10
        role: 'system',
        parts: [{ type: 'other', kind: 'turn-ended', raw: { status: 'aborted', error: null } }],
      }),
      msg({
        externalId: '1c619afb25d7076d', // line 11: same words, no <timestamp>: another hash
        role: 'user',
        parts: [text('Also sort by due date')],
      }),
      msg({
        externalId: 'bd9eb747533c078e', // line 12
        role: 'assistant',
        parts: [
          call('Write', {
            path: '/home/dev/todo-app/src/sort.ts',
            contents:
              'export const byDue = (a, b) => (a.dueDate ?? "").localeCompare(b.dueDate ?? "")\n',
          }),
        ],
      }),
      msg({
        externalId: '6786c560f15b3f82:1', // line 13 repeats line 9's content
        role: 'assistant',
        parts: [text('Sorting now.')],
      }),
      msg({
        externalId: '27902deb6847c9b3', // line 14
        role: 'system',
        parts: [
          { type: 'other', kind: 'turn-ended', raw: { status: 'error', error: 'Connection lost' } },
        ],
      }),
    ])
  })

  it('keeps message ids when Cursor prunes lines from the file', async () => {
    const { session: full } = await readOne(FLAT)
    const pruned = join(mkdtempSync(join(tmpdir(), 'cursor-')), `${FLAT_ID}.jsonl`)
    const lines = readFileSync(FLAT, 'utf8').split('\n')
    writeFileSync(pruned, [...lines.slice(0, 2), ...lines.slice(5)].join('\n')) // drop lines 3–5
    const { session: after } = await readOne(pruned)
    const ids = new Set(full.messages.map((m) => m.externalId))
    expect(after.messages.length).toBe(full.messages.length - 3)
    expect(after.messages.every((m) => ids.has(m.externalId))).toBe(true)
  })

  it('dates a transcript with no timestamp by its modification time', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cursor-')), `${NESTED_ID}.jsonl`)
    copyFileSync(NESTED, path)
    const mtime = new Date('2026-05-12T18:00:00.000Z')
    utimesSync(path, mtime, mtime)
    const { session: s, result } = await readOne(path)
    expect(result.issues).toEqual([])
    expect([s.externalId, s.title, s.startedAt, s.endedAt]).toEqual([
      NESTED_ID,
      'What does `npm run dev` start?',
      null,
      mtime.getTime(),
    ])
    expect(s.messages.map((m) => [m.role, m.text])).toEqual([
      ['user', 'What does `npm run dev` start?'],
      ['assistant', 'Vite on port 5173, serving src/main.tsx.'],
    ])
  })

  it('turns garbage lines into issues and keeps the rest', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cursor-')), 'x.jsonl')
    writeFileSync(
      path,
      [
        '{"role":"user","message":{"content":[{"type":"text","text":"<user_query>hi</user_query>"}]}}',
        '{oops',
        '"a string"',
        '{"type":"checkpoint","id":1}',
        '{"hello":1}',
        '',
      ].join('\n'),
    )
    const { session: s, result } = await readOne(path)
    expect(result.issues).toEqual([
      { file: path, line: 2, code: 'invalid-json', message: expect.any(String) },
      { file: path, line: 3, code: 'invalid-record', message: 'not a JSON object' },
      { file: path, line: 4, code: 'unknown-record', message: 'unknown line "checkpoint"' },
      { file: path, line: 5, code: 'unknown-record', message: 'no "role" or "type"' },
    ])
    expect(s.messages.map((m) => m.text)).toEqual(['hi'])
  })

  it('gives no session for a file without messages, and reports a missing file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cursor-')), 'meta.jsonl')
    writeFileSync(path, '{"type":"metadata","metadata":{"overview":"x"}}\n')
    expect(await readCursorSession(path)).toEqual({ sessions: [], issues: [] })
    const missing = join(tmpdir(), 'cursor-nowhere', 'x.jsonl')
    expect((await readCursorSession(missing)).issues.map((i) => i.code)).toEqual(['unreadable'])
  })
})

describe('unwrapUserText', () => {
  it('strips a leading <timestamp> and the <user_query> wrapper only', () => {
    expect(unwrapUserText('<user_query>\nhello\n</user_query>')).toEqual({
      text: 'hello',
      time: null,
    })
    expect(unwrapUserText('<timestamp>not a date</timestamp>\n<user_query>x</user_query>')).toEqual(
      {
        text: 'x',
        time: null,
      },
    )
    expect(unwrapUserText('see <timestamp>2026-01-01</timestamp>')).toEqual({
      text: 'see <timestamp>2026-01-01</timestamp>',
      time: null,
    })
  })
})
