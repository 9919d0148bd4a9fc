import type { Part } from '@opensync/core/wire'
import { type Block, isRecord, num, type Raw, str } from './schema.js'

/** Tool names by `tool_use` id, so a `tool_result` part can name its tool. */
export type ToolNames = ReadonlyMap<string, string>

function mediaType(source: unknown): string | null {
  return isRecord(source) ? str(source.media_type) : null
}

/** Images are kept as references only: inline base64 is dropped, a URL source is kept. */
function imagePart(block: Raw): Part {
  const source = isRecord(block.source) ? block.source : null
  return {
    type: 'image',
    mediaType: mediaType(source),
    url: source?.type === 'url' ? str(source.url) : null,
  }
}

/** `tool_result.content`: a string, or `[{type: 'text' | 'image' | …}]`. */
function toolOutput(content: unknown): { readonly output: string; readonly extra: Part[] } {
  if (content === undefined || content === null) return { output: '', extra: [] }
  if (typeof content === 'string') return { output: content, extra: [] }
  if (!Array.isArray(content)) return { output: JSON.stringify(content) ?? '', extra: [] }
  const texts: string[] = []
  const extra: Part[] = []
  for (const item of content) {
    if (!isRecord(item)) continue
    const text = str(item.text)
    if (item.type === 'text' && text !== null) texts.push(text)
    else if (item.type === 'image') extra.push(imagePart(item))
    else extra.push({ type: 'other', kind: str(item.type) ?? 'unknown', raw: item })
  }
  return { output: texts.join('\n'), extra }
}

function toolResultPart(block: Block, names: ToolNames): Part[] {
  const callId = str(block.tool_use_id)
  // Server tool results (`web_search_tool_result` …) hold structured data: kept as JSON.
  const { output, extra } =
    block.type === 'tool_result' || typeof block.content === 'string'
      ? toolOutput(block.content)
      : { output: JSON.stringify(block.content ?? null), extra: [] }
  const name = (callId !== null ? names.get(callId) : undefined) ?? str(block.name)
  return [
    { type: 'tool-result', callId, name: name ?? null, output, isError: block.is_error === true },
    ...extra,
  ]
}

/**
 * One content block as parts. Assistant lines hold text, thinking, redacted_thinking, tool_use
 * and server_tool_use (+ its `*_tool_result`); user lines hold text, image, document and
 * tool_result. Anything else is kept as `other` with its raw block.
 */
export function blockToParts(block: Block, names: ToolNames): Part[] {
  switch (block.type) {
    case 'text':
      return [{ type: 'text', text: str(block.text) ?? '' }]
    case 'thinking':
      // The signature is opaque and not kept.
      return [{ type: 'reasoning', text: str(block.thinking) ?? '' }]
    case 'redacted_thinking':
      // Encrypted by the API: we know reasoning happened, not what it said.
      return [{ type: 'reasoning', text: '' }]
    case 'tool_use':
    case 'server_tool_use':
      return [
        {
          type: 'tool-call',
          callId: str(block.id),
          name: str(block.name) ?? 'unknown',
          args: block.input ?? {},
        },
      ]
    case 'image':
      return [imagePart(block)]
    case 'document': {
      const source = isRecord(block.source) ? block.source : null
      return [
        {
          type: 'file',
          path: null,
          mediaType: mediaType(source),
          text: source?.type === 'text' ? str(source.data) : null,
        },
      ]
    }
    default:
      if (block.type === 'tool_result' || block.type.endsWith('_tool_result')) {
        return toolResultPart(block, names)
      }
      return [{ type: 'other', kind: block.type, raw: block }]
  }
}

/** Edit/MultiEdit/Write results carry `structuredPatch` hunks: turned into one unified diff. */
export function patchFromToolUseResult(result: unknown): Part | null {
  if (!isRecord(result) || !Array.isArray(result.structuredPatch)) return null
  const path = str(result.filePath)
  const hunks: string[] = []
  for (const hunk of result.structuredPatch) {
    if (!isRecord(hunk) || !Array.isArray(hunk.lines)) continue
    const range = (start: unknown, lines: unknown) => `${num(start) ?? 0},${num(lines) ?? 0}`
    const head = `@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`
    hunks.push([head, ...hunk.lines.filter((l): l is string => typeof l === 'string')].join('\n'))
  }
  if (hunks.length === 0) return null
  const header = path === null ? [] : [`--- ${path}`, `+++ ${path}`]
  return { type: 'patch', path, diff: [...header, ...hunks].join('\n') }
}

/** The message's prose: its non-blank text parts, joined by a blank line. */
export function textOfParts(parts: readonly Part[]): string {
  return parts
    .flatMap((p) => (p.type === 'text' && p.text.trim() !== '' ? [p.text] : []))
    .join('\n\n')
}

/**
 * What a user line's text is. Claude Code writes slash commands and their output as user lines
 * wrapped in tags; `!` shell mode uses `<bash-input>` / `<bash-stdout>`.
 */
export type UserTextKind = 'prompt' | 'command' | 'command-output' | 'interrupt'

const COMMAND_PREFIXES = ['<command-name>', '<command-message>', '<bash-input>']
const OUTPUT_PREFIXES = [
  '<local-command-stdout>',
  '<local-command-stderr>',
  '<local-command-caveat>',
  '<bash-stdout>',
  '<bash-stderr>',
]

export function classifyUserText(text: string): UserTextKind {
  const start = text.trimStart()
  if (start.startsWith('[Request interrupted by user')) return 'interrupt'
  if (OUTPUT_PREFIXES.some((p) => start.startsWith(p))) return 'command-output'
  if (COMMAND_PREFIXES.some((p) => start.startsWith(p))) return 'command'
  return 'prompt'
}

const TITLE_MAX = 120

/** First line of the trimmed text, at most 120 characters (an ellipsis marks a cut). */
export function titleFrom(text: string): string | null {
  const line = (text.trim().split('\n')[0] ?? '').trim()
  if (line === '') return null
  return line.length <= TITLE_MAX ? line : `${line.slice(0, TITLE_MAX - 1).trimEnd()}…`
}

function tag(text: string, name: string): string | null {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(text)
  return match?.[1]?.trim() ?? null
}

/**
 * A title candidate from a user line: a prompt as typed, or a slash command *with arguments*
 * (`/review 123` says what the session is about; `/model` alone says nothing).
 */
export function titleCandidate(text: string, kind: UserTextKind): string | null {
  if (kind === 'prompt') return titleFrom(text)
  if (kind !== 'command') return null
  const name = tag(text, 'command-name')
  const args = tag(text, 'command-args')
  if (name === null || args === null || args === '') return null
  return titleFrom(`${name} ${args}`)
}
