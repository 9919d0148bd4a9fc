import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '../../test/harness.js'
import { ROUTE_DOCS } from './openapi.js'

let h: Harness
beforeEach(async () => {
  h = await createHarness()
})
afterEach(async () => {
  await h.close()
})

const T0 = Date.parse('2025-06-01T22:30:00Z')

async function seedUsage() {
  await h.post('/sync/batch', {
    sessions: [
      {
        externalId: 'a',
        source: 'claude-code',
        projectName: 'web',
        model: 'claude-sonnet-4-5',
        title: 'Fix login',
      },
      {
        externalId: 'b',
        source: 'codex-cli',
        projectName: 'api',
        model: 'gpt-5-codex',
        title: 'Add cache',
      },
      {
        externalId: 'c',
        source: 'opencode',
        projectName: 'api',
        model: 'glm-4.6',
        title: 'Local model',
      },
    ],
    messages: [
      {
        sessionExternalId: 'a',
        externalId: 'a1',
        role: 'user',
        textContent: 'the login form breaks',
        createdAt: T0,
      },
      {
        sessionExternalId: 'a',
        externalId: 'a2',
        role: 'assistant',
        textContent: 'I fixed the login handler',
        parts: [
          { type: 'text', content: 'I fixed the login handler' },
          {
            type: 'tool-call',
            content: { callId: 't1', toolName: 'Bash', args: { command: 'grep handler' } },
          },
          { type: 'tool-result', content: { callId: 't1', output: 'src/login handler.ts' } },
        ],
        createdAt: T0 + 60_000,
        usage: { input: 1000, output: 200, cacheRead: 30_000, cacheWrite5m: 5000 },
      },
      {
        sessionExternalId: 'b',
        externalId: 'b1',
        role: 'assistant',
        textContent: 'cache added; the handler is unchanged',
        createdAt: T0 + 2 * 3_600_000,
        usage: { input: 600_000, cacheRead: 400_000, output: 100_000, reasoning: 40_000 },
      },
      {
        sessionExternalId: 'c',
        externalId: 'c1',
        role: 'assistant',
        textContent: 'no price for me',
        createdAt: T0 + 3 * 3_600_000,
        usage: { input: 500, output: 50 },
      },
    ],
  })
}

