/**
 * Tolerant shapes of Factory Droid sessions (`reference/agent-formats.md` §5, after
 * yemyat/droid-sync-plugin `src/types.ts`, entireio/cli `factoryaidroid/transcript.go` and
 * ccusage's droid adapter): a JSONL transcript of `session_start` and `message` lines, plus a
 * `<id>.settings.json` sidecar holding the model and the session's cumulative token totals.
 * The accessors never throw: a field of the wrong type reads as missing (hand-written guards
 * in place of `safeParse`; no zod in this package).
 */
import type { Part } from '@opensync/core/wire'
import { isRecord, num, type Raw, str } from '../decode.js'

/** `{"type":"session_start", …}`: the `calling*` fields appear only on subagent sessions. */
export type SessionStart = {
  readonly id: string | null
  /** Can embed the whole task prompt (a multi-hundred-KB line). */
  readonly title: string | null
  readonly sessionTitle: string | null
  readonly cwd: string | null
  readonly callingSessionId: string | null
  readonly callingToolUseId: string | null
}

export function parseSessionStart(value: Raw): SessionStart {
  return {
    id: str(value.id) || null,
    title: str(value.title) || null,
    sessionTitle: str(value.sessionTitle) || null,
    cwd: str(value.cwd) || null,
    callingSessionId: str(value.callingSessionId) || null,
    callingToolUseId: str(value.callingToolUseId) || null,
  }
}

/** `{"type":"message", id, timestamp, parentId?, message:{role, content[]}}`. */
export type DroidMessage = {
  readonly id: string
  readonly timestamp: string | null
  readonly parentId: string | null
  readonly role: string
  readonly content: readonly unknown[]
}

/** A message line, or null when it has no string `id` or no `message` object. */
export function parseMessage(value: Raw): DroidMessage | null {
  const id = str(value.id)
  const message = value.message
  if (!id || !isRecord(message)) return null
  const content = message.content
  return {
    id,
    timestamp: str(value.timestamp),
    parentId: str(value.parentId) || null,
    role: str(message.role) ?? '',
    content:
      typeof content === 'string'
        ? [{ type: 'text', text: content }]
        : Array.isArray(content)
          ? content
          : [],
  }
}

const REMINDER = /^\s*<system-reminder>/

/** Text Droid injects into user messages (`<system-reminder>…`), not typed by the user. */
export function isReminder(text: string): boolean {
  return REMINDER.test(text)
}

/** `Model: <name>` inside a system reminder: ccusage's fallback when the sidecar has none. */
export function modelFromReminder(text: string): string | null {
  const match = /Model:\s*([^\n"\\[<]+)/.exec(text)
  return match?.[1]?.trim() || null
}

/**
 * One content block → a part. `text` (a system reminder becomes `other` kind
 * `system-reminder`, so it stays out of the prose and the title), `thinking` → reasoning,
 * `tool_use` → tool call, `tool_result` → tool result (its name from the call it answers),
 * `image` → image reference (the base64 payload is dropped).
 */
export function blockPart(block: unknown, toolNames: ReadonlyMap<string, string>): Part {
  if (!isRecord(block)) return { type: 'other', kind: typeof block, raw: block }
  switch (block.type) {
    case 'text': {
      const text = str(block.text) ?? ''
      return isReminder(text)
        ? { type: 'other', kind: 'system-reminder', raw: { text } }
        : { type: 'text', text }
    }
    case 'thinking':
      return { type: 'reasoning', text: str(block.thinking) ?? '' }
    case 'tool_use':
      return {
        type: 'tool-call',
        callId: str(block.id),
        name: str(block.name) ?? 'unknown',
        args: block.input ?? {},
      }
    case 'tool_result': {
      const callId = str(block.tool_use_id)
      return {
        type: 'tool-result',
        callId,
        name: (callId === null ? undefined : toolNames.get(callId)) ?? null,
        output: resultText(block.content),
        isError: block.is_error === true,
      }
    }
    case 'image': {
      const source = isRecord(block.source) ? block.source : {}
      return { type: 'image', mediaType: str(source.media_type), url: null }
    }
    default:
      return { type: 'other', kind: str(block.type) ?? 'unknown', raw: block }
  }
}

/** A tool result's `content`: a string, or `[{type:"text", text}, …]`. */
function resultText(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) {
    return content
      .map((c) => (isRecord(c) ? (str(c.text) ?? '') : typeof c === 'string' ? c : ''))
      .filter((s) => s !== '')
      .join('\n')
  }
  return content === undefined || content === null ? '' : (JSON.stringify(content) ?? '')
}

/** The sidecar `<id>.settings.json`, rewritten in place as the session goes on. */
export type DroidSettings = {
  /** `settings.model`, with the BYOK `custom:` prefix removed. */
  readonly model: string | null
  readonly provider: string | null
  readonly providerLockTimestamp: string | null
  readonly assistantActiveTimeMs: number | null
  readonly tokenUsage: {
    readonly inputTokens: number
    readonly outputTokens: number
    readonly cacheCreationTokens: number
    readonly cacheReadTokens: number
    readonly thinkingTokens: number
  } | null
}

export function parseSettings(value: Raw): DroidSettings {
  const model =
    str(value.model)
      ?.trim()
      .replace(/^custom:/, '') || null
  const usage = isRecord(value.tokenUsage) ? value.tokenUsage : null
  const n = (v: unknown) => Math.max(0, num(v) ?? 0)
  return {
    model,
    provider: str(value.providerLock) || null,
    providerLockTimestamp: str(value.providerLockTimestamp),
    assistantActiveTimeMs: num(value.assistantActiveTimeMs),
    tokenUsage:
      usage === null
        ? null
        : {
            inputTokens: n(usage.inputTokens),
            outputTokens: n(usage.outputTokens),
            cacheCreationTokens: n(usage.cacheCreationTokens),
            cacheReadTokens: n(usage.cacheReadTokens),
            thinkingTokens: n(usage.thinkingTokens),
          },
  }
}

export { isoToEpochMs as toEpochMs, isRecord, num, type Raw, str } from '../decode.js'
