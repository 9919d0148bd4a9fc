import { type Part, type Role, type Tokens, textFromParts } from '@opensync/core/wire'
import type { MessageFlag, NormalizedMessage, NormalizedSession } from '../reader.js'
import {
  asRecord,
  num,
  type Raw,
  type SessionRecord,
  type StoredMessage,
  type StoredPart,
  type StoredTokens,
  storedTokens,
  str,
} from './schema.js'

/** Longest title taken from the first prompt when OpenCode's own title is a default. */
export const TITLE_MAX = 120
/** OpenCode's placeholder titles (`Session.isDefaultTitle`), replaced by a generated one later. */
const DEFAULT_TITLE =
  /^(New session - |Child session - )\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
/** Bookkeeping parts: step boundaries (usage lives on step-finish) and snapshots. */
const NOT_CONTENT = new Set(['step-start', 'step-finish', 'snapshot'])

/**
 * Whether OpenCode's `output` leaves reasoning out. Since its AI SDK v6 upgrade
 * `Session.getUsage` stores `output = outputTokens - reasoningTokens` and
 * `total = input + output + reasoning + cache`; before it, `output` was the SDK's
 * `outputTokens` (reasoning included) and there was no `total`. `total` tells them apart;
 * without it, the older semantics.
 */
export function outputExcludesReasoning(t: StoredTokens): boolean {
  if (t.reasoning === 0 || t.total === null) return false
  const withoutReasoning = t.input + t.output + t.cacheRead + t.cacheWrite
  return t.total !== withoutReasoning
}

/**
 * OpenCode tokens in our semantics. `input` already excludes cache reads and writes
 * (`Session.getUsage` subtracts them for every provider). OpenCode does not split cache writes
 * by TTL: they count as 5-minute writes (Anthropic's default, which OpenCode uses).
 */
export function toUsage(t: StoredTokens): Tokens {
  return {
    input: t.input,
    output: t.output + (outputExcludesReasoning(t) ? t.reasoning : 0),
    cacheRead: t.cacheRead,
    cacheWrite5m: t.cacheWrite,
    cacheWrite1h: 0,
    reasoning: t.reasoning,
  }
}

function tokenSum(t: StoredTokens): number {
  return t.input + t.output + t.reasoning + t.cacheRead + t.cacheWrite
}

function outputText(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  return JSON.stringify(value) ?? ''
}

function fileParts(data: Raw): Part[] {
  const mime = str(data.mime)
  const url = str(data.url)
  const localUrl = url?.startsWith('data:') ? null : url
  if (mime?.startsWith('image/')) return [{ type: 'image', mediaType: mime, url: localUrl }]
  const source = asRecord(data.source)
  // `source.text` is the span of the prompt that mentioned the file, not the file's content.
  const path = str(source?.path) ?? str(data.filename) ?? localUrl
  return [{ type: 'file', path, mediaType: mime, text: null }]
}

function toolParts(data: Raw): Part[] {
  const state = asRecord(data.state)
  const callId = str(data.callID)
  const name = str(data.tool) ?? 'unknown'
  const parts: Part[] = [{ type: 'tool-call', callId, name, args: state?.input ?? {} }]
  const status = str(state?.status)
  // A compacted result (`state.time.compacted`) still holds its output on disk.
  if (status === 'completed') {
    parts.push({
      type: 'tool-result',
      callId,
      name,
      output: outputText(state?.output),
      isError: false,
    })
  } else if (status === 'error') {
    parts.push({
      type: 'tool-result',
      callId,
      name,
      output: outputText(state?.error),
      isError: true,
    })
  }
  const attachments = Array.isArray(state?.attachments) ? state.attachments : []
  for (const attachment of attachments) {
    const file = asRecord(attachment)
    if (file) parts.push(...fileParts(file))
  }
  return parts
}

function otherPart(kind: string, data: Raw): Part {
  return { type: 'other', kind, raw: data }
}

