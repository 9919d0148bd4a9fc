/**
 * The built CLI's account and config commands against a real server, each run as a child
 * process with a throwaway HOME (login, status, config, set, logout, verify, synctest, watch).
 */

import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { type AddressInfo, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appendLines, userLine } from './support/claude-lines.js'
import { assertBuilt, runCli, startCli } from './support/cli-process.js'
import { type FakeHome, makeFakeHome } from './support/fake-home.js'
import { readerTotals } from './support/reader-totals.js'
import { bootServer, type TestServer } from './support/test-server.js'

const TIMEOUT = 60_000

describe('account and config commands', () => {
  let home: FakeHome
  let server: TestServer
  let env: Record<string, string>
  const credentials = () => join(home.home, '.opensync', 'credentials.json')

  beforeAll(async () => {
    assertBuilt()
    home = makeFakeHome({ opencode: false })
    server = await bootServer(await mkdtemp(join(tmpdir(), 'opensync-data-')))
    env = home.env
  })

  afterAll(async () => {
    await server.stop()
    home.close()
    rmSync(home.root, { recursive: true, force: true })
    rmSync(server.dataDir, { recursive: true, force: true })
  })

  it('refuses to sync before login', { timeout: TIMEOUT }, async () => {
    const result = await runCli(['sync'], env)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('not logged in')
    expect(result.stderr).toContain('opensync login')
  })

  it('logs in with --url and --api-key, storing the credentials 0600', {
    timeout: TIMEOUT,
  }, async () => {
    const result = await runCli(['login', '--url', `${server.url}/`, '--api-key', server.key], env)
    expect(result.stderr).toContain('✓ OpenSync')
    expect(result.stderr).toContain('accepted')
    expect(result.code).toBe(0)
    expect(JSON.parse(readFileSync(credentials(), 'utf8'))).toEqual({
      url: server.url,
      apiKey: server.key,
    })
    expect(statSync(credentials()).mode & 0o777).toBe(0o600)
  })

  it('refuses a key the server does not know, and stores nothing', {
    timeout: TIMEOUT,
  }, async () => {
    const other = { ...env, HOME: join(home.root, 'other-home') }
    mkdirSync(other.HOME, { recursive: true })
    const result = await runCli(
      ['login', '--url', server.url, '--api-key', `os_${'x'.repeat(40)}`],
      other,
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/401/)
    expect(() => statSync(join(other.HOME, '.opensync', 'credentials.json'))).toThrow()
  })

  it('names the URL when no server answers there', { timeout: TIMEOUT }, async () => {
    const url = `http://127.0.0.1:${await closedPort()}`
    const result = await runCli(['login', '--url', url, '--api-key', server.key], env)
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain(`no OpenSync server at ${url} — is it running?`)
  })

  it('reports the connection with status', { timeout: TIMEOUT }, async () => {
    const result = await runCli(['status', '--json'], env)
    expect(result.code).toBe(0)
    const status = JSON.parse(result.stdout)
    expect(status).toMatchObject({
      ok: true,
      url: server.url,
      server: { ok: true },
      auth: { ok: true },
    })
    expect(status.apiKey).not.toContain(server.key.slice(8))
  })

  it('reads credentials in the legacy field names and lets env override them', {
    timeout: TIMEOUT,
  }, async () => {
    const saved = readFileSync(credentials(), 'utf8')
    writeFileSync(credentials(), JSON.stringify({ convexUrl: server.url, apiKey: server.key }))
    expect((await runCli(['status'], env)).code).toBe(0)
    const nowhere = `http://127.0.0.1:${await closedPort()}`
    writeFileSync(credentials(), JSON.stringify({ pocketbaseUrl: nowhere, apiKey: server.key }))
    expect((await runCli(['status'], env)).code).toBe(1)
    const overridden = await runCli(['config', '--json'], { ...env, OPENSYNC_URL: server.url })
    expect(JSON.parse(overridden.stdout).credentials).toMatchObject({
      url: server.url,
      urlFrom: 'env',
    })
    writeFileSync(credentials(), saved)
  })

  it('applies config precedence: flag > env > project > user > default', {
    timeout: TIMEOUT,
  }, async () => {
    const show = async (extraEnv: Record<string, string> = {}, cwd?: string) => {
      const result = await runCli(['config', '--json'], { ...env, ...extraEnv }, cwd)
      expect(result.code).toBe(0)
      return JSON.parse(result.stdout) as {
        config: Record<string, unknown>
        origins: Record<string, string>
      }
    }
    let shown = await show()
    expect(shown.config).toMatchObject({
      syncThinking: true,
      syncToolCalls: true,
      redact: true,
      agents: null,
    })
    expect(shown.origins.syncThinking).toBe('default')

    expect((await runCli(['set', 'syncThinking', 'false'], env)).code).toBe(0)
    expect((await runCli(['set', 'agents', 'claude,pi'], env)).code).toBe(0)
    shown = await show()
    expect(shown.config).toMatchObject({ syncThinking: false, agents: ['claude-code', 'pi'] })
    expect(shown.origins).toMatchObject({ syncThinking: 'user', agents: 'user' })

    const project = join(home.root, 'project')
    mkdirSync(join(project, '.opensync'), { recursive: true })
    writeFileSync(
      join(project, '.opensync', 'config.json'),
      JSON.stringify({ syncThinking: true, machine: 'ci-box' }),
    )
    shown = await show({}, project)
    expect(shown.config).toMatchObject({ syncThinking: true, machine: 'ci-box' })
    expect(shown.origins).toMatchObject({ syncThinking: 'project', machine: 'project' })

    shown = await show({ OPENSYNC_SYNC_THINKING: 'false', OPENSYNC_MACHINE: 'env-box' }, project)
    expect(shown.config).toMatchObject({ syncThinking: false, machine: 'env-box' })
    expect(shown.origins.syncThinking).toBe('env')

    const bad = await runCli(['set', 'redact', 'maybe'], env)
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('redact must be true or false')
    expect((await runCli(['set', 'agents', 'all'], env)).code).toBe(0)
    expect((await runCli(['set', 'syncThinking', 'true'], env)).code).toBe(0)
  })

  it('verifies credentials, connection and the sessions of each agent', {
    timeout: TIMEOUT,
  }, async () => {
    const result = await runCli(['verify', '--json'], env)
    expect(result.code).toBe(0)
    const report = JSON.parse(result.stdout) as {
      ok: boolean
      agents: { id: string; sources: number; sessions: number; roots: { exists: boolean }[] }[]
    }
    expect(report.ok).toBe(true)
    const byId = new Map(report.agents.map((a) => [a.id, a]))
    expect(byId.get('claude-code')?.sessions).toBe(
      (await readerTotals(env, ['claude-code'])).sessions,
    )
    expect(byId.get('pi')?.sessions).toBe((await readerTotals(env, ['pi'])).sessions)
    expect(byId.get('opencode')).toMatchObject({ sources: 0, sessions: 0 })
  })

  it('runs synctest: health, auth, one session with one message', {
    timeout: TIMEOUT,
  }, async () => {
    const result = await runCli(['synctest'], env)
    expect(result.stderr).toContain('✓ health')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Sync test passed.')
    const list = await server.api<{ sessions: { externalId: string; messageCount: number }[] }>(
      '/api/sessions?source=opensync-synctest',
    )
    expect(list.sessions).toHaveLength(1)
    expect(list.sessions[0]?.messageCount).toBe(1)
  })

  it('watches: syncs what is there, then a new message within the polling interval', {
    timeout: TIMEOUT,
  }, async () => {
    const watch = startCli(['watch'], { ...env, OPENSYNC_WATCH_INTERVAL_MS: '100' })
    const expected = await readerTotals(env)
    await until(async () => (await server.stats()).messageCount >= expected.messages + 1)
    const sessionId = '55604662-cf2a-4331-851a-ec234028f8ca'
    const file = join(home.claudeProjects, '-home-marco-projects-spotter', 'short.jsonl')
    appendLines(file, [
      userLine(sessionId, 'watched-0001', null, '2026-02-12T09:00:00.000Z', 'are you watching?'),
    ])
    await until(async () => (await server.stats()).messageCount >= expected.messages + 2)
    // One writer per home: a sync while watch runs is refused, not interleaved.
    const concurrent = await runCli(['sync'], env)
    expect(concurrent.code).toBe(1)
    expect(concurrent.stderr).toContain(`another opensync sync or watch (pid ${watch.child.pid})`)
    watch.child.kill('SIGTERM')
    const result = await watch.done
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('queue empty')
    const stats = await server.stats()
    // The fixtures, synctest's message, and the one appended while watching.
    expect(stats.messageCount).toBe(expected.messages + 2)
  })

  it('logs out, after which status fails', { timeout: TIMEOUT }, async () => {
    const result = await runCli(['logout'], env)
    expect(result.code).toBe(0)
    expect(() => statSync(credentials())).toThrow()
    const status = await runCli(['status'], env)
    expect(status.code).toBe(1)
    expect(status.stdout).toContain('opensync login')
  })

  it('prints its version and help', { timeout: TIMEOUT }, async () => {
    const version = await runCli(['version'], env)
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
    const help = await runCli(['help'], env)
    for (const command of [
      'login',
      'logout',
      'status',
      'verify',
      'config',
      'set',
      'sync',
      'synctest',
      'watch',
    ]) {
      expect(help.stdout).toContain(`opensync ${command}`)
    }
    const bad = await runCli(['sync', '--nope'], env)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain("Unknown option '--nope'")
  })
})

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Polls until `check` holds (the assertion is the condition, not the time it took). */
async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
