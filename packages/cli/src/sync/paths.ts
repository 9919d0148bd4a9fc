import { homedir } from 'node:os'
import { join } from 'node:path'

export type Env = Readonly<Record<string, string | undefined>>

/** `~/.opensync`: credentials, config, sync state and the upload queue. */
export const OPENSYNC_DIR = '.opensync'

export function homeOf(env: Env): string {
  return env.HOME?.trim() || env.USERPROFILE?.trim() || homedir()
}

export function opensyncDir(env: Env): string {
  return join(homeOf(env), OPENSYNC_DIR)
}

/** Where each piece lives under `~/.opensync`. */
export function syncPaths(env: Env) {
  const dir = opensyncDir(env)
  return {
    dir,
    credentials: join(dir, 'credentials.json'),
    config: join(dir, 'config.json'),
    state: join(dir, 'state'),
    queue: join(dir, 'queue'),
    lock: join(dir, 'sync.lock'),
  } as const
}

/** `./.opensync/config.json` of the project the command runs in. */
export function projectConfigPath(cwd: string): string {
  return join(cwd, OPENSYNC_DIR, 'config.json')
}

/** `/home/me/x` → `~/x`, for messages. */
export function tildify(path: string, env: Env): string {
  const home = homeOf(env)
  return path === home || path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path
}
