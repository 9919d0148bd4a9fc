import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { Env } from '../reader.js'
import { claudeCodeReader } from './index.js'
import { claudeCodeRoots } from './paths.js'

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/claude-code/', import.meta.url))

function tree(files: readonly string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'claude-code-'))
  for (const file of files) {
    mkdirSync(dirname(join(root, file)), { recursive: true })
    writeFileSync(join(root, file), '')
  }
  return root
}

async function discover(env: Env): Promise<string[]> {
  const out: string[] = []
  for await (const source of claudeCodeReader.discover(env)) {
    expect(source).toMatchObject({ agent: 'claude-code', kind: 'file' })
    out.push(source.path)
  }
  return out
}

const A = '11111111-1111-4111-8111-111111111111'

describe('claudeCodeRoots', () => {
  it('defaults to ~/.claude plus $XDG_CONFIG_HOME/claude (~/.config/claude when unset)', () => {
    expect(claudeCodeReader.roots({ HOME: '/h' })).toEqual(['/h/.claude', '/h/.config/claude'])
    expect(claudeCodeRoots({ HOME: '/h', XDG_CONFIG_HOME: '/x' })).toEqual([
      '/h/.claude',
      '/x/claude',
    ])
  })

  it('CLAUDE_CONFIG_DIR replaces the defaults and may be a comma-separated list', () => {
    expect(claudeCodeRoots({ HOME: '/h', CLAUDE_CONFIG_DIR: ' /a , /b,,/a/ ' })).toEqual([
      '/a',
      '/b',
    ])
    expect(claudeCodeRoots({ HOME: '/h', CLAUDE_CONFIG_DIR: '' })).toEqual([
      '/h/.claude',
      '/h/.config/claude',
    ])
  })

  it('an explicit option comes first', () => {
    expect(claudeCodeRoots({ CLAUDE_CONFIG_DIR: '/a' }, ['/opt/c'])).toEqual(['/opt/c'])
  })
})

describe('claudeCodeReader.discover', () => {
  it('finds main files, 2.0.x agent files and <sessionId>/subagents/ files under a fake HOME', async () => {
    const home = tree([
      `.claude/projects/-work-a/${A}.jsonl`,
      `.claude/projects/-work-a/${A}/subagents/agent-a1.jsonl`,
      `.claude/projects/-work-a/${A}/subagents/agent-acompact-1.jsonl`,
      `.claude/projects/-work-a/${A}/tool-results/toolu_1.txt`,
      '.claude/projects/-work-a/agent-old.jsonl',
      '.claude/projects/-work-a/notes.txt',
      '.claude/projects/-work-b/22222222-2222-4222-8222-222222222222.jsonl',
      '.claude/history.jsonl',
      '.claude/todos/x.jsonl',
      '.config/claude/projects/-work-c/33333333-3333-4333-8333-333333333333.jsonl',
    ])
    expect(await discover({ HOME: home })).toEqual([
      `${home}/.claude/projects/-work-a/${A}.jsonl`,
      `${home}/.claude/projects/-work-a/agent-old.jsonl`,
      `${home}/.claude/projects/-work-a/${A}/subagents/agent-a1.jsonl`,
      `${home}/.claude/projects/-work-a/${A}/subagents/agent-acompact-1.jsonl`,
      `${home}/.claude/projects/-work-b/22222222-2222-4222-8222-222222222222.jsonl`,
      `${home}/.config/claude/projects/-work-c/33333333-3333-4333-8333-333333333333.jsonl`,
    ])
  })

  it('CLAUDE_CONFIG_DIR: only the listed dirs, missing ones yield nothing', async () => {
    const root = tree([
      'home/.claude/projects/-p/44444444-4444-4444-8444-444444444444.jsonl',
      'one/projects/-p/55555555-5555-4555-8555-555555555555.jsonl',
      'two/projects/-q/66666666-6666-4666-8666-666666666666.jsonl',
    ])
    const env = {
      HOME: `${root}/home`,
      CLAUDE_CONFIG_DIR: `${root}/one,${root}/missing,${root}/two`,
    }
    expect(await discover(env)).toEqual([
      `${root}/one/projects/-p/55555555-5555-4555-8555-555555555555.jsonl`,
      `${root}/two/projects/-q/66666666-6666-4666-8666-666666666666.jsonl`,
    ])
    expect(await discover({ HOME: `${root}/nobody` })).toEqual([])
  })

  it('a root reached twice (a symlinked ~/.config/claude) is read once', async () => {
    const home = tree([`.claude/projects/-p/${A}.jsonl`])
    mkdirSync(join(home, '.config'))
    symlinkSync(join(home, '.claude'), join(home, '.config', 'claude'))
    expect(await discover({ HOME: home })).toEqual([`${home}/.claude/projects/-p/${A}.jsonl`])
  })

  it('discovers and reads the mockllm fixture tree end to end', async () => {
    const env = { HOME: '/nonexistent', CLAUDE_CONFIG_DIR: `${FIXTURES}mockllm-v2.1.197` }
    const sessions = []
    for await (const source of claudeCodeReader.discover(env)) {
      const { sessions: read, issues } = await claudeCodeReader.read(source)
      expect(issues).toEqual([])
      sessions.push(...read.map((s) => [s.externalId, s.title, s.messages.length]))
    }
    expect(sessions).toEqual([
      [
        '190c26a4-6cf9-4f98-be4f-3c37b00bd083',
        'Think first, then read the file `/tmp/agentlab/claude/work/notes.txt` and summarise it',
        8,
      ],
      ['90e36d5a-f1cb-4bc5-b2c2-c659b09ad9e4', 'Say hello', 6],
    ])
  })
})
