import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '../../test/harness.js'

let h: Harness
beforeEach(async () => {
  h = await createHarness()
})
afterEach(async () => {
  await h.close()
})

/** Small deterministic PRNG (mulberry32) so a failure replays exactly. */
function rng(seed: number) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const MODELS = ['claude-sonnet-4-5', 'gpt-5-codex', 'glm-4.6', null]
const PROJECTS = ['alpha', 'beta', null]
const SOURCES = ['claude-code', 'codex-cli', 'pi']

/** Rollups recomputed from scratch, keyed like usage_hourly. */
async function recomputed() {
  const rows = await sql<Record<string, number | string>>`
    SELECT m.created_at / 3600000 AS hour,
      coalesce(s.source, '') AS source,
      coalesce(s.project_name, s.project_path, '') AS project,
      count(*) AS messages, count(u.message_id) AS requests,
      coalesce(sum(u.input_tokens), 0) AS input, coalesce(sum(u.output_tokens), 0) AS output,
      coalesce(sum(u.cache_read_tokens), 0) AS cache_read, coalesce(sum(u.cost_micros), 0) AS cost
    FROM messages m JOIN sessions s ON s.id = m.session_id LEFT JOIN usage u ON u.message_id = m.id
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`.execute(h.store.db)
  return rows.rows.map((r) => Object.values(r))
}

async function fromRollups() {
  const rows = await sql<Record<string, number | string>>`
    SELECT hour, source, project, sum(messages) AS messages, sum(requests) AS requests,
      sum(input_tokens) AS input, sum(output_tokens) AS output, sum(cache_read_tokens) AS cache_read,
      sum(cost_micros) AS cost
    FROM usage_hourly GROUP BY 1, 2, 3 HAVING sum(messages) > 0 ORDER BY 1, 2, 3`.execute(
    h.store.db,
  )
  return rows.rows.map((r) => Object.values(r))
}

async function sessionTotalsMatch() {
  const rows = await sql<{
    id: number
    stored: number
    actual: number
    count: number
    stored_count: number
    cost: number
    stored_cost: number
  }>`
    SELECT s.id, s.total_tokens AS stored, s.message_count AS stored_count, s.cost_micros AS stored_cost,
      (SELECT count(*) FROM messages m WHERE m.session_id = s.id) AS count,
      (SELECT coalesce(sum(u.input_tokens + u.output_tokens + u.cache_read_tokens + u.cache_write_5m_tokens + u.cache_write_1h_tokens), 0) FROM usage u WHERE u.session_id = s.id) AS actual,
      (SELECT coalesce(sum(u.cost_micros), 0) FROM usage u WHERE u.session_id = s.id) AS cost
    FROM sessions s`.execute(h.store.db)
  for (const r of rows.rows) {
    expect([r.id, r.stored, r.stored_count, r.stored_cost]).toEqual([
      r.id,
      r.actual,
      r.count,
      r.cost,
    ])
  }
}

describe('rollups and session totals', () => {
  it('always equal a recomputation from the rows, through inserts, edits, moves and deletes', async () => {
    const random = rng(42)
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T
    const t0 = Date.parse('2025-01-01T00:00:00Z')
    for (let step = 0; step < 40; step++) {
      const op = random()
      if (op < 0.6) {
        const messages = Array.from({ length: 1 + Math.floor(random() * 20) }, () => {
          const assistant = random() < 0.6
          return {
            sessionExternalId: `s${Math.floor(random() * 8)}`,
            externalId: `m${Math.floor(random() * 60)}`,
            role: assistant ? 'assistant' : 'user',
            model: pick(MODELS),
            textContent: `text ${Math.floor(random() * 1000)}`,
            createdAt: t0 + Math.floor(random() * 72) * 3_600_000,
            ...(assistant
              ? {
                  usage: {
                    input: Math.floor(random() * 5000),
                    output: Math.floor(random() * 900),
                    cacheRead: Math.floor(random() * 90_000),
                  },
                }
              : {}),
          }
        })
        expect((await h.post('/sync/batch', { messages })).json.ok).toBe(true)
      } else if (op < 0.85) {
        const res = await h.post('/sync/session', {
          externalId: `s${Math.floor(random() * 8)}`,
          source: pick(SOURCES),
          projectName: pick(PROJECTS),
          model: pick(MODELS),
        })
        expect(res.status).toBe(200)
      } else {
        await h.request('DELETE', `/api/sessions/s${Math.floor(random() * 8)}`)
      }
      expect(await fromRollups()).toEqual(await recomputed())
      await sessionTotalsMatch()
    }
    const stats = (await h.get('/api/stats')).json
    const count = await h.store.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(stats.messageCount).toBe(Number(count.n))
  })
})
