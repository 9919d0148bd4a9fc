/**
 * The sync engine against a real server (SQLite in a temp dir, a real port) and real agent
 * files laid out as the agents write them (Claude Code, pi, OpenCode's databases and JSON tree).
 * Expected totals come from running the readers directly.
 */
import { readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appendLines, assistantLine, userLine, writeLines } from './support/claude-lines.js'
import { type FakeHome, makeFakeHome } from './support/fake-home.js'
import { syncOnce } from './support/in-process.js'
import { readerTotals, type Totals } from './support/reader-totals.js'
import { bootServer, type TestServer } from './support/test-server.js'

type SessionList = { sessions: { externalId: string; source: string }[]; total: number }

const cleanups: (() => Promise<void> | void)[] = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

async function setup(
  options: Parameters<typeof makeFakeHome>[0] = {},
  serverEnv: Record<string, string> = {},
) {
  const home = makeFakeHome(options)
  const server = await bootServer(await mkdtemp(join(tmpdir(), 'opensync-data-')), serverEnv)
  cleanups.push(async () => {
    await server.stop()
    home.close()
    rmSync(home.root, { recursive: true, force: true })
    rmSync(server.dataDir, { recursive: true, force: true })
  })
  return { home, server }
}

async function expectServerTotals(server: TestServer, expected: Totals) {
  const stats = await server.stats()
  expect(stats.sessionCount).toBe(expected.sessions)
  expect(stats.messageCount).toBe(expected.messages)
  expect(stats.tokens).toEqual(expected.tokens)
  const list = await server.api<SessionList>('/api/sessions?limit=1')
  expect(list.total).toBe(expected.sessions)
}

function stateOf(home: FakeHome) {
  return JSON.parse(readFileSync(join(home.home, '.opensync', 'state', 'state.json'), 'utf8')) as {
    sources: Record<string, { fingerprint: unknown; sessions: Record<string, unknown> }>
  }
}

