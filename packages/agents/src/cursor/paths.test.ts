import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { SessionSource } from '../reader.js'
import { cursorReader } from './index.js'
import { cursorRoots } from './paths.js'

const HOME = fileURLToPath(new URL('../../test/fixtures/cursor/synthetic/home', import.meta.url))
const TRANSCRIPTS = join(HOME, '.cursor', 'projects', 'home-dev-todo-app', 'agent-transcripts')
const NESTED_ID = 'c3d2e1f0-a9b8-4c7d-8e6f-5a4b3c2d1e0f'

async function discover(env: Record<string, string>): Promise<string[]> {
  const out: SessionSource[] = []
  for await (const s of cursorReader.discover(env)) out.push(s)
  expect(out.every((s) => s.agent === 'cursor-sync' && s.kind === 'file')).toBe(true)
  return out.map((s) => s.path)
}

function touch(path: string): string {
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, '{}\n')
  return path
}

describe('cursorRoots', () => {
  it('is $HOME/.cursor, plus $CURSOR_CONFIG_DIR', () => {
    expect(cursorRoots({ HOME: '/h' })).toEqual(['/h/.cursor'])
    expect(cursorRoots({ HOME: '/h', CURSOR_CONFIG_DIR: '/c' })).toEqual(['/h/.cursor', '/c'])
    expect(cursorRoots({})).toEqual([])
  })
})

describe('discover', () => {
  it('finds flat (CLI) and nested (IDE) transcripts under a fake HOME', async () => {
    expect([cursorReader.id, cursorReader.displayName]).toEqual(['cursor-sync', 'Cursor'])
    expect(await discover({ HOME })).toEqual([
      join(TRANSCRIPTS, '4b8e1f0c-2d3a-4c5b-9e6f-7a8b9c0d1e2f.jsonl'),
      join(TRANSCRIPTS, NESTED_ID, `${NESTED_ID}.jsonl`),
    ])
    expect(await discover({ HOME: join(HOME, 'nobody') })).toEqual([])
  })

  it('reads CURSOR_CONFIG_DIR, and skips .txt transcripts, stray files and store.db', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cursor-cfg-'))
    const a = touch(join(dir, 'projects', 'p', 'agent-transcripts', 'a.jsonl'))
    touch(join(dir, 'projects', 'p', 'agent-transcripts', 'old.txt'))
    touch(join(dir, 'projects', 'p', 'agent-transcripts', 'b', 'other.jsonl'))
    touch(join(dir, 'projects', 'p', 'notes.jsonl'))
    touch(join(dir, 'chats', 'hash', 'id', 'store.db'))
    expect(await discover({ HOME: '/nowhere', CURSOR_CONFIG_DIR: dir })).toEqual([a])
  })
})
