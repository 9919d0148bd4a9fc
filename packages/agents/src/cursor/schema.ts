/**
 * Tolerant shapes of Cursor CLI (`agent`) transcripts, `agent-transcripts/<id>.jsonl`
 * (`reference/agent-formats.md` §6, after entireio/cli `agent/cursor/AGENT.md`):
 *
 * - `{"role":"user"|"assistant","message":{"content":[…]}}`: text and `tool_use{name, input}`
 *   blocks (no ids); user text wrapped in `<user_query>…</user_query>`, sometimes after a
 *   `<timestamp>…</timestamp>`;
 * - `{"type":"turn_ended","status":"success"|"error"|"aborted","error"?}`;
 * - `{"type":"metadata","metadata":{"overview"}}`.
 *
 * No timestamps (beyond that optional tag), no tool results, no model, no tokens. The
 * accessors never throw (hand-written guards in place of `safeParse`; no zod in this package).
 */
import { createHash } from 'node:crypto'
import type { Part } from '@opensync/core/wire'
import { isRecord, str } from '../decode.js'

const TIMESTAMP = /^\s*<timestamp>([\s\S]*?)<\/timestamp>\s*/
const USER_QUERY = /^\s*<user_query>\s*([\s\S]*?)\s*<\/user_query>\s*$/

/**
 * A user text block → the typed text and the time in its leading `<timestamp>` tag (only
 * anchored at the start, so a pasted `<timestamp>` survives), when that time parses.
 */
export function unwrapUserText(text: string): { text: string; time: number | null } {
  let rest = text
  let time: number | null = null
  const stamp = TIMESTAMP.exec(rest)
  if (stamp) {
    const ms = Date.parse((stamp[1] ?? '').trim())
    time = Number.isNaN(ms) ? null : ms
    rest = rest.slice(stamp[0].length)
  }
  const query = USER_QUERY.exec(rest)
  return { text: query ? (query[1] ?? '') : rest, time }
}

/** One content block → a part: `text`, `tool_use` (no id: callId null), else `other`. */
export function blockPart(block: unknown, role: string): { part: Part; time: number | null } {
  if (typeof block === 'string') return { part: { type: 'text', text: block }, time: null }
  if (!isRecord(block))
    return { part: { type: 'other', kind: typeof block, raw: block }, time: null }
  if (block.type === 'text') {
    const raw = str(block.text) ?? ''
    if (role !== 'user') return { part: { type: 'text', text: raw }, time: null }
    const { text, time } = unwrapUserText(raw)
    return { part: { type: 'text', text }, time }
  }
  if (block.type === 'tool_use') {
    const call: Part = {
      type: 'tool-call',
      callId: str(block.id),
      name: str(block.name) ?? 'unknown',
      args: block.input ?? {},
    }
    return { part: call, time: null }
  }
  return { part: { type: 'other', kind: str(block.type) ?? 'unknown', raw: block }, time: null }
}

/**
 * A message id for a format that has none: a hash of the line's role and content, plus the
 * occurrence number when the same content repeats. Cursor sometimes rewrites the whole file
 * with fewer lines after pruning, so line numbers would shift; content hashes do not.
 */
export function contentId(role: string, content: unknown, seen: Map<string, number>): string {
  const hash = createHash('sha256')
    .update(`${role}\n${JSON.stringify(content) ?? ''}`)
    .digest('hex')
    .slice(0, 16)
  const n = seen.get(hash) ?? 0
  seen.set(hash, n + 1)
  return n === 0 ? hash : `${hash}:${n}`
}

export { isRecord, type Raw, str } from '../decode.js'
