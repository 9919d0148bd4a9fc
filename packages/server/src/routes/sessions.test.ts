import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '../../test/harness.js'

let h: Harness
beforeEach(async () => {
  h = await createHarness()
})
afterEach(async () => {
  await h.close()
})

const DAY = 86_400_000
const T0 = Date.parse('2025-05-01T12:00:00Z')

/** Ten sessions over ten days across two sources, projects, models and machines. */
async function seed() {
  const sessions = Array.from({ length: 10 }, (_, i) => ({
    externalId: `s${i}`,
    source: i % 2 === 0 ? 'claude-code' : 'codex-cli',
    title: `Session ${i}`,
    projectName: i < 5 ? 'alpha' : 'beta',
    model: i % 2 === 0 ? 'claude-sonnet-4-5' : 'gpt-5-codex',
    machine: i % 3 === 0 ? 'laptop' : 'desktop',
    startedAt: T0 + i * DAY,
    createdAt: T0 + i * DAY,
  }))
  const messages = sessions.flatMap((s, i) =>
    Array.from({ length: i + 1 }, (_, j) => ({
      sessionExternalId: s.externalId,
      externalId: `${s.externalId}-m${j}`,
      role: j % 2 === 0 ? 'user' : 'assistant',
      textContent: j === 0 && i === 7 ? 'the zebra crossing bug' : `text ${i}.${j}`,
      createdAt: T0 + i * DAY + j * 1000,
      ...(j % 2 === 1 ? { usage: { input: 100 * (i + 1), output: 10 } } : {}),
    })),
  )
  const res = await h.post('/sync/batch', { sessions, messages })
  expect(res.json.ok).toBe(true)
}

function ids(res: { json: { sessions: { externalId: string }[] } }) {
  return res.json.sessions.map((s) => s.externalId)
}

