import type { Dirent } from 'node:fs'
import { join } from 'node:path'
import { listDir as list } from '../list-dir.js'
import type { Env, SessionSource } from '../reader.js'

/** ccusage's variable: comma-separated Droid sessions directories. */
export const DROID_SESSIONS_DIR_ENV = 'DROID_SESSIONS_DIR'
/** The sidecar's suffix: `<sessionId>.settings.json` beside `<sessionId>.jsonl`. */
export const SETTINGS_SUFFIX = '.settings.json'

/**
 * `$HOME/.factory/sessions` (current layout), `$HOME/.factory/projects` (the layout Factory's
 * hook docs show in `transcript_path`), and every directory in `DROID_SESSIONS_DIR`.
 */
export function droidRoots(env: Env): readonly string[] {
  const roots: string[] = []
  const home = env.HOME?.trim() || env.USERPROFILE?.trim()
  if (home) roots.push(join(home, '.factory', 'sessions'), join(home, '.factory', 'projects'))
  for (const dir of (env[DROID_SESSIONS_DIR_ENV] ?? '').split(',')) {
    if (dir.trim() !== '') roots.push(dir.trim())
  }
  return [...new Set(roots)]
}

const jsonl = (entries: readonly Dirent[]) =>
  entries
    .filter((d) => d.isFile() && d.name.endsWith('.jsonl'))
    .map((d) => d.name)
    .sort()

/** Every transcript `<root>/<project-slug>/<id>.jsonl` (and `<root>/<id>.jsonl`), sorted. */
export async function* discoverDroidSessions(
  roots: readonly string[],
): AsyncGenerator<SessionSource> {
  const seen = new Set<string>()
  for (const root of roots) {
    const top = await list(root)
    const files = jsonl(top).map((f) => join(root, f))
    const projects = top
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()
    for (const project of projects) {
      for (const f of jsonl(await list(join(root, project)))) files.push(join(root, project, f))
    }
    for (const path of files) {
      if (seen.has(path)) continue
      seen.add(path)
      yield { agent: 'factory-droid', path, kind: 'file' }
    }
  }
}

/** The sidecar of a transcript. */
export function settingsPathOf(transcript: string): string {
  return `${transcript.replace(/\.jsonl$/, '')}${SETTINGS_SUFFIX}`
}
