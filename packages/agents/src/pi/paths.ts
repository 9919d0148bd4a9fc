import { basename, join } from 'node:path'
import { listDir as list } from '../list-dir.js'
import type { Env, SessionSource } from '../reader.js'

/** pi's own override of its agent dir (`<APP>_CODING_AGENT_DIR`, pi-mono `src/config.ts`). */
export const PI_CODING_AGENT_DIR_ENV = 'PI_CODING_AGENT_DIR'
/** ccusage's variable: comma-separated pi *sessions* directories. */
export const PI_AGENT_DIR_ENV = 'PI_AGENT_DIR'
/** `$HOME/.pi/agent`. */
export const DEFAULT_AGENT_DIR = ['.pi', 'agent'] as const
export const SESSIONS_DIR = 'sessions'

/**
 * Where pi keeps its data: `PI_CODING_AGENT_DIR`, else `$HOME/.pi/agent` (as pi resolves it),
 * plus every directory listed in ccusage's `PI_AGENT_DIR`. Duplicates are dropped.
 */
export function piRoots(env: Env): readonly string[] {
  const roots: string[] = []
  const own = env[PI_CODING_AGENT_DIR_ENV]?.trim()
  const home = env.HOME?.trim() || env.USERPROFILE?.trim()
  if (own) roots.push(own)
  else if (home) roots.push(join(home, ...DEFAULT_AGENT_DIR))
  for (const dir of (env[PI_AGENT_DIR_ENV] ?? '').split(',')) {
    const trimmed = dir.trim()
    if (trimmed !== '') roots.push(trimmed)
  }
  return [...new Set(roots)]
}

/** pi's project folder name: `--<cwd without leading slash, / \ : as ->--`. */
export function projectDirName(cwd: string): string {
  return `--${cwd.replace(/^[/\\]/, '').replace(/[/\\:]/g, '-')}--`
}

/**
 * The session id in pi's file name `<iso-ts>_<id>.jsonl` (pi builds both from one uuid).
 * Null for names that don't follow the pattern (pi's `--session <path>` allows any name).
 */
export function sessionIdFromFileName(path: string): string | null {
  const name = basename(path)
  if (!name.endsWith('.jsonl')) return null
  const stem = name.slice(0, -'.jsonl'.length)
  const at = stem.indexOf('_')
  if (at <= 0 || at === stem.length - 1) return null
  return stem.slice(at + 1)
}

/**
 * Every `*.jsonl` in `<sessions>/<project>/`. A root with a `sessions/` folder is an agent dir;
 * one without is taken as a sessions dir itself (ccusage's `PI_AGENT_DIR`), where only pi's
 * `--…--` project folders are scanned. Missing roots yield nothing; paths come out sorted.
 */
export async function* discoverPiSessions(roots: readonly string[]): AsyncGenerator<SessionSource> {
  const seen = new Set<string>()
  for (const root of roots) {
    const top = await list(root)
    const hasSessions = top.some((d) => d.isDirectory() && d.name === SESSIONS_DIR)
    const sessionsDir = hasSessions ? join(root, SESSIONS_DIR) : root
    const projects = (hasSessions ? await list(sessionsDir) : top)
      .filter((d) => d.isDirectory() && (hasSessions || /^--.*--$/.test(d.name)))
      .map((d) => d.name)
      .sort()
    for (const project of projects) {
      const dir = join(sessionsDir, project)
      const files = (await list(dir))
        .filter((d) => d.isFile() && d.name.endsWith('.jsonl'))
        .map((d) => d.name)
        .sort()
      for (const file of files) {
        const path = join(dir, file)
        if (seen.has(path)) continue
        seen.add(path)
        yield { agent: 'pi', path, kind: 'file' }
      }
    }
  }
}
