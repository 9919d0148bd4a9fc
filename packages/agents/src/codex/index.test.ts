import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { SessionSource } from '../reader.js'
import { codexReader, discoverRollouts } from './index.js'

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/codex/', import.meta.url))
const ONE = 'rollout-2026-01-02T03-04-05-11111111-1111-4111-8111-111111111111.jsonl'
const TWO = 'rollout-2026-01-03T04-05-06-22222222-2222-4222-8222-222222222222.jsonl'
const LOCALPUSH = 'rollout-2026-02-23T13-19-38-019c8a70-dda7-7f33-98ea-f30553347322.jsonl'

/** A fake Codex home: dated sessions, an old flat one, archived ones, and files to skip. */
function fakeCodexHome(home: string): string {
  const codex = join(home, '.codex')
  const day = join(codex, 'sessions', '2026', '01', '02')
  mkdirSync(day, { recursive: true })
  copyFileSync(join(FIXTURES, 'claude-code-log-synthetic/sessions/2026/01/02', ONE), join(day, ONE))
  writeFileSync(join(day, 'notes.txt'), 'not a rollout')
  writeFileSync(join(day, 'history.jsonl'), '{}\n')
  // Old builds: flat sessions/rollout-<uuid>.jsonl.
  copyFileSync(
    join(FIXTURES, 'localpush-0.104.0-alpha.1', LOCALPUSH),
    join(codex, 'sessions', 'rollout-019c8a70-dda7-7f33-98ea-f30553347322.jsonl'),
  )
  const archived = join(codex, 'archived_sessions')
  mkdirSync(archived, { recursive: true })
  copyFileSync(
    join(FIXTURES, 'claude-code-log-synthetic/sessions/2026/01/03', TWO),
    join(archived, TWO),
  )
  // The same rollout also still active: sessions/ wins.
  copyFileSync(join(day, ONE), join(archived, ONE))
  writeFileSync(join(codex, 'history.jsonl'), '{}\n')
  // §2 pitfall 6: the fast/priority tier lives only here, never in a rollout line.
  writeFileSync(join(codex, 'config.toml'), 'model = "gpt-5-codex"\nservice_tier = "fast"\n')
  return codex
}

async function collect(home: string) {
  const out: string[] = []
  for await (const path of discoverRollouts(home)) out.push(path)
  return out
}

describe('discoverRollouts', () => {
  it('finds dated, flat and archived rollouts; an archived copy of an active one is skipped', async () => {
    const codex = fakeCodexHome(mkdtempSync(join(tmpdir(), 'codex-home-')))
    expect(await collect(codex)).toEqual([
      join(codex, 'sessions', '2026', '01', '02', ONE),
      join(codex, 'sessions', 'rollout-019c8a70-dda7-7f33-98ea-f30553347322.jsonl'),
      join(codex, 'archived_sessions', TWO),
    ])
  })
})

async function discover(env: Record<string, string>) {
  const out: SessionSource[] = []
  for await (const source of codexReader.discover(env)) out.push(source)
  return out
}

describe('codexReader', () => {
  it('is the codex-cli reader', () => {
    expect([codexReader.id, codexReader.displayName]).toEqual(['codex-cli', 'Codex CLI'])
  })

  it('discovers sessions/ and archived_sessions/ under a fake HOME and reads them', async () => {
    const home = mkdtempSync(join(tmpdir(), 'codex-fake-home-'))
    const codex = fakeCodexHome(home)
    expect(codexReader.roots({ HOME: home })).toEqual([codex])
    const sources = await discover({ HOME: home })
    expect(sources.map((s) => [s.agent, s.kind, s.path.slice(codex.length + 1)])).toEqual([
      [
        'codex-cli',
        'file',
        join(
          'sessions',
          '2026',
          '01',
          '02',
          'rollout-2026-01-02T03-04-05-11111111-1111-4111-8111-111111111111.jsonl',
        ),
      ],
      ['codex-cli', 'file', join('sessions', 'rollout-019c8a70-dda7-7f33-98ea-f30553347322.jsonl')],
      [
        'codex-cli',
        'file',
        join(
          'archived_sessions',
          'rollout-2026-01-03T04-05-06-22222222-2222-4222-8222-222222222222.jsonl',
        ),
      ],
    ])
    const read = await Promise.all(sources.map((s) => codexReader.read(s)))
    expect(read.map((r) => r.sessions.map((s) => s.externalId))).toEqual([
      ['11111111-1111-4111-8111-111111111111'],
      ['019c8a70-dda7-7f33-98ea-f30553347322'],
      ['22222222-2222-4222-8222-222222222222'],
    ])
    // config.toml (service_tier = "fast") is not a source and changes no number: usage is the
    // file's raw tokens; any fast-mode multiplier belongs to pricing (§2 pitfall 6).
    expect(read[1]?.sessions[0]?.messages.flatMap((m) => (m.usage ? [m.usage] : []))).toEqual([
      {
        input: 31013,
        output: 431,
        cacheRead: 3456,
        cacheWrite5m: 0,
        cacheWrite1h: 0,
        reasoning: 264,
      },
    ])
  })

  it('CODEX_HOME wins over HOME', async () => {
    const home = mkdtempSync(join(tmpdir(), 'codex-fake-home-'))
    fakeCodexHome(home)
    const other = mkdtempSync(join(tmpdir(), 'codex-other-'))
    const codexHome = fakeCodexHome(other)
    expect(codexReader.roots({ HOME: home, CODEX_HOME: codexHome })).toEqual([codexHome])
    const sources = await discover({ HOME: home, CODEX_HOME: codexHome })
    expect(sources).toHaveLength(3)
    expect(sources.every((s) => s.path.startsWith(codexHome))).toBe(true)
    // A CODEX_HOME with nothing in it: nothing, no throw.
    expect(await discover({ HOME: home, CODEX_HOME: join(other, 'empty') })).toEqual([])
  })
})
