import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { SessionSource } from '../reader.js'
import { ampReader } from './index.js'
import { ampRoots } from './paths.js'

const HOME = fileURLToPath(new URL('../../test/fixtures/amp/synthetic/home', import.meta.url))
const THREADS = join(HOME, '.local', 'share', 'amp', 'threads')

async function discover(env: Record<string, string>): Promise<string[]> {
  const out: SessionSource[] = []
  for await (const s of ampReader.discover(env)) out.push(s)
  expect(out.every((s) => s.agent === 'amp' && s.kind === 'file')).toBe(true)
  return out.map((s) => s.path)
}

describe('ampRoots', () => {
  it('is AMP_DATA_DIR, else $XDG_DATA_HOME/amp, else $HOME/.local/share/amp', () => {
    expect(ampRoots({ HOME: '/h' })).toEqual(['/h/.local/share/amp'])
    expect(ampRoots({ HOME: '/h', XDG_DATA_HOME: '/x' })).toEqual(['/x/amp'])
    expect(ampRoots({ HOME: '/h', XDG_DATA_HOME: '/x', AMP_DATA_DIR: ' /a, ,/b,/a' })).toEqual([
      '/a',
      '/b',
    ])
    expect(ampRoots({})).toEqual([])
  })
})

describe('discover', () => {
  it('finds the threads under a fake HOME, sorted', async () => {
    expect([ampReader.id, ampReader.displayName]).toEqual(['amp', 'Amp'])
    expect(await discover({ HOME })).toEqual([
      join(THREADS, 'T-1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b.json'),
      join(THREADS, 'T-6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.json'),
    ])
    expect(await discover({ HOME: join(HOME, 'nobody') })).toEqual([])
  })

  it('follows AMP_DATA_DIR and lists only T-*.json files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amp-data-'))
    mkdirSync(join(dir, 'threads', 'T-dir.json'), { recursive: true })
    writeFileSync(join(dir, 'threads', 'T-a.json'), '{}')
    writeFileSync(join(dir, 'threads', 'notes.json'), '{}')
    writeFileSync(join(dir, 'threads', 'T-b.json.tmp'), '{}')
    expect(await discover({ HOME, AMP_DATA_DIR: dir })).toEqual([join(dir, 'threads', 'T-a.json')])
  })
})
