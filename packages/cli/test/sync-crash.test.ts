/**
 * Nothing is lost, nothing is duplicated: the BUILT CLI (`dist/main.js sync`) is SIGKILLed half
 * way, or loses its server half way, and a later `sync` completes the upload exactly.
 * Batches are kept small (OPENSYNC_SYNC_BATCH_ITEMS) so that a run spans many of them.
 */
import { rmSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, runCli, startCli } from './support/cli-process.js'
import { type FakeHome, makeFakeHome } from './support/fake-home.js'
import { readerTotals, type Totals } from './support/reader-totals.js'
import { bootServer, type TestServer } from './support/test-server.js'

const TIMEOUT = 60_000

async function expectServerTotals(server: TestServer, expected: Totals) {
  const stats = await server.stats()
  expect(stats.sessionCount).toBe(expected.sessions)
  expect(stats.messageCount).toBe(expected.messages)
  expect(stats.tokens).toEqual(expected.tokens)
}

describe('the built CLI, interrupted', () => {
  let home: FakeHome
  let server: TestServer
  let expected: Totals
  let env: Record<string, string>

  beforeAll(async () => {
    assertBuilt()
  })

  async function fresh() {
    home = makeFakeHome()
    server = await bootServer(await mkdtemp(join(tmpdir(), 'opensync-data-')))
    expected = await readerTotals(home.env)
    env = {
      ...home.env,
      OPENSYNC_URL: server.url,
      OPENSYNC_API_KEY: server.key,
      OPENSYNC_SYNC_BATCH_ITEMS: '20',
      OPENSYNC_SYNC_MAX_ATTEMPTS: '3',
      OPENSYNC_SYNC_BACKOFF_MS: '5',
    }
  }

  afterAll(async () => {
    await server?.stop()
    home?.close()
  })

  async function cleanup() {
    await server.stop()
    home.close()
    rmSync(home.root, { recursive: true, force: true })
    rmSync(server.dataDir, { recursive: true, force: true })
  }

  it('loses and duplicates nothing when SIGKILLed after its first batch', {
    timeout: TIMEOUT,
  }, async () => {
    await fresh()
    const run = startCli(['sync', '--all'], env)
    // Inside the request that ingested batch 1, before the CLI gets its answer.
    server.onBatch((count) => {
      if (count === 1) run.child.kill('SIGKILL')
    })
    const killed = await run.done
    expect(killed.signal).toBe('SIGKILL')
    const partial = await server.stats()
    expect(partial.messageCount).toBeGreaterThan(0)
    expect(partial.messageCount).toBeLessThan(expected.messages)

    const second = await runCli(['sync', '--json'], env)
    expect(second.stderr).toBe('')
    expect(second.code).toBe(0)
    const summary = JSON.parse(second.stdout)
    expect(summary.queueLeft).toEqual({ batches: 0, items: 0 })
    await expectServerTotals(server, expected)

    // And a third run has nothing left to do.
    const batches = server.batches
    const third = await runCli(['sync', '--json'], env)
    expect(third.code).toBe(0)
    expect(JSON.parse(third.stdout).sources.read).toBe(0)
    expect(server.batches).toBe(batches)
    await cleanup()
  })

  it('keeps the data when the server stops half way, and sends it once when it is back', {
    timeout: TIMEOUT,
  }, async () => {
    await fresh()
    server.onBatch((count) => {
      if (count === 1) void server.stop()
    })
    const first = await runCli(['sync', '--all'], env)
    expect(first.code).toBe(75)
    expect(first.stderr).toContain(`no OpenSync server at ${server.url} — is it running?`)
    expect(first.stdout).toMatch(/queue left: \d+ batches/)

    await server.start()
    const partial = await server.stats()
    expect(partial.messageCount).toBeLessThan(expected.messages)

    const second = await runCli(['sync', '--json'], env)
    expect(second.code).toBe(0)
    const summary = JSON.parse(second.stdout)
    expect(summary.sources.read).toBe(0)
    expect(summary.uploaded.batches).toBeGreaterThan(0)
    expect(summary.queueLeft).toEqual({ batches: 0, items: 0 })
    await expectServerTotals(server, expected)
    await cleanup()
  })

  it('ends with a clear message and exit 1 when the server refuses a batch for good', {
    timeout: TIMEOUT,
  }, async () => {
    home = makeFakeHome({ claude: false, opencode: false })
    server = await bootServer(await mkdtemp(join(tmpdir(), 'opensync-data-')), {
      OPENSYNC_MAX_BATCH_ITEMS: '5',
    })
    env = {
      ...home.env,
      OPENSYNC_URL: server.url,
      OPENSYNC_API_KEY: server.key,
      OPENSYNC_SYNC_BATCH_ITEMS: '10',
    }
    const result = await runCli(['sync'], env)
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(
      /the server refused \d+ items for good \(batch-too-large: .*at most 5 items/,
    )
    expect(result.stderr).toContain('~/.opensync/queue/dead-letter.jsonl')
    expect(result.stdout).toContain('queue empty')
    await cleanup()
  })
})
