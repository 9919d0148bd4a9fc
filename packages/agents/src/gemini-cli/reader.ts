import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Part } from '@opensync/core/wire'
import { readJsonl } from '../jsonl.js'
import { normalizedMessage as message } from '../message.js'
import type { NormalizedMessage, NormalizedSession, ReadIssue, ReadResult } from '../reader.js'
import { locate, projectRootOf } from './paths.js'
import type { GeminiMessage, Raw } from './schema.js'
import {
  contentParts,
  isRecord,
  parseMessage,
  str,
  thoughtText,
  toEpochMs,
  toolCallParts,
  toTokens,
} from './schema.js'

export const TITLE_MAX_CHARS = 120
/** Gemini CLI talks to Google's Gemini API (or Vertex AI) only. */
export const PROVIDER = 'google'

type Issue = (line: number | null, code: ReadIssue['code'], message: string) => void

/** The recording once replayed: its metadata and its messages in order. */
type Recording = {
  readonly meta: Raw
  readonly messages: readonly GeminiMessage[]
}

/** Messages of a `messages` array (legacy document or `$set.messages`); bad ones → issues. */
function messageList(value: unknown, line: number | null, issue: Issue): GeminiMessage[] {
  if (!Array.isArray(value)) return []
  const out: GeminiMessage[] = []
  for (const [i, raw] of value.entries()) {
    const message = isRecord(raw) ? parseMessage(raw) : null
    if (message === null) issue(line, 'invalid-record', `messages[${i}] has no string "id"`)
    else out.push(message)
  }
  return out
}

/** The legacy `session-*.json`: one document, read whole. */
async function readLegacy(path: string, issue: Issue): Promise<Recording | null> {
  let doc: unknown
  try {
    doc = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    const code = error instanceof SyntaxError ? 'invalid-json' : 'unreadable'
    issue(null, code, (error as Error).message)
    return null
  }
  if (!isRecord(doc) || !Array.isArray(doc.messages)) {
    issue(null, 'unsupported-format', 'not a Gemini chat recording (no "messages" array)')
    return null
  }
  return { meta: doc, messages: messageList(doc.messages, null, issue) }
}

/**
 * The current `.jsonl` replay log, applied the way gemini's writer builds its state: the
 * first line (and any line with `sessionId` + `projectHash`) is metadata; `{"$set":{…}}`
 * patches it, and `$set.messages` replaces the whole message list (checkpoints, compression);
 * a line with a string `id` is a message that replaces any earlier version of itself in place;
 * `{"$rewindTo": id}` drops that message and everything after it (all messages when the id is
 * unknown, as gemini's loader does).
 */
async function readLog(path: string, issue: Issue): Promise<Recording | null> {
  let meta: Record<string, unknown> = {}
  let messages = new Map<string, GeminiMessage>()
  try {
    for await (const { line, value, error } of readJsonl(path)) {
      if (error !== null) {
        issue(line, 'invalid-json', error)
        continue
      }
      if (!isRecord(value)) {
        issue(line, 'invalid-record', 'not a JSON object')
        continue
      }
      const rewind = str(value.$rewindTo)
      if (rewind !== null) {
        const ids = [...messages.keys()]
        const at = ids.indexOf(rewind)
        for (const id of at === -1 ? ids : ids.slice(at)) messages.delete(id)
        continue
      }
      const message = parseMessage(value)
      if (message !== null) {
        messages.set(message.id, message)
      } else if (isRecord(value.$set)) {
        const { messages: snapshot, ...rest } = value.$set
        meta = { ...meta, ...rest }
        if (Array.isArray(snapshot)) {
          messages = new Map(messageList(snapshot, line, issue).map((m) => [m.id, m]))
        }
      } else if (str(value.sessionId) !== null) {
        meta = { ...meta, ...value }
      } else {
        issue(line, 'unknown-record', 'neither metadata, a message, $set nor $rewindTo')
      }
    }
  } catch (error) {
    issue(null, 'unreadable', (error as Error).message)
    return null
  }
  if (str(meta.sessionId) === null && messages.size === 0) {
    issue(null, 'unsupported-format', 'no metadata line and no messages')
    return null
  }
  return { meta, messages: [...messages.values()] }
}

