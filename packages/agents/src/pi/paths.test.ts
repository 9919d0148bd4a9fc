import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { SessionSource } from '../reader.js'
import { discoverPiSessions, piRoots, projectDirName, sessionIdFromFileName } from './paths.js'

const MOCK_AGENT_DIR = fileURLToPath(new URL('../../test/fixtures/pi/mockllm', import.meta.url))
const MOCK_SESSIONS = join(MOCK_AGENT_DIR, 'sessions', '--tmp-agentlab-pi-work--')
const MOCK_FILES = [
  '2026-11-21T10-09-22-428Z_01a1fd94-fdfc-7446-a5ca-1b6991df96e6.jsonl',
  '2026-11-21T10-09-24-386Z_01a1fd95-05a1-7309-afd1-0c9e2a3f5174.jsonl',
].map((f) => join(MOCK_SESSIONS, f))

async function collect(it: AsyncIterable<SessionSource>): Promise<SessionSource[]> {
  const out: SessionSource[] = []
  for await (const s of it) out.push(s)
  return out
}

function touch(path: string, content = '{}\n'): string {
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, content)
  return path
}

describe('piRoots', () => {
  it('is $HOME/.pi/agent by default', () => {
    expect(piRoots({ HOME: '/home/u' })).toEqual(['/home/u/.pi/agent'])
  })

  it('prefers PI_CODING_AGENT_DIR over HOME, and adds ccusage PI_AGENT_DIR entries', () => {
    expect(
      piRoots({
        HOME: '/home/u',
        PI_CODING_AGENT_DIR: '/opt/pi',
        PI_AGENT_DIR: ' /a/sessions , ,/opt/pi',
      }),
    ).toEqual(['/opt/pi', '/a/sessions'])
  })

  it('ignores blank values and has no root without HOME', () => {
    expect(piRoots({ PI_CODING_AGENT_DIR: '  ', HOME: '/h' })).toEqual(['/h/.pi/agent'])
    expect(piRoots({})).toEqual([])
  })
})

describe('file names', () => {
  it("encodes a cwd as pi's project folder", () => {
    expect(projectDirName('/tmp/agentlab/pi/work')).toBe('--tmp-agentlab-pi-work--')
    expect(projectDirName('C:\\Users\\me')).toBe('--C--Users-me--')
  })

  it('takes the session id after the first underscore', () => {
    expect(sessionIdFromFileName(MOCK_FILES[0] ?? '')).toBe('01a1fd94-fdfc-7446-a5ca-1b6991df96e6')
    expect(sessionIdFromFileName('/x/custom.jsonl')).toBeNull()
    expect(sessionIdFromFileName('/x/a_b.json')).toBeNull()
    expect(sessionIdFromFileName('/x/_b.jsonl')).toBeNull()
  })
})

describe('discoverPiSessions', () => {
  it('finds the mockllm run through PI_CODING_AGENT_DIR, sorted', async () => {
    const found = await collect(
      discoverPiSessions(piRoots({ PI_CODING_AGENT_DIR: MOCK_AGENT_DIR })),
    )
    expect(found).toEqual(MOCK_FILES.map((path) => ({ agent: 'pi', path, kind: 'file' })))
  })

  it('scans $HOME/.pi/agent/sessions/<project>/*.jsonl and nothing else', async () => {
    const home = mkdtempSync(join(tmpdir(), 'pi-home-'))
    const sessions = join(home, '.pi', 'agent', 'sessions')
    const a = touch(join(sessions, '--home-u-a--', '2026-01-01T00-00-00-000Z_a.jsonl'))
    const b = touch(join(sessions, 'custom-dir', 'b.jsonl'))
    touch(join(sessions, '--home-u-a--', 'notes.txt'))
    touch(join(sessions, 'top-level.jsonl'))
    touch(join(home, '.pi', 'agent', 'extensions', 'x', 'y.jsonl'))
    mkdirSync(join(sessions, '--home-u-a--', 'dir.jsonl'))
    const found = await collect(discoverPiSessions(piRoots({ HOME: home })))
    expect(found.map((s) => s.path)).toEqual([a, b])
  })

  it('reads a PI_AGENT_DIR sessions dir (only --…-- folders) and skips missing roots', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pi-sessions-'))
    const a = touch(join(dir, '--p--', 'x_1.jsonl'))
    touch(join(dir, 'other', 'y_2.jsonl'))
    const env = { HOME: join(dir, 'nowhere'), PI_AGENT_DIR: `${dir},${join(dir, 'missing')}` }
    const found = await collect(discoverPiSessions(piRoots(env)))
    expect(found.map((s) => s.path)).toEqual([a])
  })

  it('lists a file once even when two roots reach it', async () => {
    const env = {
      PI_CODING_AGENT_DIR: MOCK_AGENT_DIR,
      PI_AGENT_DIR: join(MOCK_AGENT_DIR, 'sessions'),
    }
    const found = await collect(discoverPiSessions(piRoots(env)))
    expect(found.map((s) => s.path)).toEqual(MOCK_FILES)
  })
})
