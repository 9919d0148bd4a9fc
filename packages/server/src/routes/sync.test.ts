import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '../../test/harness.js'

let h: Harness
beforeEach(async () => {
  h = await createHarness()
})
afterEach(async () => {
  await h.close()
})

const T0 = Date.parse('2025-03-01T10:00:00Z')

function batch(n = 3) {
  return {
    sessions: [
      {
        externalId: 'sess-a',
        source: 'claude-code',
        title: 'Refactor the parser',
        projectName: 'parser',
        model: 'claude-sonnet-4-5',
        createdAt: T0,
      },
    ],
    messages: Array.from({ length: n }, (_, i) => ({
      sessionExternalId: 'sess-a',
      externalId: `m${i}`,
      role: i % 2 === 0 ? 'user' : 'assistant',
      textContent: `message ${i}`,
      createdAt: T0 + i * 1000,
      ...(i % 2 === 1
        ? { usage: { input: 1000, output: 200, cacheRead: 30_000, cacheWrite5m: 5000 } }
        : {}),
    })),
  }
}

async function sessionOf(externalId: string, key?: string) {
  const res = await h.get(`/api/sessions/${externalId}?limit=1000`, { key })
  return res
}

describe('POST /sync/batch', () => {
  it('is idempotent: replaying a batch three times leaves the same rows and totals', async () => {
    const first = await h.post('/sync/batch', batch(6))
    expect(first.status).toBe(200)
    expect(first.json).toEqual({ ok: true, sessions: 1, messages: 6, errors: [] })
    const before = (await sessionOf('sess-a')).json
    const statsBefore = (await h.get('/api/stats')).json
    for (let i = 0; i < 3; i++) {
      const again = await h.post('/sync/batch', batch(6))
      expect(again.json).toEqual({ ok: true, sessions: 1, messages: 6, errors: [] })
    }
    const after = (await sessionOf('sess-a')).json
    expect(after.messages).toHaveLength(6)
    expect(after.session).toEqual(before.session)
    expect(after.messages).toEqual(before.messages)
    expect((await h.get('/api/stats')).json).toEqual(statsBefore)
    // 3 assistant requests of 1,000 in + 200 out + 30,000 read + 5,000 write on sonnet-4-5.
    expect(after.session.tokens).toEqual({
      input: 3000,
      output: 600,
      cacheRead: 90_000,
      cacheWrite5m: 15_000,
      cacheWrite1h: 0,
      reasoning: 0,
    })
    expect(after.session.costMicros).toBe(3 * 33_750)
    expect(after.session.messageCount).toBe(6)
  })

  it('stores the valid items of a batch and lists an error for each invalid one', async () => {
    const res = await h.post('/sync/batch', {
      sessions: [{ externalId: 'ok-1', source: 'codex-cli' }, { title: 'no id' }, 'nonsense'],
      messages: [
        { sessionExternalId: 'ok-1', externalId: 'x1', role: 'user', textContent: 'hi' },
        { sessionExternalId: 'ok-1', role: 'user', textContent: 'no id' },
        { sessionExternalId: 'ok-1', externalId: 'x3', role: 'user', usage: { input: -5 } },
        { sessionExternalId: 'ok-1', externalId: 'x4', role: 'user', createdAt: 'yesterday' },
      ],
    })
    expect(res.status).toBe(200)
    expect(res.json.ok).toBe(false)
    expect(res.json.sessions).toBe(1)
    expect(res.json.messages).toBe(1)
    const errors = res.json.errors.map((e: { kind: string; index: number; error: string }) => [
      e.kind,
      e.index,
      e.error,
    ])
    expect(errors).toEqual([
      [
        'session',
        1,
        'Invalid request: sessions[1].externalId: is required (or its alias sessionId)',
      ],
      ['session', 2, expect.stringContaining('sessions[2].(body)')],
      ['message', 1, 'Invalid request: messages[1].externalId: is required'],
      ['message', 2, 'Invalid request: messages[2].usage.input: must be a non-negative integer'],
      [
        'message',
        3,
        'Invalid request: messages[3].createdAt: must be epoch milliseconds or an ISO-8601 date',
      ],
    ])
    const stored = await sessionOf('ok-1')
    expect(stored.json.messages.map((m: { externalId: string }) => m.externalId)).toEqual(['x1'])
  })

  it('keeps createdAt of sessions and messages (ms, seconds and ISO)', async () => {
    await h.post('/sync/batch', {
      sessions: [
        { externalId: 's-ms', createdAt: T0 },
        { externalId: 's-iso', createdAt: '2024-12-31T23:59:00Z' },
      ],
      messages: [
        { sessionExternalId: 's-ms', externalId: 'a', role: 'user', createdAt: T0 + 5 },
        {
          sessionExternalId: 's-ms',
          externalId: 'b',
          role: 'user',
          createdAt: Math.floor(T0 / 1000) + 60,
        },
      ],
    })
    const ms = (await sessionOf('s-ms')).json
    expect(ms.session.createdAt).toBe(T0)
    expect(ms.messages.map((m: { createdAt: number }) => m.createdAt)).toEqual([
      T0 + 5,
      T0 + 60_000,
    ])
    expect((await sessionOf('s-iso')).json.session.createdAt).toBe(
      Date.parse('2024-12-31T23:59:00Z'),
    )
  })

  it('rejects more items than the batch limit with 413', async () => {
    const small = await createHarness({ OPENSYNC_MAX_BATCH_ITEMS: '3' })
    try {
      const res = await small.post('/sync/batch', batch(4))
      expect(res.status).toBe(413)
      expect(res.json.code).toBe('batch-too-large')
      expect((await small.get('/sync/sessions/list')).json.sessionIds).toEqual([])
    } finally {
      await small.close()
    }
  })
})

