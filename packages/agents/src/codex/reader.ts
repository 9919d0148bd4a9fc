import { open } from 'node:fs/promises'
import { basename } from 'node:path'
import { type Part, type Role, type Tokens, textFromParts } from '@opensync/core/wire'
import { readJsonl } from '../jsonl.js'
import type {
  MessageFlag,
  NormalizedMessage,
  NormalizedSession,
  ReadIssue,
  ReadResult,
} from '../reader.js'
import { looksInjected } from './parts.js'
import { type Rec, type TextKind, toRecs } from './records.js'
import { isCompressedMagic, parseRolloutLine, type SessionMeta } from './schema.js'
import { createUsageCounter, toTokens } from './usage.js'

const TITLE_MAX = 120

type Draft = {
  readonly externalId: string
  readonly role: Role
  readonly createdAt: number | null
  model: string | null
  readonly provider: string | null
  readonly parts: Part[]
  usage: Tokens | null
  readonly flags: MessageFlag[]
}

/** Reads one rollout file into (at most) one session. Never throws for bad content. */
export async function readRollout(path: string): Promise<ReadResult> {
  const issues: ReadIssue[] = []
  const issue = (line: number | null, code: ReadIssue['code'], message: string) =>
    issues.push({ file: path, line, code, message })

  const probe = await probeFile(path)
  if ('error' in probe) {
    issue(null, 'unreadable', probe.error)
    return { sessions: [], issues }
  }
  if (probe.compressed) {
    issue(null, 'unsupported-format', `${probe.compressed}-compressed rollout; not read`)
    return { sessions: [], issues }
  }

  const recs: Rec[] = []
  let pendingBad: ReadIssue | null = null
  try {
    for await (const line of readJsonl(path, { includePartialLastLine: true })) {
      if (pendingBad) issues.push(pendingBad)
      pendingBad = null
      if (line.error !== null) {
        pendingBad = { file: path, line: line.line, code: 'invalid-json', message: line.error }
        continue
      }
      const parsed = parseRolloutLine(line.value)
      if (!parsed.ok) {
        if (parsed.error.code === 'unsupported-format' && recs.length === 0) {
          issue(line.line, 'unsupported-format', parsed.error.message)
          return { sessions: [], issues }
        }
        issue(line.line, parsed.error.code, parsed.error.message)
        continue
      }
      recs.push(...toRecs(line.line, parsed.value.timestamp, parsed.value.record))
    }
  } catch (error) {
    issue(null, 'unreadable', (error as Error).message)
    return { sessions: [], issues }
  }
  // A bad final line without its newline is one Codex is still writing: the next read gets it.
  if (pendingBad && probe.endsWithNewline) issues.push(pendingBad)

  const session = buildSession(path, recs)
  return { sessions: session ? [session] : [], issues }
}

async function probeFile(
  path: string,
): Promise<{ compressed: 'gzip' | 'zstd' | null; endsWithNewline: boolean } | { error: string }> {
  try {
    const handle = await open(path, 'r')
    try {
      const { size } = await handle.stat()
      const head = Buffer.alloc(Math.min(4, size))
      await handle.read(head, 0, head.length, 0)
      const tail = Buffer.alloc(size > 0 ? 1 : 0)
      if (size > 0) await handle.read(tail, 0, 1, size - 1)
      return { compressed: isCompressedMagic(head), endsWithNewline: tail[0] === 0x0a }
    } finally {
      await handle.close()
    }
  } catch (error) {
    return { error: (error as Error).message }
  }
}

/**
 * Event texts that repeat a response_item of the same kind in the same turn (between two
 * `task_started`), and the user items that an event confirms as typed by the human. Each event
 * consumes one matching key of the first item that still has it, so repeated identical texts
 * pair up one to one.
 */
function pairTwins(recs: readonly Rec[]): { duplicates: Set<number>; typed: Set<number> } {
  const duplicates = new Set<number>()
  const typed = new Set<number>()
  // kind + key → items that still have that key, in file order.
  let items = new Map<string, number[]>()
  let events: { index: number; kind: TextKind; key: string }[] = []
  const settle = () => {
    for (const event of events) {
      const twin = items.get(`${event.kind}\u0000${event.key}`)?.shift()
      if (twin === undefined) continue
      duplicates.add(event.index)
      if (event.kind === 'user') typed.add(twin)
    }
    items = new Map()
    events = []
  }
  recs.forEach((rec, index) => {
    if (rec.t === 'turn-start') settle()
    if (rec.t !== 'text') return
    if (rec.side === 'event') {
      events.push({ index, kind: rec.kind, key: rec.keys[0] ?? '' })
      return
    }
    for (const key of rec.keys) {
      const id = `${rec.kind}\u0000${key}`
      const queue = items.get(id)
      if (queue) queue.push(index)
      else items.set(id, [index])
    }
  })
  settle()
  return { duplicates, typed }
}

