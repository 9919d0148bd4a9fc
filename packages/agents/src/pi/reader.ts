import { basename } from 'node:path'
import type { Part } from '@opensync/core/wire'
import { textFromParts } from '@opensync/core/wire'
import { readJsonl } from '../jsonl.js'
import type {
  MessageFlag,
  NormalizedMessage,
  NormalizedSession,
  ReadIssue,
  ReadResult,
} from '../reader.js'
import type { CallArgs, EntryMessage } from './messages.js'
import { entryToMessage, STATE_ENTRY_TYPES } from './messages.js'
import type { PiFile } from './migrate.js'
import { CURRENT_FORMAT_VERSION, migrateToCurrent } from './migrate.js'
import { sessionIdFromFileName } from './paths.js'
import type { PiEntry, PiHeader } from './schema.js'
import { isRecord, parseEntry, parseHeader, str, toEpochMs } from './schema.js'

export const TITLE_MAX_CHARS = 120

type Issue = (line: number | null, code: ReadIssue['code'], message: string) => void

type Parsed = { readonly header: PiHeader | null; readonly entries: readonly PiEntry[] }

/** Streams the file: the header, then every entry; bad lines become issues. */
async function parseFile(path: string, issue: Issue): Promise<Parsed | null> {
  let header: PiHeader | null = null
  let first = true
  let ordinal = 0
  const entries: PiEntry[] = []
  try {
    for await (const { line, value, error } of readJsonl(path)) {
      if (error !== null) {
        issue(line, 'invalid-json', error)
        continue
      }
      ordinal += 1 // pi keeps every line that parses, so its rewrite keeps this numbering
      if (!isRecord(value)) {
        issue(line, 'invalid-record', 'not a JSON object')
        continue
      }
      if (first) {
        first = false
        header = parseHeader(value)
        if (header !== null) continue
        issue(line, 'unsupported-format', 'the first record is not a pi session header')
      } else if (value.type === 'session') {
        issue(line, 'invalid-record', 'a second session header')
        continue
      }
      const entry = parseEntry(value, line, ordinal)
      if (entry === null) issue(line, 'invalid-record', 'entry without a string "type"')
      else entries.push(entry)
    }
  } catch (error) {
    issue(null, 'unreadable', (error as Error).message)
    return null
  }
  return { header, entries }
}

/** The fork parent's session id: from its pi file name, else from its header line. */
async function parentSessionId(parentPath: string): Promise<string | null> {
  const fromName = sessionIdFromFileName(parentPath)
  if (fromName !== null) return fromName
  try {
    for await (const { value } of readJsonl(parentPath)) {
      return isRecord(value) ? (parseHeader(value)?.id ?? null) : null
    }
  } catch {
    // A parent that is gone or unreadable leaves the link unknown.
  }
  return null
}

/** The ids on the path from the leaf (the file's last entry, as pi reloads it) to the root. */
function mainPath(entries: readonly PiEntry[]): Set<string> {
  const byId = new Map<string, PiEntry>()
  let leaf: PiEntry | undefined
  for (const entry of entries) {
    if (entry.id === null) continue
    byId.set(entry.id, entry)
    leaf = entry
  }
  const path = new Set<string>()
  for (let at = leaf; at?.id != null && !path.has(at.id); ) {
    path.add(at.id)
    at = at.parentId === null ? undefined : byId.get(at.parentId)
  }
  return path
}

function title(name: string | null, messages: readonly NormalizedMessage[]): string | null {
  if (name) return name
  const prompt = messages.find(
    (m) => m.role === 'user' && !m.flags.includes('synthetic') && m.text.trim() !== '',
  )
  if (!prompt) return null
  const text = prompt.text.replace(/\s+/g, ' ').trim()
  return text.length <= TITLE_MAX_CHARS ? text : `${text.slice(0, TITLE_MAX_CHARS - 1)}…`
}

function extreme(values: readonly (number | null)[], pick: (a: number, b: number) => number) {
  let out: number | null = null
  for (const v of values) if (v !== null) out = out === null ? v : pick(out, v)
  return out
}

type Built = {
  readonly rawId: string | null
  readonly message: EntryMessage
  readonly externalId: string
  readonly parentExternalId: string | null
  readonly abandoned: boolean
  readonly inherited: boolean
  readonly entryTime: number | null
}

