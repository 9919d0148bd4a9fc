// Shared helpers of the benchmarks: sizes, temp dirs, server config, percentiles, tables.
import { fork } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '@opensync/server'

/** `BENCH_QUICK=1` shrinks every size ~20× for a smoke run. */
export const QUICK = process.env.BENCH_QUICK === '1'

/**
 * A benchmark size, ~20× smaller in quick mode.
 * @param {number} n
 */
export function scale(n) {
  return QUICK ? Math.max(1, Math.ceil(n / 20)) : n
}

/**
 * A fresh temporary directory; `cleanup()` removes it.
 * @param {string} name
 */
export function tempDir(name) {
  const dir = mkdtempSync(join(tmpdir(), `opensync-bench-${name}-`))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * Server configuration for a benchmark: loopback, a free port, no logging. The per-key rate
 * limit is off so that the benchmark measures the work, not 429s.
 * @param {string} dataDir
 */
export function benchConfig(dataDir) {
  return loadConfig({
    OPENSYNC_DATA_DIR: dataDir,
    OPENSYNC_HOST: '127.0.0.1',
    OPENSYNC_PORT: '0',
    OPENSYNC_LOG_LEVEL: 'silent',
    OPENSYNC_RATE_LIMIT: '0',
  })
}

/**
 * @typedef {object} Summary
 * @property {number} n
 * @property {number} p50
 * @property {number} p95
 * @property {number} p99
 * @property {number} mean
 * @property {number} min
 * @property {number} max
 */

/**
 * Percentiles (nearest rank) of durations in ms.
 * @param {readonly number[]} samples
 * @returns {Summary}
 */
export function summarize(samples) {
  const s = [...samples].sort((a, b) => a - b)
  const at = (/** @type {number} */ p) =>
    s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1)
  return {
    n: s.length,
    p50: round(at(50)),
    p95: round(at(95)),
    p99: round(at(99)),
    mean: round(mean),
    min: round(s[0] ?? Number.NaN),
    max: round(s[s.length - 1] ?? Number.NaN),
  }
}

/**
 * @param {number} x
 * @param {number} [digits]
 */
export function round(x, digits = 2) {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

/**
 * Prints rows as an aligned text table.
 * @param {readonly string[]} header
 * @param {ReadonlyArray<ReadonlyArray<string | number>>} rows
 */
export function printTable(header, rows) {
  const cells = [header, ...rows.map((r) => r.map((c) => String(c)))]
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)))
  const line = (/** @type {readonly string[]} */ r) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
  console.log(line(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const r of cells.slice(1)) console.log(line(r))
}

/**
 * Milliseconds as a short human figure.
 * @param {number} ms
 */
export function fmtMs(ms) {
  if (!Number.isFinite(ms)) return '-'
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`
  if (ms >= 100) return `${ms.toFixed(0)} ms`
  if (ms >= 10) return `${ms.toFixed(1)} ms`
  return `${ms.toFixed(2)} ms`
}

/**
 * @param {number} n
 */
export function fmtInt(n) {
  return Math.round(n).toLocaleString('en-US')
}

/**
 * A progress line on stderr (kept out of the tables on stdout).
 * @param {string} text
 */
export function progress(text) {
  process.stderr.write(`  … ${text}\n`)
}

/**
 * A JSON-over-HTTP client with keep-alive (Node's fetch reuses connections).
 * @param {string} baseUrl
 * @param {string} key
 */
export function client(baseUrl, key) {
  const auth = { authorization: `Bearer ${key}` }
  return {
    /**
     * @param {string} path
     * @returns {Promise<{ status: number, body: any }>}
     */
    async get(path) {
      const res = await fetch(baseUrl + path, { headers: auth })
      const body = await res.json()
      return { status: res.status, body }
    },
    /**
     * @param {string} path
     * @param {string} body JSON text
     * @returns {Promise<{ status: number, body: any }>}
     */
    async post(path, body) {
      const res = await fetch(baseUrl + path, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body,
      })
      return { status: res.status, body: await res.json() }
    },
  }
}

/**
 * Times `fn` once, in ms.
 * @param {() => Promise<unknown>} fn
 */
export async function timed(fn) {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}

/**
 * @typedef {object} ServerUsage
 * @property {number} cpuUserMs CPU time of the server process while it served the benchmark
 * @property {number} cpuSystemMs
 * @property {number} rssMB
 * @property {number} maxRssMB
 */

/**
 * Starts the real server (`startServer`) in a child process on 127.0.0.1:0 with a fresh API
 * key. `BENCH_SERVER_CPU_PROF=<dir>` writes a `--cpu-prof` profile of the server there.
 * @param {string} dataDir
 * @returns {Promise<{ url: string, key: string, close(): Promise<ServerUsage> }>}
 */
export async function spawnServer(dataDir) {
  const profDir = process.env.BENCH_SERVER_CPU_PROF
  if (profDir) mkdirSync(profDir, { recursive: true })
  const child = fork(new URL('./server-child.js', import.meta.url), [dataDir], {
    execArgv: profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  /** @type {{ url: string, key: string }} */
  const ready = await new Promise((resolve, reject) => {
    child.once('message', resolve)
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)))
  })
  child.removeAllListeners('exit')
  return {
    url: ready.url,
    key: ready.key,
    async close() {
      /** @type {Promise<ServerUsage>} */
      const usage = new Promise((resolve) => child.once('message', resolve))
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.send({ type: 'close' })
      const u = await usage
      await exited
      return u
    },
  }
}
