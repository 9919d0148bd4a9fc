import { basename, dirname } from 'node:path'
import type { Part, Role, Tokens } from '@opensync/core/wire'
import { readJsonl } from '../jsonl.js'
import type {
  MessageFlag,
  NormalizedMessage,
  NormalizedSession,
  ReadIssue,
  ReadResult,
  SessionSource,
} from '../reader.js'
import {
  blockToParts,
  classifyUserText,
  patchFromToolUseResult,
  textOfParts,
  titleCandidate,
  titleFrom,
} from './content.js'
import { SUBAGENTS_DIR } from './paths.js'
import { type ClaudeLine, decodeLine, type Envelope, isRecord, str } from './schema.js'
import { type SummaryRecord, siblingSummaries } from './summary-index.js'
import { claudeUsageToTokens } from './usage.js'

/*
 * How a Claude Code file becomes sessions (decisions documented once, here):
 *
 * Sessions. A subagent file (`agent-<agentId>.jsonl`, 2.0+) is one session, that agent's. In
 * other files, lines without `isSidechain` form the file's main session. Sidechain lines form one
 * session per agent: keyed by `agentId` (a renamed subagent file, where every line is one)
 * or, for 1.0.x inline sidechains without `agentId`, by the uuid of the chain's first line. A
 * sidechain session's `parentExternalId` is the file's main session, else the `sessionId` its
 * lines carry (subagent files carry the parent's), else the `<sessionId>/subagents/` directory.
 * Ids: the main session is the file stem when it is a UUID (what Claude Code names the file and
 * what hooks call `session_id`), else the `sessionId` on its lines, else the stem. A sidechain
 * session is `<parent>:agent-<agentId>` (or `<parent>:sidechain-<rootUuid>`). A file with no
 * message (summary-only, hooks only) yields no session.
 *
 * Messages, in file order (a merged message sits at its first line):
 * - user line: role 'user'; when it holds `tool_result` blocks, role 'tool' with one
 *   `tool-result` part per block (named from the earlier `tool_use`), plus a `patch` part built
 *   from `toolUseResult.structuredPatch`. Id = the line's `uuid`.
 * - assistant lines: one line per content block, repeating `message.id` + `requestId`; all lines
 *   with the same key become ONE message whose parts are their blocks in order. Id =
 *   `message.id` (stable across re-reads and across appends); `<id>:<requestId>` if the same id
 *   comes back with another request id. Usage is counted once per key, from the key's LAST line
 *   (output_tokens grows while streaming). A key seen again in another session of the same file
 *   (a sidechain replay) gets no usage there.
 * - system lines with text (local commands, compact boundaries, API errors …) → role 'system',
 *   flagged synthetic; `stop_hook_summary`, `turn_duration` … carry no message.
 * - `attachment` of type `queued_command` (a prompt typed while the agent was busy, 2.1.97+,
 *   which has no `user` line) → role 'user'; other attachments are injected context, skipped.
 * Flags: `isMeta`, command output, `[Request interrupted …]`, `<synthetic>` model lines, API
 * errors, "Warmup" subagent prompts and the compaction agent's prompt → 'synthetic';
 * `isCompactSummary` (and the compaction agent's reply) → 'compaction-summary';
 * `isSidechain` → 'sidechain'.
 * `parentExternalId` is the nearest ancestor (via `parentUuid`, or `logicalParentUuid` across a
 * compaction) that is a message of the same session; null otherwise.
 * A line whose `uuid` was already read (a rewritten copy) is skipped; its usage still counts as
 * the key's latest line.
 */

type MessageDraft = {
  readonly externalId: string
  readonly role: Role
  readonly createdAt: number | null
  readonly parts: Part[]
  readonly flags: Set<MessageFlag>
  readonly parentExternalId: string | null
  readonly usageKey: string | null
  readonly ownsUsage: boolean
  readonly callIds: Set<string>
  readonly title: string | null
  model: string | null
}

type SessionDraft = {
  readonly key: string
  readonly agentId: string | null
  readonly messages: MessageDraft[]
  readonly ids: Set<string>
  lineSessionId: string | null
  firstCwd: string | null
  lastCwd: string | null
  gitBranch: string | null
  version: string | null
  startedAt: number | null
  endedAt: number | null
}

