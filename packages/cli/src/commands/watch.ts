import { type CommandContext, configFlags, EXIT } from '../command-context.js'
import { output } from '../output.js'
import { createSyncClient } from '../sync/client.js'
import { loadConfig } from '../sync/config.js'
import { requireCredentials } from '../sync/credentials.js'
import { syncPass } from '../sync/engine.js'
import { acquireLock } from '../sync/lock.js'
import { syncPaths } from '../sync/paths.js'
import { openUploadQueue } from '../sync/queue.js'
import { createRedactor } from '../sync/redaction.js'
import { pickReaders } from '../sync/select.js'
import { sleep } from '../sync/sleep.js'
import { openSyncState } from '../sync/state.js'
import { loadTuning } from '../sync/tuning.js'
import { startUploader, type Uploader } from '../sync/uploader.js'

/** After SIGINT/SIGTERM, how long the queue may take to drain before `watch` exits anyway. */
const FLUSH_MS = 10_000
/** After the key was refused, how long before uploading is tried again. */
const FATAL_RETRY_MS = 60_000
/** Compact the state's journal past this size. */
const JOURNAL_COMPACT_BYTES = 4 * 1024 * 1024

const time = () => new Date().toISOString().slice(11, 19)

/**
 * `opensync watch`: polls every agent's sources about once a second (stat only, so an idle
 * history costs next to nothing), queues what changed and uploads it at once. Network failures
 * and 5xx are retried forever. SIGINT/SIGTERM stop it after the current pass is committed and
 * the queue has had a chance to drain; a second signal stops it at once (the queue stays on disk).
 */
export async function watchCommand(ctx: CommandContext): Promise<number> {
  const { config } = await loadConfig(ctx.env, ctx.cwd, configFlags(ctx.flags))
  const tuning = loadTuning(ctx.env)
  const { url, apiKey } = await requireCredentials(ctx.env)
  const paths = syncPaths(ctx.env)
  const pick = pickReaders(config.agents)
  const client = createSyncClient({ url, apiKey, timeoutMs: tuning.timeoutMs })
  const stopping = new AbortController()
  const uploads = new AbortController()
  const onSignal = () => {
    if (stopping.signal.aborted) uploads.abort()
    else stopping.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const release = await acquireLock(paths.lock)
  const state = await openSyncState(paths.state)
  const queue = await openUploadQueue(paths.queue)
  const start = () =>
    startUploader({
      client,
      queue,
      tuning,
      maxAttempts: Number.POSITIVE_INFINITY,
      signal: uploads.signal,
      events: {
        onBatch: (_batch, r) =>
          output.line(`${time()} uploaded ${r.sessions} sessions, ${r.messages} messages`),
        onRetry: (error, attempt) => {
          if (attempt === 1) output.error(`${time()} ! upload delayed: ${error.message} (retrying)`)
        },
      },
    })
  let uploader: Uploader = start()
  let stoppedAt = 0
  const payload = { ...config, redactor: createRedactor(config.redact) }
  const context = { env: ctx.env, readers: pick.readers, state, queue, uploader, tuning, payload }
  output.error(
    `watching ${pick.readers.map((r) => r.id).join(', ')} every ${tuning.watchIntervalMs} ms → ${url} (Ctrl-C stops)`,
  )
  try {
    while (!stopping.signal.aborted) {
      if (uploader.stopped && stoppedAt === 0) {
        stoppedAt = Date.now()
        output.error(`${time()} ✗ upload stopped: ${uploader.stopped.message}`)
      }
      if (stoppedAt > 0 && Date.now() - stoppedAt > FATAL_RETRY_MS) {
        await uploader.finish()
        uploader = start()
        stoppedAt = 0
      }
      const pass = await syncPass(
        { ...context, uploader },
        { mode: 'changed', since: null, limit: null },
      )
      if (pass.sessions > 0) {
        output.line(
          `${time()} queued ${pass.sessions} sessions, ${pass.messages} messages from ${pass.sources.read} sources`,
        )
      }
      if (state.journalBytes > JOURNAL_COMPACT_BYTES) await state.compact()
      await sleep(tuning.watchIntervalMs, stopping.signal)
    }
    output.error(`${time()} stopping: flushing the queue (signal again to stop at once)`)
    const deadline = setTimeout(() => uploads.abort(), FLUSH_MS)
    const up = await uploader.finish()
    clearTimeout(deadline)
    await state.compact()
    const left = queue.pending().length
    output.error(
      left === 0
        ? `${time()} stopped; queue empty`
        : `${time()} stopped; ${left} batches stay queued for the next sync${up.stopped ? ` (${up.stopped.message})` : ''}`,
    )
    return EXIT.ok
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await Promise.all([queue.close(), state.close()])
    await release()
  }
}
