import type { Dirent } from 'node:fs'
import { join } from 'node:path'
import { listDir as list } from '../list-dir.js'
import type { Env, SessionSource } from '../reader.js'

/** Cursor's documented override of its CLI configuration directory (default `~/.cursor`). */
export const CURSOR_CONFIG_DIR_ENV = 'CURSOR_CONFIG_DIR'
export const TRANSCRIPTS_DIR = 'agent-transcripts'

/** `$HOME/.cursor`, plus `$CURSOR_CONFIG_DIR` when set (whether transcripts follow it is unverified). */
export function cursorRoots(env: Env): readonly string[] {
  const roots: string[] = []
  const home = env.HOME?.trim() || env.USERPROFILE?.trim()
  if (home) roots.push(join(home, '.cursor'))
  const own = env[CURSOR_CONFIG_DIR_ENV]?.trim()
  if (own) roots.push(own)
  return [...new Set(roots)]
}

const sorted = (entries: readonly Dirent[], pick: (d: Dirent) => boolean) =>
  entries
    .filter(pick)
    .map((d) => d.name)
    .sort()

/**
 * Every transcript `<root>/projects/<slug>/agent-transcripts/<id>.jsonl` (CLI, flat) or
 * `<id>/<id>.jsonl` (IDE, nested). The older `.txt` transcripts and the protobuf
 * `chats/<hash>/<id>/store.db` store are not read.
 */
export async function* discoverCursorSessions(
  roots: readonly string[],
): AsyncGenerator<SessionSource> {
  const seen = new Set<string>()
  for (const root of roots) {
    const projects = join(root, 'projects')
    for (const slug of sorted(await list(projects), (d) => d.isDirectory())) {
      const dir = join(projects, slug, TRANSCRIPTS_DIR)
      const entries = await list(dir)
      const files = sorted(entries, (d) => d.isFile() && d.name.endsWith('.jsonl'))
      const paths = files.map((f) => join(dir, f))
      for (const id of sorted(entries, (d) => d.isDirectory())) {
        const nested = await list(join(dir, id))
        if (nested.some((d) => d.isFile() && d.name === `${id}.jsonl`)) {
          paths.push(join(dir, id, `${id}.jsonl`))
        }
      }
      for (const path of paths.sort()) {
        if (seen.has(path)) continue
        seen.add(path)
        yield { agent: 'cursor-sync', path, kind: 'file' }
      }
    }
  }
}
