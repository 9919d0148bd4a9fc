import { readdir, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { readJsonl } from '../jsonl.js'
import { isRecord, str } from './schema.js'

export type SummaryRecord = { readonly summary: string; readonly leafUuid: string }

type HeadEntry = {
  readonly size: number
  /** A non-summary line was reached: the head can no longer change (files are append-only). */
  readonly complete: boolean
  readonly summaries: readonly SummaryRecord[]
}

/**
 * Claude Code ≤ 1.0.x writes `summary` lines at the *start* of a session file, and their
 * `leafUuid` points into another session's file, often a sibling (pitfall 6). A file can even
 * hold nothing but summaries. To title a session from them, reading one file has to look at the
 * heads of its siblings. Heads are cached per file: once a file has a non-summary line its head
 * never changes, so each file's head is read once per process; a file that is all summaries so far
 * is read again only when its size changes.
 */
const heads = new Map<string, HeadEntry>()

async function readHead(path: string, size: number): Promise<HeadEntry> {
  const summaries: SummaryRecord[] = []
  let complete = false
  for await (const line of readJsonl(path)) {
    const value = line.value
    if (!isRecord(value) || value.type !== 'summary') {
      complete = true
      break
    }
    const summary = str(value.summary)
    const leafUuid = str(value.leafUuid)
    if (summary !== null && leafUuid !== null) summaries.push({ summary, leafUuid })
  }
  return { size, complete, summaries }
}

async function headOf(path: string): Promise<HeadEntry | null> {
  const cached = heads.get(path)
  if (cached?.complete) return cached
  try {
    const { size } = await stat(path)
    if (cached && cached.size === size) return cached
    const entry = await readHead(path, size)
    heads.set(path, entry)
    return entry
  } catch {
    // Deleted or unreadable sibling: it simply contributes no titles.
    return null
  }
}

/** Summaries found at the head of the other session files in `file`'s directory. */
export async function siblingSummaries(file: string): Promise<readonly SummaryRecord[]> {
  const dir = dirname(file)
  const self = basename(file)
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return []
  }
  const out: SummaryRecord[] = []
  for (const name of names.sort()) {
    if (name === self || !name.endsWith('.jsonl') || name.startsWith('agent-')) continue
    const head = await headOf(join(dir, name))
    if (head) out.push(...head.summaries)
  }
  return out
}