describe('sync --all, then sync again', () => {
  let home: FakeHome
  let server: TestServer
  let expected: Totals

  beforeAll(async () => {
    ;({ home, server } = await setup())
    expected = await readerTotals(home.env)
  })

  it('sends every session, message and token bucket exactly once', async () => {
    // The fixture set is worth testing only if every agent contributed.
    expect(expected.sessions).toBeGreaterThan(20)
    const summary = await syncOnce(home.env, server, { mode: 'all' })
    expect(summary.stopped).toBeNull()
    expect(summary.dead.items).toBe(0)
    expect(summary.queueLeft).toEqual({ batches: 0, items: 0 })
    expect(summary.queued.messages).toBe(expected.messages)
    expect(Object.keys(summary.agents)).toEqual(
      expect.arrayContaining(['claude-code', 'pi', 'opencode']),
    )
    for (const id of ['claude-code', 'pi', 'opencode']) {
      expect(summary.agents[id]?.sessions, id).toBeGreaterThan(0)
    }
    await expectServerTotals(server, expected)
  })

  it('reads and sends nothing when nothing changed', async () => {
    const batches = server.batches
    const summary = await syncOnce(home.env, server)
    expect(server.batches).toBe(batches)
    expect(summary.sources.read).toBe(0)
    expect(summary.sources.unchanged).toBe(summary.sources.found)
    expect(summary.queued).toEqual({ sessions: 0, sessionItems: 0, messages: 0, batches: 0 })
    const state = stateOf(home)
    expect(Object.keys(state.sources)).toHaveLength(summary.sources.found)
    for (const source of Object.values(state.sources)) expect(source.fingerprint).not.toBeNull()
    await expectServerTotals(server, expected)
  })

  it('sends only the new message of a Claude Code file that grew', async () => {
    const file = join(home.claudeProjects, '-home-marco-projects-spotter', 'short.jsonl')
    const sessionId = '55604662-cf2a-4331-851a-ec234028f8ca'
    appendLines(file, [
      userLine(sessionId, 'added-0001', null, '2026-02-11T10:00:00.000Z', 'one more question'),
    ])
    const batches = server.batches
    const summary = await syncOnce(home.env, server)
    expect(summary.sources.read).toBe(1)
    expect(summary.queued.messages).toBe(1)
    expect(server.batches).toBe(batches + 1)
    await expectServerTotals(server, await readerTotals(home.env))
  })

  it('picks up an OpenCode turn that only grew the -wal', async () => {
    const writer = home.opencodeWriter
    if (!writer) throw new Error('no OpenCode writer')
    const db = join(home.opencodeDir, 'opencode.db')
    const dbSize = statSync(db).size
    const row = writer
      .prepare('SELECT * FROM message ORDER BY time_created DESC LIMIT 1')
      .get() as {
      session_id: string
      time_created: number
      data: string
    }
    const at = row.time_created + 60_000
    const data = JSON.stringify({ ...JSON.parse(row.data), role: 'user', time: { created: at } })
    writer
      .prepare(
        'INSERT INTO message (id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?)',
      )
      .run('msg_zz_added_by_test', row.session_id, at, at, data)
    writer
      .prepare(
        'INSERT INTO part (id, message_id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        'prt_zz_added_by_test',
        'msg_zz_added_by_test',
        row.session_id,
        at,
        at,
        JSON.stringify({ type: 'text', text: 'a new turn, only in the WAL' }),
      )
    expect(statSync(db).size).toBe(dbSize)

    const summary = await syncOnce(home.env, server)
    expect(summary.sources.read).toBe(1)
    expect(summary.agents.opencode?.read).toBe(1)
    expect(summary.queued.messages).toBe(1)
    await expectServerTotals(server, await readerTotals(home.env))
  })

  it('reads a rewritten file but sends nothing when its content is the same', async () => {
    const dir = join(home.piSessions, '--work-synthetic--')
    const file = join(dir, readdirSync(dir).sort()[0] as string)
    writeFileSync(file, readFileSync(file))
    const later = new Date(Date.now() + 5_000)
    utimesSync(file, later, later)
    const batches = server.batches
    const summary = await syncOnce(home.env, server)
    expect(summary.sources.read).toBe(1)
    expect(summary.queued.messages).toBe(0)
    expect(server.batches).toBe(batches)
  })

  it('re-sends everything with --force, changing nothing on the server', async () => {
    const before = await readerTotals(home.env)
    const summary = await syncOnce(home.env, server, { mode: 'force' })
    expect(summary.queued.messages).toBe(before.messages)
    await expectServerTotals(server, before)
  })
})

describe('selecting what to sync', () => {
  it('sends nothing with --dry-run, and says what it would send', async () => {
    const { home, server } = await setup()
    const expected = await readerTotals(home.env)
    const summary = await syncOnce(home.env, server, { mode: 'all', dryRun: true })
    expect(summary.dryRun).toBe(true)
    expect(summary.queued.messages).toBe(expected.messages)
    expect(summary.queued.sessions).toBe(expected.sessions)
    expect(server.batches).toBe(0)
    expect((await server.stats()).sessionCount).toBe(0)
    // Nothing tracked: the real run after it still sends everything.
    const real = await syncOnce(home.env, server)
    expect(real.queued.messages).toBe(expected.messages)
    await expectServerTotals(server, expected)
  })

  it('sends only the agents --agent names (aliases accepted)', async () => {
    const { home, server } = await setup()
    const summary = await syncOnce(home.env, server, { flags: { agents: ['pi'] } })
    expect(Object.keys(summary.agents)).toEqual(['pi'])
    await expectServerTotals(server, await readerTotals(home.env, ['pi']))
    const list = await server.api<SessionList>('/api/sessions?limit=200')
    expect(new Set(list.sessions.map((s) => s.source))).toEqual(new Set(['pi']))

    await syncOnce(home.env, server, { flags: { agents: ['claude'] } })
    await expectServerTotals(server, await readerTotals(home.env, ['pi', 'claude-code']))
  })

  it('sends at most N sessions with --limit, and the rest on the next sync', async () => {
    const { home, server } = await setup()
    const summary = await syncOnce(home.env, server, { limit: 2 })
    expect(summary.queued.sessions).toBe(2)
    expect((await server.stats()).sessionCount).toBe(2)
    const rest = await syncOnce(home.env, server)
    expect(rest.queued.sessions).toBe((await readerTotals(home.env)).sessions - 2)
    await expectServerTotals(server, await readerTotals(home.env))
  })

  it('sends only sessions active since --since, and the older ones later', async () => {
    const { home, server } = await setup()
    const activity = await sessionActivities(home.env)
    const times = [...activity.values()].filter((t) => t !== null).sort((a, b) => a - b)
    const since = times[Math.floor(times.length / 2)] as number
    const wanted = [...activity].filter(([, t]) => t !== null && t >= since).map(([id]) => id)
    expect(wanted.length).toBeGreaterThan(2)
    expect(wanted.length).toBeLessThan(activity.size)

    await syncOnce(home.env, server, { since })
    const list = await server.api<SessionList>('/api/sessions?limit=200')
    expect(list.sessions.map((s) => s.externalId).sort()).toEqual(wanted.sort())

    await syncOnce(home.env, server)
    await expectServerTotals(server, await readerTotals(home.env))
  })
})

