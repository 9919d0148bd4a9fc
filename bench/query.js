// SPEC §10: full-text search and overview/analytics latency at 1 M messages, with GET /health
// as the in-run floor. The store is generated through the product's own ingest path (so FTS,
// usage and rollups are filled by its code) and cached under bench/.cache/.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { createApiKey, createApp, createDeps, openStore } from '@opensync/server'
import {
  benchConfig,
  client,
  fmtInt,
  fmtMs,
  printTable,
  progress,
  QUICK,
  round,
  scale,
  spawnServer,
  summarize,
} from './common.js'
import { rng, vocabulary, wordInRanks } from './corpus.js'

/** Bump when the generated data changes: a cached store of another version is regenerated. */
const GENERATOR_VERSION = 1
const CACHE = new URL('./.cache/', import.meta.url).pathname
const TZ = 'Europe/Berlin'

function plan() {
  return {
    sessions: scale(5_000),
    messages: scale(1_000_000),
    anchor: Date.now(),
    vocabulary: 5_000,
    rare: scale(50_000),
    projects: 30,
    seed: 2026,
  }
}

/** Longest the generation may take before it stops and keeps what it has (s). */
const GEN_BUDGET_S = Number(process.env.BENCH_GEN_BUDGET_S ?? 480)

/**
 * Ingests the generated batches through `app.request()` (the real routes, no sockets).
 * @param {string} dataDir
 * @param {ReturnType<typeof plan>} p
 */
async function generate(dataDir, p) {
  const config = benchConfig(dataDir)
  const store = await openStore(config.databaseUrl)
  const app = createApp(await createDeps(store, config))
  const { key } = await createApiKey(store, { name: 'bench-generator' })
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
  const worker = new Worker(new URL('./query-corpus-worker.js', import.meta.url), {
    workerData: p,
  })
  /** @type {Array<{ body?: string, messages?: number, done?: boolean }>} */
  const queue = []
  /** @type {(() => void) | null} */
  let wake = null
  /** @type {Error | null} */
  let failure = null
  worker.on('message', (m) => {
    queue.push(m)
    wake?.()
  })
  worker.on('error', (e) => {
    failure = e
    wake?.()
  })
  worker.postMessage({ credit: 3 })
  const t0 = performance.now()
  let messages = 0
  let bytes = 0
  let batches = 0
  let ingestMs = 0
  let waitMs = 0
  let truncated = false
  let nextReport = p.messages / 10
  try {
    for (;;) {
      const tw = performance.now()
      while (queue.length === 0 && !failure) await new Promise((r) => (wake = () => r(undefined)))
      waitMs += performance.now() - tw
      if (failure) throw failure
      const m = /** @type {{ body?: string, messages?: number, done?: boolean }} */ (queue.shift())
      if (m.done) break
      worker.postMessage({ credit: 1 })
      const body = /** @type {string} */ (m.body)
      const ti = performance.now()
      const res = await app.request('/sync/batch', { method: 'POST', headers, body })
      const out = await res.json()
      ingestMs += performance.now() - ti
      if (res.status !== 200 || !out.ok) {
        throw new Error(
          `generation batch failed: ${res.status} ${JSON.stringify(out).slice(0, 300)}`,
        )
      }
      messages += out.messages
      bytes += body.length
      batches += 1
      const elapsed = (performance.now() - t0) / 1000
      if (messages >= nextReport) {
        progress(
          `query store: ${fmtInt(messages)} / ${fmtInt(p.messages)} messages, ${elapsed.toFixed(0)} s, ${fmtInt(messages / elapsed)} msg/s`,
        )
        nextReport += p.messages / 10
      }
      if (elapsed > GEN_BUDGET_S && messages < p.messages) {
        truncated = true
        progress(
          `query store: time budget of ${GEN_BUDGET_S} s reached; keeping ${fmtInt(messages)} messages`,
        )
        break
      }
    }
  } finally {
    await worker.terminate()
    await store.close()
  }
  const ms = performance.now() - t0
  return {
    messages,
    batches,
    jsonMB: round(bytes / 1e6, 1),
    generationSeconds: round(ms / 1000, 1),
    ingestSeconds: round(ingestMs / 1000, 1),
    waitedForGeneratorSeconds: round(waitMs / 1000, 1),
    messagesPerSec: round((messages / ms) * 1000, 0),
    truncated,
  }
}

