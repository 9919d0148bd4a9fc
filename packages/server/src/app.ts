import { randomUUID } from 'node:crypto'
import { AppError, type ErrorCode } from '@opensync/core'
import type { ErrorEnvelope } from '@opensync/core/wire'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AppDeps, AppEnv } from './app-env.js'
import { requireCaller } from './auth/middleware.js'
import { eventRoutes } from './routes/events.js'
import { exportRoutes } from './routes/export.js'
import { healthRoutes } from './routes/health.js'
import { accountRoutes } from './routes/keys.js'
import { openApiRoutes } from './routes/openapi.js'
import { searchRoutes } from './routes/search.js'
import { sessionRoutes } from './routes/sessions.js'
import { statsRoutes } from './routes/stats.js'
import { syncRoutes } from './routes/sync.js'
import { dashboardRoutes } from './static.js'

/** The one table from error code to HTTP status. */
const STATUS: Readonly<Record<ErrorCode, ContentfulStatusCode>> = {
  'invalid-request': 400,
  'invalid-json': 400,
  'unsupported-format': 400,
  'not-configured': 400,
  unauthorized: 401,
  'invalid-api-key': 401,
  forbidden: 403,
  'not-found': 404,
  'payload-too-large': 413,
  'batch-too-large': 413,
  'rate-limited': 429,
  internal: 500,
}

function envelope(code: ErrorCode, message: string, details?: unknown): ErrorEnvelope {
  return details === undefined ? { error: message, code } : { error: message, code, details }
}

export function createApp(deps: AppDeps) {
  const { logger, config } = deps
  const api = new Hono<AppEnv>()
    .route('/health', healthRoutes(deps))
    .route('/openapi.json', openApiRoutes(deps))
    .use(requireCaller(deps))
    .route('/sessions', sessionRoutes(deps))
    .route('/search', searchRoutes(deps))
    .route('/', statsRoutes(deps))
    .route('/export', exportRoutes(deps))
    .route('/events', eventRoutes(deps))
    .route('/', accountRoutes(deps))

  // `//sync/session` (a base URL with a trailing slash, as claude-code-sync builds it) routes
  // like `/sync/session`.
  const app = new Hono<AppEnv>({
    getPath: (req) => new URL(req.url).pathname.replace(/\/{2,}/g, '/'),
  })
  app.use(async (c, next) => {
    const requestId = c.req.header('x-request-id')?.slice(0, 100) || randomUUID()
    c.set('requestId', requestId)
    const started = performance.now()
    await next()
    c.header('X-Request-Id', requestId)
    logger.info('request', {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    })
  })
  app.use('/api/*', cors({ origin: '*', allowHeaders: ['Authorization', 'Content-Type'] }))
  app.use('/sync/*', cors({ origin: '*', allowHeaders: ['Authorization', 'Content-Type'] }))
  app.use(
    bodyLimit({
      maxSize: config.bodyLimitBytes,
      onError: () => {
        throw new AppError(
          'payload-too-large',
          `The request body is larger than ${config.bodyLimitBytes} bytes; send smaller batches`,
          { details: { limitBytes: config.bodyLimitBytes } },
        )
      },
    }),
  )
  app.onError((error, c) => {
    if (error instanceof AppError) {
      return c.json(envelope(error.code, error.message, error.details), STATUS[error.code])
    }
    if (error instanceof HTTPException && error.status < 500) {
      const code: ErrorCode = error.status === 413 ? 'payload-too-large' : 'invalid-request'
      return c.json(envelope(code, error.message || 'Bad request'), STATUS[code])
    }
    logger.error('unhandled error', {
      requestId: c.get('requestId'),
      path: c.req.path,
      error:
        error instanceof Error
          ? { name: error.name, message: error.message, stack: error.stack }
          : String(error),
    })
    return c.json(
      envelope('internal', `Internal error; see the server log for request ${c.get('requestId')}`),
      500,
    )
  })
  app.notFound((c) => c.json(envelope('not-found', `No route ${c.req.method} ${c.req.path}`), 404))

  const routes = app
    .route('/health', healthRoutes(deps))
    .route('/sync', syncRoutes(deps))
    .route('/api', api)
  routes.route('/', dashboardRoutes(deps))
  return routes
}

export type App = ReturnType<typeof createApp>
