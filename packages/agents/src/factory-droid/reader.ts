import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Part, Role } from '@opensync/core/wire'
import { textFromParts } from '@opensync/core/wire'
import { readJsonl } from '../jsonl.js'
import type { NormalizedMessage, NormalizedSession, ReadIssue, ReadResult } from '../reader.js'
import { settingsPathOf } from './paths.js'
import type { DroidMessage, DroidSettings, SessionStart } from './schema.js'
import {
  blockPart,
  isRecord,
  modelFromReminder,
  parseMessage,
  parseSessionStart,
  parseSettings,
  str,
  toEpochMs,
} from './schema.js'

export const TITLE_MAX_CHARS = 120

type Issue = (file: string, line: number | null, code: ReadIssue['code'], message: string) => void

async function readTranscript(
  path: string,
  issue: Issue,
): Promise<{ start: SessionStart | null; messages: DroidMessage[] } | null> {
  let start: SessionStart | null = null
  const messages: DroidMessage[] = []
  try {
    for await (const { line, value, error } of readJsonl(path)) {
      if (error !== null) {
        issue(path, line, 'invalid-json', error)
      } else if (!isRecord(value)) {
        issue(path, line, 'invalid-record', 'not a JSON object')
      } else if (value.type === 'session_start') {
        if (start === null) start = parseSessionStart(value)
        else issue(path, line, 'invalid-record', 'a second session_start')
      } else if (value.type === 'message') {
        const message = parseMessage(value)
        if (message === null) issue(path, line, 'invalid-record', 'message without id or message')
        else messages.push(message)
      } else {
        const type = str(value.type)
        issue(path, line, 'unknown-record', type ? `unknown line type "${type}"` : 'no "type"')
      }
    }
  } catch (error) {
    issue(path, null, 'unreadable', (error as Error).message)
    return null
  }
  return { start, messages }
}

/** The sidecar, read whole (one small JSON document); null when absent or broken. */
async function readSettings(path: string, issue: Issue): Promise<DroidSettings | null> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    return null // no sidecar (yet): the session has no totals
  }
  try {
    const value: unknown = JSON.parse(text)
    if (isRecord(value)) return parseSettings(value)
    issue(path, null, 'invalid-record', 'settings is not a JSON object')
  } catch (error) {
    issue(path, null, 'invalid-json', (error as Error).message)
  }
  return null
}

function titleLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length <= TITLE_MAX_CHARS ? line : `${line.slice(0, TITLE_MAX_CHARS - 1)}…`
}

function extreme(values: readonly (number | null)[], pick: (a: number, b: number) => number) {
  let out: number | null = null
  for (const v of values) if (v !== null) out = out === null ? v : pick(out, v)
  return out
}

/**
 * Reads one Droid transcript and its sidecar into one session. Never throws for content.
 *
 * - Messages keep Droid's `id` and `parentId`. A user message made only of `tool_result`
 *   blocks is role tool; one made only of injected `<system-reminder>` text is flagged
 *   synthetic.
 * - Droid records **no per-message usage and no per-message model**: every message has
 *   `usage: null` and `model: null`. The sidecar's cumulative `tokenUsage` (the latest
 *   snapshot; it is rewritten, never appended) becomes `reportedTotals`:
 *   promptTokens = inputTokens + cacheCreationTokens + cacheReadTokens (input excludes
 *   cache), completionTokens = outputTokens + thinkingTokens (thinking is counted apart,
 *   as ccusage prices it). The session model is `settings.model` (`custom:` removed), else
 *   the `Model:` line of a system reminder.
 * - Title: `sessionTitle`, else the first typed prompt, else `session_start.title`.
 */
export async function readDroidSession(path: string): Promise<ReadResult> {
  const issues: ReadIssue[] = []
  const issue: Issue = (file, line, code, message) => issues.push({ file, line, code, message })
  const transcript = await readTranscript(path, issue)
  if (transcript === null) return { sessions: [], issues }
  const { start, messages: raw } = transcript
  if (start === null && raw.length === 0) {
    issue(path, null, 'unsupported-format', 'no session_start and no message lines')
    return { sessions: [], issues }
  }
  const settings = await readSettings(settingsPathOf(path), issue)

  const toolNames = new Map<string, string>()
  let reminderModel: string | null = null
  const messages = raw.map((m): NormalizedMessage => {
    const parts: Part[] = m.content.map((b) => blockPart(b, toolNames))
    for (const p of parts) {
      if (p.type === 'tool-call' && p.callId !== null) toolNames.set(p.callId, p.name)
      if (p.type === 'other' && p.kind === 'system-reminder' && reminderModel === null) {
        reminderModel = modelFromReminder(str((p.raw as { text?: unknown }).text) ?? '')
      }
    }
    const results = parts.filter((p) => p.type === 'tool-result').length
    const injected =
      parts.length > 0 && parts.every((p) => p.type === 'other' && p.kind === 'system-reminder')
    let role: Role = m.role === 'assistant' ? 'assistant' : m.role === 'user' ? 'user' : 'unknown'
    if (role === 'user' && results > 0 && results === parts.length) role = 'tool'
    return {
      externalId: m.id,
      role,
      createdAt: toEpochMs(m.timestamp),
      model: null,
      provider: null,
      text: textFromParts(parts),
      parts,
      usage: null,
      reportedCost: null,
      durationMs: null,
      parentExternalId: m.parentId,
      flags: injected ? ['synthetic'] : [],
    }
  })

  const prompt = messages.find(
    (m) => m.role === 'user' && !m.flags.includes('synthetic') && m.text.trim() !== '',
  )
  const titleSource = start?.sessionTitle ?? prompt?.text ?? start?.title ?? null
  const usage = settings?.tokenUsage ?? null
  const times = messages.map((m) => m.createdAt)
  const cwd = start?.cwd ?? null
  const session: NormalizedSession = {
    externalId: start?.id ?? basename(path).replace(/\.jsonl$/, ''),
    source: 'factory-droid',
    title: titleSource === null ? null : titleLine(titleSource) || null,
    projectPath: cwd,
    projectName: cwd === null ? null : basename(cwd) || cwd,
    cwd,
    gitBranch: null,
    model: settings?.model ?? reminderModel,
    provider: settings?.provider ?? null,
    agentVersion: null,
    parentExternalId: start?.callingSessionId ?? null,
    startedAt: extreme(times, Math.min) ?? toEpochMs(settings?.providerLockTimestamp),
    endedAt: extreme(times, Math.max),
    messages,
    reportedTotals:
      usage === null
        ? null
        : {
            promptTokens: usage.inputTokens + usage.cacheCreationTokens + usage.cacheReadTokens,
            completionTokens: usage.outputTokens + usage.thinkingTokens,
          },
  }
  return { sessions: [session], issues }
}
