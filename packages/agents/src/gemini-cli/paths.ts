import { createHash } from 'node:crypto'
import type { Dirent } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { listDir as list } from '../list-dir.js'
import type { Env, SessionSource } from '../reader.js'
import { isRecord, str } from './schema.js'

/** Gemini CLI's own override of the home directory: it then uses `$GEMINI_CLI_HOME/.gemini`. */
export const GEMINI_CLI_HOME_ENV = 'GEMINI_CLI_HOME'
/** ccusage's variable: comma-separated `tmp` directories (default `~/.gemini/tmp`). */
export const GEMINI_DATA_DIR_ENV = 'GEMINI_DATA_DIR'
export const CHATS_DIR = 'chats'
/** The marker gemini's ProjectRegistry writes into each `tmp/<slug>/` (the project's path). */
export const PROJECT_ROOT_FILE = '.project_root'

/**
 * The `tmp` directories holding `<project>/chats/`: `$GEMINI_CLI_HOME/.gemini/tmp`, else
 * `$HOME/.gemini/tmp` (gemini's `homedir()`), plus every entry of ccusage's `GEMINI_DATA_DIR`.
 */
export function geminiRoots(env: Env): readonly string[] {
  const roots: string[] = []
  const home = env[GEMINI_CLI_HOME_ENV]?.trim() || env.HOME?.trim() || env.USERPROFILE?.trim()
  if (home) roots.push(join(home, '.gemini', 'tmp'))
  for (const dir of (env[GEMINI_DATA_DIR_ENV] ?? '').split(',')) {
    if (dir.trim() !== '') roots.push(dir.trim())
  }
  return [...new Set(roots)]
}

const names = (entries: readonly Dirent[], pick: (d: Dirent) => boolean) =>
  entries
    .filter(pick)
    .map((d) => d.name)
    .sort()

/**
 * Every chat recording: `<root>/<project>/chats/session-*.json[l]` and subagent recordings
 * `<root>/<project>/chats/<parentSessionId>/*.jsonl`. A legacy `session-x.json` is skipped when
 * `session-x.jsonl` sits beside it: gemini migrates a resumed legacy file by re-appending all
 * of it to the `.jsonl` and keeps writing there, so reading both would duplicate the session.
 */
export async function* discoverGeminiSessions(
  roots: readonly string[],
): AsyncGenerator<SessionSource> {
  const seen = new Set<string>()
  const emit = (path: string): SessionSource | null => {
    if (seen.has(path)) return null
    seen.add(path)
    return { agent: 'gemini-cli', path, kind: 'file' }
  }
  for (const root of roots) {
    for (const project of names(await list(root), (d) => d.isDirectory())) {
      const chats = join(root, project, CHATS_DIR)
      const entries = await list(chats)
      const files = new Set(names(entries, (d) => d.isFile()))
      for (const file of files) {
        const legacy = file.endsWith('.json')
        if (!file.startsWith('session-') || !(legacy || file.endsWith('.jsonl'))) continue
        if (legacy && files.has(`${file}l`)) continue
        const source = emit(join(chats, file))
        if (source) yield source
      }
      for (const parent of names(entries, (d) => d.isDirectory())) {
        const dir = join(chats, parent)
        for (const file of names(await list(dir), (d) => d.isFile() && d.name.endsWith('.jsonl'))) {
          const source = emit(join(dir, file))
          if (source) yield source
        }
      }
    }
  }
}

/** Where a recording sits: its project folder, and the parent session of a subagent file. */
export function locate(path: string): { projectDir: string; parentSessionId: string | null } {
  const dir = dirname(path)
  if (basename(dir) === CHATS_DIR) return { projectDir: dirname(dir), parentSessionId: null }
  return { projectDir: dirname(dirname(dir)), parentSessionId: basename(dir) }
}

/** gemini's `getProjectHash`: the SHA-256 of the project root, the legacy folder name. */
export function projectHash(projectRoot: string): string {
  return createHash('sha256').update(projectRoot).digest('hex')
}

/**
 * The project root a `tmp/<slug-or-hash>/` folder belongs to: its `.project_root` marker, else
 * `~/.gemini/projects.json` (`{projects: {<path>: <slug>}}`, beside `tmp/`), matched by slug or
 * by the legacy hash folder name. Null when neither says.
 */
export async function projectRootOf(projectDir: string): Promise<string | null> {
  try {
    const marker = (await readFile(join(projectDir, PROJECT_ROOT_FILE), 'utf8')).trim()
    if (marker !== '') return marker
  } catch {
    // No marker: an older folder, or a hash-named one.
  }
  const name = basename(projectDir)
  try {
    const registry: unknown = JSON.parse(
      await readFile(join(dirname(dirname(projectDir)), 'projects.json'), 'utf8'),
    )
    const projects = isRecord(registry) && isRecord(registry.projects) ? registry.projects : {}
    for (const [path, slug] of Object.entries(projects)) {
      if (str(slug) === name || projectHash(path) === name) return path
    }
  } catch {
    // No registry, or not JSON: the project stays unknown.
  }
  return null
}