type Node = { readonly session: string; readonly messageId: string | null; readonly line: number }

type FileState = {
  readonly file: string
  /** `agent-<id>.jsonl`: every line belongs to that subagent, whatever its flags say. */
  readonly fileAgent: string | null
  readonly issues: ReadIssue[]
  readonly sessions: Map<string, SessionDraft>
  /** Every uuid read, with the message that stands for it (or its nearest message ancestor). */
  readonly nodes: Map<string, Node>
  readonly sidechainKeys: Map<string, string>
  readonly assistants: Map<string, MessageDraft>
  readonly usage: Map<string, { tokens: Tokens | null; cost: number | null }>
  /** Usage keys already owned by a message: a replay in another session does not count again. */
  readonly usageOwners: Set<string>
  readonly toolNames: Map<string, string>
  readonly summaries: SummaryRecord[]
  readonly unknown: Map<string, { count: number; line: number }>
  customTitle: string | null
  aiTitle: string | null
}

const MAIN = 'main'
const SYNTHETIC_MODEL = '<synthetic>'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function sessionKeyOf(state: FileState, env: Envelope, line: number): string {
  if (state.fileAgent !== null) return `agent-${state.fileAgent}`
  if (!env.isSidechain) return MAIN
  if (env.agentId) return `agent-${env.agentId}`
  const inherited = env.parentUuid ? state.sidechainKeys.get(env.parentUuid) : undefined
  const key = inherited ?? `sidechain-${env.uuid ?? `line-${line}`}`
  if (env.uuid) state.sidechainKeys.set(env.uuid, key)
  return key
}

/** The session a line belongs to; its envelope extends the session's span and metadata. */
function touch(state: FileState, env: Envelope, line: number): SessionDraft {
  const key = sessionKeyOf(state, env, line)
  let s = state.sessions.get(key)
  if (!s) {
    s = {
      key,
      agentId: state.fileAgent ?? (env.isSidechain ? env.agentId : null),
      messages: [],
      ids: new Set(),
      lineSessionId: null,
      firstCwd: null,
      lastCwd: null,
      gitBranch: null,
      version: null,
      startedAt: null,
      endedAt: null,
    }
    state.sessions.set(key, s)
  }
  s.lineSessionId ??= env.sessionId
  if (env.cwd) {
    s.firstCwd ??= env.cwd
    s.lastCwd = env.cwd
  }
  s.gitBranch = env.gitBranch ?? s.gitBranch
  s.version = env.version ?? s.version
  if (env.timestamp !== null) {
    s.startedAt = Math.min(s.startedAt ?? env.timestamp, env.timestamp)
    s.endedAt = Math.max(s.endedAt ?? env.timestamp, env.timestamp)
  }
  return s
}

function parentOf(state: FileState, session: string, env: Envelope): string | null {
  const ref = env.parentUuid ?? env.logicalParentUuid
  const node = ref ? state.nodes.get(ref) : undefined
  return node && node.session === session ? node.messageId : null
}

/** A line that is not (part of) a message: its uuid stands for its nearest message ancestor. */
function passThrough(state: FileState, s: SessionDraft, env: Envelope, line: number): void {
  if (env.uuid && !state.nodes.has(env.uuid)) {
    state.nodes.set(env.uuid, { session: s.key, messageId: parentOf(state, s.key, env), line })
  }
}

function uniqueId(s: SessionDraft, candidates: readonly string[], line: number): string {
  const id = candidates.find((c) => !s.ids.has(c)) ?? `${candidates[0]}#${line}`
  s.ids.add(id)
  return id
}

function addMessage(
  state: FileState,
  s: SessionDraft,
  env: Envelope,
  line: number,
  draft: Omit<MessageDraft, 'parentExternalId' | 'createdAt' | 'callIds'>,
): MessageDraft {
  const message: MessageDraft = {
    ...draft,
    createdAt: env.timestamp,
    parentExternalId: parentOf(state, s.key, env),
    callIds: new Set(),
  }
  if (env.isSidechain) message.flags.add('sidechain')
  s.messages.push(message)
  if (env.uuid) state.nodes.set(env.uuid, { session: s.key, messageId: message.externalId, line })
  return message
}

