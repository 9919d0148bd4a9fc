// A fake HOME holding real agent files in the agents' real layouts (copied from the readers'
// fixture trees), plus OpenCode databases built from the fixtures' JSON dumps.
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import {
  buildDatabase,
  LEGACY,
  lanternDump,
  mockllmDump,
} from '../../../agents/test/fixtures/opencode/support.js'

export const FIXTURES = new URL('../../../agents/test/fixtures/', import.meta.url).pathname

export type FakeHome = {
  readonly root: string
  readonly home: string
  /** HOME, XDG dirs and PATH only: nothing of the developer's environment leaks in. */
  readonly env: Record<string, string>
  readonly claudeProjects: string
  readonly piSessions: string
  readonly opencodeDir: string
  /** The writer of `opencode.db`, left open: its rows live in the -wal, as with OpenCode running. */
  readonly opencodeWriter: Database.Database | null
  close(): void
}

export type FakeHomeOptions = {
  readonly claude?: boolean
  readonly pi?: boolean
  readonly opencode?: boolean
}

function copy(from: string, to: string): void {
  mkdirSync(join(to, '..'), { recursive: true })
  cpSync(join(FIXTURES, from), to, { recursive: true })
}

export function makeFakeHome(options: FakeHomeOptions = {}): FakeHome {
  const root = mkdtempSync(join(tmpdir(), 'opensync-sync-'))
  const home = join(root, 'home')
  const claudeProjects = join(home, '.claude', 'projects')
  const piSessions = join(home, '.pi', 'agent', 'sessions')
  const opencodeDir = join(home, '.local', 'share', 'opencode')
  mkdirSync(home, { recursive: true })
  let writer: Database.Database | null = null

  if (options.claude !== false) {
    copy(
      'claude-code/mockllm-v2.1.197/projects/-tmp-agentlab-claude-work',
      join(claudeProjects, '-tmp-agentlab-claude-work'),
    )
    copy(
      'claude-code/sniffly-v1.0.17/-Users-chip-dev-ai-music',
      join(claudeProjects, '-Users-chip-dev-ai-music'),
    )
    const spotter = join(claudeProjects, '-home-marco-projects-spotter')
    for (const name of ['tool_heavy', 'short', 'subagent']) {
      copy(`claude-code/spotter-v2.1/${name}.jsonl`, join(spotter, `${name}.jsonl`))
    }
    const sub = 'ae4a77f8-aedd-4bc1-888f-c94edc91af04'
    copy(`claude-code/spotter-v2.1/${sub}`, join(spotter, sub))
    copy(
      'claude-code/fasthooks-v2.0.76/sample_main_transcript.jsonl',
      join(claudeProjects, '-fasthooks', 'c45af7b1-cb7c-4e51-93db-8cbb250a877a.jsonl'),
    )
    copy(
      'claude-code/fasthooks-v2.0.76/sample_agent_sidechain.jsonl',
      join(claudeProjects, '-fasthooks', 'agent-warmup.jsonl'),
    )
  }
  if (options.pi !== false) {
    copy(
      'pi/mockllm/sessions/--tmp-agentlab-pi-work--',
      join(piSessions, '--tmp-agentlab-pi-work--'),
    )
    for (const name of ['v1-linear', 'v2-hook-message', 'v3-fork', 'v3-tree-abandoned']) {
      copy(
        `pi/synthetic/${name}.jsonl`,
        join(
          piSessions,
          '--work-synthetic--',
          `2026-01-0${name.length % 9}T00-00-00-000Z_${name}.jsonl`,
        ),
      )
    }
  }
  if (options.opencode !== false) {
    mkdirSync(opencodeDir, { recursive: true })
    writer = buildDatabase(opencodeDir, mockllmDump()).writer
    buildDatabase(opencodeDir, lanternDump(), 'opencode-lantern.db').writer.close()
    cpSync(LEGACY, join(opencodeDir, 'storage'), { recursive: true })
  }
  writeFileSync(join(root, '.keep'), '')
  const env = {
    HOME: home,
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CONFIG_HOME: join(home, '.config'),
    PATH: process.env.PATH ?? '',
  }
  return {
    root,
    home,
    env,
    claudeProjects,
    piSessions,
    opencodeDir,
    opencodeWriter: writer,
    close() {
      writer?.close()
    },
  }
}
