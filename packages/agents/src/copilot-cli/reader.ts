import { readFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Part, Role } from '@opensync/core/wire'
import { textFromParts } from '@opensync/core/wire'
import { readJsonl } from '../jsonl.js'
import type { NormalizedMessage, NormalizedSession, ReadIssue, ReadResult } from '../reader.js'
import { EVENTS_FILE, sessionIdFromPath } from './paths.js'
import type { CopilotEvent, ModelMetrics, Raw } from './schema.js'
import {
  attachmentParts,
  isRecord,
  parseEvent,
  parseModelMetrics,
  resultText,
  SKIPPED_EVENTS,
  str,
  toEpochMs,
  toolRequestParts,
} from './schema.js'

export const TITLE_MAX_CHARS = 120

type Issue = (line: number | null, code: ReadIssue['code'], message: string) => void

async function readEvents(path: string, issue: Issue): Promise<CopilotEvent[] | null> {
  const events: CopilotEvent[] = []
  try {
    for await (const { line, value, error } of readJsonl(path)) {
      if (error !== null) issue(line, 'invalid-json', error)
      else if (!isRecord(value)) issue(line, 'invalid-record', 'not a JSON object')
      else {
        const event = parseEvent(value, line)
        if (event === null) issue(line, 'invalid-record', 'event without a string "type"')
        else events.push(event)
      }
    }
  } catch (error) {
    issue(null, 'unreadable', (error as Error).message)
    return null
  }
  return events
}

/**
 * `summary:` of the `workspace.yaml` beside `events.jsonl` (Copilot's own session title), read
 * as a plain, quoted or folded scalar without a YAML dependency; null when absent.
 */
