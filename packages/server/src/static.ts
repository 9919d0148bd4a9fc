import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serveStatic } from '@hono/node-server/serve-static'
import { AppError } from '@opensync/core'
import { Hono } from 'hono'
import { setCookie } from 'hono/cookie'
import type { AppDeps, AppEnv } from './app-env.js'
import { DASHBOARD_COOKIE, isLocalHostHeader } from './auth/middleware.js'

/** Where `npm run build` leaves the dashboard when OPENSYNC_WEB_DIR is not set. */
export function defaultWebDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../web/dist')
}

const NO_DASHBOARD = `<!doctype html><meta charset="utf-8"><meta name="robots" content="noindex"><title>OpenSync</title>
<p>The OpenSync server is running. The dashboard has not been built; the API is at <code>/api</code> (see <code>/api/openapi.json</code>).</p>`

/**
 * Serves the built dashboard with an SPA fallback. In local mode, loading the page from a
 * loopback host hands the browser the dashboard cookie (SameSite=Strict, HttpOnly).
 */
export function dashboardRoutes(deps: AppDeps) {
  const root = deps.config.webDir ?? defaultWebDir()
  const indexPath = join(root, 'index.html')
  const app = new Hono<AppEnv>()
  // Read once: the build does not change under a running server.
  const html = existsSync(indexPath) ? readFileSync(indexPath, 'utf8') : NO_DASHBOARD
  if (existsSync(root)) app.use('/assets/*', serveStatic({ root }))
  app.get('*', (c) => {
    if (/^\/(api|sync)(\/|$)/.test(c.req.path)) {
      throw new AppError('not-found', `No route GET ${c.req.path}`)
    }
    if (
      deps.config.auth === 'local' &&
      isLocalHostHeader(c.req.header('host'), deps.config.publicUrl)
    ) {
      setCookie(c, DASHBOARD_COOKIE, deps.dashboardSecret, {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
      })
    }
    return c.html(html)
  })
  return app
}
