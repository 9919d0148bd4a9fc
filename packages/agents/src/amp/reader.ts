import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Part, Role, Tokens } from '@opensync/core/wire'
import { normalizedMessage } from '../message.js'
import type { NormalizedMessage, NormalizedSession, ReadIssue, ReadResult } from '../reader.js'
import type { LedgerEvent, Raw } from './schema.js'
import {
  blockPart,
  isRecord,
  messageKey,
  messageUsage,
  parseLedgerEvent,
  str,
  toEpochMs,
} from './schema.js'

export const TITLE_MAX_CHARS = 120

type Issue = (code: ReadIssue['code'], message: string) => void

function base(
  externalId: string,
  role: Role,
  parts: readonly Part[],
  extra: Partial<NormalizedMessage> = {},
): NormalizedMessage {
  return normalizedMessage(externalId, role, null, parts, extra)
}

/** Ledger events (input/output only) summed into one request's usage. */
function ledgerUsage(events: readonly LedgerEvent[]): Tokens {
  return {
    input: events.reduce((s, e) => s + e.input, 0),
    output: events.reduce((s, e) => s + e.output, 0),
    cacheRead: 0,
    cacheWrite5m: 0,
    cacheWrite1h: 0,
    reasoning: 0,
  }
}

function extreme(values: readonly (number | null)[], pick: (a: number, b: number) => number) {
  let out: number | null = null
  for (const v of values) if (v !== null) out = out === null ? v : pick(out, v)
  return out
}

function titleLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length <= TITLE_MAX_CHARS ? line : `${line.slice(0, TITLE_MAX_CHARS - 1)}…`
}

/** The thread document → one session (see `readAmpThread`). */
function normalize(path: string, doc: Raw, issue: Issue): NormalizedSession {
  const rawMessages = Array.isArray(doc.messages) ? doc.messages : []
  const ledger =
    isRecord(doc.usageLedger) && Array.isArray(doc.usageLedger.events)
      ? doc.usageLedger.events.map(parseLedgerEvent).filter((e) => e !== null)
      : []
  const toolNames = new Map<string, string>()
  const used = new Set<string>()
  const assistantKeys = new Set<string>()
  const messages: NormalizedMessage[] = []

  for (const [index, raw] of rawMessages.entries()) {
    if (!isRecord(raw)) {
      issue('invalid-record', `messages[${index}] is not an object`)
      continue
    }
    const key = messageKey(raw.messageId)
    let externalId = key ?? `#${index}`
    if (used.has(externalId)) {
      issue('invalid-record', `messages[${index}] repeats messageId ${externalId}`)
      externalId = `${externalId}#${index}`
    }
    used.add(externalId)
    const content = typeof raw.content === 'string' ? [raw.content] : raw.content
    const parts = (Array.isArray(content) ? content : []).map((b) => blockPart(b, toolNames))
    for (const p of parts) if (p.type === 'tool-call' && p.callId) toolNames.set(p.callId, p.name)
    const results = parts.filter((p) => p.type === 'tool-result').length
    const roleName = str(raw.role)
    let role: Role =
      roleName === 'assistant' ? 'assistant' : roleName === 'user' ? 'user' : 'unknown'
    if (role === 'user' && results > 0 && results === parts.length) role = 'tool'
    if (role !== 'assistant') {
      messages.push(base(externalId, role, parts))
      continue
    }
    if (key !== null) assistantKeys.add(key)
    const usage = isRecord(raw.usage) ? raw.usage : null
    const tokens = usage === null ? null : messageUsage(usage)
    // Older threads keep usage in the ledger, keyed by the message it produced.
    const events =
      tokens === null && key !== null ? ledger.filter((e) => e.toMessageId === key) : []
    messages.push(
      base(externalId, 'assistant', parts, {
        createdAt:
          toEpochMs(usage?.timestamp) ??
          extreme(
            events.map((e) => e.timestamp),
            Math.max,
          ),
        model: str(usage?.model) || events.at(-1)?.model || null,
        usage: tokens ?? (events.length > 0 ? ledgerUsage(events) : null),
      }),
    )
  }

  // Ledger events that produced no assistant message of the thread (e.g. title generation)
  // were billed too: each becomes a synthetic system message carrying its usage.
  for (const [i, e] of ledger.entries()) {
    if (e.toMessageId !== null && assistantKeys.has(e.toMessageId)) continue
    messages.push(
      base(`ledger:${e.id ?? i}`, 'system', [{ type: 'other', kind: 'usage-ledger', raw: e }], {
        createdAt: e.timestamp,
        model: e.model,
        usage: ledgerUsage([e]),
        flags: ['synthetic'],
      }),
    )
  }

  const trees = isRecord(doc.env) && isRecord(doc.env.initial) ? doc.env.initial.trees : null
  const tree = Array.isArray(trees) && isRecord(trees[0]) ? trees[0] : null
  const traces = isRecord(doc.meta) && Array.isArray(doc.meta.traces) ? doc.meta.traces : []
  const times = messages.map((m) => m.createdAt)
  const traceEnds = traces.map((t) => (isRecord(t) ? toEpochMs(t.endTime) : null))
  let model: string | null = null
  for (const m of messages) if (m.role === 'assistant' && m.model) model = m.model
  const prompt = messages.find((m) => m.role === 'user' && m.text.trim() !== '')
  const titleText = str(doc.title)?.trim() || prompt?.text || null
  return {
    externalId: str(doc.id) || basename(path).replace(/\.json$/, ''),
    source: 'amp',
    title: titleText === null ? null : titleLine(titleText),
    projectPath: null,
    projectName: str(tree?.displayName) || null,
    cwd: null,
    gitBranch: null,
    model,
    provider: null,
    agentVersion: null,
    parentExternalId: null,
    startedAt: toEpochMs(doc.created) ?? extreme(times, Math.min),
    endedAt: extreme([...traceEnds, ...times], Math.max),
    messages,
    reportedTotals: null,
  }
}

/**
 * Reads one Amp thread (one JSON document, read whole) into one session. Never throws for
 * content.
 *
 * Usage is per request: an assistant message's `usage` (new threads: input, output, cache
 * write and read), else the sum of the `usageLedger.events` whose `toMessageId` is that
 * message (old threads: input and output only). A ledger event that produced no assistant
 * message becomes a synthetic system message holding its usage, so nothing billed is lost.
 * Amp's `credits` are its own billing unit, not dollars: they are not reported as cost.
 * Times: `usage.timestamp` / ledger times on assistant messages only (user messages have
 * none documented); the thread starts at `created` and ends at the last `meta.traces[].endTime`.
 */
export async function readAmpThread(path: string): Promise<ReadResult> {
  const issues: ReadIssue[] = []
  const issue: Issue = (code, message) => issues.push({ file: path, line: null, code, message })
  let doc: unknown
  try {
    doc = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    issue(error instanceof SyntaxError ? 'invalid-json' : 'unreadable', (error as Error).message)
    return { sessions: [], issues }
  }
  if (!isRecord(doc) || !Array.isArray(doc.messages)) {
    issue('unsupported-format', 'not an Amp thread (no "messages" array)')
    return { sessions: [], issues }
  }
  return { sessions: [normalize(path, doc, issue)], issues }
}