describe('POST /sync/session', () => {
  it('accepts the sessionId alias and keeps createdAt', async () => {
    const res = await h.post('/sync/session', {
      sessionId: 'alias-1',
      source: 'claude-code',
      createdAt: T0,
    })
    expect(res.status).toBe(200)
    expect(res.json).toEqual({ ok: true, sessionId: expect.stringMatching(/^\d+$/) })
    const s = (await sessionOf('alias-1')).json.session
    expect(s.externalId).toBe('alias-1')
    expect(s.createdAt).toBe(T0)
  })

  it('normalises the cursor source to cursor-sync on insert and on update', async () => {
    await h.post('/sync/session', { externalId: 'cur', source: 'cursor' })
    expect((await sessionOf('cur')).json.session.source).toBe('cursor-sync')
    await h.post('/sync/session', { externalId: 'cur', source: 'Cursor', title: 't' })
    expect((await sessionOf('cur')).json.session.source).toBe('cursor-sync')
  })

  it('ignores unknown extra fields', async () => {
    const res = await h.post('/sync/session', {
      externalId: 'extra',
      totalTokens: 5,
      messageCount: 9,
      endReason: 'done',
    })
    expect(res.status).toBe(200)
    expect((await sessionOf('extra')).json.session.messageCount).toBe(0)
  })

  it('never adds legacy session-level tokens to message usage', async () => {
    await h.post('/sync/session', {
      externalId: 'legacy',
      model: 'claude-sonnet-4-5',
      promptTokens: 50_000,
      completionTokens: 7000,
      cost: 1.25,
    })
    let s = (await sessionOf('legacy')).json.session
    expect(s.usageOrigin).toBe('reported')
    expect([s.promptTokens, s.completionTokens, s.totalTokens]).toEqual([50_000, 7000, 57_000])
    expect(s.tokens.input).toBe(0)
    expect(s.cost).toBe(1.25)
    // A later sync with zeros (no transcript) does not wipe the reported totals.
    await h.post('/sync/session', {
      externalId: 'legacy',
      promptTokens: 0,
      completionTokens: 0,
      cost: 0,
    })
    expect((await sessionOf('legacy')).json.session.totalTokens).toBe(57_000)
    await h.post('/sync/message', {
      sessionExternalId: 'legacy',
      externalId: 'r1',
      role: 'assistant',
      promptTokens: 100,
      completionTokens: 20,
    })
    await h.post('/sync/session', {
      externalId: 'legacy',
      promptTokens: 60_000,
      completionTokens: 8000,
    })
    s = (await sessionOf('legacy')).json.session
    expect(s.usageOrigin).toBe('messages')
    expect(s.tokens).toEqual({
      input: 100,
      output: 20,
      cacheRead: 0,
      cacheWrite5m: 0,
      cacheWrite1h: 0,
      reasoning: 0,
    })
    expect(s.totalTokens).toBe(120)
    expect(s.reportedCost).toBe(1.25)
    const stats = (await h.get('/api/stats')).json
    expect(stats.totalTokens).toBe(120)
  })

  it('shows reported tokens with a reported cost of 0 as unpriced, not $0 (claude-code-sync)', async () => {
    await h.post('/sync/session', {
      externalId: 'ccs',
      model: 'claude-opus-4-6',
      promptTokens: 239_175,
      completionTokens: 271,
      cost: 0,
    })
    const s = (await sessionOf('ccs')).json.session
    expect(s.cost).toBeNull()
    expect(s.unpriced).toEqual({ requests: 0, tokens: 239_446, models: ['claude-opus-4-6'] })
    const stats = (await h.get('/api/stats')).json
    expect(stats.totalTokens).toBe(239_446)
    expect(stats.totalCost).toBe(0)
    expect(stats.unpriced).toEqual({ tokens: 239_446, models: ['claude-opus-4-6'] })
  })

  it('routes a doubled slash from a base URL with a trailing slash', async () => {
    expect((await h.post('//sync/session', { externalId: 'slash' })).status).toBe(200)
    expect((await h.get('/sync/sessions/list')).json.sessionIds).toEqual(['slash'])
  })

  it('answers 400 naming the field for wrong types and missing fields', async () => {
    const wrong = await h.post('/sync/session', { externalId: 'w', durationMs: 'long', title: 5 })
    expect(wrong.status).toBe(400)
    expect(wrong.json.code).toBe('invalid-request')
    expect(wrong.json.error).toContain('durationMs')
    expect(wrong.json.error).toContain('title: must be a string')
    const missing = await h.post('/sync/session', { source: 'pi' })
    expect(missing.status).toBe(400)
    expect(missing.json.details.issues).toEqual([
      { path: 'externalId', message: 'is required (or its alias sessionId)' },
    ])
    const array = await h.post('/sync/session', [1, 2])
    expect(array.status).toBe(400)
    expect(array.json.error).toBe('The request body must be a JSON object')
  })

  it('answers 400 invalid-json for garbage', async () => {
    for (const body of ['{bad', '', 'null x']) {
      const res = await h.post('/sync/session', body)
      expect(res.status).toBe(400)
      expect(['invalid-json']).toContain(res.json.code)
    }
  })
})