/** Each session's last activity (end, else newest message, else start), from the readers. */
async function sessionActivities(env: Record<string, string>) {
  const { READERS } = await import('@opensync/agents')
  const out = new Map<string, number | null>()
  for (const reader of READERS) {
    for await (const source of reader.discover(env)) {
      for (const s of (await reader.read(source)).sessions) {
        const newest = s.messages.reduce<number | null>(
          (max, m) => (m.createdAt === null ? max : Math.max(max ?? 0, m.createdAt)),
          null,
        )
        out.set(s.externalId, s.endedAt ?? newest ?? s.startedAt)
      }
    }
  }
  return out
}

describe('what is sent', () => {
  it('leaves out thinking and tool calls when syncThinking and syncToolCalls are off', async () => {
    const { home, server } = await setup({ pi: false, opencode: false })
    const summary = await syncOnce(home.env, server, {
      flags: { syncThinking: false, syncToolCalls: false, machine: 'test-box' },
    })
    expect(summary.queued.sessions).toBeGreaterThan(0)
    const list = await server.api<SessionList & { sessions: { machine: string }[] }>(
      '/api/sessions?limit=200',
    )
    expect(new Set(list.sessions.map((s) => s.machine))).toEqual(new Set(['test-box']))
    const types = new Set<string>()
    for (const s of list.sessions) {
      const detail = await server.api<{ messages: { parts: { type: string }[] }[] }>(
        `/api/sessions/get?id=${s.externalId}&limit=200`,
      )
      for (const m of detail.messages) for (const p of m.parts) types.add(p.type)
    }
    expect(types.has('text')).toBe(true)
    for (const dropped of ['reasoning', 'tool-call', 'tool-result'])
      expect(types.has(dropped)).toBe(false)
  })
})

