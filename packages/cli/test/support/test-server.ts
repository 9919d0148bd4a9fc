// A real OpenSync server for the sync tests: SQLite in a temp data dir, a real port, an API key,
// and a count of the batches it ingested (the `sync.completed` event of every /sync/batch).
import type { StatsResponse } from '@opensync/core/wire'
import {
  createApiKey,
  ensureLocalUser,
  loadConfig,
  type RunningServer,
  startServer,
} from '@opensync/server'

export type TestServer = {
  readonly url: string
  readonly key: string
  readonly dataDir: string
  /** `/sync/batch` requests ingested so far (across restarts). */
  readonly batches: number
  /** Called synchronously inside the request that ingested a batch, before it answers. */
  onBatch(listener: (count: number) => void): void
  isRunning(): boolean
  stop(): Promise<void>
  /** Starts again on the same port and data dir. */
  start(): Promise<unknown>
  api<T>(path: string): Promise<T>
  stats(query?: string): Promise<StatsResponse>
}

export async function bootServer(
  dataDir: string,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<TestServer> {
  let running: RunningServer | null = null
  let port = 0
  let batches = 0
  let key = ''
  const listeners: ((count: number) => void)[] = []

  async function start(): Promise<RunningServer> {
    const config = loadConfig({
      OPENSYNC_DATA_DIR: dataDir,
      OPENSYNC_PORT: String(port),
      OPENSYNC_HOST: '127.0.0.1',
      OPENSYNC_LOG_LEVEL: 'silent',
      OPENSYNC_RATE_LIMIT: '0',
      ...extraEnv,
    })
    const server = await startServer(config)
    running = server
    port = Number(new URL(server.url).port)
    const user = await ensureLocalUser(server.store)
    server.deps.bus.subscribe(user.id, (event) => {
      if (event.type !== 'sync.completed') return
      batches += 1
      for (const listener of [...listeners]) listener(batches)
    })
    return server
  }

  key = (await createApiKey((await start()).store, { name: 'sync tests' })).key
  const url = `http://127.0.0.1:${port}`

  const self: TestServer = {
    url,
    get key() {
      return key
    },
    dataDir,
    get batches() {
      return batches
    },
    onBatch(listener) {
      listeners.push(listener)
    },
    isRunning: () => running !== null,
    async stop() {
      const server = running
      running = null
      await server?.close()
    },
    start,
    async api<T>(path: string): Promise<T> {
      const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } })
      const text = await res.text()
      if (res.status !== 200) throw new Error(`GET ${path} → ${res.status} ${text}`)
      return JSON.parse(text) as T
    },
    stats: (query = '') => self.api<StatsResponse>(`/api/stats${query ? `?${query}` : ''}`),
  }
  return self
}
