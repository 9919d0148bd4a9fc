import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { createLogger } from '../src/logger.js'
import { createDeps } from '../src/main.js'
import { createApiKey } from '../src/store/api-keys.js'
import { openStore } from '../src/store/db.js'
import { ensureUser } from '../src/store/users.js'

export type Harness = Awaited<ReturnType<typeof createHarness>>

/** A real app over a real SQLite file in a temp dir, with one API key for the local user. */
export async function createHarness(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'opensync-test-'))
  const config = loadConfig({ OPENSYNC_DATA_DIR: dir, OPENSYNC_LOG_LEVEL: 'silent', ...env })
  const store = await openStore(config.databaseUrl)
  const deps = await createDeps(store, config, createLogger('silent'))
  const app = createApp(deps)
  const { key } = await createApiKey(store, { name: 'test' })

  async function request(
    method: string,
    path: string,
    body?: unknown,
    options: { key?: string | null; headers?: Record<string, string>; env?: unknown } = {},
  ) {
    const headers: Record<string, string> = { ...options.headers }
    const useKey = options.key === undefined ? key : options.key
    if (useKey) headers.authorization = `Bearer ${useKey}`
    if (body !== undefined) headers['content-type'] ??= 'application/json'
    const res = await app.request(
      path,
      {
        method,
        headers,
        body:
          body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      },
      options.env,
    )
    const text = await res.text()
    let json: unknown = null
    try {
      json = JSON.parse(text)
    } catch {
      json = null
    }
    // biome-ignore lint/suspicious/noExplicitAny: tests read response fields freely
    return { status: res.status, headers: res.headers, text, json: json as any }
  }

  /** A second user with their own key (proxy-style identity, same database). */
  async function otherUserKey(subject = 'proxy:mallory'): Promise<string> {
    const user = await ensureUser(store, { subject })
    return (await createApiKey(store, { userId: user.id, name: 'other' })).key
  }

  return {
    dir,
    config,
    store,
    deps,
    app,
    key,
    request,
    get: (path: string, options?: Parameters<typeof request>[3]) =>
      request('GET', path, undefined, options),
    post: (path: string, body: unknown, options?: Parameters<typeof request>[3]) =>
      request('POST', path, body, options),
    otherUserKey,
    async close() {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