/** One stored part as our parts; `typedText` says whether the message has typed text. */
function contentParts(part: StoredPart, typedText: boolean): Part[] {
  const { data } = part
  switch (part.type) {
    case 'text': {
      if (data.ignored === true) return []
      const text = str(data.text) ?? ''
      // Synthetic text (editor context, file reads for @mentions, "continue" prompts) is not
      // prose the user typed; it stays readable as `other` beside typed text.
      if (data.synthetic === true && typedText) return [otherPart('synthetic-text', { text })]
      return [{ type: 'text', text }]
    }
    case 'reasoning':
      return [{ type: 'reasoning', text: str(data.text) ?? '' }]
    case 'tool':
      return toolParts(data)
    case 'file':
      return fileParts(data)
    case 'patch': {
      // OpenCode keeps only the snapshot hash and the file list; the diff is not stored.
      const files = Array.isArray(data.files) ? data.files : []
      return files.map((f) => ({ type: 'patch', path: str(f), diff: '' }))
    }
    default:
      // agent, subtask, compaction, retry and anything newer.
      return NOT_CONTENT.has(part.type) ? [] : [otherPart(part.type, data)]
  }
}

function isTypedText(part: StoredPart): boolean {
  return part.type === 'text' && part.data.synthetic !== true && part.data.ignored !== true
}

const ROLES: ReadonlySet<string> = new Set(['user', 'assistant', 'system', 'tool'])

/** One step of an assistant message: from a step-start to its step-finish. */
type Step = { start: StoredPart | null; finish: StoredPart | null; parts: StoredPart[] }

/**
 * Splits a message's parts into steps. Content after a step-finish and before the next
 * step-start (the `patch` OpenCode writes after a step) stays with the step it follows.
 */
function steps(parts: readonly StoredPart[]): Step[] {
  const out: Step[] = []
  let current: Step = { start: null, finish: null, parts: [] }
  for (const part of parts) {
    if (part.type === 'step-start' || part.type === 'step-finish') {
      if (current.finish) {
        out.push(current)
        current = { start: null, finish: null, parts: [] }
      }
      if (part.type === 'step-start') current.start ??= part
      else current.finish = part
    } else {
      current.parts.push(part)
    }
  }
  out.push(current)
  return out
}

/** When a part started: its row time (SQLite), else the times inside it. */
function partStart(part: StoredPart | null | undefined): number | null {
  if (!part) return null
  const state = asRecord(part.data.state)
  return (
    part.createdAt ??
    num(asRecord(part.data.time)?.start) ??
    num(asRecord(state?.time)?.start) ??
    null
  )
}

/** The latest end time inside a step's parts (`time.end`, tool `state.time.end`). */
function latestEnd(parts: readonly StoredPart[]): number | null {
  const ends = parts
    .map((p) => num(asRecord(p.data.time)?.end) ?? num(asRecord(asRecord(p.data.state)?.time)?.end))
    .filter((t): t is number => t !== null)
  return ends.length > 0 ? Math.max(...ends) : null
}

type Piece = {
  readonly externalId: string
  readonly parts: readonly StoredPart[]
  readonly usage: Tokens | null
  readonly reportedCost: number | null
  readonly createdAt: number | null
  readonly endedAt: number | null
}

/**
 * An assistant message in requests. Usage comes from the step-finish parts, because
 * `message.tokens` holds only the last step (pitfall 1). A message of several steps becomes one
 * message per step, each with its own usage and cost, so each request is priced on its own
 * prompt (long-context tiers). The first step keeps the message id, step k ≥ 2 is
 * `<msgID>#k`: stable while OpenCode appends steps. A message with no step-finish (older
 * versions, an aborted turn) falls back to `message.tokens` and `message.cost`.
 */
function assistantPieces(m: StoredMessage): Piece[] {
  const all = steps(m.parts)
  if (!all.some((s) => s.finish)) {
    const usage = m.tokens && tokenSum(m.tokens) > 0 ? toUsage(m.tokens) : null
    // All-zero tokens and cost: nothing was recorded (the turn is running or was aborted).
    const recorded = usage !== null || (m.cost ?? 0) > 0
    return [
      {
        externalId: m.id,
        parts: m.parts,
        usage,
        reportedCost: recorded ? m.cost : null,
        createdAt: m.createdAt,
        endedAt: m.completedAt,
      },
    ]
  }
  return all.map((step, k) => {
    const last = k === all.length - 1
    const tokens = step.finish ? storedTokens(step.finish.data.tokens) : null
    return {
      externalId: k === 0 ? m.id : `${m.id}#${k + 1}`,
      parts: step.parts,
      usage: tokens ? toUsage(tokens) : null,
      reportedCost: step.finish ? num(step.finish.data.cost) : null,
      createdAt:
        k === 0 ? m.createdAt : (partStart(step.start) ?? partStart(step.parts[0]) ?? m.createdAt),
      endedAt: last
        ? (m.completedAt ?? step.finish?.createdAt ?? null)
        : (step.finish?.createdAt ?? latestEnd(step.parts)),
    }
  })
}

