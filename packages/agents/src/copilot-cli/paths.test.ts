import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { SessionSource } from '../reader.js'
import { copilotCliReader } from './index.js'
import { copilotRoots, sessionIdFromPath } from './paths.js'

const LANTERN = fileURLToPath(
  new URL('../../test/fixtures/copilot-cli/lantern-1.0.78', import.meta.url),
)
const A_ID = '049410b4-c1df-44ee-87a5-caa1c349091e'
const B_ID = '8b23eac7-b9d0-4c24-8e3c-90f5f8a8d02b'

async function discover(env: Record<string, string>): Promise<string[]> {
  const out: SessionSource[] = []
  for await (const s of copilotCliReader.discover(env)) out.push(s)
  expect(out.every((s) => s.agent === 'copilot-cli' && s.kind === 'file')).toBe(true)
  return out.map((s) => s.path)
}

describe('copilotRoots', () => {
  it('is $COPILOT_HOME or $HOME/.copilot, plus the pre-0.0.422 $XDG_CONFIG_HOME/.copilot', () => {
    expect(copilotRoots({ HOME: '/h' })).toEqual(['/h/.copilot'])
    expect(copilotRoots({ HOME: '/h', COPILOT_HOME: '/c' })).toEqual(['/c'])
    expect(copilotRoots({ HOME: '/h', XDG_CONFIG_HOME: '/h' })).toEqual(['/h/.copilot'])
    expect(copilotRoots({ HOME: '/h', XDG_CONFIG_HOME: '/x' })).toEqual([
      '/h/.copilot',
      '/x/.copilot',
    ])
    expect(copilotRoots({})).toEqual([])
  })
})

describe('discover', () => {
  it('finds the real sessions under COPILOT_HOME', async () => {
    expect(await discover({ HOME: '/nowhere', COPILOT_HOME: LANTERN })).toEqual([
      join(LANTERN, 'session-state', A_ID, 'events.jsonl'),
      join(LANTERN, 'session-state', B_ID, 'events.jsonl'),
    ])
  })

  it('finds $HOME/.copilot sessions, old flat <id>.jsonl files too, and nothing else', async () => {
    const home = mkdtempSync(join(tmpdir(), 'copilot-home-'))
    const state = join(home, '.copilot', 'session-state')
    cpSync(join(LANTERN, 'session-state'), state, { recursive: true })
    writeFileSync(join(state, 'old-session.jsonl'), '{}\n')
    mkdirSync(join(state, 'empty-dir'))
    writeFileSync(join(state, 'notes.txt'), 'x')
    expect(await discover({ HOME: home })).toEqual([
      join(state, A_ID, 'events.jsonl'),
      join(state, B_ID, 'events.jsonl'),
      join(state, 'old-session.jsonl'),
    ])
    expect(await discover({ HOME: join(home, 'nobody') })).toEqual([])
  })

  it('takes the session id from the folder or the old file name', () => {
    expect(sessionIdFromPath(`/s/${A_ID}/events.jsonl`)).toBe(A_ID)
    expect(sessionIdFromPath('/s/old-session.jsonl')).toBe('old-session')
  })
})