describe('GET /api/search', () => {
  it('finds messages with snippets, ranks prose above tool output, pages with a cursor', async () => {
    await seedUsage()
    const res = await h.get('/api/search?q=handler')
    expect(res.status).toBe(200)
    const results = res.json.results as {
      messageExternalId: string
      matchedIn: string
      snippet: string
    }[]
    expect(results.map((r) => r.messageExternalId).sort()).toEqual(['a2', 'b1'])
    expect(results.every((r) => r.snippet.includes('[[handler]]'))).toBe(true)
    const grep = (await h.get('/api/search?q=grep')).json.results
    expect(grep).toEqual([
      expect.objectContaining({
        messageExternalId: 'a2',
        matchedIn: 'tool',
        sessionExternalId: 'a',
      }),
    ])
    const page1 = (await h.get('/api/search?q=the&limit=1')).json
    expect(page1.results).toHaveLength(1)
    const page2 = (await h.get(`/api/search?q=the&limit=1&cursor=${page1.nextCursor}`)).json
    expect(page2.results[0].messageId).not.toBe(page1.results[0].messageId)
    expect((await h.get('/api/search?q=logi')).json.results).toEqual([])
    expect((await h.get('/api/search?q=logi*')).json.results.length).toBe(2)
  })

  it('answers a query matching more than 500 messages newest first, prose before tools, every hit once', async () => {
    const messages = Array.from({ length: 620 }, (_, i) => ({
      sessionExternalId: `s${i % 7}`,
      externalId: `m${i}`,
      role: 'assistant',
      createdAt: T0 + i * 1000,
      // Every fifth message mentions the word only in a tool result.
      ...(i % 5 === 0
        ? { parts: [{ type: 'tool-result', content: { callId: `c${i}`, output: 'widget found' } }] }
        : { textContent: `the widget number ${i}` }),
    }))
    expect((await h.post('/sync/batch', { messages })).json.ok).toBe(true)
    const seen: string[] = []
    const kinds: string[] = []
    let cursor: string | null = null
    do {
      const page = (
        await h.get(`/api/search?q=widget&limit=100${cursor ? `&cursor=${cursor}` : ''}`)
      ).json
      expect(page.order).toBe('recent')
      seen.push(...page.results.map((r: { messageExternalId: string }) => r.messageExternalId))
      kinds.push(...page.results.map((r: { matchedIn: string }) => r.matchedIn))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toHaveLength(620)
    expect(new Set(seen).size).toBe(620)
    // 496 prose hits newest first, then the 124 tool-only hits newest first.
    expect(kinds.indexOf('tool')).toBe(496)
    expect(kinds.slice(496).every((k) => k === 'tool')).toBe(true)
    expect(seen[0]).toBe('m619')
    const first = (await h.get('/api/search?q=widget&limit=3')).json.results
    expect(first.map((r: { snippet: string }) => r.snippet)).toEqual([
      'the [[widget]] number 619',
      'the [[widget]] number 618',
      'the [[widget]] number 617',
    ])
    expect(seen[496]).toBe('m615')
    const narrow = (await h.get('/api/search?q=number+619')).json
    expect(narrow.order).toBe('relevance')
    expect(narrow.results[0].messageExternalId).toBe('m619')
  })

  it('groups hits by session with scope=sessions, including title matches', async () => {
    await seedUsage()
    const res = (await h.get('/api/search?q=login&scope=sessions')).json.results
    expect(res.map((r: { sessionExternalId: string }) => r.sessionExternalId)).toEqual(['a'])
    const title = (await h.get('/api/search?q=cache&scope=sessions')).json.results
    expect(title.map((r: { sessionExternalId: string }) => r.sessionExternalId)).toEqual(['b'])
  })

  it('answers 400 for a missing query and for semantic search without embeddings', async () => {
    expect((await h.get('/api/search')).json.details.issues[0]).toEqual({
      path: 'q',
      message: 'is required',
    })
    const semantic = await h.get('/api/search?q=x&type=semantic')
    expect(semantic.status).toBe(400)
    expect(semantic.json.code).toBe('not-configured')
    expect(semantic.json.error).toContain('embeddings')
    expect((await h.get('/api/search?q=%22OR%20*')).status).toBe(200)
  })
})

describe('GET /api/stats and /api/analytics', () => {
  it('sums buckets, prices per request, and lists unpriced models instead of $0', async () => {
    await seedUsage()
    const stats = (await h.get('/api/stats')).json
    expect(stats.sessionCount).toBe(3)
    expect(stats.messageCount).toBe(4)
    expect(stats.tokens).toEqual({
      input: 601_500,
      output: 100_250,
      cacheRead: 430_000,
      cacheWrite5m: 5000,
      cacheWrite1h: 0,
      reasoning: 40_000,
    })
    // sonnet-4-5 $0.03375 + gpt-5 $1.80 (SPEC golden case); glm-4.6 is unpriced.
    expect(stats.totalCost).toBe(1.83375)
    expect(stats.unpriced).toEqual({ tokens: 550, models: ['glm-4.6'] })
    expect(stats.modelUsage['gpt-5-codex']).toEqual({ tokens: 1_100_000, cost: 1.8, sessions: 1 })
    expect(stats.modelUsage['glm-4.6']).toEqual({ tokens: 550, cost: 0, sessions: 1 })
    expect((await h.get('/api/stats?source=codex-cli')).json.totalCost).toBe(1.8)
    expect((await h.get('/api/stats?machine=none')).json.messageCount).toBe(0)
    const c = (await h.get('/api/sessions/c')).json.session
    expect(c.cost).toBeNull()
    expect(c.unpriced).toEqual({ requests: 1, tokens: 550, models: ['glm-4.6'] })
  })

  it('buckets days in the requested time zone and zero-fills gaps', async () => {
    await seedUsage()
    await h.post('/sync/message', {
      sessionExternalId: 'a',
      externalId: 'a3',
      role: 'user',
      textContent: 'two days later',
      createdAt: T0 + 2 * 86_400_000,
    })
    const utc = (await h.get('/api/analytics/daily')).json
    expect(utc.rows.map((r: { key: string; messages: number }) => [r.key, r.messages])).toEqual([
      ['2025-06-01', 2],
      ['2025-06-02', 2],
      ['2025-06-03', 1],
    ])
    const tokyo = (await h.get('/api/analytics/daily?tz=Asia/Tokyo')).json
    expect(tokyo.rows.map((r: { key: string; messages: number }) => [r.key, r.messages])).toEqual([
      ['2025-06-02', 4],
      ['2025-06-03', 0],
      ['2025-06-04', 1],
    ])
    expect(tokyo.rows[0].costMicros).toBe(1_833_750)
    const bad = await h.get('/api/analytics/daily?tz=Mars/Olympus')
    expect(bad.status).toBe(400)
    expect(bad.json.error).toContain('tz: must be an IANA time zone')
    expect((await h.get('/api/analytics/weekly')).status).toBe(404)
  })

  it('groups by model, project, source and provider with cache-hit ratios', async () => {
    await seedUsage()
    const modelsResponse = (await h.get('/api/analytics/models')).json
    expect(modelsResponse.unpriced).toEqual({ tokens: 550, models: ['glm-4.6'] })
    expect((await h.get('/api/analytics/daily')).json.unpriced).toEqual({
      tokens: 550,
      models: ['glm-4.6'],
    })
    const models = modelsResponse.rows
    expect(models.map((r: { key: string }) => r.key)).toEqual([
      'gpt-5-codex',
      'claude-sonnet-4-5',
      'glm-4.6',
    ])
    expect(models[0].cacheHitRatio).toBe(0.4)
    const projects = (await h.get('/api/analytics/projects')).json.rows
    expect(projects.map((r: { key: string; sessions: number }) => [r.key, r.sessions])).toEqual([
      ['api', 2],
      ['web', 1],
    ])
    const sources = (await h.get('/api/analytics/sources?project=api')).json.rows
    expect(sources.map((r: { key: string }) => r.key).sort()).toEqual(['codex-cli', 'opencode'])
    const providers = (await h.get('/api/analytics/providers')).json.rows
    // glm-4.6 names no provider; the price table infers zhipuai (which has no glm-4.6 price).
    expect(
      providers.map((r: { key: string; sessions: number }) => [r.key, r.sessions]).sort(),
    ).toEqual([
      ['anthropic', 1],
      ['openai', 1],
      ['zhipuai', 1],
    ])
    expect(providers.find((r: { key: string }) => r.key === 'openai').costMicros).toBe(1_800_000)
    const tagged = (await h.get('/api/analytics/models?evalReady=false')).json.rows
    expect(tagged.map((r: { key: string }) => r.key)).toEqual(
      models.map((r: { key: string }) => r.key),
    )
  })

  it('moves rollups when a session changes project after its messages arrived', async () => {
    await h.post('/sync/message', {
      sessionExternalId: 'late',
      externalId: 'l1',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      usage: { input: 10, output: 10 },
      createdAt: T0,
    })
    expect(
      (await h.get('/api/analytics/projects')).json.rows.map((r: { key: string }) => r.key),
    ).toEqual(['unknown'])
    await h.post('/sync/session', { externalId: 'late', projectName: 'moved', source: 'pi' })
    const rows = (await h.get('/api/analytics/projects')).json.rows
    expect(rows.map((r: { key: string; requests: number }) => [r.key, r.requests])).toEqual([
      ['moved', 1],
    ])
    expect((await h.get('/api/stats?source=pi')).json.messageCount).toBe(1)
  })
})

describe('GET /api/export', () => {
  it('exports one or many sessions in every format, only the caller’s', async () => {
    await seedUsage()
    const json = await h.get('/api/export?id=a')
    expect(json.status).toBe(200)
    expect(json.headers.get('content-disposition')).toMatch(
      /attachment; filename="session-a-\d{4}-\d{2}-\d{2}\.json"/,
    )
    expect(json.json.externalId).toBe('a')
    expect(json.json.messages).toHaveLength(2)
    const many = await h.get('/api/export?id=a,b,unknown&format=jsonl')
    expect(many.headers.get('x-export-sessions')).toBe('2')
    const lines = many.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.map((l: { externalId: string }) => l.externalId)).toEqual(['a1', 'a2', 'b1'])
    const csv = await h.get('/api/export?id=a,b&format=csv')
    expect(csv.headers.get('content-type')).toContain('text/csv')
    expect(csv.text.split('\r\n').filter(Boolean)).toHaveLength(3)
    const md = await h.get('/api/export?id=a&format=markdown')
    expect(md.text).toContain('# Fix login')
    expect(md.text).toContain('**Tool call: Bash**')
    const other = await h.otherUserKey()
    expect((await h.get('/api/export?id=a', { key: other })).status).toBe(404)
    expect((await h.get('/api/export?id=a&format=pdf')).status).toBe(400)
  })
})

