/**
 * Tolerant decoders for one line of a Claude Code transcript (HOUSE-STYLE §5.7). Every field is
 * optional because versions 1.0 to 2.1 differ; a line that cannot be placed becomes `invalid` or
 * `unknown`, never an exception. Hand-written instead of zod: `@opensync/agents` does not depend
 * on zod, and these shapes need no more than type checks.
 * Format notes: shared/reference/agent-formats.md §1.
 */

import { isRecord, num, type Raw, str } from '../decode.js'
/** Fields shared by user, assistant, system, attachment and progress lines. */
export type Envelope = {
  readonly uuid: string | null
  readonly parentUuid: string | null
  /** Set on `compact_boundary` lines, whose `parentUuid` is null. */
  readonly logicalParentUuid: string | null
  readonly isSidechain: boolean
  /** Subagent files carry the parent's session id. */
  readonly sessionId: string | null
  readonly agentId: string | null
  readonly cwd: string | null
  /** `""` (not a git repository) becomes null. */
  readonly gitBranch: string | null
  readonly version: string | null
  /** Epoch ms; null when missing or unparseable. */
  readonly timestamp: number | null
  readonly isMeta: boolean
}

/** One content block (`{type: 'text' | 'thinking' | 'tool_use' | 'tool_result' | …}`). */
export type Block = Raw & { readonly type: string }

export type ClaudeLine =
  | {
      readonly kind: 'user'
      readonly env: Envelope
      readonly content: readonly Block[]
      readonly isCompactSummary: boolean
      /** Tool-specific structured output (`structuredPatch`, `stdout`, subagent totals …). */
      readonly toolUseResult: unknown
    }
  | {
      readonly kind: 'assistant'
      readonly env: Envelope
      /** API message id (`msg_…`), repeated on every line of one streamed response. */
      readonly messageId: string | null
      readonly requestId: string | null
      readonly model: string | null
      readonly content: readonly Block[]
      readonly usage: Raw | null
      /** Only on very old lines. */
      readonly costUSD: number | null
      readonly isApiErrorMessage: boolean
    }
  | {
      readonly kind: 'system'
      readonly env: Envelope
      readonly subtype: string | null
      readonly content: string | null
      readonly compactMetadata: unknown
      readonly error: unknown
    }
  | { readonly kind: 'attachment'; readonly env: Envelope; readonly attachment: Raw }
  | { readonly kind: 'summary'; readonly summary: string; readonly leafUuid: string | null }
  | { readonly kind: 'title'; readonly from: 'custom' | 'ai'; readonly title: string }
  /** A known record that carries no message (progress, queue-operation, snapshots …). */
  | { readonly kind: 'meta'; readonly type: string; readonly env: Envelope }
  | { readonly kind: 'unknown'; readonly type: string }
  | { readonly kind: 'invalid'; readonly reason: string }

/**
 * Record types that are understood but hold no message. Their envelope still counts for the
 * session's time span and for walking `parentUuid` chains. `mode` is written by 2.1.197 and is
 * not in the reference doc.
 */
export const META_TYPES: ReadonlySet<string> = new Set([
  'progress',
  'queue-operation',
  'file-history-snapshot',
  'last-prompt',
  'agent-name',
  'permission-mode',
  'agent-setting',
  'bridge-session',
  'worktree-state',
  'pr-link',
  'mode',
])

function parseTime(value: unknown): number | null {
  const text = str(value)
  if (text === null) return null
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? null : ms
}

export function decodeEnvelope(raw: Raw): Envelope {
  const branch = str(raw.gitBranch)
  return {
    uuid: str(raw.uuid),
    parentUuid: str(raw.parentUuid),
    logicalParentUuid: str(raw.logicalParentUuid),
    isSidechain: raw.isSidechain === true,
    sessionId: str(raw.sessionId),
    agentId: str(raw.agentId),
    cwd: str(raw.cwd) || null,
    gitBranch: branch === '' ? null : branch,
    version: str(raw.version) || null,
    timestamp: parseTime(raw.timestamp),
    isMeta: raw.isMeta === true,
  }
}

/** `string | Block[]` content as blocks; a plain string is one text block. */
function decodeContent(value: unknown): readonly Block[] | null {
  if (typeof value === 'string') return [{ type: 'text', text: value }]
  if (!Array.isArray(value)) return null
  return value.map((item): Block => {
    if (isRecord(item) && typeof item.type === 'string') return item as Block
    if (typeof item === 'string') return { type: 'text', text: item }
    return { type: 'unknown', value: item }
  })
}

export function decodeLine(value: unknown): ClaudeLine {
  if (!isRecord(value)) return { kind: 'invalid', reason: 'line is not a JSON object' }
  const message = isRecord(value.message) ? value.message : null
  // Legacy: usage-only lines (ccusage's fixtures, pre-1.0 exports) have no `type`; the
  // message's role says what they are.
  const type = str(value.type) ?? str(message?.role)
  if (type === null) return { kind: 'invalid', reason: 'record has no "type"' }

  switch (type) {
    case 'user': {
      const content = decodeContent(message?.content)
      if (content === null) return { kind: 'invalid', reason: 'user line without message.content' }
      return {
        kind: 'user',
        env: decodeEnvelope(value),
        content,
        isCompactSummary: value.isCompactSummary === true,
        toolUseResult: value.toolUseResult,
      }
    }
    case 'assistant': {
      if (message === null) return { kind: 'invalid', reason: 'assistant line without message' }
      return {
        kind: 'assistant',
        env: decodeEnvelope(value),
        messageId: str(message.id),
        requestId: str(value.requestId),
        model: str(message.model),
        content: decodeContent(message.content) ?? [],
        usage: isRecord(message.usage) ? message.usage : null,
        costUSD: num(value.costUSD),
        isApiErrorMessage: value.isApiErrorMessage === true,
      }
    }
    case 'system':
      return {
        kind: 'system',
        env: decodeEnvelope(value),
        subtype: str(value.subtype),
        content: str(value.content),
        compactMetadata: value.compactMetadata,
        error: value.error,
      }
    case 'attachment':
      if (!isRecord(value.attachment)) {
        return { kind: 'invalid', reason: 'attachment line without attachment' }
      }
      return { kind: 'attachment', env: decodeEnvelope(value), attachment: value.attachment }
    case 'summary': {
      const summary = str(value.summary)
      if (summary === null) return { kind: 'invalid', reason: 'summary line without summary' }
      return { kind: 'summary', summary, leafUuid: str(value.leafUuid) }
    }
    case 'custom-title':
    case 'ai-title': {
      const title = str(type === 'custom-title' ? value.customTitle : value.aiTitle)
      if (title === null) return { kind: 'invalid', reason: `${type} line without a title` }
      return { kind: 'title', from: type === 'custom-title' ? 'custom' : 'ai', title }
    }
    default:
      if (META_TYPES.has(type)) return { kind: 'meta', type, env: decodeEnvelope(value) }
      return { kind: 'unknown', type }
  }
}

export { isRecord, num, type Raw, str } from '../decode.js'
