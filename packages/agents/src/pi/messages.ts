import type { Part, Role, Tokens } from '@opensync/core/wire'
import type { MessageFlag } from '../reader.js'
import type { PiEntry, PiRecord, PiUsage } from './schema.js'
import { contentBlocks, isRecord, num, parseUsage, str } from './schema.js'

/** Entry types that are state, not messages: read by the session, never emitted. */
export const STATE_ENTRY_TYPES = new Set([
  'model_change',
  'thinking_level_change',
  'custom',
  'label',
  'session_info',
])

/** One entry as a message, before the tree decides its parent and flags. */
export type EntryMessage = {
  readonly role: Role
  readonly parts: readonly Part[]
  readonly flags: readonly MessageFlag[]
  readonly model: string | null
  readonly provider: string | null
  readonly usage: Tokens | null
  readonly reportedCost: number | null
  /** pi-ai's `message.timestamp` (epoch ms): the request start for an assistant message. */
  readonly messageTime: number | null
}

/** Arguments of each tool call seen so far, by call id (edit results name no path). */
export type CallArgs = Map<string, unknown>

const FAILED_STOP_REASONS = new Set(['aborted', 'error'])

/**
 * pi-ai usage → our buckets. pi-ai's `input` already excludes cache reads and writes
 * (`input + output + cacheRead + cacheWrite === totalTokens` on every fixture line), its
 * `output` includes reasoning, and it keeps no reasoning count. `cacheWrite` has no TTL split
 * in the file, so it is `cacheWrite5m` (Anthropic's default TTL). When only `totalTokens` is
 * there, it is counted as output (ccusage's fallback).
 */
export function usageToTokens(usage: PiUsage): Tokens {
  const count = (n: number | null) => (n !== null && n > 0 ? Math.round(n) : 0)
  const parts = [usage.input, usage.output, usage.cacheRead, usage.cacheWrite]
  const onlyTotal = parts.every((n) => n === null) && count(usage.totalTokens) > 0
  return {
    input: count(usage.input),
    output: onlyTotal ? count(usage.totalTokens) : count(usage.output),
    cacheRead: count(usage.cacheRead),
    cacheWrite5m: count(usage.cacheWrite),
    cacheWrite1h: 0,
    reasoning: 0,
  }
}

function isZero(t: Tokens): boolean {
  return t.input + t.output + t.cacheRead + t.cacheWrite5m + t.cacheWrite1h === 0
}

/** One pi-ai content block (text, thinking, toolCall, image) as parts. */
function blockParts(block: unknown, calls: CallArgs): Part[] {
  if (typeof block === 'string') return [{ type: 'text', text: block }]
  if (!isRecord(block)) return [{ type: 'other', kind: typeof block, raw: block }]
  switch (block.type) {
    case 'text':
      return [{ type: 'text', text: str(block.text) ?? '' }]
    case 'thinking':
      return [{ type: 'reasoning', text: str(block.thinking) ?? '' }]
    case 'toolCall': {
      const callId = str(block.id)
      const args = block.arguments ?? {}
      if (callId !== null) calls.set(callId, args)
      return [{ type: 'tool-call', callId, name: str(block.name) ?? 'unknown', args }]
    }
    case 'image':
      // Inline base64 (`data`) is never kept: only the media type is a reference.
      return [{ type: 'image', mediaType: str(block.mimeType), url: null }]
    default:
      return [{ type: 'other', kind: str(block.type) || 'unknown', raw: block }]
  }
}

function contentParts(content: unknown, calls: CallArgs): Part[] {
  return contentBlocks(content).flatMap((block) => blockParts(block, calls))
}

function textOfBlocks(content: unknown): string {
  return contentBlocks(content)
    .map((b) => (isRecord(b) && b.type === 'text' ? (str(b.text) ?? '') : null))
    .filter((t): t is string => t !== null)
    .join('\n')
}

function base(role: Role, parts: Part[], messageTime: number | null): EntryMessage {
  return {
    role,
    parts,
    flags: [],
    model: null,
    provider: null,
    usage: null,
    reportedCost: null,
    messageTime,
  }
}

function assistant(m: PiRecord, calls: CallArgs, time: number | null): EntryMessage {
  const parts = contentParts(m.content, calls)
  const stopReason = str(m.stopReason)
  const errorMessage = str(m.errorMessage)
  if (errorMessage !== null || (stopReason !== null && FAILED_STOP_REASONS.has(stopReason))) {
    parts.push({ type: 'other', kind: 'error', raw: { stopReason, errorMessage } })
  }
  const raw = parseUsage(m.usage)
  const tokens = raw === null ? null : usageToTokens(raw)
  // Pitfall 4: an aborted or errored request with zero usage was never billed. It stays in
  // the transcript but carries no usage, so it counts for no model. A failed request that
  // did report tokens (a partial stream) was billed and keeps them.
  const unbilled =
    tokens !== null && isZero(tokens) && stopReason !== null && FAILED_STOP_REASONS.has(stopReason)
  return {
    ...base('assistant', parts, time),
    model: str(m.model),
    provider: str(m.provider),
    usage: unbilled ? null : tokens,
    reportedCost: unbilled ? null : (raw?.costTotal ?? null),
  }
}

