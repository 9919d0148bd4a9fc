import type { Dirent } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { SessionSource } from '@opensync/agents'

export type FileStamp = { readonly size: number; readonly mtimeMs: number }

/**
 * What tells a source changed without reading it (stat only):
 * - file: its size and mtime (pi rewrites whole files, so no offsets);
 * - database: the file's and its `-wal`'s size and mtime (OpenCode's new turns only touch the
 *   -wal until a checkpoint);
 * - directory: file count, total size and the newest mtime of the tree.
 */
export type Fingerprint = FileStamp & {
  readonly wal?: FileStamp | null
  readonly files?: number
}

async function stamp(path: string): Promise<FileStamp | null> {
  try {
    const s = await stat(path)
    return { size: s.size, mtimeMs: s.mtimeMs }
  } catch {
    return null
  }
}

async function treeStamp(root: string): Promise<Fingerprint | null> {
  const top = await stamp(root)
  if (top === null) return null
  let size = 0
  let files = 0
  let mtimeMs = top.mtimeMs
  const pending = [root]
  while (pending.length > 0) {
    const dir = pending.pop() as string
    let entries: Dirent[]
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch {
      continue
    }
    for (const entry of entries) {
      const path = join(dir, entry.name)
      const s = await stamp(path)
      if (s === null) continue
      mtimeMs = Math.max(mtimeMs, s.mtimeMs)
      if (entry.isDirectory()) pending.push(path)
      else {
        size += s.size
        files += 1
      }
    }
  }
  return { size, mtimeMs, files }
}

/** The source's fingerprint now; null when it is gone. */
export async function fingerprintOf(source: SessionSource): Promise<Fingerprint | null> {
  if (source.kind === 'directory') return treeStamp(source.path)
  const main = await stamp(source.path)
  if (main === null) return null
  if (source.kind === 'file') return main
  return { ...main, wal: await stamp(`${source.path}-wal`) }
}

export function sameFingerprint(a: Fingerprint | null, b: Fingerprint | null): boolean {
  if (a === null || b === null) return false
  const sameStamp = (x: FileStamp | null | undefined, y: FileStamp | null | undefined) =>
    (x ?? null) === null
      ? (y ?? null) === null
      : (y ?? null) !== null && x?.size === y?.size && x?.mtimeMs === y?.mtimeMs
  return sameStamp(a, b) && sameStamp(a.wal, b.wal) && (a.files ?? 0) === (b.files ?? 0)
}

/** The newest modification a fingerprint knows of (for `--since` and `--limit` ordering). */
export function lastModified(f: Fingerprint): number {
  return Math.max(f.mtimeMs, f.wal?.mtimeMs ?? 0)
}
