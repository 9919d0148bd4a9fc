/**
 * Tolerant views of what OpenCode stores (`anomalyco/opencode:packages/opencode/src/session/
 * message-v2.ts`). Both storage generations hold the same objects: a SQLite `data` column is
 * the object without its ids, a legacy JSON file is the object with them. Every field is
 * optional here because the schema keeps moving (agent-formats §3, pitfall 6).
 */

import { num, type Raw, str } from '../decode.js'
export function asRecord(value: unknown): Raw | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Raw)
    : null
}

/** A token count as OpenCode wrote it, clamped to a non-negative integer. */
function count(value: unknown): number {
  const n = num(value)
  return n === null || n < 0 ? 0 : Math.round(n)
}

/** `tokens{total?, input, output, reasoning, cache{read, write}}` of a step or a message. */
export type StoredTokens = {
  readonly total: number | null
  readonly input: number
  readonly output: number
  readonly reasoning: number
  readonly cacheRead: number
  readonly cacheWrite: number
}

export function storedTokens(value: unknown): StoredTokens | null {
  const t = asRecord(value)
  if (!t) return null
  const cache = asRecord(t.cache)
  return {
    total: num(t.total),
    input: count(t.input),
    output: count(t.output),
    reasoning: count(t.reasoning),
    cacheRead: count(cache?.read),
    cacheWrite: count(cache?.write),
  }
}

/** One stored part: the `part` row / `part/<msgID>/<prtID>.json` file. */
export type StoredPart = {
  readonly id: string
  readonly type: string
  /** The row's `time_created` (SQLite only; legacy files carry no part time). */
  readonly createdAt: number | null
  readonly data: Raw
}

/** MessageV2 info, the fields the reader uses. */
export type StoredMessage = {
  readonly id: string
  readonly role: string
  readonly createdAt: number | null
  readonly completedAt: number | null
  /** Assistant: the user message it answers. */
  readonly parentId: string | null
  readonly modelId: string | null
  readonly providerId: string | null
  /** Assistant: the sum over its steps. */
  readonly cost: number | null
  /** Assistant: the LAST step's tokens only (pitfall 1). */
  readonly tokens: StoredTokens | null
  /** Assistant `summary: true` is a compaction summary. */
  readonly summary: boolean
  readonly error: unknown
  readonly parts: readonly StoredPart[]
}

export type StoredSession = {
  readonly id: string
  readonly parentId: string | null
  readonly title: string | null
  readonly directory: string | null
  readonly version: string | null
  readonly createdAt: number | null
  readonly updatedAt: number | null
  /** `session.model{id, providerID}` (SQLite, v1.1x and later). */
  readonly modelId: string | null
  readonly providerId: string | null
}

/** One session as either store read it, before normalisation. */
export type SessionRecord = {
  readonly session: StoredSession
  readonly messages: readonly StoredMessage[]
}

/**
 * MessageV2 info from its JSON. The model sits in `model{providerID, modelID}` on user
 * messages and in `modelID`/`providerID` on assistant messages.
 */
export function storedMessage(
  id: string,
  data: Raw,
  fallbackCreatedAt: number | null,
  parts: readonly StoredPart[],
): StoredMessage {
  const time = asRecord(data.time)
  const model = asRecord(data.model)
  return {
    id,
    role: str(data.role) ?? 'unknown',
    createdAt: num(time?.created) ?? fallbackCreatedAt,
    completedAt: num(time?.completed),
    parentId: str(data.parentID),
    modelId: str(data.modelID) ?? str(model?.modelID),
    providerId: str(data.providerID) ?? str(model?.providerID),
    cost: num(data.cost),
    tokens: storedTokens(data.tokens),
    summary: data.summary === true,
    error: data.error ?? null,
    parts,
  }
}

/** The ids a legacy file adds to what the database keeps in `data`. */
const ID_KEYS: ReadonlySet<string> = new Set(['id', 'sessionID', 'messageID'])

/** `data` as the database stores it, whichever generation it came from. */
function withoutIds(data: Raw): Raw {
  if (!Object.keys(data).some((k) => ID_KEYS.has(k))) return data
  return Object.fromEntries(Object.entries(data).filter(([k]) => !ID_KEYS.has(k)))
}

export function storedPart(id: string, data: Raw, createdAt: number | null): StoredPart {
  return { id, type: str(data.type) ?? 'unknown', createdAt, data: withoutIds(data) }
}

/** `session.model` column: JSON `{id, providerID, variant}`. */
export function sessionModel(value: unknown): {
  modelId: string | null
  providerId: string | null
} {
  let model: Raw | null = null
  if (typeof value === 'string') {
    try {
      model = asRecord(JSON.parse(value))
    } catch {
      model = null
    }
  } else {
    model = asRecord(value)
  }
  return { modelId: str(model?.id), providerId: str(model?.providerID) }
}

export type ParsedObject =
  | { readonly value: Raw; readonly code: null; readonly error: null }
  | {
      readonly value: null
      readonly code: 'invalid-json' | 'invalid-record'
      readonly error: string
    }

/** Parses a JSON text into an object, or says why it could not. */
export function parseObject(text: string): ParsedObject {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return { value: null, code: 'invalid-json', error: (error as Error).message }
  }
  const record = asRecord(value)
  return record
    ? { value: record, code: null, error: null }
    : { value: null, code: 'invalid-record', error: 'not a JSON object' }
}

export { num, type Raw, str } from '../decode.js'