describe('secrets', () => {
  it('redacts a token in tool output before it leaves the machine', async () => {
    const { home, server } = await setup({ pi: false, opencode: false })
    const secret = `ghp_${'Zq8Xw2Lr5Tn9Vb3Mk7Hj4Gf6Dc1Sa0PeYuIoT'.slice(0, 36)}`
    expect(secret).toHaveLength(40)
    const sessionId = 'secret00-0000-4000-8000-000000000001'
    const file = join(home.claudeProjects, '-home-dev-projects-demo', `${sessionId}.jsonl`)
    writeLines(file, [
      userLine(sessionId, 'u1', null, '2026-03-01T10:00:00.000Z', 'print my git credentials'),
      assistantLine(sessionId, 'a1', 'u1', '2026-03-01T10:00:01.000Z', 'msg_secret_1', [
        {
          type: 'tool_use',
          id: 'toolu_secret',
          name: 'Bash',
          input: { command: 'cat ~/.git-credentials' },
        },
      ]),
      userLine(sessionId, 'u2', 'a1', '2026-03-01T10:00:02.000Z', [
        {
          type: 'tool_result',
          tool_use_id: 'toolu_secret',
          content: `https://dev:${secret}@github.com`,
          is_error: false,
        },
      ]),
      assistantLine(sessionId, 'a2', 'u2', '2026-03-01T10:00:03.000Z', 'msg_secret_2', [
        { type: 'text', text: `Your token is ${secret}.` },
      ]),
    ])
    const summary = await syncOnce(home.env, server)
    expect(summary.redactions).toBeGreaterThanOrEqual(2)

    const tail = secret.slice(4)
    const search = await server.api<{ results: unknown[] }>(`/api/search?q=${tail}&scope=messages`)
    expect(search.results).toEqual([])
    const detail = await server.api<{ messages: { textContent: string; parts: unknown[] }[] }>(
      `/api/sessions/get?id=${sessionId}`,
    )
    const stored = JSON.stringify(detail)
    expect(stored).not.toContain(tail)
    expect(stored).toContain('[REDACTED:')
    const texts = detail.messages.map((m) => m.textContent).join('\n')
    expect(texts).toMatch(/Your token is \[REDACTED:[a-z-]+\]/)
  })
})

describe('when the server refuses or is away', () => {
  it('moves a batch the server refuses for good to the dead-letter file, and does not loop', async () => {
    // A real 413: this server accepts at most 5 items per batch.
    const { home, server } = await setup(
      { claude: false, opencode: false },
      {
        OPENSYNC_MAX_BATCH_ITEMS: '5',
      },
    )
    const summary = await syncOnce(home.env, server, {
      extraEnv: { OPENSYNC_SYNC_BATCH_ITEMS: '6' },
    })
    const expected = await readerTotals(home.env)
    const items = expected.sessions + expected.messages
    // Full batches of 6 are refused; the last one (items % 6 ≤ 5) gets through.
    expect(summary.dead.items).toBe(items - (items % 6))
    expect(summary.uploaded.batches).toBe(items % 6 === 0 ? 0 : 1)
    expect(summary.dead.reasons.join()).toContain('batch-too-large')
    expect(summary.queueLeft.batches).toBe(0)
    const lines = readFileSync(summary.dead.file, 'utf8').trim().split('\n')
    expect(lines).toHaveLength(Math.floor(items / 6))
    const first = JSON.parse(lines[0] as string)
    expect(first).toMatchObject({ status: 413, code: 'batch-too-large' })
    expect(first.error).toMatch(/at most 5 items/)
    expect(first.sessions.length + first.messages.length).toBe(6)
    // Nothing is retried: the next sync has nothing to send.
    const batches = server.batches
    const again = await syncOnce(home.env, server)
    expect(again.queueLeft.batches).toBe(0)
    expect(again.uploaded.batches).toBe(0)
    expect(server.batches).toBe(batches)
  })

  it('keeps everything queued while the server is down and sends it once it is back', async () => {
    const { home, server } = await setup()
    await server.stop()
    const expected = await readerTotals(home.env)
    const summary = await syncOnce(home.env, server, {
      extraEnv: { OPENSYNC_SYNC_MAX_ATTEMPTS: '2', OPENSYNC_SYNC_BACKOFF_MS: '1' },
    })
    expect(summary.stopped?.code).toBe('connection-refused')
    expect(summary.stopped?.message).toBe(`no OpenSync server at ${server.url} — is it running?`)
    expect(summary.queueLeft.items).toBe(expected.sessions + expected.messages)

    await server.start()
    const after = await syncOnce(home.env, server)
    expect(after.sources.read).toBe(0)
    expect(after.uploaded.messages).toBe(expected.messages)
    expect(after.queueLeft.batches).toBe(0)
    await expectServerTotals(server, expected)
  })
})