/**
 * Index of the last record a spawned or forked thread copied from its parent (§2 pitfall 4), or
 * -1. The replay ends at the parent's spawn call (`thread_spawn.spawn_call_id`), covers the lines
 * stamped before the thread was created, and covers the burst of replayed `token_count`s that
 * share the first one's second (ccusage `detect_subagent_replay_second`).
 */
function replayEnd(recs: readonly Rec[], meta: SessionMeta | null): number {
  if (meta === null || meta.parentId === null) return -1
  let end = -1
  recs.forEach((rec, index) => {
    if (meta.spawnCallId !== null && rec.t === 'call' && rec.callId === meta.spawnCallId) {
      end = Math.max(end, index)
    }
  })
  const created = meta.createdAt
  for (let index = 0; index < recs.length; index += 1) {
    const rec = recs[index]
    if (rec === undefined || rec.t === 'meta') continue
    if (created === null || rec.ts === null || rec.ts >= created) break
    end = Math.max(end, index)
  }
  const counts = recs
    .map((rec, index) => ({ rec, index }))
    .filter(({ rec }) => rec.t === 'usage' && (rec.usage.total ?? rec.usage.last) !== null)
  const second = (ts: number | null) => (ts === null ? null : Math.floor(ts / 1000))
  const burst = second(counts[0]?.rec.ts ?? null)
  // Stricter than ccusage: the burst must also be the thread's creation second, so a fast child
  // whose own first two requests end within one second keeps its usage.
  const born = new Set([second(created), second(recs.find((r) => r.t === 'meta')?.ts ?? null)])
  if (burst !== null && born.has(burst) && second(counts[1]?.rec.ts ?? null) === burst) {
    for (const { rec, index } of counts) {
      if (second(rec.ts) !== burst) break
      end = Math.max(end, index)
    }
  }
  return end
}

function sessionIdFrom(path: string): string {
  const name = basename(path).replace(/\.jsonl$/, '')
  const uuid = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(name)
  return uuid?.[1] ?? name
}