function onUser(state: FileState, rec: Extract<ClaudeLine, { kind: 'user' }>, line: number) {
  const s = touch(state, rec.env, line)
  if (rec.env.uuid && state.nodes.has(rec.env.uuid)) return
  const parts: Part[] = rec.content.flatMap((b) => blockToParts(b, state.toolNames))
  const results = parts.filter((p) => p.type === 'tool-result').length
  if (results === 1) {
    const patch = patchFromToolUseResult(rec.toolUseResult)
    if (patch) parts.push(patch)
  }
  const firstText = parts.find((p) => p.type === 'text')
  const text = firstText?.type === 'text' ? firstText.text : ''
  const kind = classifyUserText(text)
  const flags = new Set<MessageFlag>()
  const compactionAgent = s.agentId?.startsWith('acompact') === true
  const warmup = rec.env.isSidechain && text.trim() === 'Warmup'
  if (rec.isCompactSummary) flags.add('compaction-summary')
  if (
    rec.isCompactSummary ||
    rec.env.isMeta ||
    kind === 'command-output' ||
    kind === 'interrupt' ||
    warmup ||
    compactionAgent
  ) {
    flags.add('synthetic')
  }
  const role: Role = results > 0 ? 'tool' : 'user'
  addMessage(state, s, rec.env, line, {
    externalId: uniqueId(s, [rec.env.uuid ?? `line-${line}`], line),
    role,
    parts,
    flags,
    usageKey: null,
    ownsUsage: false,
    title: role === 'user' && flags.size === 0 ? titleCandidate(text, kind) : null,
    model: null,
  })
}

function onAssistant(
  state: FileState,
  rec: Extract<ClaudeLine, { kind: 'assistant' }>,
  line: number,
) {
  const s = touch(state, rec.env, line)
  const synthetic = rec.model === SYNTHETIC_MODEL || rec.isApiErrorMessage
  // Without a message id nothing can be merged or deduplicated: the line is its own request.
  const usageKey = rec.messageId
    ? rec.requestId
      ? `${rec.messageId}:${rec.requestId}`
      : rec.messageId
    : `line:${line}`
  if (rec.usage && !synthetic) {
    const previous = state.usage.get(usageKey)
    state.usage.set(usageKey, {
      tokens: claudeUsageToTokens(rec.usage),
      cost: rec.costUSD ?? previous?.cost ?? null,
    })
  }
  if (rec.env.uuid && state.nodes.has(rec.env.uuid)) return
  const mergeKey = `${s.key}\u0000${usageKey}`
  let message = state.assistants.get(mergeKey)
  if (!message) {
    const owned = state.usageOwners.has(usageKey)
    state.usageOwners.add(usageKey)
    const first = rec.messageId ?? rec.env.uuid ?? `line-${line}`
    const candidates = rec.requestId ? [first, `${first}:${rec.requestId}`] : [first]
    const flags = new Set<MessageFlag>()
    const compactionAgent = s.agentId?.startsWith('acompact') === true
    if (compactionAgent) flags.add('compaction-summary')
    message = addMessage(state, s, rec.env, line, {
      externalId: uniqueId(s, candidates, line),
      role: 'assistant',
      parts: [],
      flags,
      usageKey,
      ownsUsage: !owned,
      title: null,
      model: null,
    })
    state.assistants.set(mergeKey, message)
  } else if (rec.env.uuid) {
    state.nodes.set(rec.env.uuid, { session: s.key, messageId: message.externalId, line })
  }
  if (synthetic) message.flags.add('synthetic')
  else message.model ??= rec.model
  for (const block of rec.content) {
    const id = block.type.endsWith('tool_use') ? str(block.id) : null
    if (id !== null) {
      if (message.callIds.has(id)) continue
      message.callIds.add(id)
      const name = str(block.name)
      if (name) state.toolNames.set(id, name)
    }
    message.parts.push(...blockToParts(block, state.toolNames))
  }
}

