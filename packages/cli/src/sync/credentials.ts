import { readFile, rm } from 'node:fs/promises'
import { writeFileAtomic } from './atomic-write.js'
import { normalizeServerUrl } from './client.js'
import { type Env, syncPaths } from './paths.js'

export const CREDENTIAL_ENV = { URL: 'OPENSYNC_URL', API_KEY: 'OPENSYNC_API_KEY' } as const

/** Field names older plugins wrote for the server URL (pocketbase edition, Convex). */
const URL_ALIASES = ['url', 'pocketbaseUrl', 'convexUrl'] as const

export type Credentials = { readonly url: string; readonly apiKey: string }

export type CredentialOrigin = 'flag' | 'env' | 'file' | 'none'

export type ResolvedCredentials = {
  readonly url: string | null
  readonly apiKey: string | null
  readonly urlFrom: CredentialOrigin
  readonly apiKeyFrom: CredentialOrigin
  readonly file: string
}

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null
}

/** `~/.opensync/credentials.json`, or null when there is none. A broken file is an error. */
export async function readCredentialsFile(
  env: Env,
): Promise<{ url: string | null; apiKey: string | null } | null> {
  const file = syncPaths(env).credentials
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new Error(`cannot read ${file}: ${(error as Error).message}`, { cause: error })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (cause) {
    throw new Error(`${file} is not valid JSON; run \`opensync login\` to rewrite it`, { cause })
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error(`${file} must hold an object { "url", "apiKey" }`)
  }
  const record = json as Record<string, unknown>
  const url = URL_ALIASES.map((k) => nonEmpty(record[k])).find((v) => v !== null) ?? null
  return { url, apiKey: nonEmpty(record.apiKey) }
}

/** Flag, then env (`OPENSYNC_URL`, `OPENSYNC_API_KEY`), then the credentials file. */
export async function resolveCredentials(
  env: Env,
  flags: { readonly url?: string; readonly apiKey?: string } = {},
): Promise<ResolvedCredentials> {
  const file = await readCredentialsFile(env)
  const pick = (flag: string | undefined, envValue: string | undefined, fromFile: unknown) => {
    if (nonEmpty(flag)) return { value: nonEmpty(flag), from: 'flag' as const }
    if (nonEmpty(envValue)) return { value: nonEmpty(envValue), from: 'env' as const }
    if (nonEmpty(fromFile)) return { value: nonEmpty(fromFile), from: 'file' as const }
    return { value: null, from: 'none' as const }
  }
  const url = pick(flags.url, env[CREDENTIAL_ENV.URL], file?.url)
  const apiKey = pick(flags.apiKey, env[CREDENTIAL_ENV.API_KEY], file?.apiKey)
  return {
    url: url.value === null ? null : normalizeServerUrl(url.value),
    apiKey: apiKey.value,
    urlFrom: url.from,
    apiKeyFrom: apiKey.from,
    file: syncPaths(env).credentials,
  }
}

/** Like `resolveCredentials`, but both values must be there. */
export async function requireCredentials(
  env: Env,
  flags: { readonly url?: string; readonly apiKey?: string } = {},
): Promise<Credentials & { readonly resolved: ResolvedCredentials }> {
  const resolved = await resolveCredentials(env, flags)
  if (!resolved.url || !resolved.apiKey) {
    const missing = [
      resolved.url ? null : `a server URL (${CREDENTIAL_ENV.URL})`,
      resolved.apiKey ? null : `an API key (${CREDENTIAL_ENV.API_KEY})`,
    ].filter((m) => m !== null)
    throw new Error(`not logged in: no ${missing.join(' and no ')}. Run \`opensync login\`.`)
  }
  return { url: resolved.url, apiKey: resolved.apiKey, resolved }
}

/** Writes `{ url, apiKey }` with mode 0600 (atomically), returning the file's path. */
export async function writeCredentials(env: Env, credentials: Credentials): Promise<string> {
  const file = syncPaths(env).credentials
  const body = { url: normalizeServerUrl(credentials.url), apiKey: credentials.apiKey }
  await writeFileAtomic(file, `${JSON.stringify(body, null, 2)}\n`, 0o600)
  return file
}

/** Sets one of the two fields, keeping the other (`opensync set url|apiKey …`). */
export async function updateCredentials(
  env: Env,
  patch: { readonly url?: string; readonly apiKey?: string },
): Promise<string> {
  const current = await readCredentialsFile(env)
  const url = patch.url === undefined ? current?.url : normalizeServerUrl(patch.url)
  const apiKey = patch.apiKey ?? current?.apiKey
  const file = syncPaths(env).credentials
  await writeFileAtomic(file, `${JSON.stringify({ url, apiKey }, null, 2)}\n`, 0o600)
  return file
}

/** Removes the credentials file; false when there was none. */
export async function removeCredentials(env: Env): Promise<boolean> {
  const file = syncPaths(env).credentials
  const existed = (await readCredentialsFile(env).catch(() => ({}))) !== null
  await rm(file, { force: true })
  return existed
}

/** `os_AbCd…` — enough to recognise a key, never enough to use it. */
export function maskKey(key: string | null): string | null {
  if (key === null) return null
  const prefix = /^(os_|osk_)/.exec(key)?.[0] ?? ''
  return `${key.slice(0, prefix.length + 4)}…`
}