/**
 * One recorded message → one or two normalised ones:
 * - `user` → role user (its `displayContent`, what the user typed, else `content`); a user
 *   record made only of functionResponse parts (written by `$set.messages` from the model
 *   history) → role tool;
 * - `gemini` → role assistant: thoughts as reasoning, the text, the tool calls, and the
 *   request's tokens; then, when any tool call has a result, a role tool message
 *   `<id>:results` holding those results (as the other readers keep results apart);
 * - `info` / `error` / `warning` (written by the CLI itself) → role system, flagged synthetic.
 */
function normalizeMessage(m: GeminiMessage): NormalizedMessage[] {
  const createdAt = toEpochMs(m.timestamp)
  if (m.type === 'gemini') {
    const calls = m.toolCalls.map(toolCallParts)
    const parts: Part[] = [
      ...m.thoughts.map((t): Part => ({ type: 'reasoning', text: thoughtText(t) })),
      ...contentParts(m.content),
      ...calls.map((c) => c.call),
    ]
    const assistant = message(m.id, 'assistant', createdAt, parts, {
      model: m.model,
      provider: PROVIDER,
      usage: toTokens(m.tokens),
    })
    const results = calls.flatMap((c) => (c.result === null ? [] : [c.result]))
    if (results.length === 0) return [assistant]
    const times = m.toolCalls.map((c) => toEpochMs(c.timestamp)).filter((t) => t !== null)
    const resultTime = times.length > 0 ? Math.max(...times) : createdAt
    return [
      assistant,
      message(`${m.id}:results`, 'tool', resultTime, results, { parentExternalId: m.id }),
    ]
  }
  if (m.type === 'user') {
    const parts = contentParts(m.displayContent ?? m.content)
    const onlyResults = parts.length > 0 && parts.every((p) => p.type === 'tool-result')
    return [message(m.id, onlyResults ? 'tool' : 'user', createdAt, parts)]
  }
  if (m.type === 'info' || m.type === 'error' || m.type === 'warning') {
    return [message(m.id, 'system', createdAt, contentParts(m.content), { flags: ['synthetic'] })]
  }
  return [message(m.id, 'unknown', createdAt, contentParts(m.content))]
}

function title(summary: string | null, messages: readonly NormalizedMessage[]): string | null {
  const text =
    (summary?.trim() || null) ?? messages.find((m) => m.role === 'user' && m.text.trim())?.text
  if (!text) return null
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length <= TITLE_MAX_CHARS ? line : `${line.slice(0, TITLE_MAX_CHARS - 1)}…`
}

/** The smallest or largest present value (a loop, not a spread: recordings can be long). */
function extreme(values: readonly (number | null)[], pick: (a: number, b: number) => number) {
  let out: number | null = null
  for (const v of values) if (v !== null) out = out === null ? v : pick(out, v)
  return out
}

/**
 * Reads one Gemini CLI chat recording (legacy `.json` or current `.jsonl`) into one session.
 * Per-request usage comes from each `gemini` message's `tokens`. Never throws for content.
 */
export async function readGeminiSession(path: string): Promise<ReadResult> {
  const issues: ReadIssue[] = []
  const issue: Issue = (line, code, message) => issues.push({ file: path, line, code, message })
  const recording = path.endsWith('.json')
    ? await readLegacy(path, issue)
    : await readLog(path, issue)
  if (recording === null) return { sessions: [], issues }

  const { meta } = recording
  const messages = recording.messages.flatMap(normalizeMessage)
  const { projectDir, parentSessionId } = locate(path)
  const directories = Array.isArray(meta.directories) ? meta.directories.map(str) : []
  const cwd = (await projectRootOf(projectDir)) ?? directories.find((d) => d) ?? null
  let model: string | null = null
  for (const m of messages) if (m.role === 'assistant' && m.model) model = m.model
  const times = messages.map((m) => m.createdAt)
  const session: NormalizedSession = {
    externalId: str(meta.sessionId) || basename(path).replace(/\.jsonl?$/, ''),
    source: 'gemini-cli',
    title: title(str(meta.summary), messages),
    projectPath: cwd,
    projectName: cwd === null ? null : basename(cwd) || cwd,
    cwd,
    gitBranch: null,
    model,
    provider: PROVIDER,
    agentVersion: null,
    parentExternalId: parentSessionId,
    startedAt: toEpochMs(meta.startTime) ?? extreme(times, Math.min),
    endedAt: extreme([toEpochMs(meta.lastUpdated), ...times], Math.max),
    messages,
    reportedTotals: null,
  }
  return { sessions: [session], issues }
}