describe('GET /api/events', () => {
  it('streams the caller’s sync events, and only theirs', async () => {
    const controller = new AbortController()
    const res = await h.app.request('/api/events', {
      headers: { authorization: `Bearer ${h.key}` },
      signal: controller.signal,
    })
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    const decoder = new TextDecoder()
    let buffer = ''
    const waitFor = async (needle: string) => {
      while (!buffer.includes(needle)) {
        const { value, done } = await reader.read()
        if (done) throw new Error('stream ended')
        buffer += decoder.decode(value)
      }
    }
    await waitFor('server.connected')
    const other = await h.otherUserKey()
    await h.post(
      '/sync/message',
      { sessionExternalId: 'x', externalId: 'theirs', role: 'user' },
      { key: other },
    )
    await h.post('/sync/message', { sessionExternalId: 'x', externalId: 'mine', role: 'user' })
    await waitFor('session.updated')
    expect(buffer).toContain('event: message.created')
    expect(buffer).toContain('"externalId":"mine"')
    expect(buffer).not.toContain('theirs')
    controller.abort()
    await reader.cancel()
  })
})

describe('account, health and the OpenAPI document', () => {
  it('reports the caller and manages keys: shown once, listed by prefix, revoked', async () => {
    const me = (await h.get('/api/me')).json
    expect(me).toMatchObject({ authMode: 'local', via: 'api-key' })
    const created = await h.post('/api/keys', { name: 'laptop' })
    expect(created.status).toBe(201)
    expect(created.json.key).toMatch(/^os_[0-9A-Za-z]{40}$/)
    const listed = (await h.get('/api/keys')).json.keys
    expect(listed.map((k: { name: string }) => k.name)).toEqual(['test', 'laptop'])
    expect(JSON.stringify(listed)).not.toContain(created.json.key)
    expect(listed[0].lastUsedAt).toEqual(expect.any(Number))
    expect((await h.request('DELETE', `/api/keys/${created.json.prefix}`)).status).toBe(200)
    expect((await h.get('/api/me', { key: created.json.key })).status).toBe(401)
    expect((await h.request('DELETE', '/api/keys/os_nothing')).status).toBe(404)
    expect((await h.post('/api/keys', { name: '' })).status).toBe(400)
  })

  it('answers health without auth on both paths', async () => {
    for (const path of ['/health', '/api/health']) {
      const res = await h.get(path, { key: null })
      expect(res.json).toEqual({ status: 'ok', timestamp: expect.any(Number), version: '0.1.0' })
    }
  })

  it('documents exactly the routes the app serves', async () => {
    const served = new Set(
      h.app.routes
        .filter((r) => ['GET', 'POST', 'PATCH', 'DELETE'].includes(r.method))
        .filter((r) => /^\/(api|sync|health)/.test(r.path))
        .map(
          (r) =>
            `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '')}`,
        ),
    )
    const documented = new Set(ROUTE_DOCS.map((d) => `${d.method} ${d.path}`))
    expect([...served].sort()).toEqual([...documented].sort())
    const doc = (await h.get('/api/openapi.json', { key: null })).json
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths).sort()).toEqual(
      [...new Set(ROUTE_DOCS.map((d) => d.path))].sort(),
    )
    expect(
      doc.paths['/sync/message'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(['sessionExternalId', 'externalId'])
  })

  it('answers unknown API routes with a 404 envelope', async () => {
    const res = await h.get('/api/nothing-here')
    expect(res.status).toBe(404)
    expect(res.json.code).toBe('not-found')
  })
})