describe('POST /sync/message', () => {
  it('creates the session of a message that comes first; the session sync fills it in later', async () => {
    const msg = await h.post('/sync/message', {
      sessionExternalId: 'later',
      externalId: 'first',
      role: 'user',
      textContent: 'hello',
      source: 'opencode',
      createdAt: T0,
    })
    expect(msg.status).toBe(200)
    expect(msg.json).toEqual({ ok: true, messageId: expect.stringMatching(/^\d+$/) })
    let s = (await sessionOf('later')).json.session
    expect(s.source).toBe('opencode')
    expect(s.title).toBeNull()
    expect(s.createdAt).toBe(T0)
    await h.post('/sync/session', { externalId: 'later', title: 'Filled in', projectName: 'p' })
    s = (await sessionOf('later')).json.session
    expect(s.title).toBe('Filled in')
    expect(s.messageCount).toBe(1)
    expect(s.startedAt).toBe(T0)
  })

  it('keeps Unicode intact', async () => {
    const text = 'Grüße 👋🏽 — 日本語のテキスト, العربية, emoji 🧑‍💻 and \u0000-free \t tabs'
    await h.post('/sync/session', { externalId: 'uni', title: 'Ünïcødé 🎉' })
    await h.post('/sync/message', {
      sessionExternalId: 'uni',
      externalId: 'u1',
      role: 'user',
      textContent: text,
      parts: [{ type: 'text', content: text }],
    })
    const got = (await sessionOf('uni')).json
    expect(got.session.title).toBe('Ünïcødé 🎉')
    expect(got.messages[0].textContent).toBe(text)
    expect(got.messages[0].parts).toEqual([{ type: 'text', text }])
  })

  it('stores an unknown role as unknown with a warning', async () => {
    const res = await h.post('/sync/message', {
      sessionExternalId: 'r',
      externalId: 'r1',
      role: 'narrator',
      textContent: 'x',
    })
    expect(res.status).toBe(200)
    expect(res.json.warnings[0]).toMatchObject({ field: 'role', kind: 'message' })
    expect((await sessionOf('r')).json.messages[0].role).toBe('unknown')
  })

  it('normalises every part vocabulary, including claude-code-sync tool_use with a result', async () => {
    await h.post('/sync/message', {
      sessionExternalId: 'parts',
      externalId: 'p1',
      role: 'assistant',
      parts: [
        { type: 'text', content: { text: 'a' } },
        { type: 'thinking', content: 'hmm' },
        {
          type: 'tool_use',
          content: { toolName: 'Bash', args: { command: 'ls' }, result: 'a.ts' },
        },
        { type: 'tool-call', content: { id: 'c2', name: 'Read', arguments: '{"path":"b"}' } },
        {
          type: 'tool_result',
          content: { tool_use_id: 'c2', content: [{ text: 'file body' }], is_error: true },
        },
      ],
    })
    const m = (await sessionOf('parts')).json.messages[0]
    expect(m.parts).toEqual([
      { type: 'text', text: 'a' },
      { type: 'reasoning', text: 'hmm' },
      { type: 'tool-call', callId: null, name: 'Bash', args: { command: 'ls' } },
      { type: 'tool-result', callId: null, name: 'Bash', output: 'a.ts', isError: false },
      { type: 'tool-call', callId: 'c2', name: 'Read', args: { path: 'b' } },
      { type: 'tool-result', callId: 'c2', name: null, output: 'file body', isError: true },
    ])
    expect(m.textContent).toBe('a')
  })

  it('stores over-long text truncated with a marker and says so', async () => {
    const small = await createHarness({ OPENSYNC_MAX_TEXT_BYTES: '100' })
    try {
      const res = await small.post('/sync/message', {
        sessionExternalId: 't',
        externalId: 't1',
        role: 'user',
        textContent: 'é'.repeat(200),
      })
      expect(res.status).toBe(200)
      expect(res.json.warnings).toEqual([
        expect.objectContaining({
          field: 'textContent',
          message: 'longer than 100 bytes; stored truncated',
        }),
      ])
      const m = (await small.get('/api/sessions/t')).json.messages[0]
      expect(m.textContent.startsWith('é'.repeat(50))).toBe(true)
      expect(m.textContent).toContain('[truncated by OpenSync: the original was 400 bytes]')
    } finally {
      await small.close()
    }
  })

  it('updates a message in place when its content changes (streamed text completes)', async () => {
    const base = {
      sessionExternalId: 'st',
      externalId: 'a1',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
    }
    await h.post('/sync/message', {
      ...base,
      textContent: 'partial',
      usage: { input: 10, output: 1 },
    })
    await h.post('/sync/message', {
      ...base,
      textContent: 'partial and complete',
      usage: { input: 10, output: 50 },
    })
    const got = (await sessionOf('st')).json
    expect(got.messages).toHaveLength(1)
    expect(got.messages[0].textContent).toBe('partial and complete')
    expect(got.session.tokens.output).toBe(50)
    expect(got.session.messageCount).toBe(1)
    const search = (await h.get('/api/search?q=complete')).json
    expect(search.results).toHaveLength(1)
  })
})

