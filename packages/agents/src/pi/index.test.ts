import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { SessionSource } from '../reader.js'
import { piReader } from './index.js'

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/pi/', import.meta.url))
const MOCK_AGENT_DIR = join(FIXTURES, 'mockllm')
const TREE = join(FIXTURES, 'synthetic', 'v3-tree-abandoned.jsonl')

async function discover(env: Record<string, string>): Promise<SessionSource[]> {
  const out: SessionSource[] = []
  for await (const s of piReader.discover(env)) out.push(s)
  return out
}

/** A fake HOME holding one session at pi's default place. */
function fakeHome(): { home: string; file: string } {
  const home = mkdtempSync(join(tmpdir(), 'pi-home-'))
  const dir = join(home, '.pi', 'agent', 'sessions', '--home-dev-projects-tree-demo--')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `2026-03-01T09-00-00-000Z_33333333-3333-4333-8333-333333333333.jsonl`)
  copyFileSync(TREE, file)
  return { home, file }
}

describe('piReader', () => {
  it('is the pi reader', () => {
    expect([piReader.id, piReader.displayName]).toEqual(['pi', 'pi'])
    expect(piReader.roots({ HOME: '/home/u' })).toEqual(['/home/u/.pi/agent'])
  })

  it('discovers under a fake HOME, and under PI_CODING_AGENT_DIR instead when it is set', async () => {
    const { home, file } = fakeHome()
    expect(await discover({ HOME: home })).toEqual([{ agent: 'pi', path: file, kind: 'file' }])
    const overridden = await discover({ HOME: home, PI_CODING_AGENT_DIR: MOCK_AGENT_DIR })
    expect(overridden.map((s) => basename(s.path))).toEqual([
      '2026-11-21T10-09-22-428Z_01a1fd94-fdfc-7446-a5ca-1b6991df96e6.jsonl',
      '2026-11-21T10-09-24-386Z_01a1fd95-05a1-7309-afd1-0c9e2a3f5174.jsonl',
    ])
    expect(await discover({ HOME: join(home, 'nobody') })).toEqual([])
  })

  it('reads what it discovers', async () => {
    const { home } = fakeHome()
    const [source] = await discover({ HOME: home })
    if (source === undefined) throw new Error('nothing discovered')
    const result = await piReader.read(source)
    expect(result.issues).toEqual([])
    expect(result.sessions.map((s) => [s.externalId, s.title, s.messages.length])).toEqual([
      ['33333333-3333-4333-8333-333333333333', 'Tree haiku', 8],
    ])
  })
})