function onSystem(state: FileState, rec: Extract<ClaudeLine, { kind: 'system' }>, line: number) {
  const s = touch(state, rec.env, line)
  if (rec.env.uuid && state.nodes.has(rec.env.uuid)) return
  const errorText =
    rec.subtype === 'api_error' && rec.error !== undefined
      ? (str(rec.error) ??
        (isRecord(rec.error) ? str(rec.error.message) : null) ??
        JSON.stringify(rec.error))
      : null
  const text = rec.content?.trim() ? rec.content : errorText
  if (!text) {
    passThrough(state, s, rec.env, line)
    return
  }
  const parts: Part[] = [{ type: 'text', text }]
  if (rec.compactMetadata !== undefined) {
    parts.push({ type: 'other', kind: rec.subtype ?? 'system', raw: rec.compactMetadata })
  }
  addMessage(state, s, rec.env, line, {
    externalId: uniqueId(s, [rec.env.uuid ?? `line-${line}`], line),
    role: 'system',
    parts,
    flags: new Set(['synthetic']),
    usageKey: null,
    ownsUsage: false,
    title: null,
    model: null,
  })
}

/** `queued_command` with `commandMode: 'prompt'` is typed by a person unless its origin says not. */
function onAttachment(
  state: FileState,
  rec: Extract<ClaudeLine, { kind: 'attachment' }>,
  line: number,
) {
  const s = touch(state, rec.env, line)
  const a = rec.attachment
  const prompt = a.type === 'queued_command' ? a.prompt : undefined
  const parts: Part[] =
    typeof prompt === 'string'
      ? [{ type: 'text', text: prompt }]
      : Array.isArray(prompt)
        ? prompt.flatMap((b) =>
            isRecord(b) && typeof b.type === 'string'
              ? blockToParts({ ...b, type: b.type }, state.toolNames)
              : [],
          )
        : []
  if (parts.length === 0 || (rec.env.uuid && state.nodes.has(rec.env.uuid))) {
    passThrough(state, s, rec.env, line)
    return
  }
  const origin = isRecord(a.origin) ? str(a.origin.kind) : null
  const typed =
    (a.commandMode ?? 'prompt') === 'prompt' &&
    (origin === null || origin === 'human') &&
    a.isMeta !== true &&
    !rec.env.isMeta
  const text = textOfParts(parts)
  addMessage(state, s, rec.env, line, {
    externalId: uniqueId(s, [rec.env.uuid ?? `line-${line}`], line),
    role: 'user',
    parts,
    flags: new Set(typed ? [] : ['synthetic']),
    usageKey: null,
    ownsUsage: false,
    title: typed ? titleFrom(text) : null,
    model: null,
  })
}

function onLine(state: FileState, rec: ClaudeLine, line: number) {
  switch (rec.kind) {
    case 'user':
      return onUser(state, rec, line)
    case 'assistant':
      return onAssistant(state, rec, line)
    case 'system':
      return onSystem(state, rec, line)
    case 'attachment':
      return onAttachment(state, rec, line)
    case 'summary':
      if (rec.leafUuid) state.summaries.push({ summary: rec.summary, leafUuid: rec.leafUuid })
      return
    case 'title':
      if (rec.from === 'custom') state.customTitle = rec.title
      else state.aiTitle = rec.title
      return
    case 'meta': {
      // queue-operation has no isSidechain: it belongs to the main session.
      const s = touch(state, rec.env, line)
      passThrough(state, s, rec.env, line)
      return
    }
    case 'unknown': {
      const seen = state.unknown.get(rec.type)
      state.unknown.set(rec.type, { count: (seen?.count ?? 0) + 1, line: seen?.line ?? line })
      return
    }
    case 'invalid':
      state.issues.push({ file: state.file, line, code: 'invalid-record', message: rec.reason })
  }
}

function finishMessage(state: FileState, m: MessageDraft): NormalizedMessage {
  const usage = m.ownsUsage && m.usageKey ? state.usage.get(m.usageKey) : undefined
  return {
    externalId: m.externalId,
    role: m.role,
    createdAt: m.createdAt,
    model: m.model,
    provider: m.model ? 'anthropic' : null,
    text: textOfParts(m.parts),
    parts: m.parts,
    usage: usage?.tokens ?? null,
    reportedCost: usage?.cost ?? null,
    durationMs: null,
    parentExternalId: m.parentExternalId,
    flags: [...m.flags],
  }
}

