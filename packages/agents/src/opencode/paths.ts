import { existsSync, readdirSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import type { Env } from '../reader.js'

/** OpenCode's own variable naming its database: absolute, or relative to the data dir. */
export const OPENCODE_DB_ENV = 'OPENCODE_DB'
/** The JSON tree OpenCode wrote before v1.2.0, kept on disk after the SQLite migration. */
export const LEGACY_STORAGE_DIR = 'storage'
/** `opencode.db` and the channel builds' `opencode-<channel>.db` (not their -wal/-shm files). */
const DATABASE_FILE = /^opencode(-[A-Za-z0-9._-]+)?\.db$/

function nonEmpty(value: string | undefined): string | null {
  const trimmed = value?.trim()
  return trimmed ? trimmed : null
}

/**
 * OpenCode's data dir (`Global.Path.data`): `$XDG_DATA_HOME/opencode`, else
 * `~/.local/share/opencode`, on macOS too (OpenCode uses xdg-basedir). Only an absolute
 * XDG_DATA_HOME counts, as the XDG spec says.
 */
export function opencodeDataDir(env: Env): string {
  const xdg = nonEmpty(env.XDG_DATA_HOME)
  if (xdg && isAbsolute(xdg)) return join(xdg, 'opencode')
  const home = nonEmpty(env.HOME) ?? nonEmpty(env.USERPROFILE) ?? homedir()
  return join(home, '.local', 'share', 'opencode')
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** Every database file in a data dir (`opencode.db`, `opencode-<channel>.db`), sorted. */
export function databasesIn(dataDir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dataDir)
  } catch {
    return []
  }
  return names
    .filter((name) => DATABASE_FILE.test(name))
    .sort()
    .map((name) => join(dataDir, name))
    .filter(isFile)
}

/**
 * The databases to read: `OPENCODE_DB` first (absolute, or relative to the data dir;
 * `:memory:` has nothing on disk), then every database file in the data dir. Only files that
 * exist are returned.
 */
export function opencodeDatabases(dataDir: string, env: Env): string[] {
  const override = nonEmpty(env[OPENCODE_DB_ENV])
  const paths: string[] = []
  if (override && override !== ':memory:') {
    const path = isAbsolute(override) ? override : join(dataDir, override)
    if (isFile(path)) paths.push(path)
  }
  for (const path of databasesIn(dataDir)) if (!paths.includes(path)) paths.push(path)
  return paths
}

/** The legacy `storage/` tree when it holds sessions, else null. */
export function legacyStorageDir(dataDir: string): string | null {
  const dir = join(dataDir, LEGACY_STORAGE_DIR)
  return existsSync(join(dir, 'session')) ? dir : null
}
