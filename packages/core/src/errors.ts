/** Every error code the product can put on the wire. HTTP statuses live in server/src/app.ts. */
export type ErrorCode =
  | 'invalid-request'
  | 'invalid-json'
  | 'unauthorized'
  | 'invalid-api-key'
  | 'forbidden'
  | 'not-found'
  | 'payload-too-large'
  | 'batch-too-large'
  | 'rate-limited'
  | 'unsupported-format'
  | 'not-configured'
  | 'internal'

export type AppErrorOptions = {
  readonly details?: unknown
  readonly cause?: unknown
}

/** A request-time problem with a stable code; converted to the wire envelope at one edge. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly details: unknown

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.details = options.details
  }
}
