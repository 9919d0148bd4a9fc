import { createHash } from 'node:crypto'
import type { NormalizedMessage, NormalizedSession } from '@opensync/agents'
import type { Part, UsageInput } from '@opensync/core/wire'
import type { SyncConfig } from './config.js'
import type { Redactor } from './redaction.js'

/** A `sessions[]` item of `/sync/batch` as we send it (SPEC §5.1); null fields are left out. */
export type WireSession = {
  readonly externalId: string
  readonly source: string
  readonly title?: string
  readonly projectPath?: string
  readonly projectName?: string
  readonly cwd?: string
  readonly gitBranch?: string
  readonly model?: string
  readonly provider?: string
  readonly agentVersion?: string
  readonly machine?: string
  readonly parentExternalId?: string
  readonly startedAt?: number
  readonly endedAt?: number
  readonly createdAt?: number
  readonly durationMs?: number
  readonly promptTokens?: number
  readonly completionTokens?: number
}

/** A `messages[]` item of `/sync/batch`. */
export type WireMessage = {
  readonly sessionExternalId: string
  readonly externalId: string
  readonly source: string
  readonly role: string
  readonly textContent: string
  readonly parts: readonly Part[]
  readonly model?: string
  readonly provider?: string
  readonly createdAt?: number
  readonly durationMs?: number
  readonly cost?: number
  readonly usage?: UsageInput
}

export type PayloadOptions = Pick<SyncConfig, 'syncToolCalls' | 'syncThinking' | 'machine'> & {
  readonly redactor: Redactor
}

/** Drops null/undefined fields, keeping the wire payload (and its hash) small and stable. */
function compact<T extends Record<string, unknown>>(value: T): T {
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) if (v !== null && v !== undefined) out[key] = v
  return out as T
}

const count = (n: number | null | undefined) =>
  typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.round(n) : null

/**
 * Session fields for the wire. Titles are redacted (they are often the first prompt); paths
 * are not: a home path is not a secret, and anonymising paths is for shares and exports.
 */
export function toWireSession(s: NormalizedSession, options: PayloadOptions): WireSession {
  const duration =
    s.startedAt !== null && s.endedAt !== null && s.endedAt >= s.startedAt
      ? s.endedAt - s.startedAt
      : null
  return compact({
    externalId: s.externalId,
    source: s.source,
    title: s.title === null ? null : options.redactor.text(s.title),
    projectPath: s.projectPath,
    projectName: s.projectName,
    cwd: s.cwd,
    gitBranch: s.gitBranch,
    model: s.model,
    provider: s.provider,
    agentVersion: s.agentVersion,
    machine: options.machine,
    parentExternalId: s.parentExternalId,
    startedAt: s.startedAt,
    endedAt: s.endedAt,
    createdAt: s.startedAt,
    durationMs: duration,
    promptTokens: count(s.reportedTotals?.promptTokens),
    completionTokens: count(s.reportedTotals?.completionTokens),
  }) as WireSession
}

/**
 * Plain-text fields go through `redactor.text` (which remembers recent strings: a message's
 * text usually repeats its text part); structured fields (tool arguments, raw values) through
 * `redactor.value`, which also knows secret-looking keys.
 */
function redactPart(part: Part, redactor: Redactor): Part {
  switch (part.type) {
    case 'text':
    case 'reasoning':
      return { ...part, text: redactor.text(part.text) }
    case 'tool-result':
      return { ...part, output: redactor.text(part.output) }
    case 'patch':
      return { ...part, diff: redactor.text(part.diff) }
    case 'file':
      return part.text === null ? part : { ...part, text: redactor.text(part.text) }
    default:
      return redactor.value(part)
  }
}

function keepPart(part: Part, options: PayloadOptions): boolean {
  if (part.type === 'reasoning') return options.syncThinking
  if (part.type === 'tool-call' || part.type === 'tool-result') return options.syncToolCalls
  return true
}

/**
 * One message for the wire: parts filtered by `syncThinking`/`syncToolCalls`, every string
 * redacted. Null when filtering left nothing worth sending (no text, parts or usage).
 */
export function toWireMessage(
  s: NormalizedSession,
  m: NormalizedMessage,
  options: PayloadOptions,
): WireMessage | null {
  const parts = m.parts.filter((p) => keepPart(p, options))
  if (parts.length === 0 && m.parts.length > 0 && m.text === '' && m.usage === null) return null
  const cost = m.reportedCost !== null && m.reportedCost >= 0 ? m.reportedCost : null
  return compact({
    sessionExternalId: s.externalId,
    externalId: m.externalId,
    source: s.source,
    role: m.role,
    textContent: options.redactor.text(m.text),
    parts: options.redactor.enabled ? parts.map((p) => redactPart(p, options.redactor)) : parts,
    model: m.model,
    provider: m.provider,
    createdAt: m.createdAt,
    durationMs: count(m.durationMs),
    cost,
    usage: m.usage,
  }) as WireMessage
}

/** A short, stable digest of what was enqueued: equal payloads, equal hashes. */
export function hashPayload(json: string): string {
  return createHash('sha256').update(json).digest('base64url').slice(0, 16)
}
