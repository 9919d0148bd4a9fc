import { createSyncClient } from './client.js'
import type { ResolvedCredentials } from './credentials.js'
import { SyncError } from './errors.js'

export type Check = { readonly ok: boolean; readonly detail: string }

export type ConnectionReport = {
  readonly credentials: Check
  readonly server: Check
  readonly auth: Check
  readonly version: string | null
}

const message = (error: unknown) =>
  error instanceof SyncError || error instanceof Error ? error.message : String(error)

/** Credentials present? `GET /health` answers? `GET /api/me` accepts the key? */
export async function checkConnection(
  creds: ResolvedCredentials,
  timeoutMs = 10_000,
): Promise<ConnectionReport> {
  const missing = [creds.url ? null : 'server URL', creds.apiKey ? null : 'API key'].filter(
    (m): m is string => m !== null,
  )
  const credentials: Check =
    missing.length === 0
      ? {
          ok: true,
          detail: `${creds.url} (url from ${creds.urlFrom}, key from ${creds.apiKeyFrom})`,
        }
      : { ok: false, detail: `no ${missing.join(' and no ')}: run \`opensync login\`` }
  if (!creds.url) {
    const skipped = { ok: false, detail: 'not checked (no server URL)' }
    return { credentials, server: skipped, auth: skipped, version: null }
  }
  const client = createSyncClient({ url: creds.url, apiKey: creds.apiKey, timeoutMs })
  let server: Check
  let version: string | null = null
  try {
    const started = Date.now()
    const health = await client.health()
    version = health.version
    server = { ok: true, detail: `OpenSync ${health.version}, ${Date.now() - started} ms` }
  } catch (error) {
    server = { ok: false, detail: message(error) }
  }
  let auth: Check
  if (!server.ok) auth = { ok: false, detail: 'not checked (server unreachable)' }
  else if (!creds.apiKey) auth = { ok: false, detail: 'no API key' }
  else {
    try {
      const me = await client.me()
      auth = { ok: true, detail: `key accepted (user ${me.name ?? me.email ?? me.id})` }
    } catch (error) {
      auth = { ok: false, detail: message(error) }
    }
  }
  return { credentials, server, auth, version }
}

export const mark = (check: Check) => (check.ok ? '✓' : '✗')
