import type { AgentReader } from '@opensync/agents'
import { READERS } from '@opensync/agents'
import { normalizeSource, SOURCES } from '@opensync/core/wire'
import { fingerprintOf, lastModified, sameFingerprint } from './fingerprint.js'
import type { Env } from './paths.js'
import type { SourceJob } from './source-sync.js'
import type { SyncState } from './state.js'

/** `changed` (default): new or modified sources; `new`: never synced; `all`: every source. */
export type SyncMode = 'changed' | 'new' | 'all' | 'force'

export type AgentPick = {
  readonly readers: readonly AgentReader[]
  /** Asked for, known, but without a reader in this version. */
  readonly missing: readonly string[]
}

/** The readers of the enabled agents (`--agent`/config `agents`; null = all). */
export function pickReaders(agents: readonly string[] | null, all = READERS): AgentPick {
  if (agents === null) return { readers: all, missing: [] }
  const readers: AgentReader[] = []
  const missing: string[] = []
  for (const raw of agents) {
    const id = normalizeSource(raw)
    if (id === null || !(SOURCES as readonly string[]).includes(id)) {
      throw new Error(`unknown agent "${raw}" (known: ${SOURCES.join(', ')})`)
    }
    const reader = all.find((r) => r.id === id)
    if (reader) {
      if (!readers.includes(reader)) readers.push(reader)
    } else if (!missing.includes(id)) missing.push(id)
  }
  return { readers, missing }
}

export type Selection = {
  readonly jobs: readonly SourceJob[]
  readonly found: number
  /** Unchanged since the last sync (or already synced, with `--new`): not read. */
  readonly unchanged: number
  /** Not modified since `--since`: not read. */
  readonly filtered: number
  /** Tracked paths of these agents that are gone from disk. */
  readonly gone: readonly string[]
  readonly perAgent: ReadonlyMap<string, { found: number; selected: number }>
}

/**
 * Discovers every source of the readers and stats it; reads nothing. A source is selected by
 * the mode, then `--since` drops those not modified since (a file untouched since a date holds
 * no activity after it).
 */
export async function selectSources(
  readers: readonly AgentReader[],
  env: Env,
  state: SyncState | null,
  mode: SyncMode,
  since: number | null,
): Promise<Selection> {
  const jobs: SourceJob[] = []
  const seen = new Set<string>()
  const perAgent = new Map<string, { found: number; selected: number }>()
  let unchanged = 0
  let filtered = 0
  for (const reader of readers) {
    const counts = { found: 0, selected: 0 }
    perAgent.set(reader.id, counts)
    for await (const source of reader.discover(env)) {
      if (seen.has(source.path)) continue
      seen.add(source.path)
      const fingerprint = await fingerprintOf(source)
      if (fingerprint === null) continue
      counts.found += 1
      const previous = mode === 'force' ? undefined : state?.get(source.path)
      const wanted =
        mode === 'all' || mode === 'force'
          ? true
          : mode === 'new'
            ? previous === undefined
            : !sameFingerprint(previous?.fingerprint ?? null, fingerprint)
      if (!wanted) {
        unchanged += 1
        continue
      }
      if (since !== null && lastModified(fingerprint) < since) {
        filtered += 1
        continue
      }
      counts.selected += 1
      jobs.push({ reader, source, fingerprint, previous })
    }
  }
  const ids = new Set<string>(readers.map((r) => r.id))
  const gone: string[] = []
  for (const [path, s] of state?.entries() ?? []) {
    if (ids.has(s.agent) && !seen.has(path)) gone.push(path)
  }
  const found = [...perAgent.values()].reduce((n, c) => n + c.found, 0)
  return { jobs, found, unchanged, filtered, gone, perAgent }
}

/** `--since`: an ISO date/time, or a span back from now (`30m`, `12h`, `7d`, `2w`). */
export function parseSince(value: string, now = Date.now()): number {
  const span = /^(\d+)\s*(m|h|d|w)$/i.exec(value.trim())
  if (span) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[
      (span[2] as string).toLowerCase() as 'm' | 'h' | 'd' | 'w'
    ]
    return now - Number(span[1]) * unit
  }
  const ms = Date.parse(value)
  if (!Number.isFinite(ms)) {
    throw new Error(`--since: "${value}" is not a date (e.g. 2026-01-31, 2026-01-31T12:00Z, 7d)`)
  }
  return ms
}
