import { inferProvider } from '@opensync/core'
import { type Tokens, totalTokens, ZERO_TOKENS } from '@opensync/core/wire'

const HOUR_MS = 3_600_000

/** What a session lends its messages for analytics grouping. */
export type SessionDims = {
  readonly source: string | null
  readonly project_name: string | null
  readonly project_path: string | null
  readonly model: string | null
  readonly provider: string | null
}

export type StoredUsage = {
  readonly model: string | null
  readonly provider: string | null
  readonly tokens: Tokens
  readonly costMicros: number | null
  readonly priceStatus: string
}

export type StoredMessage = {
  readonly createdAt: number
  readonly model: string | null
  readonly provider: string | null
  readonly usage: StoredUsage | null
}

/** One message's share of the session totals and of one `usage_hourly` row. */
export type Contribution = {
  readonly key: string
  readonly hour: number
  readonly source: string
  readonly project: string
  readonly model: string
  readonly provider: string
  readonly messages: number
  readonly requests: number
  readonly tokens: Tokens
  readonly costMicros: number
  readonly unpricedRequests: number
  readonly unpricedTokens: number
}

export function projectOf(s: SessionDims): string {
  return s.project_name || s.project_path || ''
}

/** Model and provider a message is priced and grouped under: its own, else its session's. */
export function effectiveModel(
  message: { readonly model: string | null; readonly provider: string | null },
  session: SessionDims,
): { model: string | null; provider: string | null } {
  const model = message.model ?? session.model
  const provider = message.provider ?? session.provider
  return { model, provider: inferProvider(model, provider) ?? provider }
}

export function contributionOf(message: StoredMessage, session: SessionDims): Contribution {
  const fallback = effectiveModel(message, session)
  const model = message.usage?.model ?? fallback.model ?? ''
  const provider = message.usage?.provider ?? fallback.provider ?? ''
  const source = session.source ?? ''
  const project = projectOf(session)
  const hour = Math.floor(message.createdAt / HOUR_MS)
  const usage = message.usage
  const unpriced = usage !== null && usage.priceStatus === 'unpriced'
  return {
    key: `${hour}\u0000${source}\u0000${project}\u0000${model}\u0000${provider}`,
    hour,
    source,
    project,
    model,
    provider,
    messages: 1,
    requests: usage ? 1 : 0,
    tokens: usage?.tokens ?? ZERO_TOKENS,
    costMicros: usage?.costMicros ?? 0,
    unpricedRequests: unpriced ? 1 : 0,
    unpricedTokens: unpriced && usage ? totalTokens(usage.tokens) : 0,
  }
}

/** Accumulates signed contributions per rollup key and per session. */
export class DeltaBook {
  readonly rollups = new Map<string, MutableContribution>()
  readonly sessions = new Map<number, SessionDelta>()

  add(sessionId: number, c: Contribution, sign: 1 | -1, createdAt: number): void {
    const row = this.rollups.get(c.key) ?? { ...c, ...zeroCounts() }
    addInto(row, c, sign)
    this.rollups.set(c.key, row)
    const s = this.sessions.get(sessionId) ?? {
      ...zeroCounts(),
      minAt: Number.POSITIVE_INFINITY,
      maxAt: Number.NEGATIVE_INFINITY,
    }
    addInto(s, c, sign)
    if (sign === 1) {
      s.minAt = Math.min(s.minAt, createdAt)
      s.maxAt = Math.max(s.maxAt, createdAt)
    }
    this.sessions.set(sessionId, s)
  }
}

type Counts = {
  messages: number
  requests: number
  tokens: { -readonly [K in keyof Tokens]: number }
  costMicros: number
  unpricedRequests: number
  unpricedTokens: number
}
export type MutableContribution = Omit<Contribution, keyof Counts> & Counts
export type SessionDelta = Counts & { minAt: number; maxAt: number }

function zeroCounts(): Counts {
  return {
    messages: 0,
    requests: 0,
    tokens: { ...ZERO_TOKENS },
    costMicros: 0,
    unpricedRequests: 0,
    unpricedTokens: 0,
  }
}

function addInto(target: Counts, c: Contribution, sign: 1 | -1): void {
  target.messages += sign * c.messages
  target.requests += sign * c.requests
  target.costMicros += sign * c.costMicros
  target.unpricedRequests += sign * c.unpricedRequests
  target.unpricedTokens += sign * c.unpricedTokens
  for (const k of Object.keys(ZERO_TOKENS) as (keyof Tokens)[])
    target.tokens[k] += sign * c.tokens[k]
}
