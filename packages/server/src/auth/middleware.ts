import { timingSafeEqual } from 'node:crypto'
import { AppError } from '@opensync/core'
import type { Context, MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import type { AppDeps, AppEnv, Caller } from '../app-env.js'
import { isLoopbackHost } from '../config.js'
import { findKeyOwner } from '../store/api-keys.js'
import { ensureLocalUser, ensureUser } from '../store/users.js'

export const DASHBOARD_COOKIE = 'opensync_dashboard'

const IDENTITY_HEADERS = {
  user: ['remote-user', 'x-forwarded-user'],
  email: ['remote-email', 'x-forwarded-email'],
  name: ['remote-name', 'x-forwarded-preferred-username'],
} as const

type NodeBindings = { incoming?: { socket?: { remoteAddress?: string } } }

/** The TCP peer's address (node-server sets `c.env.incoming`). */
export function peerAddress(c: Context): string | undefined {
  return (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress
}

function header(c: Context, names: readonly string[]): string | null {
  for (const name of names) {
    const value = c.req.header(name)?.trim()
    if (value) return value
  }
  return null
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Host header names a loopback address (guards the local cookie against DNS rebinding). */
export function isLocalHostHeader(host: string | undefined, publicUrl: string | null): boolean {
  if (!host) return false
  if (publicUrl && new URL(publicUrl).host === host) return true
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]
  return isLoopbackHost(name ?? '')
}

async function identify(c: Context<AppEnv>, deps: AppDeps): Promise<Caller> {
  const authorization = c.req.header('authorization')
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization)
    if (!match?.[1]) {
      throw new AppError('unauthorized', 'Authorization must be "Bearer <api key>"')
    }
    const owner = await findKeyOwner(deps.store, match[1])
    if (!owner) throw new AppError('invalid-api-key', 'Unknown or revoked API key')
    return { userId: owner.userId, via: 'api-key', keyId: owner.keyId }
  }
  const user = header(c, IDENTITY_HEADERS.user)
  if (deps.config.auth === 'proxy') {
    if (!user) {
      throw new AppError('unauthorized', 'Sign in through the proxy, or send an API key')
    }
    if (!deps.config.trustedProxies.has(peerAddress(c))) {
      throw new AppError(
        'unauthorized',
        'Identity headers were sent by a peer that is not in OPENSYNC_TRUSTED_PROXIES',
      )
    }
    const found = await ensureUser(deps.store, {
      subject: `proxy:${user}`,
      email: header(c, IDENTITY_HEADERS.email),
      name: header(c, IDENTITY_HEADERS.name),
    })
    return { userId: found.id, via: 'proxy', keyId: null }
  }
  const cookie = getCookie(c, DASHBOARD_COOKIE)
  if (cookie && safeEqual(cookie, deps.dashboardSecret)) {
    const local = await ensureLocalUser(deps.store)
    return { userId: local.id, via: 'dashboard', keyId: null }
  }
  throw new AppError(
    'unauthorized',
    'An API key is required: send "Authorization: Bearer os_…" (create one with `opensync keys create --name <name>`)',
  )
}

/** Authenticates the caller and applies the per-key rate limit. */
export function requireCaller(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const caller = await identify(c, deps)
    const wait = deps.rateLimiter.take(
      caller.keyId !== null ? `key:${caller.keyId}` : `user:${caller.userId}`,
    )
    if (wait > 0) {
      c.header('Retry-After', String(wait))
      throw new AppError('rate-limited', `Too many requests; retry in ${wait} s`, {
        details: { retryAfterSeconds: wait },
      })
    }
    c.set('caller', caller)
    await next()
  }
}