/**
 * A hash of the schema the current code creates (tables, indexes, FTS tables), so that a cached
 * store made by other migrations is regenerated rather than measured with the wrong layout.
 */
async function schemaFingerprint() {
  const store = await openStore(':memory:')
  try {
    const rows = await store.db
      .selectFrom('sqlite_master')
      .select(['type', 'name', 'sql'])
      .orderBy('name')
      .execute()
    return createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16)
  } finally {
    await store.close()
  }
}

/**
 * Returns the cached store's folder and metadata, generating it when missing or stale.
 */
async function cachedStore() {
  const p = plan()
  const dir = join(CACHE, `query-v${GENERATOR_VERSION}-${p.messages}${QUICK ? '-quick' : ''}`)
  const metaFile = join(dir, 'meta.json')
  const schema = await schemaFingerprint()
  if (existsSync(metaFile) && process.env.BENCH_REGENERATE !== '1') {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8'))
    if (meta.generatorVersion === GENERATOR_VERSION && meta.schema === schema) {
      progress(`query store: cached at ${dir} (${fmtInt(meta.generation.messages)} messages)`)
      return { dir, meta, cached: true }
    }
    progress(
      meta.schema === schema
        ? 'query store: the generator changed; regenerating'
        : 'query store: the database schema of the current code differs from the cached store; regenerating',
    )
  }
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  progress(
    `query store: generating ${fmtInt(p.messages)} messages in ${fmtInt(p.sessions)} sessions through /sync/batch (first run only)`,
  )
  const generation = await generate(dir, p)
  const dbFile = join(dir, 'opensync.db')
  const meta = {
    generatorVersion: GENERATOR_VERSION,
    schema,
    createdAt: new Date().toISOString(),
    plan: p,
    generation,
    dbMB: round(statSync(dbFile).size / 1e6, 0),
  }
  writeFileSync(metaFile, `${JSON.stringify(meta, null, 2)}\n`)
  return { dir, meta, cached: false }
}

/**
 * The search queries: single rare/medium/common words and two-word queries, interleaved.
 * @param {number} count
 * @param {ReturnType<typeof plan>} p
 */
function searchQueries(count, p) {
  const v = vocabulary(p.vocabulary, p.rare)
  const random = rng(99)
  const rare = () => v.rare[Math.floor(random() * v.rare.length)]
  const medium = () => wordInRanks(v, random, 300, 1500)
  const common = () => wordInRanks(v, random, 20, 100)
  /** @type {Array<[string, () => string]>} */
  const kinds = [
    ['rare', rare],
    ['medium', medium],
    ['common', common],
    ['two: medium+common', () => `${medium()} ${common()}`],
    ['two: rare+common', () => `${rare()} ${common()}`],
    ['two: medium+medium', () => `${medium()} ${medium()}`],
  ]
  return Array.from({ length: count }, (_, i) => {
    const [kind, make] = kinds[i % kinds.length]
    return { kind, q: make() }
  })
}

const OVERVIEW = {
  'GET /api/stats': '/api/stats',
  'GET /api/analytics/daily': `/api/analytics/daily?tz=${TZ}`,
  'GET /api/analytics/models': `/api/analytics/models?tz=${TZ}`,
  'GET /api/analytics/projects': `/api/analytics/projects?tz=${TZ}`,
  'GET /api/sessions?limit=50': '/api/sessions?limit=50',
}

/** Runs the query benchmark and returns its figures. */
export async function runQuery() {
  const { dir, meta, cached } = await cachedStore()
  const rounds = QUICK ? 60 : Number(process.env.BENCH_QUERY_ROUNDS ?? 200)
  const server = await spawnServer(dir)
  /** @type {Awaited<ReturnType<typeof measure>> | undefined} */
  let result
  try {
    result = await measure(client(server.url, server.key), meta, cached, rounds)
  } finally {
    const usage = await server.close()
    if (result) Object.assign(result, { server: usage })
  }
  return result
}

