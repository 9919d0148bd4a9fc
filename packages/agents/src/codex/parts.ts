import type { Part } from '@opensync/core/wire'
import { isRecord, type Json, str } from './schema.js'

/**
 * Pure conversions of Codex ResponseItem and event payloads into core parts. No state, no I/O:
 * the reader decides which record wins and where it goes.
 */

/** A parsed tool output: its text and whether it failed (null when the file does not say). */
export type ToolOutput = { readonly output: string; readonly isError: boolean | null }

/**
 * Key used to pair an event_msg text with its response_item twin (§2: "the same text is
 * written twice"). Trimmed text, except that the placeholders of redacted fixtures
 * (`[REDACTED_MESSAGE len=N sha=H]` in events vs `[REDACTED_TEXT len=N sha=H]` in items, the same
 * underlying text) compare by length and hash.
 */
export function dedupeKey(text: string): string {
  const trimmed = text.trim()
  const redacted = /^\[REDACTED_[A-Z_]+ (len=\d+ sha=[0-9a-f]+)\]$/.exec(trimmed)
  return redacted ? `[REDACTED ${redacted[1]}]` : trimmed
}

/** Harness-inserted wrappers around an attached image (`<image name=[Image #1]>` … `</image>`). */
const IMAGE_TAG = /^<\/?image\b[^>]*>$/

/**
 * Text parts of a user message that Codex injects rather than the human typing them. Used only
 * when the file cannot tell (no `user_message` events, no 0.169 provenance metadata).
 */
const INJECTED_PREFIXES = [
  '<environment_context>',
  '<user_instructions>',
  '# AGENTS.md instructions',
  '<permissions instructions>',
  '<skills_instructions>',
  '<collaboration_mode>',
  '<turn_aborted>',
  '<user_shell_command>',
  '<subagent_notification>',
]

export function looksInjected(text: string): boolean {
  const trimmed = text.trimStart()
  return INJECTED_PREFIXES.some((prefix) => trimmed.startsWith(prefix))
}

/** An image reference; inline `data:` payloads keep only their media type. */
export function imagePart(url: string | null): Part {
  if (url === null) return { type: 'image', mediaType: null, url: null }
  const data = /^data:([^;,]+)[;,]/.exec(url)
  return data
    ? { type: 'image', mediaType: data[1] ?? null, url: null }
    : { type: 'image', mediaType: null, url }
}

/** Parts of a `message` item's `content[]` (input_text, output_text, refusal, input_image). */
export function contentParts(content: unknown): { parts: Part[]; texts: string[] } {
  const parts: Part[] = []
  const texts: string[] = []
  if (typeof content === 'string') {
    if (content !== '') {
      parts.push({ type: 'text', text: content })
      texts.push(content)
    }
    return { parts, texts }
  }
  if (!Array.isArray(content)) return { parts, texts }
  for (const item of content) {
    if (!isRecord(item)) continue
    const type = str(item.type) ?? ''
    const text = str(item.text) ?? str(item.refusal)
    if (text !== null && type !== 'input_image') {
      if (IMAGE_TAG.test(text.trim()) || text === '') continue
      parts.push({ type: 'text', text })
      texts.push(text)
    } else if (type === 'input_image' || type === 'image') {
      parts.push(imagePart(str(item.image_url) ?? str(item.url)))
    } else {
      parts.push({ type: 'other', kind: type || 'unknown', raw: item })
    }
  }
  return { parts, texts }
}

/** `0.169` items carry who wrote each content item: `provenance.type` "user" or "harness". */
export function provenanceOf(item: Json): 'user' | 'harness' | null {
  const meta = item.internal_chat_message_metadata_passthrough
  if (!isRecord(meta) || !Array.isArray(meta.content_item_metadata)) return null
  let sawUser = false
  for (const entry of meta.content_item_metadata) {
    const provenance = isRecord(entry) && isRecord(entry.provenance) ? entry.provenance : null
    if (provenance?.type === 'harness') return 'harness'
    if (provenance?.type === 'user') sawUser = true
  }
  return sawUser ? 'user' : null
}

/** Summary texts of a `reasoning` item; its raw `content` when there is no summary. */
export function reasoningTexts(item: Json): string[] {
  const pick = (value: unknown): string[] =>
    Array.isArray(value)
      ? value
          .map((entry) => (isRecord(entry) ? str(entry.text) : null))
          .filter((text): text is string => text !== null && text.trim() !== '')
      : []
  const summary = pick(item.summary)
  return summary.length > 0 ? summary : pick(item.content)
}

/** `arguments` is JSON in a string; redacted or truncated ones stay as the raw string. */
export function parseArguments(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? {}
  try {
    return JSON.parse(value)
  } catch {
    return value
  }
}

/**
 * apply_patch's envelope (`*** Begin Patch` … `*** End Patch`) split into one patch part per file
 * (`*** Add File:`, `*** Update File:`, `*** Delete File:`); the diff is that file's section.
 * Anything that is not such an envelope (e.g. a redacted placeholder) gives no parts.
 */