/** Phase 2: records → one session (null when the file held nothing Codex wrote). */
function buildSession(path: string, recs: readonly Rec[]): NormalizedSession | null {
  if (recs.length === 0) return null
  const metaRec = recs.find((rec) => rec.t === 'meta')
  const meta = metaRec?.t === 'meta' ? metaRec.meta : null
  const sessionId = meta?.id ?? sessionIdFrom(path)
  const provider = meta?.provider ?? null
  const { duplicates, typed } = pairTwins(recs)
  const lastReplayed = replayEnd(recs, meta)
  const hasUserEvents = recs.some(
    (rec) => rec.t === 'text' && rec.side === 'event' && rec.kind === 'user',
  )

  const callNames = new Map<string, string>()
  const failures = new Map<string, boolean>()
  for (const rec of recs) {
    if (rec.t === 'call' && rec.callId !== null) callNames.set(rec.callId, rec.name)
    if (rec.t === 'status') failures.set(rec.callId, rec.isError)
  }

  const drafts: Draft[] = []
  const nextUsage = createUsageCounter()
  /** The assistant message the current request's output goes to. */
  let open: Draft | null = null
  /** Assistant messages of this turn still waiting for their `token_count`, oldest first. */
  let awaiting: Draft[] = []
  const endTurn = () => {
    open = null
    awaiting = []
  }
  let model: string | null = null
  let cwd: string | null = meta?.cwd ?? null
  let sessionModel: string | null = null
  let startedAt = meta?.createdAt ?? null
  let endedAt: number | null = null

  const emit = (rec: Rec, role: Role, parts: readonly Part[], flags: MessageFlag[]): Draft => {
    const draft: Draft = {
      externalId: `${sessionId}:${rec.line}`,
      role,
      createdAt: rec.ts,
      model: role === 'assistant' ? model : null,
      provider: role === 'assistant' ? provider : null,
      parts: [...parts],
      usage: null,
      flags,
    }
    drafts.push(draft)
    return draft
  }
  const assistantParts = (rec: Rec, parts: readonly Part[], replayed: boolean) => {
    if (open === null) {
      open = emit(rec, 'assistant', [], replayed ? ['synthetic'] : [])
      if (!replayed) awaiting.push(open)
    }
    open.parts.push(...parts)
  }

  recs.forEach((rec, index) => {
    const replayed = index <= lastReplayed
    if (index === lastReplayed + 1) endTurn()
    if (!replayed && rec.ts !== null) {
      startedAt = startedAt === null ? rec.ts : Math.min(startedAt, rec.ts)
      endedAt = endedAt === null ? rec.ts : Math.max(endedAt, rec.ts)
    }
    const flags: MessageFlag[] = replayed ? ['synthetic'] : []
    switch (rec.t) {
      case 'meta':
      case 'status':
      case 'tick':
        return
      case 'turn':
        model = rec.model ?? model
        cwd = rec.cwd ?? cwd
        return
      case 'turn-start':
        endTurn()
        return
      case 'text':
        if (duplicates.has(index)) return
        if (rec.kind === 'assistant' || rec.kind === 'reasoning') {
          assistantParts(rec, rec.parts, replayed)
        } else if (rec.kind === 'user') {
          endTurn()
          const injected =
            rec.side === 'item' && !typed.has(index) && isInjected(rec, hasUserEvents)
          emit(rec, 'user', rec.parts, replayed || injected ? ['synthetic'] : [])
        } else {
          emit(rec, rec.kind === 'system' ? 'system' : 'unknown', rec.parts, flags)
        }
        return
      case 'call':
        assistantParts(rec, rec.parts, replayed)
        return
      case 'result': {
        // The model's next output is a new message, after this result; a late token_count still
        // finds the request's message in `awaiting`.
        open = null
        const callId = rec.callId
        const isError = (callId !== null ? failures.get(callId) : undefined) ?? rec.isError
        const name = callId !== null ? (callNames.get(callId) ?? null) : null
        const result: Part = {
          type: 'tool-result',
          callId,
          name,
          output: rec.output,
          isError: isError ?? false,
        }
        emit(rec, 'tool', [result], flags)
        return
      }
      case 'compaction':
        endTurn()
        emit(rec, 'system', rec.parts, [...flags, 'compaction-summary'])
        return
      case 'usage': {
        const step = nextUsage(rec.usage)
        if (replayed || step.usage === null) return
        // One request, one message: the oldest output still without usage, else a message with
        // no parts so that the request's tokens are not lost.
        const target = awaiting.shift() ?? emit(rec, 'assistant', [], [])
        if (target === open) open = null
        target.usage = toTokens(step.usage)
        target.model = rec.usage.model ?? model
        sessionModel = target.model ?? sessionModel
        return
      }
    }
  })

  const messages: NormalizedMessage[] = drafts.map((draft) => ({
    externalId: draft.externalId,
    role: draft.role,
    createdAt: draft.createdAt,
    model: draft.model,
    provider: draft.provider,
    text: textFromParts(draft.parts),
    parts: draft.parts,
    usage: draft.usage,
    reportedCost: null,
    durationMs: null,
    parentExternalId: null,
    flags: draft.flags,
  }))
  if (meta === null && messages.length === 0) return null

  return {
    externalId: sessionId,
    source: 'codex-cli',
    title: titleOf(messages),
    projectPath: cwd,
    projectName: cwd === null ? null : basename(cwd) || null,
    cwd,
    gitBranch: meta?.gitBranch ?? null,
    model: sessionModel ?? model,
    provider,
    agentVersion: meta?.cliVersion ?? null,
    parentExternalId: meta?.parentId ?? null,
    startedAt,
    endedAt,
    messages,
    reportedTotals: null,
  }
}

/**
 * Whether a user-role response_item was injected by Codex rather than typed: 0.169 provenance
 * says so directly; otherwise every typed prompt has a `user_message` twin, so an item without
 * one is scaffolding when the file has such events at all; otherwise its text decides.
 */
function isInjected(rec: Extract<Rec, { t: 'text' }>, hasUserEvents: boolean): boolean {
  if (rec.provenance !== null) return rec.provenance === 'harness'
  const text = textFromParts(rec.parts)
  return looksInjected(text) || hasUserEvents
}

function titleOf(messages: readonly NormalizedMessage[]): string | null {
  const first = messages.find(
    (m) => m.role === 'user' && m.flags.length === 0 && m.text.trim() !== '',
  )
  if (!first) return null
  const text = first.text.replace(/\s+/g, ' ').trim()
  return text.length <= TITLE_MAX ? text : `${text.slice(0, TITLE_MAX - 1).trimEnd()}…`
}
