/**
 * Tolerant shapes of Gemini CLI chat recordings (google-gemini/gemini-cli
 * `packages/core/src/services/chatRecordingService.ts` and `chatRecordingTypes.ts`).
 *
 * Two generations are on disk: the legacy single JSON document (`session-*.json`) and the
 * current append-only replay log (`session-*.jsonl`). Both carry the same `MessageRecord`.
 * The accessors never throw: a field of the wrong type reads as missing (the agents package
 * has no zod dependency; these guards play the role of `safeParse`).
 */
import type { Part, Tokens } from '@opensync/core/wire'
import { isRecord, num, type Raw, str } from '../decode.js'

/** `MessageRecord`: `type` is `user | gemini | info | error | warning`. */
export type GeminiMessage = {
  readonly id: string
  readonly timestamp: string | null
  readonly type: string
  /** `PartListUnion`: a string, one part, or an array of parts/strings. */
  readonly content: unknown
  /** What the user saw (e.g. the typed prompt before `@file` expansion). */
  readonly displayContent: unknown
  readonly thoughts: readonly Raw[]
  readonly toolCalls: readonly Raw[]
  readonly model: string | null
  readonly tokens: Raw | null
}

/** A message record, or null when the value has no string `id` (gemini's own test). */
export function parseMessage(value: Raw): GeminiMessage | null {
  const id = str(value.id)
  if (id === null || id === '') return null
  return {
    id,
    timestamp: str(value.timestamp),
    type: str(value.type) ?? '',
    content: value.content,
    displayContent: value.displayContent,
    thoughts: Array.isArray(value.thoughts) ? value.thoughts.filter(isRecord) : [],
    toolCalls: Array.isArray(value.toolCalls) ? value.toolCalls.filter(isRecord) : [],
    model: str(value.model) || null,
    tokens: isRecord(value.tokens) ? value.tokens : null,
  }
}

/**
 * `TokensSummary` → our buckets. Gemini's fields are the API's `usageMetadata`:
 * `input` = promptTokenCount, which INCLUDES `cached` (cachedContentTokenCount);
 * `output` = candidatesTokenCount, which EXCLUDES `thoughts` (thoughtsTokenCount);
 * `tool` = toolUsePromptTokenCount, prompt-side and outside `input`;
 * `total` = input + output + thoughts + tool.
 * So: input = input − cached + tool, cacheRead = cached, output = output + thoughts,
 * reasoning = thoughts. When `total` shows `cached` was counted outside `input` (total equals
 * the sum with `cached` added; ccusage's guard for such producers) nothing is subtracted.
 * Null when the record holds no token count at all.
 */
export function toTokens(raw: Raw | null): Tokens | null {
  if (raw === null) return null
  const counts = ['input', 'output', 'cached', 'thoughts', 'tool'].map((k) => num(raw[k]))
  if (counts.every((c) => c === null)) return null
  const [input, output, cached, thoughts, tool] = counts.map((c) => Math.max(0, c ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
  ]
  const total = num(raw.total)
  const cachedOutside = cached > 0 && total === input + cached + output + thoughts + tool
  const cacheRead = cachedOutside ? cached : Math.min(cached, input)
  return {
    input: (cachedOutside ? input : input - cacheRead) + tool,
    output: output + thoughts,
    cacheRead,
    cacheWrite5m: 0,
    cacheWrite1h: 0,
    reasoning: thoughts,
  }
}

/** A thought summary `{subject, description}` → reasoning text. */
export function thoughtText(thought: Raw): string {
  const subject = str(thought.subject)?.trim() ?? ''
  const description = str(thought.description)?.trim() ?? ''
  return [subject, description].filter((s) => s !== '').join('\n')
}

/** A `functionResponse.response` or tool `result` → the text the model saw. */
function responseText(response: unknown): string {
  if (typeof response === 'string') return response
  if (isRecord(response)) {
    const output = str(response.output) ?? str(response.error) ?? str(response.content)
    if (output !== null) return output
  }
  return response === undefined || response === null ? '' : (JSON.stringify(response) ?? '')
}

/**
 * One `@google/genai` part (`{text}`, `{text, thought: true}`, `{functionCall}`,
 * `{functionResponse}`, `{inlineData}`, `{fileData}`, …) or a bare string → our parts.
 */
export function contentParts(content: unknown): Part[] {
  if (content === undefined || content === null) return []
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }]
  if (Array.isArray(content)) return content.flatMap(contentParts)
  if (!isRecord(content)) return [{ type: 'other', kind: typeof content, raw: content }]
  const text = str(content.text)
  if (text !== null) {
    return content.thought === true ? [{ type: 'reasoning', text }] : [{ type: 'text', text }]
  }
  if (isRecord(content.functionCall)) {
    const call = content.functionCall
    return [
      {
        type: 'tool-call',
        callId: str(call.id),
        name: str(call.name) ?? 'unknown',
        args: call.args ?? {},
      },
    ]
  }
  if (isRecord(content.functionResponse)) {
    const response = content.functionResponse
    return [
      {
        type: 'tool-result',
        callId: str(response.id),
        name: str(response.name),
        output: responseText(response.response),
        isError: isRecord(response.response) && 'error' in response.response,
      },
    ]
  }
  if (isRecord(content.inlineData)) {
    return [{ type: 'image', mediaType: str(content.inlineData.mimeType), url: null }]
  }
  if (isRecord(content.fileData)) {
    return [
      {
        type: 'file',
        path: str(content.fileData.fileUri),
        mediaType: str(content.fileData.mimeType),
        text: null,
      },
    ]
  }
  return [{ type: 'other', kind: Object.keys(content)[0] ?? 'unknown', raw: content }]
}

function partOutput(part: Part): string {
  if (part.type === 'text') return part.text
  return part.type === 'tool-result' ? part.output : ''
}

/** A `ToolCallRecord` → its call, and its result once the tool has run. */
export function toolCallParts(call: Raw): { call: Part; result: Part | null } {
  const callId = str(call.id)
  const name = str(call.name) ?? 'unknown'
  const status = str(call.status)
  const result = call.result
  const hasResult = (result !== undefined && result !== null) || status === 'error'
  let output = ''
  if (Array.isArray(result) || isRecord(result)) {
    // `result` is the functionResponse parts the model was sent back.
    output = contentParts(result)
      .map(partOutput)
      .filter((s) => s !== '')
      .join('\n')
  } else if (typeof result === 'string') output = result
  if (output === '' && typeof call.resultDisplay === 'string') output = call.resultDisplay
  return {
    call: { type: 'tool-call', callId, name, args: call.args ?? {} },
    result: hasResult
      ? {
          type: 'tool-result',
          callId,
          name,
          output,
          isError: status === 'error' || status === 'cancelled',
        }
      : null,
  }
}

export { isoToEpochMs as toEpochMs, isRecord, num, type Raw, str } from '../decode.js'
