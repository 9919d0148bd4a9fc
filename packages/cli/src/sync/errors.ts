import { errorEnvelopeSchema } from '@opensync/core/wire'

export type SyncErrorInit = {
  /** HTTP status, null when no response arrived. */
  readonly status?: number | null
  /** Kebab-case: the server's envelope code, or one of ours (`connection-refused`, …). */
  readonly code: string
  readonly isNetwork?: boolean
  readonly isAbort?: boolean
  /** Whether sending the same request again may succeed (network, 408, 429, 5xx). */
  readonly retryable?: boolean
  /** From `Retry-After` on 429/503, in ms. */
  readonly retryAfterMs?: number | null
  readonly details?: unknown
  readonly cause?: unknown
}

/**
 * Every failure of the sync client, normalised (HOUSE-STYLE §5.8, pocketbase's
 * `ClientResponseError`): HTTP errors carry the server's envelope, network failures a
 * targeted message.
 */
export class SyncError extends Error {
  readonly status: number | null
  readonly code: string
  readonly isNetwork: boolean
  readonly isAbort: boolean
  readonly retryable: boolean
  readonly retryAfterMs: number | null
  readonly details: unknown

  constructor(message: string, init: SyncErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause })
    this.name = 'SyncError'
    this.status = init.status ?? null
    this.code = init.code
    this.isNetwork = init.isNetwork ?? false
    this.isAbort = init.isAbort ?? false
    this.retryable = init.retryable ?? false
    this.retryAfterMs = init.retryAfterMs ?? null
    this.details = init.details
  }

  /** The key is wrong or revoked: no request will work until the user logs in again. */
  get isAuth(): boolean {
    return this.status === 401 || this.status === 403
  }

  /** Field by field, never the raw error (HOUSE-STYLE §5.9.7). */
  toJSON(): Record<string, unknown> {
    return {
      error: this.message,
      code: this.code,
      status: this.status,
      ...(this.details === undefined ? {} : { details: this.details }),
    }
  }
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504])

/** Seconds or an HTTP date, as `Retry-After` allows; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000))
  const date = Date.parse(value)
  return Number.isFinite(date) ? Math.max(0, date - now) : null
}

/** An HTTP error response: the server's `{error, code, details}` when it sent one. */
export function errorFromResponse(
  status: number,
  bodyText: string,
  url: string,
  retryAfter: string | null,
): SyncError {
  let envelope: { error: string; code: string; details?: unknown } | null = null
  try {
    const parsed = errorEnvelopeSchema.safeParse(JSON.parse(bodyText))
    if (parsed.success) envelope = parsed.data
  } catch {
    envelope = null
  }
  const fallback =
    status === 401
      ? 'the server rejected the API key (run `opensync login`)'
      : status === 404
        ? `${url} was not found: is this an OpenSync server?`
        : `HTTP ${status}${bodyText.trim() ? `: ${bodyText.trim().slice(0, 200)}` : ''}`
  return new SyncError(envelope ? `${envelope.error} (HTTP ${status})` : fallback, {
    status,
    code: envelope?.code ?? `http-${status}`,
    retryable: RETRYABLE_STATUS.has(status) || status >= 500,
    retryAfterMs: status === 429 || status === 503 ? parseRetryAfter(retryAfter) : null,
    details: envelope?.details,
  })
}

type ErrnoLike = { code?: unknown; cause?: unknown; errors?: unknown }

/** The first errno-style code in an error's cause chain (undici nests them, sometimes in an AggregateError). */
function errnoCode(error: unknown, depth = 0): string | null {
  if (depth > 5 || typeof error !== 'object' || error === null) return null
  const e = error as ErrnoLike
  if (typeof e.code === 'string' && /^E[A-Z_]+$|^UND_ERR/.test(e.code)) return e.code
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const code = errnoCode(inner, depth + 1)
      if (code) return code
    }
  }
  return errnoCode(e.cause, depth + 1)
}

/** A request that got no response: refused, reset, timed out, aborted, unresolvable. */
export function errorFromFailure(error: unknown, baseUrl: string, timedOut: boolean): SyncError {
  if (error instanceof SyncError) return error
  const name = (error as { name?: unknown } | null)?.name
  if (timedOut || name === 'TimeoutError') {
    return new SyncError(`the server at ${baseUrl} did not answer in time`, {
      code: 'timeout',
      isNetwork: true,
      retryable: true,
      cause: error,
    })
  }
  if (name === 'AbortError') {
    return new SyncError('the request was cancelled', {
      code: 'aborted',
      isAbort: true,
      cause: error,
    })
  }
  const errno = errnoCode(error)
  if (errno === 'ECONNREFUSED') {
    return new SyncError(`no OpenSync server at ${baseUrl} — is it running?`, {
      code: 'connection-refused',
      isNetwork: true,
      retryable: true,
      cause: error,
    })
  }
  if (errno === 'ENOTFOUND' || errno === 'EAI_AGAIN') {
    return new SyncError(`cannot resolve the host of ${baseUrl} (${errno})`, {
      code: 'host-not-found',
      isNetwork: true,
      retryable: true,
      cause: error,
    })
  }
  const reason = errno ?? (error instanceof Error ? error.message : String(error))
  return new SyncError(`cannot reach ${baseUrl} (${reason})`, {
    code: 'network-error',
    isNetwork: true,
    retryable: true,
    cause: error,
  })
}
