import { Hono } from 'hono'
import type { AppDeps, AppEnv } from '../app-env.js'

/** `GET /health` (plugin protocol) and `GET /api/health`: no auth. */
export function healthRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get('/', (c) =>
    c.json({ status: 'ok' as const, timestamp: Date.now(), version: deps.config.version }),
  )
}
