import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { normalizeMessage, normalizeSession, TITLE_MAX, toUsage } from './normalize.js'
import {
  type Raw,
  type StoredMessage,
  type StoredPart,
  storedMessage,
  storedPart,
  storedTokens,
} from './schema.js'

const FIXTURES = new URL('../../test/fixtures/opencode/', import.meta.url).pathname

function tokens(value: Raw) {
  const t = storedTokens(value)
  if (!t) throw new Error('no tokens')
  return t
}

let partId = 0
function part(data: Raw, createdAt: number | null = null): StoredPart {
  partId += 1
  return storedPart(`prt_${String(partId).padStart(4, '0')}`, data, createdAt)
}

function assistant(data: Raw, parts: StoredPart[]): StoredMessage {
  return storedMessage(
    'msg_x',
    { role: 'assistant', modelID: 'm', providerID: 'p', time: { created: 1000 }, ...data },
    null,
    parts,
  )
}

function user(id: string, parts: StoredPart[], created = 1): StoredMessage {
  return storedMessage(id, { role: 'user', time: { created } }, null, parts)
}

describe('toUsage: OpenCode token semantics', () => {
  it('current OpenCode (total = input + output + reasoning + cache): adds reasoning to output', () => {
    // mockllm step-finish of msg_1fd94e5a800164li3ygbRJ2Asy: 7696 + 25 + 14 = 7735.
    const t = tokens({
      total: 7735,
      input: 7696,
      output: 25,
      reasoning: 14,
      cache: { read: 0, write: 0 },
    })
    expect(toUsage(t)).toEqual({
      input: 7696,
      output: 39,
      cacheRead: 0,
      cacheWrite5m: 0,
      cacheWrite1h: 0,
      reasoning: 14,
    })
  })

  it('a total without the reasoning in it means output already includes it', () => {
    // The AI SDK v5 shape: total = prompt + completion = 7696 + 25.
    const t = tokens({ total: 7721, input: 7696, output: 25, reasoning: 14 })
    expect(toUsage(t).output).toBe(25)
  })

  it('no total (older OpenCode): output already includes reasoning', () => {
    const t = tokens({ input: 1200, output: 80, reasoning: 30, cache: { read: 5000, write: 300 } })
    expect(toUsage(t)).toEqual({
      input: 1200,
      output: 80,
      cacheRead: 5000,
      cacheWrite5m: 300,
      cacheWrite1h: 0,
      reasoning: 30,
    })
  })

  it('clamps what is not a non-negative integer', () => {
    expect(storedTokens({ input: -5, output: 3.6, reasoning: 'x', cache: null })).toEqual({
      total: null,
      input: 0,
      output: 4,
      reasoning: 0,
      cacheRead: 0,
      cacheWrite: 0,
    })
    expect(storedTokens('nope')).toBeNull()
  })
})

describe('normalizeMessage: steps', () => {
  const finish = (input: number, cost: number, at: number) =>
    part(
      {
        type: 'step-finish',
        cost,
        tokens: { input, output: 1, reasoning: 0, cache: { read: 0, write: 0 } },
      },
      at,
    )

  it('one message per step; the step still running has no usage', () => {
    const m = assistant({ time: { created: 1000, completed: 9000 }, cost: 0.3 }, [
      part({ type: 'step-start' }, 1100),
      part({ type: 'text', text: 'a' }, 1200),
      finish(10, 0.1, 2000),
      part({ type: 'step-start' }, 3000),
      part({ type: 'text', text: 'b' }, 3100),
      finish(20, 0.2, 4000),
      part({ type: 'patch', hash: 'h', files: ['/f'] }, 4100),
      part({ type: 'step-start' }, 5000),
      part({ type: 'text', text: 'c' }, 5100),
    ])
    expect(
      normalizeMessage(m).map((n) => [
        n.externalId,
        n.text,
        n.usage?.input ?? null,
        n.reportedCost,
        n.createdAt,
        n.durationMs,
        n.parts.map((p) => p.type),
      ]),
    ).toEqual([
      ['msg_x', 'a', 10, 0.1, 1000, 1000, ['text']],
      // The patch written after a step-finish belongs to that step.
      ['msg_x#2', 'b', 20, 0.2, 3000, 1000, ['text', 'patch']],
      ['msg_x#3', 'c', null, null, 5000, 4000, ['text']],
    ])
  })

  it('a step-finish with no step-start before it still closes a step', () => {
    const m = assistant({}, [finish(1, 0, 1), finish(2, 0, 2)])
    expect(normalizeMessage(m).map((n) => [n.externalId, n.usage?.input])).toEqual([
      ['msg_x', 1],
      ['msg_x#2', 2],
    ])
  })

  it('the error of a message goes on its last step', () => {
    const m = assistant({ error: { name: 'APIError', data: { message: 'overloaded' } } }, [
      finish(1, 0, 1),
      part({ type: 'step-start' }, 2),
    ])
    expect(normalizeMessage(m).map((n) => n.parts)).toEqual([
      [],
      [
        {
          type: 'other',
          kind: 'error',
          raw: { name: 'APIError', data: { message: 'overloaded' } },
        },
      ],
    ])
  })
})

