/**
 * Tolerant shapes of pi's session files (badlogic/pi-mono `packages/coding-agent`,
 * `src/core/session-manager.ts` and `docs/session.md`; the message model is pi-ai's).
 *
 * Every field is optional because pi changed its format three times and old files stay on
 * disk. The accessors below never throw: a field of the wrong type reads as missing. (The
 * agents package has no zod dependency; these hand-written guards play the role of
 * `safeParse`.)
 */

import { isRecord, num, str } from '../decode.js'
export type PiRecord = Readonly<Record<string, unknown>>

/** The first line of every file. v1 has no `version`, and `provider`/`modelId`/`branchedFrom`. */
export type PiHeader = {
  /** Format version: 1 when absent (v1 headers carry none). */
  readonly version: number
  readonly id: string | null
  readonly timestamp: string | null
  readonly cwd: string | null
  /**
   * The file this one was forked from. v2+ writes `parentSession`; v1 wrote `branchedFrom`,
   * and pi's own v1 → v3 rewrite keeps `branchedFrom` as it was, so both are read everywhere.
   */
  readonly parentSession: string | null
  /** v1 only: the model at session start. */
  readonly provider: string | null
  readonly modelId: string | null
  /**
   * The header still carries v1-only fields (`provider`, `modelId`, `thinkingLevel`,
   * `branchedFrom`) under a v2+ version: pi migrated this file from v1 and rewrote it, which
   * only sets `version` on the header. Headers pi writes for new files have none of them.
   */
  readonly rewrittenFromV1: boolean
}

/** One line after the header. `id`/`parentId` exist from v2 on (the migration adds them to v1). */
export type PiEntry = {
  /** 1-based line in the file. */
  readonly line: number
  /**
   * 1-based position among the file's parsed lines (header = 1; blank and unparseable lines
   * not counted): the entry's line once pi rewrites the file, which drops those lines.
   */
  readonly ordinal: number
  readonly type: string
  readonly id: string | null
  readonly parentId: string | null
  readonly timestamp: string | null
  readonly raw: PiRecord
}

/** pi-ai `Usage`: `input` excludes cache reads and writes (verified on the fixtures). */
export type PiUsage = {
  readonly input: number | null
  readonly output: number | null
  readonly cacheRead: number | null
  readonly cacheWrite: number | null
  readonly totalTokens: number | null
  /** `cost.total` in dollars, computed by pi from its model registry. */
  readonly costTotal: number | null
}

/** The header, or null when the record is not one (`type: "session"` with a string id). */
export function parseHeader(value: PiRecord): PiHeader | null {
  if (value.type !== 'session') return null
  const version = num(value.version)
  const v1Fields = ['provider', 'modelId', 'thinkingLevel', 'branchedFrom'].some((k) => k in value)
  const v = version !== null && version >= 1 ? Math.floor(version) : 1
  return {
    version: v,
    id: str(value.id),
    timestamp: str(value.timestamp),
    cwd: str(value.cwd) || null,
    parentSession: str(value.parentSession) || str(value.branchedFrom) || null,
    provider: str(value.provider),
    modelId: str(value.modelId),
    rewrittenFromV1: v >= 2 && v1Fields,
  }
}

/** An entry, or null when the line has no string `type` (not something pi wrote). */
export function parseEntry(value: PiRecord, line: number, ordinal = line): PiEntry | null {
  const type = str(value.type)
  if (type === null || type === '') return null
  return {
    line,
    ordinal,
    type,
    id: str(value.id) || null,
    parentId: str(value.parentId) || null,
    timestamp: str(value.timestamp),
    raw: value,
  }
}

export function parseUsage(value: unknown): PiUsage | null {
  if (!isRecord(value)) return null
  const cost = isRecord(value.cost) ? num(value.cost.total) : null
  return {
    input: num(value.input),
    output: num(value.output),
    cacheRead: num(value.cacheRead),
    cacheWrite: num(value.cacheWrite),
    totalTokens: num(value.totalTokens),
    costTotal: cost,
  }
}

/** `content` is `string | block[]` for user, custom and tool-result messages. */
export function contentBlocks(value: unknown): readonly unknown[] {
  if (typeof value === 'string') return value === '' ? [] : [{ type: 'text', text: value }]
  return Array.isArray(value) ? value : []
}

export { isRecord, num, str, toEpochMs } from '../decode.js'