export function normalizeMessage(m: StoredMessage): NormalizedMessage[] {
  const role: Role = ROLES.has(m.role) ? (m.role as Role) : 'unknown'
  const typedText = m.parts.some(isTypedText)
  const flags: MessageFlag[] = []
  if (m.summary && role === 'assistant') flags.push('compaction-summary')
  const injected = m.parts.some(
    (p) => (p.type === 'text' && p.data.synthetic === true) || p.type === 'compaction',
  )
  if (role === 'user' && !typedText && injected) flags.push('synthetic')

  const pieces: Piece[] =
    role === 'assistant'
      ? assistantPieces(m)
      : [
          {
            externalId: m.id,
            parts: m.parts,
            usage: null,
            reportedCost: null,
            createdAt: m.createdAt,
            endedAt: m.completedAt,
          },
        ]
  return pieces.map((piece, k) => {
    const parts = piece.parts.flatMap((p) => contentParts(p, typedText))
    if (m.error !== null && k === pieces.length - 1) {
      parts.push({ type: 'other', kind: 'error', raw: m.error })
    }
    const { createdAt, endedAt } = piece
    return {
      externalId: piece.externalId,
      role,
      createdAt,
      model: m.modelId,
      provider: m.providerId,
      text: textFromParts(parts),
      parts,
      usage: piece.usage,
      reportedCost: piece.reportedCost,
      durationMs: createdAt !== null && endedAt !== null ? Math.max(0, endedAt - createdAt) : null,
      parentExternalId: m.parentId,
      flags,
    }
  })
}

function baseName(path: string): string | null {
  const name = path
    .replace(/[\\/]+$/, '')
    .split(/[\\/]/)
    .pop()
  return name ? name : null
}

function promptTitle(messages: readonly NormalizedMessage[]): string | null {
  const first = messages.find(
    (m) => m.role === 'user' && !m.flags.includes('synthetic') && m.text.trim() !== '',
  )
  if (!first) return null
  const text = first.text.replace(/\s+/g, ' ').trim()
  return text.length <= TITLE_MAX ? text : `${text.slice(0, TITLE_MAX - 1).trimEnd()}…`
}

/** One OpenCode session as a normalised session. */
export function normalizeSession(record: SessionRecord): NormalizedSession {
  const { session } = record
  const messages = record.messages.flatMap(normalizeMessage)
  const own = session.title?.trim() ?? ''
  const title = own && !DEFAULT_TITLE.test(own) ? own : (promptTitle(messages) ?? (own || null))
  const directory = session.directory?.trim() ? session.directory : null
  // The session's own model, else the last one that answered, else the last one asked for.
  const latest = [...messages].reverse()
  const lastModel =
    latest.find((m) => m.role === 'assistant' && m.model !== null) ??
    latest.find((m) => m.model !== null)
  const model = session.modelId ?? lastModel?.model ?? null
  const provider = session.modelId ? session.providerId : (lastModel?.provider ?? null)
  const times = record.messages
    .map((m) => m.completedAt ?? m.createdAt)
    .filter((t): t is number => t !== null)
  return {
    externalId: session.id,
    source: 'opencode',
    title,
    projectPath: directory,
    projectName: directory ? baseName(directory) : null,
    cwd: directory,
    gitBranch: null,
    model,
    provider,
    agentVersion: session.version,
    parentExternalId: session.parentId,
    startedAt: session.createdAt ?? messages[0]?.createdAt ?? null,
    endedAt: times.length > 0 ? Math.max(...times) : session.updatedAt,
    messages,
    reportedTotals: null,
  }
}