describe('limits and auth on /sync', () => {
  it('rejects an oversize body with 413 and stores nothing', async () => {
    const small = await createHarness({ OPENSYNC_BODY_LIMIT: '2048' })
    try {
      const res = await small.post('/sync/batch', {
        messages: [
          {
            sessionExternalId: 'big',
            externalId: 'b',
            role: 'user',
            textContent: 'x'.repeat(5000),
          },
        ],
      })
      expect(res.status).toBe(413)
      expect(res.json.code).toBe('payload-too-large')
      expect((await small.get('/sync/sessions/list')).json.sessionIds).toEqual([])
    } finally {
      await small.close()
    }
  })

  it('needs a key, accepts legacy osk_ keys, and lists only the caller’s sessions', async () => {
    expect((await h.post('/sync/session', { externalId: 'n' }, { key: null })).status).toBe(401)
    const bad = await h.post(
      '/sync/session',
      { externalId: 'n' },
      { key: 'os_notarealkey000000000000000000000' },
    )
    expect(bad.status).toBe(401)
    expect(bad.json.code).toBe('invalid-api-key')
    const { createApiKey } = await import('../store/api-keys.js')
    const legacy = await createApiKey(h.store, { name: 'legacy', prefix: 'osk_' })
    expect(legacy.key).toMatch(/^osk_[0-9A-Za-z]{40}$/)
    expect(
      (await h.post('/sync/session', { externalId: 'mine' }, { key: legacy.key })).status,
    ).toBe(200)
    const other = await h.otherUserKey()
    await h.post('/sync/session', { externalId: 'theirs' }, { key: other })
    expect((await h.get('/sync/sessions/list')).json).toEqual({ sessionIds: ['mine'] })
    expect((await h.get('/sync/sessions/list', { key: other })).json).toEqual({
      sessionIds: ['theirs'],
    })
  })

  it('never lets another user read or overwrite a session: 404 and no write', async () => {
    await h.post('/sync/batch', batch(2))
    const mine = (await sessionOf('sess-a')).json
    const other = await h.otherUserKey()
    expect((await h.get(`/api/sessions/${mine.session.id}`, { key: other })).status).toBe(404)
    expect((await h.get('/api/sessions/sess-a', { key: other })).status).toBe(404)
    expect(
      (
        await h.request(
          'PATCH',
          `/api/sessions/${mine.session.id}`,
          { title: 'pwned' },
          { key: other },
        )
      ).status,
    ).toBe(404)
    expect(
      (await h.request('DELETE', `/api/sessions/${mine.session.id}`, undefined, { key: other }))
        .status,
    ).toBe(404)
    const bulk = await h.post(
      '/api/sessions/bulk',
      { ids: [mine.session.id], action: 'delete' },
      { key: other },
    )
    expect(bulk.json).toEqual({ updated: 0, failed: [{ id: mine.session.id, error: 'not found' }] })
    // Same external ids from another tenant land in that tenant's own namespace.
    await h.post(
      '/sync/message',
      { sessionExternalId: 'sess-a', externalId: 'm0', role: 'user', textContent: 'overwrite?' },
      { key: other },
    )
    const after = (await sessionOf('sess-a')).json
    expect(after.session).toEqual(mine.session)
    expect(after.messages).toEqual(mine.messages)
    expect((await h.get('/api/search?q=overwrite')).json.results).toEqual([])
    expect((await h.get('/api/search?q=overwrite', { key: other })).json.results).toHaveLength(1)
  })

  it('never stores a key in plain text', async () => {
    const { createApiKey } = await import('../store/api-keys.js')
    const created = await createApiKey(h.store, { name: 'grep me' })
    await h.post('/sync/session', { externalId: 'k' }, { key: created.key })
    await h.store.close()
    const file = readFileSync(join(h.dir, 'opensync.db')).toString('latin1')
    let wal = ''
    try {
      wal = readFileSync(join(h.dir, 'opensync.db-wal')).toString('latin1')
    } catch {
      wal = ''
    }
    for (const k of [created.key, h.key]) {
      expect(file.includes(k)).toBe(false)
      expect(wal.includes(k)).toBe(false)
      expect(file.includes(k.slice(0, 11))).toBe(true)
    }
    h = await createHarness()
  })
})
