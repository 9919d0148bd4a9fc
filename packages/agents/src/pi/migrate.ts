import type { PiEntry, PiHeader } from './schema.js'
import { isRecord, num } from './schema.js'

/** pi's `CURRENT_SESSION_VERSION`: v1 linear, v2 tree (`id`/`parentId`), v3 `custom` role. */
export const CURRENT_FORMAT_VERSION = 3

/** A parsed session file: the header and every entry after it, in file order. */
export type PiFile = {
  readonly header: PiHeader
  readonly entries: readonly PiEntry[]
}

/**
 * v1 → v2 (pi `migrateV1ToV2`): the linear file becomes a chain. Each entry gets an id and
 * the previous entry as its parent; a compaction's `firstKeptEntryIndex` becomes
 * `firstKeptEntryId`.
 *
 * pi draws random ids here. We derive `<sessionId>:<ordinal>` instead (the entry's line in
 * the file with blank and unparseable lines not counted, i.e. its line in every real file),
 * so reading the same v1 file twice gives the same ids, and so do pi's rewrite of it (see
 * `rewrittenFromV1`). `firstKeptEntryIndex` indexes pi's array of parsed lines with the
 * header at 0: the entry whose ordinal is `index + 1`.
 */
export function migrateV1ToV2(file: PiFile, sessionId: string): PiFile {
  const idOf = (entry: PiEntry) => `${sessionId}:${entry.ordinal}`
  const byOrdinal = new Map(file.entries.map((e) => [e.ordinal, idOf(e)]))
  const entries = file.entries.map((entry, i): PiEntry => {
    const previous = i > 0 ? file.entries[i - 1] : undefined
    const id = idOf(entry)
    const parentId = previous === undefined ? null : idOf(previous)
    if (entry.type !== 'compaction') return { ...entry, id, parentId }
    const { firstKeptEntryIndex, ...rest } = entry.raw
    const index = num(firstKeptEntryIndex)
    const target = index === null ? undefined : byOrdinal.get(index + 1)
    const raw = target === undefined ? rest : { ...rest, firstKeptEntryId: target }
    return { ...entry, id, parentId, raw }
  })
  return { header: { ...file.header, version: 2 }, entries }
}

/** v2 → v3 (pi `migrateV2ToV3`): the `hookMessage` role was renamed `custom`. */
export function migrateV2ToV3(file: PiFile): PiFile {
  const entries = file.entries.map((entry): PiEntry => {
    const message = entry.raw.message
    if (entry.type !== 'message' || !isRecord(message) || message.role !== 'hookMessage') {
      return entry
    }
    return { ...entry, raw: { ...entry.raw, message: { ...message, role: 'custom' } } }
  })
  return { header: { ...file.header, version: 3 }, entries }
}

/**
 * Brings a file of any known version to v3, one step at a time, as pi does when it opens a
 * file. A version newer than ours is returned as it is (read as v3, best effort).
 */
export function migrateToCurrent(file: PiFile, sessionId: string): PiFile {
  let current = file
  if (current.header.version < 2) current = migrateV1ToV2(current, sessionId)
  if (current.header.version < 3) current = migrateV2ToV3(current)
  return current
}
