import type { Part } from '@opensync/core/wire'
import {
  contentParts,
  dedupeKey,
  endEventError,
  imagePart,
  itemTexts,
  parseArguments,
  patchInput,
  patchParts,
  provenanceOf,
  reasoningTexts,
  toolOutput,
} from './parts.js'
import {
  isRecord,
  type Json,
  type RolloutRecord,
  type SessionMeta,
  str,
  type TokenCount,
} from './schema.js'

/**
 * Phase 1 of reading a rollout: each parsed line becomes the few facts the session builder
 * needs (a text with its dedupe keys, a tool call, a result, a token_count, …). Raw payloads are
 * not kept, so memory follows the transcript, not the file.
 */

/** What a text record is; `event` texts are the twins of `item` texts (§2 field map). */
export type TextKind = 'user' | 'assistant' | 'reasoning' | 'system' | 'unknown'

/** One rollout line reduced to what building messages needs (phase 1 output). */
export type Rec = { readonly line: number; readonly ts: number | null } & (
  | { readonly t: 'meta'; readonly meta: SessionMeta }
  | { readonly t: 'turn'; readonly model: string | null; readonly cwd: string | null }
  | { readonly t: 'turn-start' }
  /** A line that carries nothing but its timestamp (task_complete, world_state, …). */
  | { readonly t: 'tick' }
  | {
      readonly t: 'text'
      readonly side: 'item' | 'event'
      readonly kind: TextKind
      readonly keys: readonly string[]
      readonly parts: readonly Part[]
      readonly provenance: 'user' | 'harness' | null
    }
  | {
      readonly t: 'call'
      readonly callId: string | null
      readonly name: string
      readonly parts: readonly Part[]
    }
  | {
      readonly t: 'result'
      readonly callId: string | null
      readonly output: string
      readonly isError: boolean | null
    }
  | { readonly t: 'status'; readonly callId: string; readonly isError: boolean }
  | { readonly t: 'usage'; readonly usage: TokenCount }
  | { readonly t: 'compaction'; readonly parts: readonly Part[] }
)

type Base = { readonly line: number; readonly ts: number | null }

/**
 * One parsed line → its records. A line that carries nothing the builder reads still gives a
 * `tick`, because every line's timestamp counts for the session's start and end.
 */
export function toRecs(line: number, ts: number | null, record: RolloutRecord): Rec[] {
  const base: Base = { line, ts }
  const recs = recordsOf(base, record)
  return recs.length > 0 ? recs : [{ ...base, t: 'tick' }]
}

function recordsOf(base: Base, record: RolloutRecord): Rec[] {
  switch (record.kind) {
    case 'session-meta':
      return [{ ...base, t: 'meta', meta: record.meta }]
    case 'turn-context':
      return [{ ...base, t: 'turn', model: record.turn.model, cwd: record.turn.cwd }]
    case 'token-count':
      return [{ ...base, t: 'usage', usage: record.usage }]
    case 'compacted': {
      const parts: Part[] =
        record.message !== null && record.message.trim() !== ''
          ? [{ type: 'text', text: record.message }]
          : [
              {
                type: 'other',
                kind: 'compacted',
                raw: { replacementItems: record.replacementItems },
              },
            ]
      return [{ ...base, t: 'compaction', parts }]
    }
    case 'response-item':
      return fromItem(base, record.type, record.item)
    case 'event':
      return fromEvent(base, record.type, record.event)
    case 'ignored':
      return []
  }
}

function textRec(
  base: Base,
  side: 'item' | 'event',
  kind: TextKind,
  texts: readonly string[],
  parts: readonly Part[],
  provenance: 'user' | 'harness' | null = null,
): Rec[] {
  if (parts.length === 0) return []
  // An item can be matched by any of its texts or by all of them; an event by its whole text.
  const keys = new Set(side === 'event' ? [] : texts.map(dedupeKey))
  if (side === 'event' || texts.length > 1) keys.add(dedupeKey(texts.join('\n\n')))
  keys.delete('')
  // A prompt that is only pasted images has no text: its twins match by their image count.
  const images = parts.filter((part) => part.type === 'image').length
  if (keys.size === 0 && images > 0) keys.add(`\u0001images:${images}`)
  return [{ ...base, t: 'text', side, kind, keys: [...keys], parts, provenance }]
}

