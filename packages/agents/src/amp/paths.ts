import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Env, SessionSource } from '../reader.js'

/** Amp's data directory override (comma-separated in ccusage). */
export const AMP_DATA_DIR_ENV = 'AMP_DATA_DIR'
export const THREADS_DIR = 'threads'

/**
 * `$AMP_DATA_DIR` entries when set, else `$XDG_DATA_HOME/amp`, else `$HOME/.local/share/amp`
 * (ccusage's lookup, with the XDG variable the default path stands for).
 */
export function ampRoots(env: Env): readonly string[] {
  const own = (env[AMP_DATA_DIR_ENV] ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '')
  if (own.length > 0) return [...new Set(own)]
  const xdg = env.XDG_DATA_HOME?.trim()
  if (xdg) return [join(xdg, 'amp')]
  const home = env.HOME?.trim() || env.USERPROFILE?.trim()
  return home ? [join(home, '.local', 'share', 'amp')] : []
}

/** Every `<root>/threads/T-*.json`, sorted; missing roots yield nothing. */
export async function* discoverAmpThreads(roots: readonly string[]): AsyncGenerator<SessionSource> {
  const seen = new Set<string>()
  for (const root of roots) {
    const dir = join(root, THREADS_DIR)
    let names: string[]
    try {
      names = (await readdir(dir, { withFileTypes: true }))
        .filter((d) => d.isFile() && d.name.startsWith('T-') && d.name.endsWith('.json'))
        .map((d) => d.name)
        .sort()
    } catch {
      continue
    }
    for (const name of names) {
      const path = join(dir, name)
      if (seen.has(path)) continue
      seen.add(path)
      yield { agent: 'amp', path, kind: 'file' }
    }
  }
}
