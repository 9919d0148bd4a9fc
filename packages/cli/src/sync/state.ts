import { mkdir, open, readFile, truncate } from 'node:fs/promises'
import { join } from 'node:path'
import type { SessionSource } from '@opensync/agents'
import { fsyncDir, writeFileAtomic } from './atomic-write.js'
import type { Fingerprint } from './fingerprint.js'

/** Per session: the hash of its session payload and of each message payload last enqueued. */
export type SessionMark = {
  readonly session: string | null
  readonly messages: Readonly<Record<string, string>>
}

/** What the last sync of one source enqueued. */
export type SourceState = {
  readonly agent: string
  readonly kind: SessionSource['kind']
  /**
   * The source as it was read. Null when the read was only partly enqueued (`--limit`,
   * `--since`): the next sync reads it again and sends what was left out.
   */
  readonly fingerprint: Fingerprint | null
  readonly syncedAt: number
  readonly sessions: Readonly<Record<string, SessionMark>>
}

export type StateRecord = { readonly path: string; readonly state: SourceState | null }

export const STATE_VERSION = 1
const SNAPSHOT = 'state.json'
const JOURNAL = 'journal.jsonl'

type Snapshot = {
  readonly version: number
  readonly savedAt: number
  readonly sources: Record<string, SourceState>
}

/**
 * Incremental state, crash-safe: a snapshot (`state.json`, replaced atomically) plus a journal
 * (`journal.jsonl`, append + fsync) of whole-source records replayed over it on open. A torn
 * last journal line (a crash mid-append) is dropped: that source was not committed, so the
 * next sync reads it again.
 */
export type SyncState = {
  readonly dir: string
  get(path: string): SourceState | undefined
  entries(): IterableIterator<[string, SourceState]>
  readonly size: number
  /** Makes the records durable (one append + fsync) and applies them. */
  commit(records: readonly StateRecord[]): Promise<void>
  /** Writes a new snapshot and empties the journal (no-op when the journal is empty). */
  compact(): Promise<void>
  readonly journalBytes: number
  close(): Promise<void>
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

function parseSnapshot(text: string | null, file: string): Map<string, SourceState> {
  if (text === null || text.trim() === '') return new Map()
  let snapshot: Snapshot
  try {
    snapshot = JSON.parse(text) as Snapshot
  } catch (cause) {
    throw new Error(
      `${file} is corrupt; run \`opensync sync --force\` to rebuild it (re-sends everything)`,
      { cause },
    )
  }
  if (snapshot.version !== STATE_VERSION) {
    // A state from another format version is dropped: the next sync re-sends (idempotent).
    return new Map()
  }
  return new Map(Object.entries(snapshot.sources ?? {}))
}

/** Opens (creating) the state in `dir`. `readOnly` leaves the files untouched (dry runs). */
export async function openSyncState(dir: string, readOnly = false): Promise<SyncState> {
  const snapshotFile = join(dir, SNAPSHOT)
  const journalFile = join(dir, JOURNAL)
  if (!readOnly) await mkdir(dir, { recursive: true, mode: 0o700 })
  const sources = parseSnapshot(await readText(snapshotFile), snapshotFile)
  const journal = (await readText(journalFile)) ?? ''
  const complete = journal.lastIndexOf('\n') + 1
  for (const line of journal.slice(0, complete).split('\n')) {
    if (line === '') continue
    try {
      const record = JSON.parse(line) as StateRecord
      if (record.state === null) sources.delete(record.path)
      else sources.set(record.path, record.state)
    } catch {
      // Only a torn last line can be unreadable; it was never committed.
    }
  }
  let journalBytes = Buffer.byteLength(journal.slice(0, complete))
  if (!readOnly && complete < journal.length) {
    await truncate(journalFile, journalBytes)
  }
  let handle: Awaited<ReturnType<typeof open>> | null = null

  return {
    dir,
    get: (path) => sources.get(path),
    entries: () => sources.entries(),
    get size() {
      return sources.size
    },
    get journalBytes() {
      return journalBytes
    },
    async commit(records) {
      if (records.length === 0) return
      if (readOnly) throw new Error('the sync state was opened read-only')
      const text = records.map((r) => `${JSON.stringify(r)}\n`).join('')
      if (handle === null) {
        handle = await open(journalFile, 'a', 0o600)
        await fsyncDir(dir)
      }
      await handle.appendFile(text, 'utf8')
      await handle.datasync()
      journalBytes += Buffer.byteLength(text)
      for (const r of records) {
        if (r.state === null) sources.delete(r.path)
        else sources.set(r.path, r.state)
      }
    },
    async compact() {
      if (readOnly || journalBytes === 0) return
      const snapshot: Snapshot = {
        version: STATE_VERSION,
        savedAt: Date.now(),
        sources: Object.fromEntries(sources),
      }
      await writeFileAtomic(snapshotFile, JSON.stringify(snapshot))
      // Replaying the journal over the new snapshot would change nothing, so a crash
      // between these two steps is harmless.
      if (handle === null) handle = await open(journalFile, 'a', 0o600)
      await handle.truncate(0)
      await handle.datasync()
      journalBytes = 0
    },
    async close() {
      await handle?.close()
      handle = null
    },
  }
}
