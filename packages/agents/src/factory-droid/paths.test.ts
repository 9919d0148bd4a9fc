import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { SessionSource } from '../reader.js'
import { factoryDroidReader } from './index.js'
import { droidRoots, settingsPathOf } from './paths.js'

const HOME = fileURLToPath(
  new URL('../../test/fixtures/factory-droid/synthetic/home', import.meta.url),
)
const PROJECT = join(HOME, '.factory', 'sessions', '-home-dev-shop-api')

async function discover(env: Record<string, string>): Promise<string[]> {
  const out: SessionSource[] = []
  for await (const s of factoryDroidReader.discover(env)) out.push(s)
  expect(out.every((s) => s.agent === 'factory-droid' && s.kind === 'file')).toBe(true)
  return out.map((s) => s.path)
}

function touch(path: string): string {
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, '{}\n')
  return path
}

describe('droidRoots', () => {
  it('is ~/.factory/sessions and ~/.factory/projects, plus DROID_SESSIONS_DIR entries', () => {
    expect(droidRoots({ HOME: '/h' })).toEqual(['/h/.factory/sessions', '/h/.factory/projects'])
    expect(droidRoots({ HOME: '/h', DROID_SESSIONS_DIR: '/a, ,/h/.factory/sessions' })).toEqual([
      '/h/.factory/sessions',
      '/h/.factory/projects',
      '/a',
    ])
    expect(droidRoots({})).toEqual([])
  })
})

describe('discover', () => {
  it('finds the transcripts (not the sidecars) under a fake HOME', async () => {
    expect(factoryDroidReader.id).toBe('factory-droid')
    expect(await discover({ HOME })).toEqual([
      join(PROJECT, '3f7c2a10-5b6d-4e8f-9a0b-1c2d3e4f5a6b.jsonl'),
      join(PROJECT, '9d4e8b21-7c3a-4f5e-8d6c-2b1a0f9e8d7c.jsonl'),
    ])
    expect(await discover({ HOME: join(HOME, 'nobody') })).toEqual([])
  })

  it('reads DROID_SESSIONS_DIR and the older ~/.factory/projects layout', async () => {
    const home = mkdtempSync(join(tmpdir(), 'droid-home-'))
    const old = touch(join(home, '.factory', 'projects', '-w', 'a.jsonl'))
    const extra = mkdtempSync(join(tmpdir(), 'droid-extra-'))
    const flat = touch(join(extra, 'b.jsonl'))
    const nested = touch(join(extra, '-p', 'c.jsonl'))
    touch(join(extra, '-p', 'c.settings.json'))
    touch(join(extra, '-p', 'deep', 'd.jsonl')) // deeper than a project folder: not a session
    expect(await discover({ HOME: home, DROID_SESSIONS_DIR: extra })).toEqual([old, flat, nested])
  })

  it('names the sidecar after the transcript', () => {
    expect(settingsPathOf('/s/p/abc.jsonl')).toBe('/s/p/abc.settings.json')
  })
})
