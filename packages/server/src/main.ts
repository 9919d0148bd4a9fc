import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { type App, createApp } from './app.js'
import type { AppDeps } from './app-env.js'
import type { ServerConfig } from './config.js'
import { createLogger, type Logger } from './logger.js'
import { createRateLimiter } from './rate-limit.js'
import { createEventBus } from './realtime/bus.js'
import { openStore, type Store } from './store/db.js'
import { ensureLocalUser } from './store/users.js'

export type RunningServer = {
  readonly url: string
  readonly app: App
  readonly store: Store
  readonly deps: AppDeps
  close(): Promise<void>
}

/** Builds the app around an open store (tests use this with `app.request()`). */
export async function createDeps(
  store: Store,
  config: ServerConfig,
  logger: Logger = createLogger(config.logLevel),
): Promise<AppDeps> {
  if (config.auth === 'local') await ensureLocalUser(store)
  return {
    store,
    config,
    bus: createEventBus(),
    logger,
    rateLimiter: createRateLimiter(config.rateLimitPerMinute),
    dashboardSecret: randomBytes(32).toString('base64url'),
  }
}

/** Opens the database, migrates it and listens (port 0 picks a free port). */
export async function startServer(config: ServerConfig, logger?: Logger): Promise<RunningServer> {
  const store = await openStore(config.databaseUrl)
  const deps = await createDeps(store, config, logger)
  const app = createApp(deps)
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () =>
      resolve(s),
    )
    s.once('error', reject)
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `http://${host}:${address.port}`
  deps.logger.info('listening', { url, auth: config.auth, database: redactUrl(config.databaseUrl) })
  return {
    url,
    app,
    store,
    deps,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        if ('closeAllConnections' in server) server.closeAllConnections()
      })
      await store.close()
    },
  }
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@')
}
