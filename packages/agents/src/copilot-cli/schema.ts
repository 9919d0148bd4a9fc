/**
 * Tolerant shapes of GitHub Copilot CLI's `events.jsonl` (no published schema; read off the
 * real 1.0.78 files in `test/fixtures/copilot-cli/lantern-1.0.78`). Every line is an envelope
 * `{type, data, id, timestamp, parentId}`. The accessors never throw: a field of the wrong type
 * reads as missing (hand-written guards in place of `safeParse`; no zod in this package).
 */
import type { Part } from '@opensync/core/wire'
import { isRecord, num, type Raw, str, toEpochMs } from '../decode.js'

export type CopilotEvent = {
  readonly line: number
  readonly type: string
  readonly id: string | null
  readonly parentId: string | null
  readonly timestamp: number | null
  readonly data: Raw
}

/** The envelope, or null when the line has no string `type`. */
export function parseEvent(value: Raw, line: number): CopilotEvent | null {
  const type = str(value.type)
  if (type === null || type === '') return null
  return {
    line,
    type,
    id: str(value.id) || null,
    parentId: str(value.parentId) || null,
    timestamp: toEpochMs(value.timestamp),
    data: isRecord(value.data) ? value.data : {},
  }
}

/** Event types that carry nothing the transcript or the totals need. */
export const SKIPPED_EVENTS: ReadonlySet<string> = new Set([
  'system.message', // the system prompt (25 KB in 1.0.78)
  'assistant.turn_start',
  'assistant.turn_end',
  'assistant.message_delta', // streaming chunks; the full assistant.message follows
  'assistant.reasoning',
  'assistant.reasoning_delta',
  'session.idle',
  'session.info',
  'session.compaction_start',
  'session.compaction_complete',
  'subagent.started',
  'subagent.completed',
])

/**
 * `session.shutdown.data.modelMetrics[model].usage`. `inputTokens` is the whole prompt:
 * `cacheReadTokens` is a part of it (a real 2026 session in PanAchy/copilot-arewecooked#45
 * shows 11,538,077 input with 11,027,120 cache reads; copilot-cli#1394 prints
 * "453.0k in, 405.7k cached").
 */
export type ModelMetrics = {
  readonly model: string
  readonly requests: number
  readonly inputTokens: number
  readonly outputTokens: number
  readonly cacheReadTokens: number
  readonly cacheWriteTokens: number
}

export function parseModelMetrics(value: unknown): ModelMetrics[] {
  if (!isRecord(value)) return []
  return Object.entries(value).flatMap(([model, metrics]) => {
    if (!isRecord(metrics) || !isRecord(metrics.usage)) return []
    const u = metrics.usage
    const n = (v: unknown) => Math.max(0, num(v) ?? 0)
    return [
      {
        model,
        requests: n(isRecord(metrics.requests) ? metrics.requests.count : undefined),
        inputTokens: n(u.inputTokens),
        outputTokens: n(u.outputTokens),
        cacheReadTokens: n(u.cacheReadTokens),
        cacheWriteTokens: n(u.cacheWriteTokens),
      },
    ]
  })
}

/** `assistant.message.data.toolRequests[]` → tool calls. */
export function toolRequestParts(value: unknown): Part[] {
  if (!Array.isArray(value)) return []
  return value.filter(isRecord).map((r) => ({
    type: 'tool-call',
    callId: str(r.toolCallId),
    name: str(r.name) ?? 'unknown',
    args: parseArgs(r.arguments),
  }))
}

function parseArgs(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? {}
  try {
    return JSON.parse(value)
  } catch {
    return value
  }
}

/** A tool's `result` (string, `{content}`, `{detailedContent}` or other) → text. */
export function resultText(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  if (isRecord(value)) {
    const text = str(value.content) ?? str(value.detailedContent) ?? str(value.text)
    if (text !== null) return text
  }
  return JSON.stringify(value) ?? ''
}

/** `user.message.data.attachments[]` → file parts (path when the attachment names one). */
export function attachmentParts(value: unknown): Part[] {
  if (!Array.isArray(value)) return []
  return value.map((a): Part => {
    if (!isRecord(a)) return { type: 'other', kind: 'attachment', raw: a }
    const path = str(a.path) ?? str(a.filePath)
    if (path === null) return { type: 'other', kind: 'attachment', raw: a }
    return { type: 'file', path, mediaType: str(a.mimeType) ?? str(a.mediaType), text: null }
  })
}

export { isRecord, num, type Raw, str, toEpochMs } from '../decode.js'