/**
 * The measured rounds against the running server.
 * @param {ReturnType<typeof client>} http
 * @param {any} meta the cached store's meta.json
 * @param {boolean} cached
 * @param {number} rounds
 */
async function measure(http, meta, cached, rounds) {
  const queries = searchQueries(rounds, meta.plan)
  /**
   * @param {string} path
   */
  const get = async (path) => {
    const t0 = performance.now()
    const res = await http.get(path)
    const ms = performance.now() - t0
    if (res.status !== 200)
      throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`)
    return { ms, body: res.body }
  }
  const searchPath = (/** @type {string} */ q) => `/api/search?q=${encodeURIComponent(q)}&limit=20`
  progress('query: warming up')
  for (let i = 0; i < 10; i++) {
    await get('/health')
    await get(searchPath(queries[i % queries.length].q))
    for (const path of Object.values(OVERVIEW)) await get(path)
  }
  const stats = (await get('/api/stats')).body
  progress(
    `query: ${rounds} rounds of /health, search and ${Object.keys(OVERVIEW).length} overview requests`,
  )
  /** @type {number[]} */
  const health = []
  /** @type {number[]} */
  const searchAll = []
  /** @type {Record<string, { ms: number[], hits: number, empty: number }>} */
  const byKind = {}
  /** @type {Record<string, number[]>} */
  const overview = Object.fromEntries(Object.keys(OVERVIEW).map((k) => [k, []]))
  const t0 = performance.now()
  for (let i = 0; i < rounds; i++) {
    if (i > 0 && i % Math.ceil(rounds / 4) === 0) {
      progress(`query: ${i} / ${rounds} rounds, ${((performance.now() - t0) / 1000).toFixed(0)} s`)
    }
    health.push((await get('/health')).ms)
    const { kind, q } = queries[i]
    const s = await get(searchPath(q))
    searchAll.push(s.ms)
    byKind[kind] ??= { ms: [], hits: 0, empty: 0 }
    byKind[kind].ms.push(s.ms)
    byKind[kind].hits += s.body.results.length
    if (s.body.results.length === 0) byKind[kind].empty += 1
    for (const [name, path] of Object.entries(OVERVIEW)) overview[name].push((await get(path)).ms)
  }
  const result = {
    store: {
      messages: stats.messageCount,
      sessions: stats.sessionCount,
      dbMB: meta.dbMB,
      cached,
      generation: meta.generation,
      generatedAt: meta.createdAt,
    },
    health: summarize(health),
    search: {
      all: summarize(searchAll),
      byKind: Object.fromEntries(
        Object.entries(byKind).map(([k, v]) => [
          k,
          { ...summarize(v.ms), meanHits: round(v.hits / v.ms.length, 1), emptyResults: v.empty },
        ]),
      ),
    },
    overview: Object.fromEntries(Object.entries(overview).map(([k, v]) => [k, summarize(v)])),
    targets: { searchP95Ms: 30, overviewP95Ms: 50 },
  }
  const g = meta.generation
  console.log(
    `\nQuery: store of ${fmtInt(stats.messageCount)} messages in ${fmtInt(stats.sessionCount)} sessions, ${meta.dbMB} MB; ` +
      `${cached ? 'cached, ' : ''}generated in ${g.generationSeconds} s (${fmtInt(g.messagesPerSec)} msg/s)${g.truncated ? ' — TRUNCATED by the time budget' : ''}`,
  )
  const row = (
    /** @type {string} */ name,
    /** @type {import('./common.js').Summary} */ s,
    extra = '',
  ) => [name, String(s.n), fmtMs(s.p50), fmtMs(s.p95), fmtMs(s.p99), fmtMs(s.max), extra]
  printTable(
    ['request', 'n', 'p50', 'p95', 'p99', 'max', 'note'],
    [
      row('GET /health (floor)', result.health),
      row('search, all queries', result.search.all, 'target p95 ≤ 30 ms'),
      ...Object.entries(result.search.byKind).map(([k, s]) =>
        row(`  search: ${k}`, s, `${s.meanHits} hits avg, ${s.emptyResults} empty`),
      ),
      ...Object.entries(result.overview).map(([k, s]) => row(k, s, 'target p95 ≤ 50 ms')),
    ],
  )
  return result
}