function fromItem(base: Base, type: string, item: Json): Rec[] {
  switch (type) {
    case 'message': {
      const role = str(item.role)
      const { parts, texts } = contentParts(item.content)
      const kind: TextKind =
        role === 'user'
          ? 'user'
          : role === 'assistant'
            ? 'assistant'
            : role === 'developer' || role === 'system'
              ? 'system'
              : 'unknown'
      return textRec(base, 'item', kind, texts, parts, provenanceOf(item))
    }
    case 'reasoning': {
      // Only the summary (or raw content) is readable; `encrypted_content` is opaque.
      const texts = reasoningTexts(item)
      const parts: Part[] =
        texts.length > 0 ? [{ type: 'reasoning', text: texts.join('\n\n') }] : []
      return textRec(base, 'item', 'reasoning', texts, parts)
    }
    case 'function_call':
    case 'custom_tool_call':
    case 'local_shell_call':
    case 'tool_search_call':
      return [toolCall(base, type, item)]
    case 'web_search_call':
      // No call_id and no output item: the search and its action are all the file keeps.
      return [builtinCall(base, str(item.id), 'web_search', item.action ?? {})]
    case 'image_generation_call': {
      // `result` is the base64 image: dropped, only the prompt is kept.
      const args = { status: item.status ?? null, revised_prompt: item.revised_prompt ?? null }
      return [builtinCall(base, str(item.id), 'image_generation', args)]
    }
    case 'function_call_output':
    case 'custom_tool_call_output':
    case 'tool_search_output': {
      const { output, isError } = toolOutput(item.output ?? item.tools, item.success)
      return [{ ...base, t: 'result', callId: str(item.call_id), output, isError }]
    }
    case 'compaction':
      // Remote compaction: the summary is `encrypted_content`, unreadable.
      return [{ ...base, t: 'compaction', parts: [{ type: 'other', kind: 'compaction', raw: {} }] }]
    default:
      // ghost_snapshot (undo bookkeeping) and `other`: nothing to show.
      return []
  }
}

function builtinCall(base: Base, callId: string | null, name: string, args: unknown): Rec {
  return { ...base, t: 'call', callId, name, parts: [{ type: 'tool-call', callId, name, args }] }
}

function toolCall(base: Base, type: string, item: Json): Rec {
  const callId = str(item.call_id) ?? str(item.id)
  const name =
    type === 'local_shell_call' ? 'local_shell' : (str(item.name) ?? str(item.tool) ?? type)
  const args =
    type === 'local_shell_call'
      ? (item.action ?? {})
      : type === 'custom_tool_call'
        ? (item.input ?? '')
        : parseArguments(item.arguments ?? item.input)
  const parts: Part[] = [{ type: 'tool-call', callId, name, args }]
  const action = isRecord(args) && isRecord(args.action) ? args.action : args
  parts.push(...patchParts(patchInput(name, name === 'local_shell' ? action : args)))
  return { ...base, t: 'call', callId, name, parts }
}

function fromEvent(base: Base, type: string, event: Json): Rec[] {
  switch (type) {
    case 'task_started':
    case 'turn_started':
      return [{ ...base, t: 'turn-start' }]
    case 'user_message': {
      const message = str(event.message) ?? ''
      const parts: Part[] = message.trim() === '' ? [] : [{ type: 'text', text: message }]
      for (const url of Array.isArray(event.images) ? event.images : []) {
        if (typeof url === 'string') parts.push(imagePart(url))
      }
      for (const file of Array.isArray(event.local_images) ? event.local_images : []) {
        if (typeof file === 'string') parts.push({ type: 'image', mediaType: null, url: file })
      }
      return textRec(base, 'event', 'user', [message], parts)
    }
    case 'agent_message': {
      const message = str(event.message) ?? ''
      const parts: Part[] = message.trim() === '' ? [] : [{ type: 'text', text: message }]
      return textRec(base, 'event', 'assistant', [message], parts)
    }
    case 'agent_reasoning':
    case 'agent_reasoning_raw_content': {
      const text = str(event.text) ?? ''
      const parts: Part[] = text.trim() === '' ? [] : [{ type: 'reasoning', text }]
      return textRec(base, 'event', 'reasoning', [text], parts)
    }
    case 'item_completed':
      return fromCompletedItem(base, isRecord(event.item) ? event.item : {})
    case 'exec_command_end':
    case 'patch_apply_end':
    case 'mcp_tool_call_end': {
      const callId = str(event.call_id)
      const isError = endEventError(type, event)
      return callId !== null && isError !== null ? [{ ...base, t: 'status', callId, isError }] : []
    }
    default:
      // The event stream is the UI's log; response_items are the transcript. Unknown event types
      // are not content problems and are ignored without an issue.
      return []
  }
}

/** 0.169 `event_msg/item_completed`: more twins of response_items, and exit codes. */
function fromCompletedItem(base: Base, item: Json): Rec[] {
  const texts = itemTexts(item)
  switch (item.type) {
    case 'UserMessage':
      return textRec(
        base,
        'event',
        'user',
        texts,
        texts.map((text) => ({ type: 'text', text })),
      )
    case 'AgentMessage':
      return textRec(
        base,
        'event',
        'assistant',
        texts,
        texts.map((text) => ({ type: 'text', text })),
      )
    case 'Reasoning':
      return textRec(
        base,
        'event',
        'reasoning',
        texts,
        texts.length > 0 ? [{ type: 'reasoning', text: texts.join('\n\n') }] : [],
      )
    case 'CommandExecution': {
      const callId = str(item.id)
      const exit = typeof item.exit_code === 'number' ? item.exit_code : null
      const isError = exit !== null ? exit !== 0 : item.status === 'failed' ? true : null
      return callId !== null && isError !== null ? [{ ...base, t: 'status', callId, isError }] : []
    }
    default:
      return []
  }
}
