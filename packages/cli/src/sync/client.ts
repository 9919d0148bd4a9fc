import {
  type BatchSyncResponse,
  batchSyncResponseSchema,
  healthResponseSchema,
  type MeResponse,
  meResponseSchema,
} from '@opensync/core/wire'
import { errorFromFailure, errorFromResponse, SyncError } from './errors.js'
import type { WireMessage, WireSession } from './payload.js'

export const DEFAULT_TIMEOUT_MS = 60_000

export type Health = { readonly status: 'ok'; readonly timestamp: number; readonly version: string }

export type BatchBody = {
  readonly sessions: readonly WireSession[]
  readonly messages: readonly WireMessage[]
}

export type SyncClientOptions = {
  readonly url: string
  readonly apiKey: string | null
  readonly timeoutMs?: number
  readonly fetch?: typeof fetch
}

type Schema<T> = {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: unknown }
}

/** The server's sync and read API, as the CLI uses it. Every failure is a `SyncError`. */
export type SyncClient = {
  readonly url: string
  health(signal?: AbortSignal): Promise<Health>
  me(signal?: AbortSignal): Promise<MeResponse>
  /** `POST /sync/batch` with an already-serialised body (the queue stores bodies as text). */
  batch(body: string, signal?: AbortSignal): Promise<BatchSyncResponse>
  session(session: WireSession, signal?: AbortSignal): Promise<{ sessionId: string }>
  message(message: WireMessage, signal?: AbortSignal): Promise<{ messageId: string }>
  /** `GET /api/sessions/get?id=`: the session (by id or externalId) with its messages. */
  getSession(id: string, signal?: AbortSignal): Promise<unknown>
}

/** Strips trailing slashes; throws a plain Error for anything but an http(s) URL. */
export function normalizeServerUrl(raw: string): string {
  const trimmed = raw.trim()
  let parsed: URL
  try {
    parsed = new URL(trimmed)
  } catch {
    throw new Error(`"${raw}" is not a URL (expected e.g. http://127.0.0.1:8484)`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`"${raw}" must start with http:// or https://`)
  }
  return trimmed.replace(/\/+$/, '')
}

export function createSyncClient(options: SyncClientOptions): SyncClient {
  const base = normalizeServerUrl(options.url)
  const doFetch = options.fetch ?? globalThis.fetch
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS

  async function request<T>(
    method: 'GET' | 'POST',
    path: string,
    schema: Schema<T>,
    init: { body?: string; auth?: boolean; signal?: AbortSignal } = {},
  ): Promise<T> {
    const url = `${base}${path}`
    const headers: Record<string, string> = { accept: 'application/json' }
    if (init.body !== undefined) headers['content-type'] = 'application/json'
    if (init.auth !== false) {
      if (!options.apiKey) {
        throw new SyncError('no API key configured (run `opensync login`)', {
          code: 'missing-api-key',
        })
      }
      headers.authorization = `Bearer ${options.apiKey}`
    }
    const timeout = AbortSignal.timeout(timeoutMs)
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout
    let response: Response
    let text: string
    try {
      response = await doFetch(url, { method, headers, body: init.body, signal })
      text = await response.text()
    } catch (error) {
      throw errorFromFailure(error, base, timeout.aborted)
    }
    if (!response.ok) {
      throw errorFromResponse(response.status, text, url, response.headers.get('retry-after'))
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (cause) {
      throw invalidResponse(url, response.status, cause)
    }
    const parsed = schema.safeParse(json)
    if (!parsed.success) throw invalidResponse(url, response.status, parsed.error)
    return parsed.data
  }

  const anything: Schema<unknown> = { safeParse: (data) => ({ success: true, data }) }
  const withField = <K extends string>(key: K): Schema<Record<K, string>> => ({
    safeParse: (data) => {
      const value = (data as Record<string, unknown> | null)?.[key]
      return value === undefined || value === null
        ? { success: false, error: `no ${key}` }
        : { success: true, data: { [key]: String(value) } as Record<K, string> }
    },
  })

  return {
    url: base,
    health: (signal) => request('GET', '/health', healthResponseSchema, { auth: false, signal }),
    me: (signal) => request('GET', '/api/me', meResponseSchema, { signal }),
    batch: (body, signal) =>
      request('POST', '/sync/batch', batchSyncResponseSchema, { body, signal }),
    session: (session, signal) =>
      request('POST', '/sync/session', withField('sessionId'), {
        body: JSON.stringify(session),
        signal,
      }),
    message: (message, signal) =>
      request('POST', '/sync/message', withField('messageId'), {
        body: JSON.stringify(message),
        signal,
      }),
    getSession: (id, signal) =>
      request('GET', `/api/sessions/get?id=${encodeURIComponent(id)}`, anything, { signal }),
  }
}

function invalidResponse(url: string, status: number, cause: unknown): SyncError {
  return new SyncError(`${url} answered ${status} with something that is not OpenSync's JSON`, {
    status,
    code: 'invalid-response',
    cause,
  })
}