/** Entry references inside summary parts, rewritten to the ids the session uses. */
function withCanonicalRefs(parts: readonly Part[], idMap: ReadonlyMap<string, string>): Part[] {
  return parts.map((p) => {
    if (p.type !== 'other' || (p.kind !== 'compaction' && p.kind !== 'branch-summary')) return p
    const raw = p.raw as Readonly<Record<string, unknown>>
    const key = p.kind === 'compaction' ? 'firstKeptEntryId' : 'fromId'
    const ref = str(raw[key])
    const mapped = ref === null ? undefined : idMap.get(ref)
    return mapped === undefined ? p : { ...p, raw: { ...raw, [key]: mapped } }
  })
}

/**
 * The migrated (v3) file → one normalised session. Messages are identified by their entry
 * id, except in files that started as v1 (`byOrdinal`): there every entry is
 * `<sessionId>:<ordinal>`, the id the v1 migration gives it, whether pi has rewritten the
 * file (random ids) or not.
 */
async function normalize(
  file: PiFile,
  sessionId: string,
  byOrdinal: boolean,
  issue: Issue,
): Promise<NormalizedSession> {
  const { header, entries } = file
  const idMap = new Map<string, string>()
  const canonical = (e: PiEntry) =>
    byOrdinal || e.id === null ? `${sessionId}:${e.ordinal}` : e.id
  for (const e of entries) if (e.id !== null && !idMap.has(e.id)) idMap.set(e.id, canonical(e))
  const headerTime = toEpochMs(header.timestamp)
  const onPath = mainPath(entries)
  const calls: CallArgs = new Map()
  // Each tree id → the nearest message at or above it, so a message's parent skips state
  // entries (model_change, label, …) and lands on a message that exists in the session.
  const messageAt = new Map<string, string | null>()
  const usedIds = new Set<string>()
  const labels = new Map<string, string>()
  let name: string | null = null
  let lastModelChange: { model: string | null; provider: string | null } | null = null
  const built: Built[] = []

  for (const entry of entries) {
    const message = entryToMessage(entry, calls)
    const treeParent = entry.parentId === null ? null : (messageAt.get(entry.parentId) ?? null)
    if (message === null) {
      if (entry.id !== null) messageAt.set(entry.id, treeParent)
      const raw = entry.raw
      const target = str(raw.targetId)
      if (entry.type === 'session_info') name = str(raw.name)?.trim() || name
      else if (entry.type === 'model_change') {
        lastModelChange = { model: str(raw.modelId), provider: str(raw.provider) }
      } else if (entry.type === 'label' && target !== null) {
        // The latest label of a target wins; an empty one clears it (pi `labelsById`).
        const label = str(raw.label)
        if (label) labels.set(target, label)
        else labels.delete(target)
      } else if (entry.type === 'message') {
        issue(entry.line, 'invalid-record', 'message entry without a message object')
      } else if (!STATE_ENTRY_TYPES.has(entry.type)) {
        issue(entry.line, 'unknown-record', `unknown entry type "${entry.type}"`)
      }
      continue
    }
    let externalId = canonical(entry)
    if (usedIds.has(externalId)) {
      issue(entry.line, 'invalid-record', `duplicate entry id "${externalId}"`)
      externalId = `${externalId}:${entry.line}`
    }
    usedIds.add(externalId)
    if (entry.id !== null) messageAt.set(entry.id, externalId)
    const entryTime = toEpochMs(entry.timestamp)
    const time = message.messageTime ?? entryTime
    built.push({
      rawId: entry.id,
      message,
      externalId,
      parentExternalId: treeParent,
      abandoned: entry.id !== null && !onPath.has(entry.id),
      // Pitfall 1: a fork copies its parent's entries with their original times (and usage).
      // What predates the fork's header was billed in the parent file: kept for the
      // transcript, but its usage is counted there, not here.
      inherited:
        header.parentSession !== null && headerTime !== null && time !== null && time < headerTime,
      entryTime,
    })
  }

  const messages = built.map((b): NormalizedMessage => {
    const m = b.message
    const label = b.rawId === null ? undefined : labels.get(b.rawId)
    const parts = withCanonicalRefs(m.parts, idMap)
    if (label !== undefined) parts.push({ type: 'other', kind: 'label', raw: { label } })
    const flags: MessageFlag[] = [...m.flags]
    if (b.abandoned) flags.push('abandoned-branch')
    // An assistant entry is written when the response ends; pi-ai stamps the message when
    // the request starts. (An old v1 branch rewrote entry times at copy time: no duration.)
    const copiedTime = b.inherited && headerTime !== null && (b.entryTime ?? 0) >= headerTime
    const durationMs =
      m.role === 'assistant' && m.messageTime !== null && b.entryTime !== null && !copiedTime
        ? Math.max(0, b.entryTime - m.messageTime)
        : null
    return {
      externalId: b.externalId,
      role: m.role,
      createdAt: m.messageTime ?? b.entryTime,
      model: m.model,
      provider: m.provider,
      text: textFromParts(parts),
      parts,
      usage: b.inherited ? null : m.usage,
      reportedCost: b.inherited ? null : m.reportedCost,
      durationMs,
      parentExternalId: b.parentExternalId,
      flags,
    }
  })

  // The session's model is the last one that answered on the main path (billed answers
  // only), then the last model_change, then the v1 header's.
  let answered: EntryMessage | undefined
  for (const b of built) {
    if (!b.abandoned && b.message.role === 'assistant' && b.message.usage !== null) {
      answered = b.message
    }
  }
  const model = answered?.model ?? lastModelChange?.model ?? header.modelId
  const provider = answered?.provider ?? lastModelChange?.provider ?? header.provider

  // A fork starts at its header (what comes before it is inherited); any other session at
  // its earliest time (a v1 header is written after the first exchange). It ends at the
  // latest time of any entry, state entries included (a model change is activity too).
  const times = [
    headerTime,
    ...entries.map((e) => toEpochMs(e.timestamp)),
    ...built.map((b) => b.message.messageTime),
  ]
  const isFork = header.parentSession !== null
  const startedAt = isFork && headerTime !== null ? headerTime : extreme(times, Math.min)
  const endedAt = extreme(times, Math.max)

  const cwd = header.cwd
  return {
    externalId: sessionId,
    source: 'pi',
    title: title(name, messages),
    projectPath: cwd,
    projectName: cwd === null ? null : basename(cwd) || cwd,
    cwd,
    gitBranch: null,
    model: model ?? null,
    provider: provider ?? null,
    agentVersion: null,
    parentExternalId:
      header.parentSession === null ? null : await parentSessionId(header.parentSession),
    startedAt,
    endedAt,
    messages,
    reportedTotals: null,
  }
}

