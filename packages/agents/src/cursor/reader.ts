import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { readJsonl } from '../jsonl.js'
import { normalizedMessage as message } from '../message.js'
import type { NormalizedMessage, NormalizedSession, ReadIssue, ReadResult } from '../reader.js'
import { blockPart, contentId, isRecord, str } from './schema.js'

export const TITLE_MAX_CHARS = 120

function title(messages: readonly NormalizedMessage[]): string | null {
  const prompt = messages.find((m) => m.role === 'user' && m.text.trim() !== '')
  if (!prompt) return null
  const line = prompt.text.replace(/\s+/g, ' ').trim()
  return line.length <= TITLE_MAX_CHARS ? line : `${line.slice(0, TITLE_MAX_CHARS - 1)}…`
}

/**
 * Reads one Cursor CLI transcript into one session. Never throws for content.
 *
 * What the format allows: the user prompts (unwrapped from `<user_query>`), the assistant's
 * text (thinking is folded into it by Cursor) and tool calls (name and input, no ids), and
 * turns that ended in `error` / `aborted` (a system message holding `{status, error}`).
 * What it does not: tool results, the model, any token usage or cost (there is no usage
 * locally at all), message times (only a user prompt's optional `<timestamp>` tag), cwd
 * (the folder slug is lossy). Message ids are content hashes (`contentId`). With no
 * timestamp in the file, the session's end is the file's modification time.
 */
export async function readCursorSession(path: string): Promise<ReadResult> {
  const issues: ReadIssue[] = []
  const issue = (line: number | null, code: ReadIssue['code'], text: string) =>
    issues.push({ file: path, line, code, message: text })
  const messages: NormalizedMessage[] = []
  const seen = new Map<string, number>()
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
      const role = str(value.role)
      if (role === 'user' || role === 'assistant') {
        const content = isRecord(value.message) ? value.message.content : undefined
        const blocks =
          typeof content === 'string' ? [content] : Array.isArray(content) ? content : []
        const read = blocks.map((b) => blockPart(b, role))
        const time = read.find((r) => r.time !== null)?.time ?? null
        const parts = read.map((r) => r.part)
        messages.push(message(contentId(role, content, seen), role, time, parts))
      } else if (value.type === 'turn_ended') {
        const status = str(value.status)
        if (status === 'success') continue
        const raw = { status, error: value.error ?? null }
        const id = contentId('turn_ended', raw, seen)
        messages.push(message(id, 'system', null, [{ type: 'other', kind: 'turn-ended', raw }]))
      } else if (value.type !== 'metadata') {
        const kind = str(value.type) ?? str(value.role)
        issue(line, 'unknown-record', kind ? `unknown line "${kind}"` : 'no "role" or "type"')
      }
    }
  } catch (error) {
    issue(null, 'unreadable', (error as Error).message)
    return { sessions: [], issues }
  }
  if (messages.length === 0) return { sessions: [], issues }

  const times = messages.map((m) => m.createdAt).filter((t): t is number => t !== null)
  let endedAt = times.reduce<number | null>((a, b) => (a === null || b > a ? b : a), null)
  if (endedAt === null) {
    try {
      endedAt = (await stat(path)).mtimeMs
    } catch {
      endedAt = null
    }
  }
  const session: NormalizedSession = {
    externalId: basename(path).replace(/\.jsonl$/, ''),
    source: 'cursor-sync',
    title: title(messages),
    projectPath: null,
    projectName: null,
    cwd: null,
    gitBranch: null,
    model: null,
    provider: null,
    agentVersion: null,
    parentExternalId: null,
    startedAt: times.reduce<number | null>((a, b) => (a === null || b < a ? b : a), null),
    endedAt,
    messages,
    reportedTotals: null,
  }
  return { sessions: [session], issues }
}