async function workspaceSummary(path: string): Promise<string | null> {
  if (basename(path) !== EVENTS_FILE) return null
  let yaml: string
  try {
    yaml = await readFile(join(dirname(path), 'workspace.yaml'), 'utf8')
  } catch {
    return null
  }
  const lines = yaml.split(/\r?\n/)
  const at = lines.findIndex((l) => /^summary:/.test(l))
  if (at === -1) return null
  const value = (lines[at] ?? '').slice('summary:'.length).trim()
  if (/^[|>][-+]?$/.test(value)) {
    const block: string[] = []
    for (const l of lines.slice(at + 1)) {
      if (l.trim() !== '' && !/^\s/.test(l)) break
      block.push(l.trim())
    }
    return block.join(' ').trim() || null
  }
  const quoted = /^(['"])(.*)\1$/.exec(value)
  return (quoted ? (quoted[2] ?? '') : value) || null
}

function title(summary: string | null, messages: readonly NormalizedMessage[]): string | null {
  const text = summary ?? messages.find((m) => m.role === 'user' && m.text.trim())?.text
  if (!text) return null
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length <= TITLE_MAX_CHARS ? line : `${line.slice(0, TITLE_MAX_CHARS - 1)}…`
}

/** The smallest or largest present value (a loop: files can hold 100k+ events). */
function extreme(values: readonly (number | null)[], pick: (a: number, b: number) => number) {
  let out: number | null = null
  for (const v of values) if (v !== null) out = out === null ? v : pick(out, v)
  return out
}

type Totals = NonNullable<NormalizedSession['reportedTotals']>

/**
 * The session's usage, from its `session.shutdown` events only (no other event carries input
 * tokens). Each run of the CLI (start, or each `--resume`) writes its own shutdown with the
 * metrics of that run, reset at every resume (PanAchy/copilot-arewecooked#45), so the
 * shutdowns are added together. promptTokens = Σ inputTokens (cache reads are inside it),
 * completionTokens = Σ outputTokens. Null when no shutdown carries metrics (a killed session,
 * or one left with `/new`: copilot-cli#3994).
 */
function reportedTotals(shutdowns: readonly ModelMetrics[][]): Totals | null {
  const all = shutdowns.flat()
  if (all.length === 0) return null
  return {
    promptTokens: all.reduce((sum, m) => sum + m.inputTokens, 0),
    completionTokens: all.reduce((sum, m) => sum + m.outputTokens, 0),
  }
}

/**
 * Reads one Copilot CLI session (`events.jsonl`) into one session. Never throws for content.
 *
 * - `user.message` → role user: `content` (what was typed; `transformedContent` adds the
 *   injected datetime and reminders) plus attachments;
 * - `assistant.message` → role assistant: `reasoningText`, `content`, `toolRequests`; its
 *   duration runs from the event before it (turn start or last tool result) to it, which
 *   adds up to `totalApiDurationMs` on the real files;
 * - `tool.execution_complete` → role tool: the result or `error.message`, `isError` when
 *   `success` is false; the tool's name comes from `tool.execution_start`;
 * - a tool result's parent is the assistant message that requested the call; any other
 *   message's parent is the nearest message up the `parentId` chain.
 *
 * No message carries usage: only `session.shutdown` has input tokens, per model and per run,
 * so they become `reportedTotals` (see `reportedTotals`).
 */
export async function readCopilotSession(path: string): Promise<ReadResult> {
  const issues: ReadIssue[] = []
  const issue: Issue = (line, code, message) => issues.push({ file: path, line, code, message })
  const events = await readEvents(path, issue)
  if (events === null || events.length === 0) return { sessions: [], issues }

  let start: Raw | null = null
  let context: Raw | null = null
  let currentModel: string | null = null
  const shutdowns: ModelMetrics[][] = []
  const toolNames = new Map<string, string>()
  const callOwner = new Map<string, string>()
  const timeOf = new Map<string, number | null>()
  const messageAt = new Map<string, string | null>()
  const messages: NormalizedMessage[] = []

  const emit = (
    e: CopilotEvent,
    role: Role,
    parts: readonly Part[],
    extra: Partial<NormalizedMessage> = {},
  ) => {
    const externalId = e.id ?? `line-${e.line}`
    messages.push({
      externalId,
      role,
      createdAt: e.timestamp,
      model: null,
      provider: null,
      text: textFromParts(parts),
      parts,
      usage: null,
      reportedCost: null,
      durationMs: null,
      parentExternalId: e.parentId === null ? null : (messageAt.get(e.parentId) ?? null),
      flags: [],
      ...extra,
    })
    return externalId
  }

  for (const e of events) {
    const d = e.data
    let produced: string | null = null
    switch (e.type) {
      case 'session.start':
        start ??= d
        context ??= isRecord(d.context) ? d.context : null
        break
      case 'session.resume':
        context ??= isRecord(d.context) ? d.context : null
        break
      case 'session.model_change':
        currentModel = str(d.newModel) || currentModel
        break
      case 'session.shutdown':
        shutdowns.push(parseModelMetrics(d.modelMetrics))
        currentModel = str(d.currentModel) || currentModel
        break
      case 'user.message': {
        const typed = str(d.content) ?? ''
        const parts: Part[] = typed === '' ? [] : [{ type: 'text', text: typed }]
        produced = emit(e, 'user', [...parts, ...attachmentParts(d.attachments)])
        break
      }
      case 'assistant.message': {
        const reasoning = str(d.reasoningText) ?? ''
        const content = str(d.content) ?? ''
        const parts: Part[] = [
          ...(reasoning === '' ? [] : [{ type: 'reasoning', text: reasoning } as const]),
          ...(content === '' ? [] : [{ type: 'text', text: content } as const]),
          ...toolRequestParts(d.toolRequests),
        ]
        const before = e.parentId === null ? null : (timeOf.get(e.parentId) ?? null)
        produced = emit(e, 'assistant', parts, {
          model: str(d.model) || currentModel,
          durationMs:
            before !== null && e.timestamp !== null ? Math.max(0, e.timestamp - before) : null,
        })
        for (const p of parts)
          if (p.type === 'tool-call' && p.callId) callOwner.set(p.callId, produced)
        break
      }
      case 'tool.execution_start': {
        const id = str(d.toolCallId)
        const name = str(d.toolName)
        if (id !== null && name !== null) toolNames.set(id, name)
        break
      }
      case 'tool.execution_complete': {
        const callId = str(d.toolCallId)
        const error = isRecord(d.error) ? d.error : null
        const failed = d.success === false || error !== null
        const owner = callId === null ? undefined : callOwner.get(callId)
        const part: Part = {
          type: 'tool-result',
          callId,
          name: (callId === null ? null : toolNames.get(callId)) ?? str(d.toolName),
          output: failed && error !== null ? (str(error.message) ?? '') : resultText(d.result),
          isError: failed,
        }
        produced = emit(e, 'tool', [part], owner === undefined ? {} : { parentExternalId: owner })
        break
      }
      default:
        if (!SKIPPED_EVENTS.has(e.type)) {
          issue(e.line, 'unknown-record', `unknown event type "${e.type}"`)
        }
    }
    if (e.id !== null) {
      timeOf.set(e.id, e.timestamp)
      const inherited = e.parentId === null ? null : (messageAt.get(e.parentId) ?? null)
      messageAt.set(e.id, produced ?? inherited)
    }
  }

  let lastAnswer: string | null = null
  for (const m of messages) if (m.role === 'assistant' && m.model) lastAnswer = m.model
  const cwd = str(context?.cwd) || null
  const projectPath = str(context?.gitRoot) || cwd
  const times = events.map((e) => e.timestamp)
  const session: NormalizedSession = {
    externalId: str(start?.sessionId) || sessionIdFromPath(path),
    source: 'copilot-cli',
    title: title(await workspaceSummary(path), messages),
    projectPath,
    projectName: projectPath === null ? null : basename(projectPath) || projectPath,
    cwd,
    gitBranch: str(context?.branch) || null,
    model: currentModel ?? lastAnswer,
    provider: null,
    agentVersion: str(start?.copilotVersion) || null,
    parentExternalId: null,
    startedAt: toEpochMs(start?.startTime) ?? extreme(times, Math.min),
    endedAt: extreme(times, Math.max),
    messages,
    reportedTotals: reportedTotals(shutdowns),
  }
  // Parsing and replaying report separately; the caller gets them in file order.
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
  return { sessions: [session], issues }
}
