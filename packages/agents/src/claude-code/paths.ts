import type { Dirent } from 'node:fs'
import { readdir, realpath } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Env, SessionSource } from '../reader.js'

/** Claude Code's own override of its config dir; ccusage also accepts a comma-separated list. */
export const CLAUDE_CONFIG_DIR_ENV = 'CLAUDE_CONFIG_DIR'
export const PROJECTS_DIR = 'projects'
export const SUBAGENTS_DIR = 'subagents'

/**
 * Claude Code config dirs, in order: the explicit option, else `CLAUDE_CONFIG_DIR` (comma-separated
 * list allowed), else `$HOME/.claude` plus `$XDG_CONFIG_HOME/claude` (default `~/.config/claude`),
 * which some installs use (ccusage `adapter/claude/paths.rs` scans both). Duplicates are removed;
 * directories that do not exist are kept here and skipped by discovery.
 */
export function claudeCodeRoots(env: Env, explicit?: string | readonly string[]): string[] {
  const list = (value: string | readonly string[]) =>
    (typeof value === 'string' ? value.split(',') : value).map((p) => p.trim()).filter(Boolean)
  const configured =
    explicit !== undefined ? list(explicit) : list(env[CLAUDE_CONFIG_DIR_ENV] ?? '')
  let roots = configured
  if (roots.length === 0) {
    const home = env.HOME || env.USERPROFILE || homedir()
    const xdg = env.XDG_CONFIG_HOME || join(home, '.config')
    roots = [join(home, '.claude'), join(xdg, 'claude')]
  }
  return [...new Set(roots.map((p) => resolve(p)))]
}

async function entries(dir: string): Promise<Dirent[]> {
  try {
    const list = await readdir(dir, { withFileTypes: true })
    return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  } catch {
    return []
  }
}

const isJsonl = (e: Dirent) => e.isFile() && e.name.endsWith('.jsonl')

/**
 * Every transcript under `<root>/projects/<cwd-slug>/`, each its own source:
 * - `<sessionId>.jsonl`, the main session files (and 2.0.x subagent files `agent-<id>.jsonl`,
 *   which sit beside them);
 * - `<sessionId>/subagents/agent-<id>.jsonl` (2.1.2+), yielded right after the project's files.
 *
 * Subagent files are separate sources so that each file is tracked and re-read on its own; the
 * reader links them to their parent from their own lines (`sessionId`). `tool-results/` and other
 * side directories are not transcripts and are skipped.
 */
export async function* discoverClaudeCodeFiles(
  roots: readonly string[],
): AsyncGenerator<SessionSource> {
  const seen = new Set<string>()
  for (const root of roots) {
    const real = await realpath(root).catch(() => null)
    if (real === null || seen.has(real)) continue
    seen.add(real)
    const projects = join(root, PROJECTS_DIR)
    for (const project of await entries(projects)) {
      if (!project.isDirectory()) continue
      const dir = join(projects, project.name)
      const list = await entries(dir)
      for (const file of list.filter(isJsonl)) {
        yield { agent: 'claude-code', path: join(dir, file.name), kind: 'file' }
      }
      for (const sub of list.filter((e) => e.isDirectory())) {
        const subagents = join(dir, sub.name, SUBAGENTS_DIR)
        for (const file of (await entries(subagents)).filter(isJsonl)) {
          yield { agent: 'claude-code', path: join(subagents, file.name), kind: 'file' }
        }
      }
    }
  }
}
