import { createHash } from 'node:crypto'
import {
  type MessageSync,
  normalizeParts,
  type Part,
  ROLES,
  type Role,
  type SyncWarning,
  type Tokens,
  textFromParts,
  toTokens,
  totalTokens,
} from '@opensync/core/wire'

/** A `/sync/message` item after normalisation: what the store writes. */
export type MessageRecord = {
  readonly externalId: string
  readonly sessionExternalId: string
  /** Used only when the message creates its session (upstream's rule). */
  readonly source: string | null
  readonly role: Role
  readonly text: string
  readonly parts: readonly Part[]
  readonly model: string | null
  readonly provider: string | null
  readonly createdAt: number | null
  readonly durationMs: number | null
  readonly usage: Tokens | null
  readonly reportedCostMicros: number | null
  readonly hash: string
}

const ROLE_SET: ReadonlySet<string> = new Set(ROLES)

export function toMicros(dollars: number): number {
  return Math.round(dollars * 1_000_000)
}

/** Cuts text to at most `maxBytes` of UTF-8 and says so at the end. */
export function truncateText(text: string, maxBytes: number): { text: string; truncated: boolean } {
  if (text.length * 3 <= maxBytes) return { text, truncated: false }
  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes <= maxBytes) return { text, truncated: false }
  const cut = Buffer.from(text, 'utf8')
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '')
  return {
    text: `${cut}\n\n[truncated by OpenSync: the original was ${bytes} bytes]`,
    truncated: true,
  }
}

function truncatePart(part: Part, maxBytes: number): { part: Part; truncated: boolean } {
  switch (part.type) {
    case 'text':
    case 'reasoning': {
      const t = truncateText(part.text, maxBytes)
      return { part: { ...part, text: t.text }, truncated: t.truncated }
    }
    case 'tool-result': {
      const t = truncateText(part.output, maxBytes)
      return { part: { ...part, output: t.text }, truncated: t.truncated }
    }
    case 'patch': {
      const t = truncateText(part.diff, maxBytes)
      return { part: { ...part, diff: t.text }, truncated: t.truncated }
    }
    case 'tool-call': {
      const json = JSON.stringify(part.args) ?? ''
      if (json.length * 3 <= maxBytes && Buffer.byteLength(json) <= maxBytes) {
        return { part, truncated: false }
      }
      return { part: { ...part, args: truncateText(json, maxBytes).text }, truncated: true }
    }
    default:
      return { part, truncated: false }
  }
}

/** Usage from `usage{}`, else from legacy `promptTokens`/`completionTokens` (SPEC §5.1). */
function usageOf(input: MessageSync): Tokens | null {
  if (input.usage) {
    const tokens = toTokens(input.usage)
    return totalTokens(tokens) > 0 || tokens.reasoning > 0 ? tokens : null
  }
  if (input.promptTokens || input.completionTokens) {
    return toTokens({ input: input.promptTokens, output: input.completionTokens })
  }
  return null
}

export function toMessageRecord(
  input: MessageSync,
  maxTextBytes: number,
  warn: (w: Omit<SyncWarning, 'kind'>) => void,
): MessageRecord {
  const rawRole = (input.role ?? 'unknown').trim().toLowerCase()
  const role: Role = ROLE_SET.has(rawRole) ? (rawRole as Role) : 'unknown'
  if (role !== rawRole || input.role === undefined || input.role === null) {
    warn({
      externalId: input.externalId,
      field: 'role',
      message: `role "${input.role ?? ''}" is not one of ${ROLES.join(', ')}; stored as unknown`,
    })
  }
  const parts: Part[] = []
  let partsTruncated = false
  for (const part of normalizeParts(input.parts)) {
    const t = truncatePart(part, maxTextBytes)
    partsTruncated ||= t.truncated
    parts.push(t.part)
  }
  if (partsTruncated) {
    warn({
      externalId: input.externalId,
      field: 'parts',
      message: `a part was longer than ${maxTextBytes} bytes and was stored truncated`,
    })
  }
  const text = truncateText(input.textContent ?? textFromParts(parts), maxTextBytes)
  if (text.truncated) {
    warn({
      externalId: input.externalId,
      field: 'textContent',
      message: `longer than ${maxTextBytes} bytes; stored truncated`,
    })
  }
  const record = {
    externalId: input.externalId,
    sessionExternalId: input.sessionExternalId,
    source: input.source?.trim() || null,
    role,
    text: text.text,
    parts,
    model: input.model?.trim() || null,
    provider: input.provider?.trim() || null,
    createdAt: input.createdAt ?? null,
    durationMs: input.durationMs ?? null,
    usage: usageOf(input),
    reportedCostMicros:
      input.cost === null || input.cost === undefined ? null : toMicros(input.cost),
  }
  const hash = createHash('sha1').update(JSON.stringify(record)).digest('base64url')
  return { ...record, hash }
}

/** Search text of a message: prose (text, reasoning) and tools (calls, results, patches). */
export function searchTextOf(
  text: string,
  parts: readonly Part[],
): { body: string; tools: string } {
  const body = [text]
  const tools: string[] = []
  for (const p of parts) {
    if (p.type === 'reasoning') body.push(p.text)
    else if (p.type === 'tool-call') tools.push(p.name, JSON.stringify(p.args) ?? '')
    else if (p.type === 'tool-result') tools.push(p.output)
    else if (p.type === 'patch') tools.push(p.path ?? '', p.diff)
    else if (p.type === 'text' && !text.includes(p.text)) body.push(p.text)
  }
  return { body: body.join('\n'), tools: tools.join('\n') }
}
