import type { AgentReader, ReadIssue } from '@opensync/agents'
import { createBatcher } from './batcher.js'
import { lastModified } from './fingerprint.js'
import type { Env } from './paths.js'
import type { PayloadOptions } from './payload.js'
import type { UploadQueue } from './queue.js'
import { type SyncMode, selectSources } from './select.js'
import { type ItemSink, syncSource } from './source-sync.js'
import type { StateRecord, SyncState } from './state.js'
import type { Tuning } from './tuning.js'
import type { Uploader } from './uploader.js'

/** What one pass works with; `queue` is null for a dry run (nothing is written). */
export type SyncContext = {
  readonly env: Env
  readonly readers: readonly AgentReader[]
  readonly state: SyncState
  readonly queue: UploadQueue | null
  readonly uploader: Uploader | null
  readonly tuning: Tuning
  readonly payload: PayloadOptions
}

export type PassOptions = {
  readonly mode: SyncMode
  readonly since: number | null
  readonly limit: number | null
  readonly onProgress?: (progress: PassProgress) => void
}

export type PassProgress = { readonly done: number; readonly total: number; readonly items: number }

export type AgentCounts = {
  found: number
  read: number
  sessions: number
  messages: number
  issues: number
}

export type PassResult = {
  readonly sources: { found: number; read: number; unchanged: number; filtered: number }
  /** Sessions with changes, and the items enqueued (or, dry, that would be). */
  readonly sessions: number
  readonly sessionItems: number
  readonly messages: number
  readonly batches: number
  readonly issues: readonly ReadIssue[]
  readonly agents: Readonly<Record<string, AgentCounts>>
}

/** Records committed in one append when no batch seal comes along to carry them. */
const COMMIT_EVERY = 256

/**
 * One sync pass: select sources, read the changed ones, queue their new/changed items in
 * batches, and commit each source's state only once the batch holding its last item is
 * appended and fsynced. A crash at any point leaves either the old state (the source is read
 * and queued again: a re-send the server's upserts absorb) or a state whose items are on disk.
 */
export async function syncPass(ctx: SyncContext, options: PassOptions): Promise<PassResult> {
  const { state, queue } = ctx
  const dry = queue === null
  if (options.mode === 'force' && !dry) {
    // Clear tracking first (durably): if this run dies half way, the next `sync` still
    // re-sends whatever this one did not reach.
    const ids = new Set<string>(ctx.readers.map((r) => r.id))
    const cleared: StateRecord[] = []
    for (const [path, s] of state.entries())
      if (ids.has(s.agent)) cleared.push({ path, state: null })
    await state.commit(cleared)
  }
  const selection = await selectSources(ctx.readers, ctx.env, state, options.mode, options.since)
  const jobs = [...selection.jobs]
  if (options.limit !== null) {
    jobs.sort((a, b) => lastModified(b.fingerprint) - lastModified(a.fingerprint))
  }

  let batches = 0
  const batcher = createBatcher(ctx.tuning, async (batch) => {
    batches += 1
    if (queue) {
      await queue.append(batch)
      ctx.uploader?.notify()
    }
  })
  const waiting: { record: StateRecord; seq: number }[] = []
  const commitDurable = async (all: boolean) => {
    if (dry) return
    const ready = waiting.filter((w) => all || w.seq <= batcher.sealed)
    if (ready.length === 0) return
    await state.commit(ready.map((w) => w.record))
    const done = new Set(ready)
    waiting.splice(0, waiting.length, ...waiting.filter((w) => !done.has(w)))
  }

  const agents: Record<string, AgentCounts> = {}
  for (const [id, c] of selection.perAgent) {
    agents[id] = { found: c.found, read: 0, sessions: 0, messages: 0, issues: 0 }
  }
  const issues: ReadIssue[] = []
  const budget = { left: options.limit ?? Number.POSITIVE_INFINITY }
  let items = 0
  const sink: ItemSink = async (kind, json) => {
    items += 1
    await batcher.add(kind, json)
  }
  let sessions = 0
  let sessionItems = 0
  let messages = 0
  let lastSealed = 0
  for (const [index, job] of jobs.entries()) {
    const before = items
    const outcome = await syncSource(job, {
      payload: ctx.payload,
      since: options.since,
      budget,
      sink,
      now: Date.now(),
    })
    const counts = agents[job.source.agent]
    if (counts) {
      counts.read += 1
      counts.sessions += outcome.sessions
      counts.messages += outcome.messages
      counts.issues += outcome.issues.length
    }
    sessions += outcome.sessions
    sessionItems += outcome.sessionItems
    messages += outcome.messages
    issues.push(...outcome.issues)
    // Items of this source still in the open batch: committable once that batch is sealed.
    const seq = items > before && batcher.openItems > 0 ? batcher.sealed + 1 : batcher.sealed
    waiting.push({ record: outcome.record, seq })
    if (batcher.sealed !== lastSealed || waiting.length >= COMMIT_EVERY) {
      lastSealed = batcher.sealed
      await commitDurable(false)
    }
    options.onProgress?.({ done: index + 1, total: jobs.length, items })
  }
  await batcher.flush()
  await commitDurable(true)
  if (!dry) await state.commit(selection.gone.map((path) => ({ path, state: null })))

  return {
    sources: {
      found: selection.found,
      read: jobs.length,
      unchanged: selection.unchanged,
      filtered: selection.filtered,
    },
    sessions,
    sessionItems,
    messages,
    batches,
    issues,
    agents,
  }
}
