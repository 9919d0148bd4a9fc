import { z } from 'zod'

/** The normalised part vocabulary (SPEC §4). Every shape seen in the wild maps onto it. */
export const partSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('reasoning'), text: z.string() }),
  z.object({
    type: z.literal('tool-call'),
    callId: z.string().nullable(),
    name: z.string(),
    args: z.unknown(),
  }),
  z.object({
    type: z.literal('tool-result'),
    callId: z.string().nullable(),
    name: z.string().nullable(),
    output: z.string(),
    isError: z.boolean(),
  }),
  z.object({
    type: z.literal('file'),
    path: z.string().nullable(),
    mediaType: z.string().nullable(),
    text: z.string().nullable(),
  }),
  z.object({ type: z.literal('patch'), path: z.string().nullable(), diff: z.string() }),
  z.object({
    type: z.literal('image'),
    mediaType: z.string().nullable(),
    url: z.string().nullable(),
  }),
  z.object({ type: z.literal('other'), kind: z.string(), raw: z.unknown() }),
])
export type Part = z.infer<typeof partSchema>
export type PartType = Part['type']

type Raw = Readonly<Record<string, unknown>>

const TEXT_TYPES = new Set(['text', 'input_text', 'output_text', 'message'])
const REASONING_TYPES = new Set(['reasoning', 'thinking', 'redacted_thinking'])
const CALL_TYPES = new Set([
  'tool-call',
  'tool_call',
  'tool_use',
  'tool-use',
  'toolcall',
  'tool',
  'function_call',
  'server_tool_use',
])
const RESULT_TYPES = new Set([
  'tool-result',
  'tool_result',
  'toolresult',
  'function_call_output',
  'tool-output',
])
const PATCH_TYPES = new Set(['patch', 'diff', 'edit'])

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

/** Text of `string | {text} | {content} | [{text}…]`, the shapes upstream's UI tolerated. */
export function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value
  if (Array.isArray(value)) {
    const texts = value.map(textOf).filter((t): t is string => t !== null)
    return texts.length > 0 ? texts.join('\n') : null
  }
  if (isRecord(value)) {
    return str(value.text) ?? textOf(value.content) ?? str(value.thinking) ?? null
  }
  return null
}

/** Tool output as text: strings stay, structured output becomes JSON. */
function outputText(value: unknown): string {
  if (value === undefined || value === null) return ''
  const text = textOf(value)
  if (text !== null) return text
  return JSON.stringify(value) ?? ''
}

function parseArgs(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? {}
  try {
    return JSON.parse(value)
  } catch {
    return value
  }
}

/** Fields may sit on the part itself or inside its `content` object. */
function fields(raw: Raw): Raw {
  return isRecord(raw.content) ? { ...raw.content, ...raw } : raw
}

function callId(f: Raw): string | null {
  return str(f.callId) ?? str(f.toolCallId) ?? str(f.tool_use_id) ?? str(f.call_id) ?? str(f.id)
}

function toolCall(f: Raw): Part {
  return {
    type: 'tool-call',
    callId: callId(f),
    name: str(f.toolName) ?? str(f.name) ?? str(f.tool) ?? 'unknown',
    args: parseArgs(f.args ?? f.arguments ?? f.input ?? f.parameters),
  }
}

function toolResult(f: Raw, fallback: unknown): Part {
  const output = f.result ?? f.output ?? (isRecord(fallback) ? fallback.content : fallback)
  return {
    type: 'tool-result',
    callId: callId(f),
    name: str(f.toolName) ?? str(f.name) ?? null,
    output: outputText(output),
    isError: f.isError === true || f.is_error === true || f.status === 'error',
  }
}

/**
 * Normalises one part as sent by any client. Never throws: what it can't place is kept as
 * `other` with its raw value. A legacy `tool_use` carrying its own result (claude-code-sync)
 * becomes a call and a result.
 */
export function normalizePart(raw: unknown): Part[] {
  if (typeof raw === 'string') return [{ type: 'text', text: raw }]
  if (!isRecord(raw)) return [{ type: 'other', kind: typeof raw, raw }]
  const type = (str(raw.type) ?? '').toLowerCase()
  const f = fields(raw)

  if (TEXT_TYPES.has(type)) {
    const text = textOf(raw.text ?? raw.content)
    return text === null ? [{ type: 'other', kind: type, raw }] : [{ type: 'text', text }]
  }
  if (REASONING_TYPES.has(type)) {
    return [{ type: 'reasoning', text: textOf(raw.text ?? raw.thinking ?? raw.content) ?? '' }]
  }
  if (CALL_TYPES.has(type)) {
    const call = toolCall(f)
    const result = f.result ?? f.output
    if (result === undefined) return [call]
    return [call, toolResult({ ...f, output: undefined }, result)]
  }
  if (RESULT_TYPES.has(type)) return [toolResult(f, raw.content)]
  if (PATCH_TYPES.has(type)) {
    return [
      {
        type: 'patch',
        path: str(f.path) ?? str(f.file) ?? str(f.filePath),
        diff: str(f.diff) ?? str(f.patch) ?? textOf(raw.content) ?? '',
      },
    ]
  }
  if (type === 'file') {
    return [
      {
        type: 'file',
        path: str(f.path) ?? str(f.filename) ?? str(f.file),
        mediaType: str(f.mediaType) ?? str(f.mime),
        text: str(f.text),
      },
    ]
  }
  if (type === 'image') {
    const url = str(f.url)
    return [
      {
        type: 'image',
        mediaType: str(f.mediaType) ?? str(f.media_type) ?? str(f.mime),
        // Only references are kept; inline base64 payloads are dropped.
        url: url?.startsWith('data:') ? null : url,
      },
    ]
  }
  if (type === 'other' && typeof raw.kind === 'string' && 'raw' in raw) {
    // Already normalised (our own sync tools send parts in this vocabulary).
    return [{ type: 'other', kind: raw.kind, raw: raw.raw }]
  }
  return [{ type: 'other', kind: type || 'unknown', raw }]
}

export function normalizeParts(raw: readonly unknown[] | null | undefined): Part[] {
  return (raw ?? []).flatMap(normalizePart)
}

/** Text shown for a message when it has no `textContent`: its text parts. */
export function textFromParts(parts: readonly Part[]): string {
  return parts
    .filter((p) => p.type === 'text')
    .map((p) => (p.type === 'text' ? p.text : ''))
    .join('\n\n')
}
