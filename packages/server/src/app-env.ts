import type { ServerConfig } from './config.js'
import type { Logger } from './logger.js'
import type { RateLimiter } from './rate-limit.js'
import type { EventBus } from './realtime/bus.js'
import type { Store } from './store/db.js'

export type Caller = {
  readonly userId: number
  readonly via: 'api-key' | 'dashboard' | 'proxy'
  /** The key's id when authenticated by API key (rate limits are per key). */
  readonly keyId: number | null
}

export type AppDeps = {
  readonly store: Store
  readonly config: ServerConfig
  readonly bus: EventBus
  readonly logger: Logger
  readonly rateLimiter: RateLimiter
  /** Secret of the local dashboard cookie (local mode), new every process. */
  readonly dashboardSecret: string
}

/** Hono's context variables for every route. */
export type AppEnv = {
  Variables: {
    caller: Caller
    requestId: string
  }
}
