import type { BatchSyncResponse } from '@opensync/core/wire'
import type { SyncClient } from './client.js'
import { SyncError } from './errors.js'
import type { QueuedBatch, UploadQueue } from './queue.js'
import { sleep } from './sleep.js'
import { backoffDelay, type Tuning } from './tuning.js'

export type UploadStats = {
  batches: number
  sessions: number
  messages: number
  /** Items the server refused for good (now in the dead-letter file). */
  deadItems: number
  deadBatches: number
  /** The server's errors for what it refused, for the summary (first few). */
  deadReasons: string[]
}

export type UploadEvents = {
  onBatch?(batch: QueuedBatch, response: BatchSyncResponse): void
  onRetry?(error: SyncError, attempt: number, delayMs: number): void
}

export type UploaderOptions = {
  readonly client: SyncClient
  readonly queue: UploadQueue
  readonly tuning: Tuning
  /** `Infinity` for `watch`: keep retrying network failures and 5xx forever. */
  readonly maxAttempts?: number
  readonly signal?: AbortSignal
  readonly events?: UploadEvents
}

export type Uploader = {
  /** A batch was appended to the queue. */
  notify(): void
  /** No more batches will come: resolves once the queue is empty or the uploader stopped. */
  finish(): Promise<UploadStats & { stopped: SyncError | null }>
  /** Why it stopped with batches left (server down, key rejected, …), if it did. */
  readonly stopped: SyncError | null
  readonly stats: Readonly<UploadStats>
}

function toSyncError(error: unknown): SyncError {
  if (error instanceof SyncError) return error
  return new SyncError(error instanceof Error ? error.message : String(error), {
    code: 'internal',
    cause: error,
  })
}

/** A key the server refuses, or a URL that is not an OpenSync server: stop, keep the queue. */
const isFatal = (e: SyncError) => e.isAuth || e.status === 404 || e.status === 405

type Body = { sessions?: unknown[]; messages?: unknown[] }

/**
 * Drains the queue oldest first, one batch in flight (the server writes in one transaction
 * anyway). 5xx, 408, 429 and network failures are retried with backoff (honouring
 * `Retry-After`); other 4xx are permanent: the batch goes to the dead-letter file with the
 * server's error, never retried in a loop. Items a 200 response rejects are dead-lettered too.
 */
export function startUploader(options: UploaderOptions): Uploader {
  const { client, queue, tuning, signal, events } = options
  const maxAttempts = options.maxAttempts ?? tuning.maxAttempts
  const stats: UploadStats = {
    batches: 0,
    sessions: 0,
    messages: 0,
    deadItems: 0,
    deadBatches: 0,
    deadReasons: [],
  }
  let stopped: SyncError | null = null
  let producing = true
  let wake: (() => void) | null = null

  const reason = (text: string) => {
    if (stats.deadReasons.length < 5 && !stats.deadReasons.includes(text)) {
      stats.deadReasons.push(text)
    }
  }

  async function rejectItems(batch: QueuedBatch, bodyText: string, response: BatchSyncResponse) {
    const body = JSON.parse(bodyText) as Body
    const pick = (kind: 'session' | 'message') =>
      response.errors
        .filter((e) => e.kind === kind)
        .map((e) => (kind === 'session' ? body.sessions : body.messages)?.[e.index])
        .filter((item) => item !== undefined)
    const first = response.errors[0]
    await queue.deadLetter({
      batchId: batch.id,
      status: 200,
      code: first?.code ?? 'rejected-items',
      error: `${response.errors.length} item(s) rejected: ${first?.error ?? ''}`,
      details: response.errors,
      sessions: pick('session'),
      messages: pick('message'),
    })
    stats.deadItems += response.errors.length
    for (const e of response.errors) reason(`${e.code}: ${e.error}`)
  }

  /** true: go on with the next batch; false: stop this run. */
  async function send(batch: QueuedBatch): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const bodyText = await queue.readBody(batch)
      try {
        const response = await client.batch(bodyText, signal)
        if (response.errors.length > 0) await rejectItems(batch, bodyText, response)
        await queue.ack(batch.id, 'sent')
        stats.batches += 1
        stats.sessions += response.sessions
        stats.messages += response.messages
        events?.onBatch?.(batch, response)
        return true
      } catch (caught) {
        const error = toSyncError(caught)
        if (error.isAbort || signal?.aborted) return false
        if (isFatal(error)) {
          stopped = error
          return false
        }
        if (!error.retryable) {
          const body = JSON.parse(bodyText) as Body
          await queue.deadLetter({
            batchId: batch.id,
            status: error.status,
            code: error.code,
            error: error.message,
            details: error.details,
            sessions: body.sessions ?? [],
            messages: body.messages ?? [],
          })
          await queue.ack(batch.id, 'dead')
          stats.deadBatches += 1
          stats.deadItems += batch.sessions + batch.messages
          reason(`${error.code}: ${error.message}`)
          return true
        }
        if (attempt >= maxAttempts) {
          stopped = error
          return false
        }
        const delay = error.retryAfterMs ?? backoffDelay(attempt, tuning)
        events?.onRetry?.(error, attempt, delay)
        await sleep(Math.min(delay, tuning.maxBackoffMs * 4), signal)
        if (signal?.aborted) return false
      }
    }
  }

  async function loop(): Promise<void> {
    for (;;) {
      if (signal?.aborted) return
      const next = queue.pending()[0]
      if (next === undefined) {
        if (!producing) return
        await new Promise<void>((resolve) => {
          wake = resolve
        })
        continue
      }
      if (!(await send(next))) return
    }
  }

  const done = loop()
  const notify = () => {
    const resolve = wake
    wake = null
    resolve?.()
  }
  signal?.addEventListener('abort', notify, { once: true })

  return {
    notify,
    async finish() {
      producing = false
      notify()
      await done
      return { ...stats, stopped }
    },
    get stopped() {
      return stopped
    },
    stats,
  }
}