describe('GET /api/sessions', () => {
  it('lists newest first by default with a total', async () => {
    await seed()
    const res = await h.get('/api/sessions')
    expect(res.status).toBe(200)
    expect(res.json.total).toBe(10)
    expect(res.json.nextCursor).toBeNull()
    expect(ids(res)).toHaveLength(10)
  })

  it('filters by source, project, model, machine, date range, tag, eval fields and q', async () => {
    await seed()
    expect(ids(await h.get('/api/sessions?source=codex-cli&sort=startedAt&order=asc'))).toEqual([
      's1',
      's3',
      's5',
      's7',
      's9',
    ])
    expect(ids(await h.get('/api/sessions?source=cursor&project=alpha'))).toEqual([])
    expect((await h.get('/api/sessions?project=beta&model=claude-sonnet-4-5')).json.total).toBe(2)
    expect((await h.get('/api/sessions?machine=laptop')).json.total).toBe(4)
    const from = new Date(T0 + 2 * DAY).toISOString()
    const to = T0 + 4 * DAY
    expect(
      ids(await h.get(`/api/sessions?from=${from}&to=${to}&sort=startedAt&order=asc`)),
    ).toEqual(['s2', 's3', 's4'])
    expect(ids(await h.get('/api/sessions?q=zebra'))).toEqual(['s7'])
    expect(ids(await h.get('/api/sessions?q=%22%3A%28'))).toEqual([])
    await h.request('PATCH', '/api/sessions/s3', {
      evalTags: ['golden-set', 'parser'],
      evalReady: true,
    })
    await h.request('PATCH', '/api/sessions/s4', { evalStatus: 'incorrect' })
    expect(ids(await h.get('/api/sessions?tag=parser'))).toEqual(['s3'])
    expect(ids(await h.get('/api/sessions?evalReady=true'))).toEqual(['s3'])
    expect(ids(await h.get('/api/sessions?evalStatus=incorrect'))).toEqual(['s4'])
  })

  it('sorts by every key and pages with a cursor without gaps or repeats', async () => {
    await seed()
    const byTokens = ids(await h.get('/api/sessions?sort=totalTokens&order=desc'))
    expect(byTokens.slice(0, 3)).toEqual(['s9', 's8', 's7'])
    expect(ids(await h.get('/api/sessions?sort=messageCount&order=asc')).slice(0, 2)).toEqual([
      's0',
      's1',
    ])
    for (const sort of ['updatedAt', 'createdAt', 'startedAt', 'cost', 'durationMs', 'title']) {
      const seen: string[] = []
      let cursor: string | null = null
      do {
        const res = await h.get(
          `/api/sessions?sort=${sort}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        )
        expect(res.status).toBe(200)
        seen.push(...ids(res))
        cursor = res.json.nextCursor
      } while (cursor)
      expect(seen.sort()).toEqual(['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9'])
    }
  })

  it('rejects bad query values with 400 naming the parameter', async () => {
    const limit = await h.get('/api/sessions?limit=500')
    expect(limit.status).toBe(400)
    expect(limit.json.error).toContain('limit: must be a whole number from 1 to 200')
    const sort = await h.get('/api/sessions?sort=bogus')
    expect(sort.status).toBe(400)
    expect(sort.json.details.issues[0].path).toBe('sort')
    const cursor = await h.get('/api/sessions?cursor=garbage')
    expect(cursor.status).toBe(400)
    expect(cursor.json.error).toBe('cursor is not one this server issued')
  })
})

describe('GET /api/sessions/:id and /messages', () => {
  it('finds a session by id or externalId, and pages long sessions', async () => {
    await seed()
    const byExternal = await h.get('/api/sessions/s9?limit=4')
    expect(byExternal.status).toBe(200)
    expect(byExternal.json.messages.map((m: { externalId: string }) => m.externalId)).toEqual([
      's9-m0',
      's9-m1',
      's9-m2',
      's9-m3',
    ])
    const id = byExternal.json.session.id
    expect((await h.get(`/api/sessions/${id}`)).json.session.externalId).toBe('s9')
    expect((await h.get(`/api/sessions/get?id=${id}`)).json.session.externalId).toBe('s9')
    const all: string[] = []
    let cursor: string | null = null
    do {
      const page = await h.get(
        `/api/sessions/s9/messages?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      )
      all.push(...page.json.messages.map((m: { externalId: string }) => m.externalId))
      cursor = page.json.nextCursor
    } while (cursor)
    expect(all).toEqual(Array.from({ length: 10 }, (_, j) => `s9-m${j}`))
    expect((await h.get('/api/sessions/nope')).status).toBe(404)
    expect((await h.get('/api/sessions/get')).status).toBe(400)
  })

  it('shows per-message usage, cost and the matched price model', async () => {
    await seed()
    const m = (await h.get('/api/sessions/s1')).json.messages[1]
    expect(m.usage).toEqual({
      input: 200,
      output: 10,
      cacheRead: 0,
      cacheWrite5m: 0,
      cacheWrite1h: 0,
      reasoning: 0,
    })
    expect(m.pricedModel).toBe('gpt-5')
    expect(m.priceStatus).toBe('priced')
    // gpt-5: 200 × $1.25/M + 10 × $10/M = 250 + 100 micros.
    expect(m.costMicros).toBe(350)
  })
})

describe('PATCH, DELETE and bulk', () => {
  it('renames, shares with a stable slug, and sets eval fields', async () => {
    await seed()
    const before = (await h.get('/api/sessions/s2')).json.session
    const res = await h.request('PATCH', '/api/sessions/s2', {
      title: 'Renamed',
      isPublic: true,
      evalReady: true,
      evalStatus: 'golden',
      evalTags: ['a', 'b', 'a'],
      evalNotes: 'good one',
      expectedOutput: 'the fix',
    })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({
      title: 'Renamed',
      isPublic: true,
      evalReady: true,
      evalStatus: 'golden',
      evalTags: ['a', 'b'],
      evalNotes: 'good one',
      expectedOutput: 'the fix',
      updatedAt: before.updatedAt,
    })
    expect(res.json.publicSlug).toMatch(/^[\w-]{12}$/)
    const slug = res.json.publicSlug
    await h.request('PATCH', '/api/sessions/s2', { isPublic: false })
    expect((await h.request('PATCH', '/api/sessions/s2', { isPublic: true })).json.publicSlug).toBe(
      slug,
    )
    expect((await h.get('/api/search?q=renamed&scope=sessions')).json.results[0].matchedIn).toBe(
      'title',
    )
    const bad = await h.request('PATCH', '/api/sessions/s2', { evalStatus: 'great', colour: 'red' })
    expect(bad.status).toBe(400)
  })

  it('deletes a session with its messages, search rows and rollup share', async () => {
    await seed()
    const statsBefore = (await h.get('/api/stats')).json
    const s7 = (await h.get('/api/sessions/s7')).json.session
    const res = await h.request('DELETE', '/api/sessions/s7')
    expect(res.status).toBe(200)
    expect((await h.get('/api/sessions/s7')).status).toBe(404)
    expect((await h.get('/api/search?q=zebra')).json.results).toEqual([])
    const stats = (await h.get('/api/stats')).json
    expect(stats.sessionCount).toBe(statsBefore.sessionCount - 1)
    expect(stats.messageCount).toBe(statsBefore.messageCount - 8)
    expect(stats.totalTokens).toBe(statsBefore.totalTokens - s7.totalTokens)
    const left = await h.store.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(left.n)).toBe(statsBefore.messageCount - 8)
  })

  it('bulk tags, untags, marks eval-ready, sets status and deletes', async () => {
    await seed()
    const tag = await h.post('/api/sessions/bulk', {
      ids: ['s1', 's2', 'missing'],
      action: 'tag',
      value: ['x', 'y'],
    })
    expect(tag.json).toEqual({ updated: 2, failed: [{ id: 'missing', error: 'not found' }] })
    await h.post('/api/sessions/bulk', { ids: ['s1'], action: 'untag', value: 'x' })
    expect((await h.get('/api/sessions/s1')).json.session.evalTags).toEqual(['y'])
    expect((await h.get('/api/sessions/s2')).json.session.evalTags).toEqual(['x', 'y'])
    await h.post('/api/sessions/bulk', { ids: ['s1', 's2'], action: 'evalReady', value: true })
    await h.post('/api/sessions/bulk', { ids: ['s1'], action: 'evalStatus', value: 'correct' })
    expect((await h.get('/api/sessions?evalReady=true')).json.total).toBe(2)
    expect(ids(await h.get('/api/sessions?evalStatus=correct'))).toEqual(['s1'])
    const del = await h.post('/api/sessions/bulk', { ids: ['s1', 's2', 's3'], action: 'delete' })
    expect(del.json).toEqual({ updated: 3, failed: [] })
    expect((await h.get('/api/sessions')).json.total).toBe(7)
    const bad = await h.post('/api/sessions/bulk', { ids: [], action: 'explode' })
    expect(bad.status).toBe(400)
    expect(bad.json.details.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'action',
      'ids',
    ])
  })
})
