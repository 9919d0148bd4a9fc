// `npm run bench`: the SPEC §10 figures this package measures, then one summary table and
// bench/results.json. `node bench/run.js ingest query` runs a subset; BENCH_QUICK=1 shrinks sizes.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { cpus, freemem, loadavg, platform, release, totalmem } from 'node:os'
import { fmtInt, fmtMs, printTable, QUICK } from './common.js'
import { runIngest } from './ingest.js'
import { runQuery } from './query.js'
import { runSse } from './sse.js'

const ALL = { ingest: runIngest, query: runQuery, sse: runSse }

/**
 * @param {boolean} ok
 */
function verdict(ok) {
  return ok ? 'pass' : 'FALLS SHORT'
}

/**
 * The summary rows: figure, measured, in-run reference, target, verdict.
 * @param {Record<string, any>} r
 * @returns {string[][]}
 */
function summaryRows(r) {
  const rows = []
  if (r.ingest) {
    const i = r.ingest
    rows.push([
      '/sync/batch ingest over HTTP',
      `${fmtInt(i.http.messagesPerSec)} msg/s, ${i.http.mbPerSec} MB/s`,
      `raw ${fmtInt(i.raw.messagesPerSec)} msg/s, ${i.raw.mbPerSec} MB/s`,
      `${(i.ratio * 100).toFixed(1)} % of raw (≥ 50 %)`,
      verdict(i.ratio >= 0.5),
    ])
    rows.push([
      '  (info) vs raw + FTS5 + usage',
      `${(i.ratioVsIndexed * 100).toFixed(1)} % of it`,
      `raw+FTS ${fmtInt(i.rawIndexed.messagesPerSec)} msg/s`,
      'not a SPEC figure',
      '',
    ])
  }
  if (r.query) {
    const q = r.query
    const at = `at ${fmtInt(q.store.messages)} msgs`
    rows.push([
      `full-text search p95 ${at}`,
      `p50 ${fmtMs(q.search.all.p50)} p95 ${fmtMs(q.search.all.p95)} p99 ${fmtMs(q.search.all.p99)}`,
      `GET /health p95 ${fmtMs(q.health.p95)}`,
      `p95 ≤ 30 ms`,
      verdict(q.search.all.p95 <= 30),
    ])
    for (const [name, s] of Object.entries(q.overview)) {
      rows.push([
        `${name} p95 ${at}`,
        `p50 ${fmtMs(s.p50)} p95 ${fmtMs(s.p95)} p99 ${fmtMs(s.p99)}`,
        `GET /health p95 ${fmtMs(q.health.p95)}`,
        `p95 ≤ 50 ms`,
        verdict(s.p95 <= 50),
      ])
    }
  }
  if (r.sse) {
    const s = r.sse
    rows.push([
      'sync → SSE message.created',
      `p50 ${fmtMs(s.event.p50)} p95 ${fmtMs(s.event.p95)} p99 ${fmtMs(s.event.p99)}`,
      `POST round-trip p95 ${fmtMs(s.post.p95)}`,
      'p95 ≤ 5 ms',
      verdict(s.event.p95 <= 5),
    ])
  }
  return rows
}

/** The code under test: commit and whether packages/ had uncommitted changes. */
function gitState() {
  const git = (/** @type {string[]} */ args) =>
    execFileSync('git', args, { cwd: new URL('..', import.meta.url), encoding: 'utf8' }).trim()
  try {
    const dirty = git(['status', '--porcelain', '--', 'packages']).split('\n').filter(Boolean)
    return {
      commit: git(['rev-parse', '--short', 'HEAD']),
      uncommittedFilesInPackages: dirty.length,
    }
  } catch {
    return null
  }
}

async function main() {
  const wanted = process.argv.slice(2)
  const names = wanted.length > 0 ? wanted : Object.keys(ALL)
  for (const n of names) {
    if (!(n in ALL)) throw new Error(`unknown benchmark "${n}"; use ${Object.keys(ALL).join(', ')}`)
  }
  const started = Date.now()
  console.log(
    `OpenSync benchmarks${QUICK ? ' (BENCH_QUICK=1: sizes ÷20)' : ''} — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
  )
  const code = gitState()
  const loadAtStart = loadavg()[0]
  if (loadAtStart > 0.5) {
    console.log(
      `Note: load average is ${loadAtStart.toFixed(2)} at start; other work on this machine adds noise.`,
    )
  }
  /** @type {Record<string, any>} */
  const results = {}
  for (const name of names) {
    const t0 = Date.now()
    results[name] = await ALL[/** @type {keyof typeof ALL} */ (name)]()
    results[name].wallSeconds = Math.round((Date.now() - t0) / 100) / 10
  }
  console.log('\nSummary (SPEC §10)')
  printTable(['figure', 'measured', 'in-run reference', 'target', 'verdict'], summaryRows(results))
  const wall = Math.round((Date.now() - started) / 100) / 10
  console.log(`\nTotal ${wall} s`)
  const out = new URL('./results.json', import.meta.url)
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        quick: QUICK,
        code,
        wallSeconds: wall,
        machine: {
          cpus: cpus().length,
          cpuModel: cpus()[0]?.model ?? null,
          totalMemGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
          freeMemGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
          platform: `${platform()} ${release()}`,
          node: process.version,
          loadAverageAtStart: Math.round(loadAtStart * 100) / 100,
          loadAverageAtEnd: Math.round(loadavg()[0] * 100) / 100,
        },
        results,
      },
      null,
      2,
    )}\n`,
  )
  console.log(`Wrote ${out.pathname}`)
}

await main()