function toolResult(m: PiRecord, calls: CallArgs, time: number | null): EntryMessage {
  const callId = str(m.toolCallId)
  const parts: Part[] = [
    {
      type: 'tool-result',
      callId,
      name: str(m.toolName),
      output: textOfBlocks(m.content),
      isError: m.isError === true,
    },
  ]
  for (const block of contentBlocks(m.content)) {
    if (isRecord(block) && block.type === 'image') parts.push(...blockParts(block, calls))
  }
  // pi's edit tool puts its diff in `details.diff`; the path is in the call's arguments.
  const diff = isRecord(m.details) ? str(m.details.diff) : null
  if (diff !== null) {
    const args = callId === null ? undefined : calls.get(callId)
    const path = isRecord(args) ? (str(args.path) ?? str(args.file_path)) : null
    parts.push({ type: 'patch', path, diff })
  }
  return base('tool', parts, time)
}

/** The user's own `!command`: a call and its result, typed by the user. */
function bashExecution(m: PiRecord, time: number | null): EntryMessage {
  const exitCode = num(m.exitCode)
  const parts: Part[] = [
    { type: 'tool-call', callId: null, name: 'bash', args: { command: str(m.command) ?? '' } },
    {
      type: 'tool-result',
      callId: null,
      name: 'bash',
      output: str(m.output) ?? '',
      isError: m.cancelled === true || (exitCode !== null && exitCode !== 0),
    },
  ]
  return base('user', parts, time)
}

/** Extension content the model sees as a user turn (v3 `custom`, v2 `hookMessage`). */
function custom(m: PiRecord, calls: CallArgs, time: number | null): EntryMessage {
  const parts = contentParts(m.content, calls)
  parts.push({
    type: 'other',
    kind: 'custom',
    raw: { customType: str(m.customType), display: m.display ?? null },
  })
  return { ...base('user', parts, time), flags: ['synthetic'] }
}

function summary(
  kind: 'compaction' | 'branch-summary',
  text: string,
  raw: object,
  time: number | null,
) {
  const message = base(
    'system',
    [
      { type: 'text', text },
      { type: 'other', kind, raw },
    ],
    time,
  )
  const flags: MessageFlag[] = kind === 'compaction' ? ['compaction-summary'] : ['synthetic']
  return { ...message, flags }
}

/** An AgentMessage (the `message` of a `message` entry) by role. */
function agentMessage(m: PiRecord, calls: CallArgs): EntryMessage {
  const time = num(m.timestamp)
  switch (m.role) {
    case 'user':
      return base('user', contentParts(m.content, calls), time)
    case 'assistant':
      return assistant(m, calls, time)
    case 'toolResult':
      return toolResult(m, calls, time)
    case 'bashExecution':
      return bashExecution(m, time)
    case 'custom':
      return custom(m, calls, time)
    case 'compactionSummary':
      return summary(
        'compaction',
        str(m.summary) ?? '',
        { tokensBefore: num(m.tokensBefore) },
        time,
      )
    case 'branchSummary':
      return summary('branch-summary', str(m.summary) ?? '', { fromId: str(m.fromId) }, time)
    default: {
      const role = str(m.role) ?? 'unknown'
      const parts = contentParts(m.content, calls)
      return base(
        'unknown',
        parts.length > 0 ? parts : [{ type: 'other', kind: role, raw: m }],
        time,
      )
    }
  }
}

/**
 * An entry as a message, or null for entries that are not messages (state entries, unknown
 * types: the caller tells them apart).
 */
export function entryToMessage(entry: PiEntry, calls: CallArgs): EntryMessage | null {
  const raw = entry.raw
  switch (entry.type) {
    case 'message':
      return isRecord(raw.message) ? agentMessage(raw.message, calls) : null
    case 'compaction':
      return summary(
        'compaction',
        str(raw.summary) ?? '',
        { tokensBefore: num(raw.tokensBefore), firstKeptEntryId: str(raw.firstKeptEntryId) },
        null,
      )
    case 'branch_summary':
      return summary('branch-summary', str(raw.summary) ?? '', { fromId: str(raw.fromId) }, null)
    case 'custom_message':
      return custom(raw, calls, null)
    default:
      return null
  }
}