/**
 * Reads one pi session file (any format version) into one normalised session. Never throws
 * for content: bad lines, unknown entries and an unreadable file come back as issues.
 */
export async function readPiSession(path: string): Promise<ReadResult> {
  const issues: ReadIssue[] = []
  const issue: Issue = (line, code, message) => issues.push({ file: path, line, code, message })
  const parsed = await parseFile(path, issue)
  if (parsed === null || (parsed.header === null && parsed.entries.length === 0)) {
    return { sessions: [], issues }
  }
  const sessionId = parsed.header?.id ?? sessionIdFromFileName(path)
  if (sessionId === null) {
    issue(null, 'unsupported-format', 'no session id in the header or the file name')
    return { sessions: [], issues }
  }
  // Without a header (a torn first line), the version shows in the entries: ids mean v2+.
  const header: PiHeader = parsed.header ?? {
    version: parsed.entries.some((e) => e.id !== null) ? 2 : 1,
    id: sessionId,
    timestamp: null,
    cwd: null,
    parentSession: null,
    provider: null,
    modelId: null,
    rewrittenFromV1: false,
  }
  if (header.version > CURRENT_FORMAT_VERSION) {
    issue(1, 'unsupported-format', `format version ${header.version} is newer than v3; read as v3`)
  }
  const file = migrateToCurrent({ header, entries: parsed.entries }, sessionId)
  const byOrdinal = header.version === 1 || header.rewrittenFromV1
  const session = await normalize(file, sessionId, byOrdinal, issue)
  // Parsing and normalising report separately; the caller gets them in file order.
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
  return { sessions: [session], issues }
}
