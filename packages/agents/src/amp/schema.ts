/**
 * Tolerant shapes of Amp threads, `threads/T-<uuid>.json` (`reference/agent-formats.md` §9,
 * after ccusage `adapter/amp/parser.rs` and wesm/agentsview `internal/parser/amp.go`): one JSON
 * document per thread, rewritten in place. The accessors never throw: a field of the wrong
 * type reads as missing (hand-written guards in place of `safeParse`; no zod in this package).
 */
import type { Part, Tokens } from '@opensync/core/wire'
import { isRecord, num, type Raw, str, toEpochMs } from '../decode.js'

/** `messageId` is an integer in Amp; a string is accepted too. */
export function messageKey(value: unknown): string | null {
  if (typeof value === 'number' && Number.isInteger(value)) return String(value)
  return typeof value === 'string' && value !== '' ? value : null
}

/**
 * `messages[].usage` → our buckets. Amp's fields are Anthropic's: `inputTokens` excludes the
 * cache (`totalInputTokens` = input + cacheCreation + cacheRead in ccusage's sample),
 * `cacheCreationInputTokens` is a cache write (TTL not recorded: counted as 5-minute, the
 * Anthropic default), `outputTokens` includes thinking. Null when no count is present.
 */
export function messageUsage(usage: Raw): Tokens | null {
  const fields = [
    usage.inputTokens,
    usage.outputTokens,
    usage.cacheCreationInputTokens,
    usage.cacheReadInputTokens,
  ].map(num)
  if (fields.every((f) => f === null)) return null
  const [input, output, cacheWrite, cacheRead] = fields.map((f) => Math.max(0, f ?? 0)) as [
    number,
    number,
    number,
    number,
  ]
  return { input, output, cacheRead, cacheWrite5m: cacheWrite, cacheWrite1h: 0, reasoning: 0 }
}

/** `usageLedger.events[]` of older threads: input/output only (no cache split). */
export type LedgerEvent = {
  readonly id: string | null
  readonly timestamp: number | null
  readonly model: string | null
  readonly input: number
  readonly output: number
  readonly operationType: string | null
  readonly fromMessageId: string | null
  readonly toMessageId: string | null
}

export function parseLedgerEvent(value: unknown): LedgerEvent | null {
  if (!isRecord(value) || !isRecord(value.tokens)) return null
  const input = num(value.tokens.input)
  const output = num(value.tokens.output)
  if (input === null && output === null) return null
  return {
    id: str(value.id),
    timestamp: toEpochMs(value.timestamp),
    model: str(value.model) || null,
    input: Math.max(0, input ?? 0),
    output: Math.max(0, output ?? 0),
    operationType: str(value.operationType),
    fromMessageId: messageKey(value.fromMessageId),
    toMessageId: messageKey(value.toMessageId),
  }
}

/** A tool result's content: a string, text blocks, or `{run: {result}}`. */
function resultText(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  if (Array.isArray(value)) {
    return value
      .map((v) => (typeof v === 'string' ? v : isRecord(v) ? (str(v.text) ?? '') : ''))
      .filter((s) => s !== '')
      .join('\n')
  }
  return JSON.stringify(value) ?? ''
}

/**
 * One content block → a part. The block shapes are not documented for Amp; these are the
 * Anthropic shapes agentsview reads (`text`, `thinking`, `tool_use`, `tool_result`, `image`),
 * with Amp-style spellings accepted on results (`toolUseID`, `run.result`, `run.status`).
 */
export function blockPart(block: unknown, toolNames: ReadonlyMap<string, string>): Part {
  if (typeof block === 'string') return { type: 'text', text: block }
  if (!isRecord(block)) return { type: 'other', kind: typeof block, raw: block }
  switch (block.type) {
    case 'text':
      return { type: 'text', text: str(block.text) ?? '' }
    case 'thinking':
      return { type: 'reasoning', text: str(block.thinking) ?? str(block.text) ?? '' }
    case 'redacted_thinking':
      return { type: 'reasoning', text: '' }
    case 'tool_use':
      return {
        type: 'tool-call',
        callId: str(block.id),
        name: str(block.name) ?? 'unknown',
        args: block.input ?? {},
      }
    case 'tool_result': {
      const callId = str(block.tool_use_id) ?? str(block.toolUseID)
      const run = isRecord(block.run) ? block.run : null
      return {
        type: 'tool-result',
        callId,
        name: (callId === null ? undefined : toolNames.get(callId)) ?? null,
        output: resultText(block.content ?? run?.result ?? block.output),
        isError: block.is_error === true || run?.status === 'error',
      }
    }
    case 'image': {
      const source = isRecord(block.source) ? block.source : {}
      return {
        type: 'image',
        mediaType: str(source.media_type) ?? str(source.mediaType),
        url: null,
      }
    }
    default:
      return { type: 'other', kind: str(block.type) ?? 'unknown', raw: block }
  }
}

export { isRecord, num, type Raw, str, toEpochMs } from '../decode.js'
