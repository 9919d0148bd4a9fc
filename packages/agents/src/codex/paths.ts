import type { Dirent } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import type { Env } from '../reader.js'

/**
 * Codex's home: an explicit root first, then `CODEX_HOME`, then `$HOME/.codex`
 * (`%USERPROFILE%\.codex` on Windows). Codex does not follow XDG. Null when nothing is set.
 */
export function codexHome(env: Env, explicitRoot?: string): string | null {
  const explicit = explicitRoot?.trim()
  if (explicit) return resolve(explicit)
  const fromEnv = env.CODEX_HOME?.trim()
  if (fromEnv) return resolve(fromEnv)
  const home = env.HOME?.trim() || env.USERPROFILE?.trim()
  return home ? join(home, '.codex') : null
}

export function codexRoots(env: Env, explicitRoot?: string): readonly string[] {
  const home = codexHome(env, explicitRoot)
  return home === null ? [] : [home]
}

const ROLLOUT = /^rollout-.*\.jsonl$/

/**
 * Rollout files under one Codex home, sorted: `sessions/**\/rollout-*.jsonl` (the dated
 * `YYYY/MM/DD/` tree and old builds' flat `sessions/rollout-<uuid>.jsonl`), then
 * `archived_sessions/**\/*.jsonl`. An archived file whose name also exists under `sessions/` is
 * skipped: the active copy wins (ccusage's rule, §2 Storage). Missing folders yield nothing.
 */
export async function* discoverRollouts(home: string): AsyncGenerator<string> {
  const active = await walk(join(home, 'sessions'), (name) => ROLLOUT.test(name))
  const names = new Set(active.map((path) => basename(path)))
  for (const path of active) yield path
  const archived = await walk(join(home, 'archived_sessions'), (name) => name.endsWith('.jsonl'))
  for (const path of archived) if (!names.has(basename(path))) yield path
}

async function walk(dir: string, keep: (name: string) => boolean): Promise<string[]> {
  let entries: Dirent[]
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch {
    return []
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const out: string[] = []
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await walk(path, keep)))
    else if (entry.isFile() && keep(entry.name)) out.push(path)
  }
  return out
}
