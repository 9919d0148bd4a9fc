import { readFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { normalizeSource, SOURCES } from '@opensync/core/wire'
import { writeFileAtomic } from './atomic-write.js'
import { type Env, projectConfigPath, syncPaths } from './paths.js'

/** What the sync tools send and from where (SPEC §7). */
export type SyncConfig = {
  readonly syncToolCalls: boolean
  readonly syncThinking: boolean
  readonly redact: boolean
  /** Enabled agents (source ids); null means every agent. */
  readonly agents: readonly string[] | null
  readonly machine: string
}

export type ConfigKey = keyof SyncConfig
export type ConfigOrigin = 'flag' | 'env' | 'project' | 'user' | 'default'

export const CONFIG_KEYS = [
  'syncToolCalls',
  'syncThinking',
  'redact',
  'agents',
  'machine',
] as const satisfies readonly ConfigKey[]

/** Env vars of the sync tools, one per config key (plus the credentials' two). */
export const CONFIG_ENV: Readonly<Record<ConfigKey, string>> = {
  syncToolCalls: 'OPENSYNC_SYNC_TOOL_CALLS',
  syncThinking: 'OPENSYNC_SYNC_THINKING',
  redact: 'OPENSYNC_REDACT',
  agents: 'OPENSYNC_AGENTS',
  machine: 'OPENSYNC_MACHINE',
}

export function defaultConfig(): SyncConfig {
  return {
    syncToolCalls: true,
    syncThinking: true,
    redact: true,
    agents: null,
    machine: hostname(),
  }
}

export type LoadedConfig = {
  readonly config: SyncConfig
  readonly origins: Readonly<Record<ConfigKey, ConfigOrigin>>
  readonly files: { readonly user: string; readonly project: string }
}

type Layer = Partial<Record<ConfigKey, unknown>>

const isKey = (key: string): key is ConfigKey => (CONFIG_KEYS as readonly string[]).includes(key)

/** Parses `value` for `key`; returns an error sentence instead of throwing. */
function check(key: ConfigKey, value: unknown): { value: unknown } | { error: string } {
  switch (key) {
    case 'syncToolCalls':
    case 'syncThinking':
    case 'redact': {
      if (typeof value === 'boolean') return { value }
      if (typeof value === 'string') {
        const v = value.trim().toLowerCase()
        if (['true', '1', 'yes', 'on'].includes(v)) return { value: true }
        if (['false', '0', 'no', 'off'].includes(v)) return { value: false }
      }
      return { error: `${key} must be true or false` }
    }
    case 'agents': {
      if (value === null) return { value: null }
      const list =
        typeof value === 'string'
          ? value.split(',').map((v) => v.trim())
          : Array.isArray(value)
            ? value
            : null
      if (list === null) return { error: 'agents must be a list of agent ids, or "all"' }
      if (list.length === 1 && list[0] === 'all') return { value: null }
      const ids: string[] = []
      for (const item of list) {
        const id = typeof item === 'string' ? normalizeSource(item) : null
        if (id === null || !(SOURCES as readonly string[]).includes(id)) {
          return { error: `agents: "${String(item)}" is not an agent (${SOURCES.join(', ')})` }
        }
        if (!ids.includes(id)) ids.push(id)
      }
      return { value: ids }
    }
    case 'machine':
      return typeof value === 'string' && value.trim() !== ''
        ? { value: value.trim() }
        : { error: 'machine must be a non-empty string' }
  }
}

/** Validates one layer; every bad key is collected, not only the first. */
function validate(layer: Record<string, unknown>, where: string, errors: string[]): Layer {
  const out: Layer = {}
  for (const [key, raw] of Object.entries(layer)) {
    if (key === '$schema' || raw === undefined) continue
    if (!isKey(key)) {
      errors.push(`${where}: unknown key "${key}" (known: ${CONFIG_KEYS.join(', ')})`)
      continue
    }
    const result = check(key, raw)
    if ('error' in result) errors.push(`${where}: ${result.error}`)
    else out[key] = result.value
  }
  return out
}

async function readLayer(file: string, errors: string[]): Promise<Record<string, unknown>> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
    errors.push(`${file}: ${(error as Error).message}`)
    return {}
  }
  try {
    const json: unknown = JSON.parse(text)
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
      return json as Record<string, unknown>
    }
    errors.push(`${file}: must hold a JSON object`)
  } catch (error) {
    errors.push(`${file}: not valid JSON (${(error as Error).message})`)
  }
  return {}
}

/**
 * The effective config: flags, then env, then `./.opensync/config.json`, then
 * `~/.opensync/config.json`, then defaults (HOUSE-STYLE §5.8). Any bad value fails with one
 * message naming every bad key.
 */
export async function loadConfig(
  env: Env,
  cwd: string,
  flags: Partial<Record<ConfigKey, unknown>> = {},
): Promise<LoadedConfig> {
  const files = { user: syncPaths(env).config, project: projectConfigPath(cwd) }
  const errors: string[] = []
  const envLayer: Record<string, unknown> = {}
  for (const key of CONFIG_KEYS) {
    const value = env[CONFIG_ENV[key]]
    if (value !== undefined && value.trim() !== '') envLayer[key] = value
  }
  const layers: [ConfigOrigin, Layer][] = [
    ['flag', validate(flags, 'flag', errors)],
    ['env', validate(envLayer, 'environment', errors)],
    [
      'project',
      files.project === files.user
        ? {}
        : validate(await readLayer(files.project, errors), files.project, errors),
    ],
    ['user', validate(await readLayer(files.user, errors), files.user, errors)],
  ]
  if (errors.length > 0) throw new Error(`bad configuration:\n  ${errors.join('\n  ')}`)
  const defaults = defaultConfig()
  const config: Record<string, unknown> = { ...defaults }
  const origins = Object.fromEntries(CONFIG_KEYS.map((k) => [k, 'default'])) as Record<
    ConfigKey,
    ConfigOrigin
  >
  for (const key of CONFIG_KEYS) {
    const layer = layers.find(([, values]) => key in values)
    if (layer) {
      config[key] = layer[1][key]
      origins[key] = layer[0]
    }
  }
  return { config: config as SyncConfig, origins, files }
}

/** `opensync set <key> <value>`: validates and writes the user config file. */
export async function setConfigValue(env: Env, key: string, raw: string): Promise<unknown> {
  if (!isKey(key)) throw new Error(`unknown key "${key}" (known: ${CONFIG_KEYS.join(', ')})`)
  const result = check(key, raw)
  if ('error' in result) throw new Error(result.error)
  const file = syncPaths(env).config
  const errors: string[] = []
  const current = await readLayer(file, errors)
  if (errors.length > 0) throw new Error(errors.join('\n'))
  const next = { ...current, [key]: result.value }
  if (result.value === null) delete next[key]
  await writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`, 0o600)
  return result.value
}