export function patchParts(input: unknown): Part[] {
  if (typeof input !== 'string' || !input.trimStart().startsWith('*** Begin Patch')) return []
  const parts: Part[] = []
  let path: string | null = null
  let lines: string[] = []
  const flush = () => {
    if (lines.length > 0) parts.push({ type: 'patch', path, diff: lines.join('\n') })
    lines = []
  }
  for (const line of input.split('\n')) {
    const header = /^\*\*\* (?:Add|Update|Delete) File: (.+)$/.exec(line)
    if (header) {
      flush()
      path = header[1]?.trim() ?? null
      lines = [line]
    } else if (line.startsWith('*** Begin Patch') || line.startsWith('*** End Patch')) {
      flush()
      path = null
    } else if (path !== null) {
      lines.push(line)
    }
  }
  flush()
  return parts.length > 0 ? parts : [{ type: 'patch', path: null, diff: input }]
}

/** The patch text of an apply_patch invocation, whatever tool shape carried it. */
export function patchInput(name: string, args: unknown): unknown {
  if (name === 'apply_patch') {
    if (typeof args === 'string') return args
    if (isRecord(args)) return args.input ?? args.patch
  }
  // Older builds ran it through the shell tool: {command: ["apply_patch", "<patch>"]}.
  const command = isRecord(args) ? args.command : null
  if (Array.isArray(command) && command[0] === 'apply_patch') return command[1]
  return null
}

const EXIT_LINE = /^(?:Process exited with code|Exit code:) (-?\d+)\s*$/m

/**
 * A function_call_output / custom_tool_call_output `output`:
 * - a string of JSON `{output, metadata: {exit_code}}` (shell and apply_patch in 0.3x–0.10x):
 *   the text is `output`, a non-zero exit code is an error;
 * - a string of JSON of an MCP `CallToolResult` `{content: [{type: "text", text}], isError}`;
 * - plain text, where exec_command reports `Process exited with code N` (older: `Exit code: N`);
 * - content items `[{type: "output_text" | "input_text", text}, {type: "input_image"}]`.
 */
export function toolOutput(value: unknown, success: unknown): ToolOutput {
  const failed = success === false ? true : null
  if (Array.isArray(value)) {
    const texts = value
      .map((entry) => (isRecord(entry) ? str(entry.text) : null))
      .filter((text): text is string => text !== null)
    return { output: texts.join('\n'), isError: failed }
  }
  if (isRecord(value)) return fromObject(value, JSON.stringify(value), failed)
  if (typeof value !== 'string') return { output: '', isError: failed }
  const trimmed = value.trimStart()
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(value)
      if (isRecord(parsed)) return fromObject(parsed, value, failed)
    } catch {
      // Not JSON after all: plain text.
    }
  }
  const exit = EXIT_LINE.exec(value)
  return { output: value, isError: failed ?? (exit ? Number(exit[1]) !== 0 : null) }
}

function fromObject(value: Json, raw: string, failed: boolean | null): ToolOutput {
  const metadata = isRecord(value.metadata) ? value.metadata : null
  const exitCode = typeof metadata?.exit_code === 'number' ? metadata.exit_code : null
  if (typeof value.output === 'string') {
    return { output: value.output, isError: failed ?? (exitCode === null ? null : exitCode !== 0) }
  }
  if (Array.isArray(value.content)) {
    const texts = value.content
      .map((entry) => (isRecord(entry) ? str(entry.text) : null))
      .filter((text): text is string => text !== null)
    const isError = value.isError === true || value.is_error === true
    return { output: texts.length > 0 ? texts.join('\n') : raw, isError: failed ?? isError }
  }
  return { output: raw, isError: failed }
}

/** Texts of a 0.169 `item_completed` item (`content: [{type: "text" | "Text", text}]`). */
export function itemTexts(item: Json): string[] {
  if (Array.isArray(item.summary_text)) {
    return item.summary_text.filter((t): t is string => typeof t === 'string' && t.trim() !== '')
  }
  if (!Array.isArray(item.content)) return []
  return item.content
    .map((entry) => (isRecord(entry) ? str(entry.text) : null))
    .filter((text): text is string => text !== null && text.trim() !== '')
}

/** Whether a tool-end event says the call failed; null when it does not say. */
export function endEventError(type: string, event: Json): boolean | null {
  if (type === 'exec_command_end') {
    return typeof event.exit_code === 'number' ? event.exit_code !== 0 : null
  }
  if (type === 'patch_apply_end') {
    return typeof event.success === 'boolean' ? !event.success : null
  }
  if (type === 'mcp_tool_call_end') {
    const result = event.result
    if (!isRecord(result)) return null
    if ('Err' in result) return true
    const okResult = isRecord(result.Ok) ? result.Ok : null
    return okResult ? okResult.isError === true || okResult.is_error === true : null
  }
  return null
}
