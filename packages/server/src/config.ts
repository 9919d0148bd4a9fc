import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { z } from 'zod'
import { parseTrustedProxies, type TrustedProxies } from './auth/trusted-proxies.js'

/** Every environment variable the server reads (SPEC §3), in one place. */
export const ENV = {
  HOST: 'OPENSYNC_HOST',
  PORT: 'OPENSYNC_PORT',
  DATA_DIR: 'OPENSYNC_DATA_DIR',
  DATABASE_URL: 'OPENSYNC_DATABASE_URL',
  AUTH: 'OPENSYNC_AUTH',
  TRUSTED_PROXIES: 'OPENSYNC_TRUSTED_PROXIES',
  PUBLIC_URL: 'OPENSYNC_PUBLIC_URL',
  BODY_LIMIT: 'OPENSYNC_BODY_LIMIT',
  MAX_BATCH_ITEMS: 'OPENSYNC_MAX_BATCH_ITEMS',
  MAX_TEXT_BYTES: 'OPENSYNC_MAX_TEXT_BYTES',
  RATE_LIMIT: 'OPENSYNC_RATE_LIMIT',
  LOG_LEVEL: 'OPENSYNC_LOG_LEVEL',
  WEB_DIR: 'OPENSYNC_WEB_DIR',
} as const

/** Flags of `opensync serve` that override the env vars above. */
export const FLAG_TO_ENV: Readonly<Record<string, string>> = {
  host: ENV.HOST,
  port: ENV.PORT,
  'data-dir': ENV.DATA_DIR,
  'database-url': ENV.DATABASE_URL,
  auth: ENV.AUTH,
}

export const DEFAULT_PORT = 8484
const MIB = 1024 * 1024

const positiveInt = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .nonnegative(`${name} must not be negative`)

const rawConfigSchema = z.object({
  [ENV.HOST]: z.string().trim().min(1).default('127.0.0.1'),
  [ENV.PORT]: positiveInt(ENV.PORT)
    .max(65535, `${ENV.PORT} must be at most 65535`)
    .default(DEFAULT_PORT),
  [ENV.DATA_DIR]: z.string().trim().min(1).optional(),
  [ENV.DATABASE_URL]: z.string().trim().min(1).optional(),
  [ENV.AUTH]: z
    .enum(['local', 'proxy'], { error: `${ENV.AUTH} must be "local" or "proxy"` })
    .optional(),
  [ENV.TRUSTED_PROXIES]: z.string().optional(),
  [ENV.PUBLIC_URL]: z.url({ error: `${ENV.PUBLIC_URL} must be an absolute URL` }).optional(),
  [ENV.BODY_LIMIT]: positiveInt(ENV.BODY_LIMIT).default(32 * MIB),
  [ENV.MAX_BATCH_ITEMS]: positiveInt(ENV.MAX_BATCH_ITEMS).default(10_000),
  [ENV.MAX_TEXT_BYTES]: positiveInt(ENV.MAX_TEXT_BYTES).default(4 * MIB),
  [ENV.RATE_LIMIT]: positiveInt(ENV.RATE_LIMIT).default(6000),
  [ENV.LOG_LEVEL]: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  [ENV.WEB_DIR]: z.string().optional(),
})

export type AuthMode = 'local' | 'proxy'

export type ServerConfig = {
  readonly host: string
  readonly port: number
  readonly dataDir: string
  readonly databaseUrl: string
  readonly auth: AuthMode
  readonly trustedProxies: TrustedProxies
  readonly publicUrl: string | null
  readonly bodyLimitBytes: number
  readonly maxBatchItems: number
  readonly maxTextBytes: number
  /** Requests per minute per API key; 0 turns the limit off. */
  readonly rateLimitPerMinute: number
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent'
  /** Folder of the built dashboard, served at `/` when it exists. */
  readonly webDir: string | null
  readonly version: string
}

export const VERSION = '0.1.0'

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host)
}

export function defaultDataDir(env: Readonly<Record<string, string | undefined>>): string {
  const xdg = env.XDG_DATA_HOME
  if (xdg && isAbsolute(xdg)) return join(xdg, 'opensync')
  return join(env.HOME || homedir(), '.local', 'share', 'opensync')
}

/**
 * Reads the server configuration from env vars, overridden by `flags` (names as in
 * FLAG_TO_ENV). Throws one Error naming every bad key.
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  flags: Readonly<Record<string, string | undefined>> = {},
): ServerConfig {
  const merged: Record<string, string | undefined> = {}
  for (const key of Object.values(ENV)) {
    const value = env[key]
    merged[key] = value === '' ? undefined : value
  }
  for (const [flag, value] of Object.entries(flags)) {
    const key = FLAG_TO_ENV[flag]
    if (key && value !== undefined) merged[key] = value
  }
  const problems: string[] = []
  const parsed = rawConfigSchema.safeParse(merged)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '')
      problems.push(issue.message.startsWith(key) ? issue.message : `${key}: ${issue.message}`)
    }
    throw configError(problems)
  }
  const raw = parsed.data
  const host = raw[ENV.HOST]
  const loopback = isLoopbackHost(host)
  const auth: AuthMode = raw[ENV.AUTH] ?? 'local'
  if (!loopback && raw[ENV.AUTH] === undefined) {
    problems.push(
      `${ENV.AUTH}: must be set to "proxy" when binding to ${host}, a non-loopback address (local mode has no login)`,
    )
  } else if (!loopback && auth === 'local') {
    problems.push(
      `${ENV.AUTH}: "local" is only allowed on a loopback address, not ${host}; use "proxy"`,
    )
  }
  let trustedProxies: TrustedProxies = parseTrustedProxies('')
  try {
    trustedProxies = parseTrustedProxies(raw[ENV.TRUSTED_PROXIES] ?? '')
  } catch (error) {
    problems.push(`${ENV.TRUSTED_PROXIES}: ${(error as Error).message}`)
  }
  const dataDir = raw[ENV.DATA_DIR] ?? defaultDataDir(env)
  const databaseUrl = raw[ENV.DATABASE_URL] ?? `file:${join(dataDir, 'opensync.db')}`
  if (!/^(file:|sqlite:|postgres:|postgresql:|:memory:)/.test(databaseUrl)) {
    problems.push(
      `${ENV.DATABASE_URL}: must start with file:, sqlite:, postgres:// or postgresql:// (got "${databaseUrl.slice(0, 40)}")`,
    )
  }
  if (problems.length > 0) throw configError(problems)
  return {
    host,
    port: raw[ENV.PORT],
    dataDir,
    databaseUrl,
    auth,
    trustedProxies,
    publicUrl: raw[ENV.PUBLIC_URL] ?? null,
    bodyLimitBytes: raw[ENV.BODY_LIMIT],
    maxBatchItems: raw[ENV.MAX_BATCH_ITEMS],
    maxTextBytes: raw[ENV.MAX_TEXT_BYTES],
    rateLimitPerMinute: raw[ENV.RATE_LIMIT],
    logLevel: raw[ENV.LOG_LEVEL],
    webDir: raw[ENV.WEB_DIR] ?? null,
    version: VERSION,
  }
}

function configError(problems: readonly string[]): Error {
  return new Error(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
}
