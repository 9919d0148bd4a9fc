import type { AgentReader, ReadIssue } from '@opensync/agents'
import { createSyncClient, type SyncClient } from './client.js'
import type { SyncConfig } from './config.js'
import type { Credentials } from './credentials.js'
import { type AgentCounts, type PassProgress, syncPass } from './engine.js'
import type { SyncError } from './errors.js'
import { acquireLock } from './lock.js'
import { type Env, syncPaths } from './paths.js'
import { inspectQueue, openUploadQueue } from './queue.js'
import { createRedactor } from './redaction.js'
import { pickReaders, type SyncMode } from './select.js'
import { openSyncState } from './state.js'
import type { Tuning } from './tuning.js'
import { startUploader, type UploadEvents } from './uploader.js'

export type SyncRunOptions = {
  readonly env: Env
  readonly config: SyncConfig
  readonly tuning: Tuning
  /** Null only for a dry run. */
  readonly credentials: Credentials | null
  readonly mode: SyncMode
  readonly since: number | null
  readonly limit: number | null
  readonly dryRun: boolean
  /** Defaults to every registered reader. */
  readonly readers?: readonly AgentReader[]
  readonly client?: SyncClient
  readonly onProgress?: (progress: PassProgress & { readonly uploaded: number }) => void
  readonly events?: UploadEvents
  readonly signal?: AbortSignal
}

export type SyncSummary = {
  readonly dryRun: boolean
  readonly mode: SyncMode
  readonly sources: { found: number; read: number; unchanged: number; filtered: number }
  /** Queued by this run (or, dry, that would be): sessions with changes, and items. */
  readonly queued: { sessions: number; sessionItems: number; messages: number; batches: number }
  /** Accepted by the server during this run (earlier runs' queue included). */
  readonly uploaded: { batches: number; sessions: number; messages: number }
  readonly dead: { items: number; batches: number; reasons: readonly string[]; file: string }
  readonly queueLeft: { batches: number; items: number }
  readonly issues: readonly ReadIssue[]
  readonly redactions: number
  readonly agents: Readonly<Record<string, AgentCounts>>
  /** Agents asked for that have no reader in this version. */
  readonly missingAgents: readonly string[]
  /** Why uploading stopped with batches left, if it did. */
  readonly stopped: SyncError | null
  readonly durationMs: number
}

/** `opensync sync`: flush what earlier runs queued, then queue and upload what changed. */
export async function runSync(options: SyncRunOptions): Promise<SyncSummary> {
  const started = Date.now()
  const { env, config, tuning } = options
  const paths = syncPaths(env)
  const pick = pickReaders(config.agents, options.readers)
  const redactor = createRedactor(config.redact)
  const payload = { ...config, redactor }

  if (options.dryRun) {
    // Reads only: the state opened read-only, the queue inspected, nothing written or sent.
    const [state, waiting] = await Promise.all([
      openSyncState(paths.state, true),
      inspectQueue(paths.queue),
    ])
    const pass = await syncPass(
      { env, readers: pick.readers, state, queue: null, uploader: null, tuning, payload },
      {
        mode: options.mode,
        since: options.since,
        limit: options.limit,
        onProgress: (p) => options.onProgress?.({ ...p, uploaded: 0 }),
      },
    )
    return {
      dryRun: true,
      mode: options.mode,
      sources: pass.sources,
      queued: queuedOf(pass),
      uploaded: { batches: 0, sessions: 0, messages: 0 },
      dead: { items: 0, batches: 0, reasons: [], file: waiting.deadLetterFile },
      queueLeft: { batches: waiting.pendingBatches, items: waiting.pendingItems },
      issues: pass.issues,
      redactions: redactor.count,
      agents: pass.agents,
      missingAgents: pick.missing,
      stopped: null,
      durationMs: Date.now() - started,
    }
  }

  if (!options.credentials) throw new Error('not logged in: run `opensync login`')
  const client =
    options.client ??
    createSyncClient({
      url: options.credentials.url,
      apiKey: options.credentials.apiKey,
      timeoutMs: tuning.timeoutMs,
    })
  const release = await acquireLock(paths.lock)
  try {
    const state = await openSyncState(paths.state)
    const queue = await openUploadQueue(paths.queue)
    try {
      // Batches earlier runs left go out first: the uploader sends oldest first.
      const uploader = startUploader({
        client,
        queue,
        tuning,
        signal: options.signal,
        events: options.events,
      })
      const pass = await syncPass(
        { env, readers: pick.readers, state, queue, uploader, tuning, payload },
        {
          mode: options.mode,
          since: options.since,
          limit: options.limit,
          onProgress: (p) => options.onProgress?.({ ...p, uploaded: uploader.stats.batches }),
        },
      )
      const up = await uploader.finish()
      await state.compact()
      return {
        dryRun: false,
        mode: options.mode,
        sources: pass.sources,
        queued: queuedOf(pass),
        uploaded: { batches: up.batches, sessions: up.sessions, messages: up.messages },
        dead: {
          items: up.deadItems,
          batches: up.deadBatches,
          reasons: up.deadReasons,
          file: queue.deadLetterFile,
        },
        queueLeft: { batches: queue.pending().length, items: queue.pendingItems },
        issues: pass.issues,
        redactions: redactor.count,
        agents: pass.agents,
        missingAgents: pick.missing,
        stopped: up.stopped,
        durationMs: Date.now() - started,
      }
    } finally {
      await Promise.all([queue.close(), state.close()])
    }
  } finally {
    await release()
  }
}

function queuedOf(pass: Awaited<ReturnType<typeof syncPass>>): SyncSummary['queued'] {
  return {
    sessions: pass.sessions,
    sessionItems: pass.sessionItems,
    messages: pass.messages,
    batches: pass.batches,
  }
}
