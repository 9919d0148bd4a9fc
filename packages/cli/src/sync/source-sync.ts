import type { AgentReader, NormalizedSession, ReadIssue, SessionSource } from '@opensync/agents'
import type { Fingerprint } from './fingerprint.js'
import { hashPayload, type PayloadOptions, toWireMessage, toWireSession } from './payload.js'
import type { SessionMark, SourceState, StateRecord } from './state.js'

/** One source to read, with what the last sync enqueued from it. */
export type SourceJob = {
  readonly reader: AgentReader
  readonly source: SessionSource
  readonly fingerprint: Fingerprint
  /** Undefined when never synced (or after `--force`). */
  readonly previous: SourceState | undefined
}

export type ItemSink = (kind: 'session' | 'message', json: string) => Promise<void>

export type SourceSyncOptions = {
  readonly payload: PayloadOptions
  /** Only sessions active at or after this instant (`--since`). */
  readonly since: number | null
  /** Sessions with changes still allowed this run (`--limit`); Infinity without a limit. */
  readonly budget: { left: number }
  readonly sink: ItemSink
  readonly now: number
}

export type SourceOutcome = {
  /** Sessions with something new or changed, and the items enqueued for them. */
  readonly sessions: number
  readonly sessionItems: number
  readonly messages: number
  readonly issues: readonly ReadIssue[]
  /** The state to commit once the items are durably queued. */
  readonly record: StateRecord
}

/** The last moment a session was active: its end, else its newest message, else its start. */
export function sessionActivity(s: NormalizedSession): number | null {
  if (s.endedAt !== null) return s.endedAt
  let last: number | null = null
  for (const m of s.messages) if (m.createdAt !== null) last = Math.max(last ?? 0, m.createdAt)
  return last ?? s.startedAt
}

async function readSafely(job: SourceJob) {
  try {
    return await job.reader.read(job.source)
  } catch (error) {
    // Readers never throw for content; an I/O failure still must not stop the other sources.
    const issue: ReadIssue = {
      file: job.source.path,
      line: null,
      code: 'unreadable',
      message: error instanceof Error ? error.message : String(error),
    }
    return { sessions: [], issues: [issue] }
  }
}

/**
 * Reads one source and sends (to `sink`) every session and message whose payload differs from
 * what the last sync enqueued. Returns the new state for the source; the caller commits it only
 * after the items are durably queued. A source cut short by `--since`/`--limit` keeps a null
 * fingerprint, so the next sync reads it again.
 */
export async function syncSource(
  job: SourceJob,
  options: SourceSyncOptions,
): Promise<SourceOutcome> {
  const result = await readSafely(job)
  let sessions = result.sessions
  if (Number.isFinite(options.budget.left)) {
    sessions = [...sessions].sort((a, b) => (sessionActivity(b) ?? 0) - (sessionActivity(a) ?? 0))
  }
  const previous = job.previous?.sessions ?? {}
  const marks: Record<string, SessionMark> = {}
  let cut = false
  let changedSessions = 0
  let sessionItems = 0
  let messageItems = 0

  for (const session of sessions) {
    const before = previous[session.externalId]
    const activity = sessionActivity(session)
    const outOfRange = options.since !== null && (activity === null || activity < options.since)
    if (outOfRange || options.budget.left <= 0) {
      cut = true
      if (before) marks[session.externalId] = before
      continue
    }
    const sessionJson = JSON.stringify(toWireSession(session, options.payload))
    const sessionHash = hashPayload(sessionJson)
    const messageHashes: Record<string, string> = {}
    const changed: string[] = []
    for (const message of session.messages) {
      const item = toWireMessage(session, message, options.payload)
      if (item === null) continue
      const json = JSON.stringify(item)
      const hash = hashPayload(json)
      messageHashes[message.externalId] = hash
      if (before?.messages[message.externalId] !== hash) changed.push(json)
    }
    const sessionChanged = before?.session !== sessionHash
    if (sessionChanged || changed.length > 0) {
      changedSessions += 1
      options.budget.left -= 1
      if (sessionChanged) {
        await options.sink('session', sessionJson)
        sessionItems += 1
      }
      for (const json of changed) await options.sink('message', json)
      messageItems += changed.length
    }
    marks[session.externalId] = { session: sessionHash, messages: messageHashes }
  }

  const state: SourceState = {
    agent: job.source.agent,
    kind: job.source.kind,
    fingerprint: cut ? null : job.fingerprint,
    syncedAt: options.now,
    sessions: marks,
  }
  return {
    sessions: changedSessions,
    sessionItems,
    messages: messageItems,
    issues: result.issues,
    record: { path: job.source.path, state },
  }
}