describe('normalizeMessage: parts', () => {
  it('maps tools by status, files, images and unknown parts', () => {
    const m = assistant({}, [
      part({ type: 'tool', callID: 'c1', tool: 'bash', state: { status: 'pending', input: {} } }),
      part({
        type: 'tool',
        callID: 'c2',
        tool: 'read',
        state: {
          status: 'completed',
          input: { filePath: 'a.png' },
          output: { structured: true },
          time: { start: 1, end: 2, compacted: 3 },
          attachments: [{ type: 'file', mime: 'image/png', url: 'data:image/png;base64,AAAA' }],
        },
      }),
      part({ type: 'file', mime: 'image/jpeg', url: 'https://example.test/x.jpg' }),
      part({ type: 'file', mime: 'application/pdf', url: 'file:///tmp/doc.pdf' }),
      part({ type: 'snapshot', snapshot: 'abc' }),
      part({ type: 'retry', attempt: 2, error: { name: 'APIError' } }),
      part({ type: 'something-new', x: 1 }),
    ])
    expect(normalizeMessage(m)[0]?.parts).toEqual([
      { type: 'tool-call', callId: 'c1', name: 'bash', args: {} },
      { type: 'tool-call', callId: 'c2', name: 'read', args: { filePath: 'a.png' } },
      // A compacted result keeps the output OpenCode still stores.
      {
        type: 'tool-result',
        callId: 'c2',
        name: 'read',
        output: '{"structured":true}',
        isError: false,
      },
      { type: 'image', mediaType: 'image/png', url: null },
      { type: 'image', mediaType: 'image/jpeg', url: 'https://example.test/x.jpg' },
      { type: 'file', path: 'file:///tmp/doc.pdf', mediaType: 'application/pdf', text: null },
      {
        type: 'other',
        kind: 'retry',
        raw: { type: 'retry', attempt: 2, error: { name: 'APIError' } },
      },
      { type: 'other', kind: 'something-new', raw: { type: 'something-new', x: 1 } },
    ])
  })

  it('a user message of synthetic text only is flagged and keeps its text', () => {
    const [m] = normalizeMessage(
      user('msg_u', [part({ type: 'text', synthetic: true, text: 'Continue.' })]),
    )
    expect(m).toMatchObject({ text: 'Continue.', flags: ['synthetic'] })
  })

  it('an unknown role is kept as unknown', () => {
    const m = storedMessage('msg_q', { role: 'narrator' }, 5, [])
    expect(normalizeMessage(m)[0]).toMatchObject({ role: 'unknown', createdAt: 5 })
  })
})

describe('normalizeSession: title', () => {
  const session = (title: string | null, messages: StoredMessage[]) =>
    normalizeSession({
      session: {
        id: 'ses_1',
        parentId: null,
        title,
        directory: '/a/b/',
        version: null,
        createdAt: null,
        updatedAt: null,
        modelId: null,
        providerId: null,
      },
      messages,
    })
  const prompt = (text: string) => [user('msg_1', [part({ type: 'text', text })])]

  it('replaces the placeholder titles OpenCode really wrote (plugin-events.jsonl)', () => {
    const events = readFileSync(`${FIXTURES}mockllm-1.18.33/plugin-events.jsonl`, 'utf8')
    const defaults = [...new Set(events.match(/New session - [0-9T:.Z-]+/g))]
    expect(defaults).toEqual([
      'New session - 2026-11-21T10:09:09.989Z',
      'New session - 2026-11-21T10:09:15.602Z',
    ])
    for (const title of [...defaults, 'Child session - 2026-11-21T10:09:09.989Z', '', '  ']) {
      expect(session(title, prompt('Say hello')).title).toBe('Say hello')
    }
  })

  it('keeps a real title, and a placeholder when there is no prompt', () => {
    expect(session('New session - ideas', prompt('x')).title).toBe('New session - ideas')
    expect(session('New session - 2026-11-21T10:09:09.989Z', []).title).toBe(
      'New session - 2026-11-21T10:09:09.989Z',
    )
    expect(session(null, []).title).toBeNull()
  })

  it('takes the first typed prompt, whitespace collapsed, at most 120 characters', () => {
    const synthetic = user('msg_0', [part({ type: 'text', synthetic: true, text: 'context' })], 0)
    expect(session('', [synthetic, ...prompt('  two\n\nlines ')]).title).toBe('two lines')
    const exact = 'x'.repeat(TITLE_MAX)
    expect(session('', prompt(exact)).title).toBe(exact)
    const long = session('', prompt(`${'y'.repeat(TITLE_MAX)}z`)).title
    expect(long).toBe(`${'y'.repeat(TITLE_MAX - 1)}…`)
    expect(long).toHaveLength(TITLE_MAX)
  })

  it('the project name is the last segment of the directory', () => {
    expect(session('t', [])).toMatchObject({ projectPath: '/a/b/', projectName: 'b', cwd: '/a/b/' })
  })
})
