import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { SessionSource } from '../reader.js'
import { geminiCliReader } from './index.js'
import { geminiRoots, projectHash, projectRootOf } from './paths.js'

const HOME = fileURLToPath(
  new URL('../../test/fixtures/gemini-cli/synthetic/home', import.meta.url),
)
const TMP = join(HOME, '.gemini', 'tmp')
const SID = '5f1e2d3c-7a6b-4c5d-8e9f-0a1b2c3d4e5f'
const LEGACY_HASH = '2136a2490b0bdc8f317d3e16aecb6c0b6c264127ce17e17345fe6c0dc2ce7069'

async function discover(env: Record<string, string>): Promise<string[]> {
  const out: SessionSource[] = []
  for await (const s of geminiCliReader.discover(env)) out.push(s)
  expect(out.every((s) => s.agent === 'gemini-cli' && s.kind === 'file')).toBe(true)
  return out.map((s) => s.path)
}

function touch(path: string, content = '{}\n'): string {
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, content)
  return path
}

describe('geminiRoots', () => {
  it('is $HOME/.gemini/tmp, or $GEMINI_CLI_HOME/.gemini/tmp, plus GEMINI_DATA_DIR entries', () => {
    expect(geminiRoots({ HOME: '/h' })).toEqual(['/h/.gemini/tmp'])
    expect(geminiRoots({ HOME: '/h', GEMINI_CLI_HOME: '/g' })).toEqual(['/g/.gemini/tmp'])
    expect(geminiRoots({ HOME: '/h', GEMINI_DATA_DIR: ' /a , ,/h/.gemini/tmp' })).toEqual([
      '/h/.gemini/tmp',
      '/a',
    ])
    expect(geminiRoots({})).toEqual([])
  })
})

describe('discover', () => {
  it('finds main, subagent and legacy recordings under a fake HOME, sorted', async () => {
    expect(await discover({ HOME })).toEqual([
      join(TMP, LEGACY_HASH, 'chats', 'session-2026-02-01T09-30-a1b2c3d4.json'),
      join(TMP, 'demo-app', 'chats', 'session-2026-03-04T10-00-5f1e2d3c.jsonl'),
      join(TMP, 'demo-app', 'chats', SID, '7c1d9e2a-3b4f-4a5c-9d8e-1f2a3b4c5d6e.jsonl'),
    ])
    expect(await discover({ HOME: join(HOME, 'nobody') })).toEqual([])
  })

  it('follows GEMINI_CLI_HOME and GEMINI_DATA_DIR, and skips a .json its .jsonl replaced', async () => {
    const home = mkdtempSync(join(tmpdir(), 'gemini-home-'))
    const chats = join(home, '.gemini', 'tmp', 'p', 'chats')
    touch(join(chats, 'session-2026-01-01T00-00-aaaaaaaa.json'))
    const migrated = touch(join(chats, 'session-2026-01-01T00-00-aaaaaaaa.jsonl'))
    const legacy = touch(join(chats, 'session-2026-01-02T00-00-bbbbbbbb.json'))
    touch(join(chats, 'notes.txt'))
    touch(join(chats, 'checkpoint-x.json'))
    touch(join(home, '.gemini', 'tmp', 'p', 'logs.json'))
    expect(await discover({ HOME: '/nowhere', GEMINI_CLI_HOME: home })).toEqual([migrated, legacy])
    const data = await discover({ HOME: '/nowhere', GEMINI_DATA_DIR: join(home, '.gemini', 'tmp') })
    expect(data).toEqual([migrated, legacy])
  })
})

describe('projectRootOf', () => {
  it('reads .project_root, then projects.json by slug or legacy hash', async () => {
    expect(await projectRootOf(join(TMP, 'demo-app'))).toBe('/home/dev/demo-app')
    expect(projectHash('/home/dev/legacy-app')).toBe(LEGACY_HASH)
    expect(await projectRootOf(join(TMP, LEGACY_HASH))).toBe('/home/dev/legacy-app')
    expect(await projectRootOf(join(TMP, 'unknown'))).toBeNull()
  })
})
