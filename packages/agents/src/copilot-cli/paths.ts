import { basename, dirname, join } from 'node:path'
import { listDir as list } from '../list-dir.js'
import type { Env, SessionSource } from '../reader.js'

/** Copilot CLI's own override of its directory (default `~/.copilot`). */
export const COPILOT_HOME_ENV = 'COPILOT_HOME'
export const SESSION_STATE_DIR = 'session-state'
export const EVENTS_FILE = 'events.jsonl'

/**
 * `$COPILOT_HOME`, else `$HOME/.copilot`; plus `$XDG_CONFIG_HOME/.copilot` when that variable is
 * set, where builds up to 0.0.421 kept their state (github/copilot-cli#1954). Duplicates dropped.
 */
export function copilotRoots(env: Env): readonly string[] {
  const roots: string[] = []
  const own = env[COPILOT_HOME_ENV]?.trim()
  const home = env.HOME?.trim() || env.USERPROFILE?.trim()
  if (own) roots.push(own)
  else if (home) roots.push(join(home, '.copilot'))
  const xdg = env.XDG_CONFIG_HOME?.trim()
  if (xdg) roots.push(join(xdg, '.copilot'))
  return [...new Set(roots)]
}

/**
 * Every session: `<root>/session-state/<id>/events.jsonl` (current) and the older flat
 * `<root>/session-state/<id>.jsonl`. (`history-session-state/*.json`, older still, is not read.)
 */
export async function* discoverCopilotSessions(
  roots: readonly string[],
): AsyncGenerator<SessionSource> {
  const seen = new Set<string>()
  for (const root of roots) {
    const dir = join(root, SESSION_STATE_DIR)
    const entries = (await list(dir)).sort((a, b) => (a.name < b.name ? -1 : 1))
    for (const entry of entries) {
      let path: string | null = null
      if (entry.isFile() && entry.name.endsWith('.jsonl')) path = join(dir, entry.name)
      else if (entry.isDirectory()) {
        const files = await list(join(dir, entry.name))
        if (files.some((f) => f.isFile() && f.name === EVENTS_FILE)) {
          path = join(dir, entry.name, EVENTS_FILE)
        }
      }
      if (path === null || seen.has(path)) continue
      seen.add(path)
      yield { agent: 'copilot-cli', path, kind: 'file' }
    }
  }
}

/** The session id a file's place implies: its folder (`<id>/events.jsonl`) or its stem. */
export function sessionIdFromPath(path: string): string {
  const name = basename(path)
  return name === EVENTS_FILE ? basename(dirname(path)) : name.replace(/\.jsonl$/, '')
}