/** The model most of the session's replies used (the first seen on a tie). */
function mainModel(messages: readonly MessageDraft[]): string | null {
  const counts = new Map<string, number>()
  for (const m of messages) if (m.model) counts.set(m.model, (counts.get(m.model) ?? 0) + 1)
  let best: string | null = null
  for (const [model, n] of counts) if (best === null || n > (counts.get(best) ?? 0)) best = model
  return best
}

/** The summary whose leaf comes latest in this session. */
function summaryTitle(
  state: FileState,
  session: string,
  summaries: readonly SummaryRecord[],
): string | null {
  let best: { title: string; line: number } | null = null
  for (const { summary, leafUuid } of summaries) {
    const node = state.nodes.get(leafUuid)
    if (node?.session === session && (best === null || node.line >= best.line)) {
      best = { title: summary, line: node.line }
    }
  }
  return best ? titleFrom(best.title) : null
}

function subagentsParent(file: string): string | null {
  const dir = dirname(file)
  return basename(dir) === SUBAGENTS_DIR ? basename(dirname(dir)) : null
}

async function finish(state: FileState): Promise<NormalizedSession[]> {
  const stem = basename(state.file).replace(/\.jsonl$/, '')
  const main = state.sessions.get(MAIN)
  const hasMain = main !== undefined && main.messages.length > 0
  const mainId = UUID.test(stem) ? stem : (main?.lineSessionId ?? stem)
  const summaries = hasMain ? [...state.summaries, ...(await siblingSummaries(state.file))] : []
  const out: NormalizedSession[] = []
  for (const s of state.sessions.values()) {
    if (s.messages.length === 0) continue
    const isMain = s.key === MAIN
    const parent = isMain
      ? null
      : hasMain
        ? mainId
        : (s.lineSessionId ?? subagentsParent(state.file))
    const title =
      (isMain ? (state.customTitle ?? state.aiTitle) : null) ??
      summaryTitle(state, s.key, summaries) ??
      s.messages.find((m) => m.title !== null)?.title ??
      null
    const model = mainModel(s.messages)
    out.push({
      externalId: isMain ? mainId : `${parent ?? stem}:${s.key}`,
      source: 'claude-code',
      title,
      projectPath: s.firstCwd,
      projectName: s.firstCwd ? basename(s.firstCwd) || s.firstCwd : null,
      cwd: s.lastCwd,
      gitBranch: s.gitBranch,
      model,
      provider: model ? 'anthropic' : null,
      agentVersion: s.version,
      parentExternalId: parent,
      startedAt: s.startedAt,
      endedAt: s.endedAt,
      messages: s.messages.map((m) => finishMessage(state, m)),
      reportedTotals: null,
    })
  }
  return out
}

/**
 * Reads one Claude Code transcript (a main session file or a subagent file) into normalised
 * sessions. Never throws for content: bad lines, broken records and unknown record types come
 * back as issues. An unreadable file gives no sessions and one 'unreadable' issue.
 */
export async function readClaudeCodeFile(source: SessionSource): Promise<ReadResult> {
  const name = basename(source.path)
  const state: FileState = {
    file: source.path,
    fileAgent: name.startsWith('agent-') ? name.slice(6).replace(/\.jsonl$/, '') : null,
    issues: [],
    sessions: new Map(),
    nodes: new Map(),
    sidechainKeys: new Map(),
    assistants: new Map(),
    usage: new Map(),
    usageOwners: new Set(),
    toolNames: new Map(),
    summaries: [],
    unknown: new Map(),
    customTitle: null,
    aiTitle: null,
  }
  try {
    for await (const { line, value, error } of readJsonl(source.path)) {
      if (error !== null) {
        state.issues.push({ file: source.path, line, code: 'invalid-json', message: error })
        continue
      }
      onLine(state, decodeLine(value), line)
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return {
      sessions: [],
      issues: [{ file: source.path, line: null, code: 'unreadable', message }],
    }
  }
  for (const [type, { count, line }] of state.unknown) {
    state.issues.push({
      file: source.path,
      line,
      code: 'unknown-record',
      message: `unknown record type "${type}" ignored (${count} line${count === 1 ? '' : 's'})`,
    })
  }
  // Issues in file order (unknown-record issues point at the type's first line).
  const issues = [...state.issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
  return { sessions: await finish(state), issues }
}
