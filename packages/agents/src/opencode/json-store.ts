import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ReadIssue } from '../reader.js'
import {
  asRecord,
  num,
  parseObject,
  type Raw,
  type SessionRecord,
  type StoredMessage,
  type StoredPart,
  storedMessage,
  storedPart,
  str,
} from './schema.js'
import type { StoreResult } from './sqlite-store.js'

/** The layout before v0.4 (`session/info`, `session/message`): OpenCode migrated it itself. */
const PRE_PROJECT_LAYOUT = 'info'

type Issues = ReadIssue[]

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : ''
}

/** Sorted `*.json` names of a directory; a missing directory is empty. */
async function listJson(dir: string, issues: Issues): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true })
    return entries
      .filter((e) => e.isFile() && e.name.endsWith('.json'))
      .map((e) => e.name)
      .sort()
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') {
      issues.push({ file: dir, line: null, code: 'unreadable', message: String(error) })
    }
    return []
  }
}

async function readObject(file: string, issues: Issues): Promise<Raw | null> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    issues.push({ file, line: null, code: 'unreadable', message: String(error) })
    return null
  }
  const parsed = parseObject(text)
  if (parsed.value === null)
    issues.push({ file, line: null, code: parsed.code, message: parsed.error })
  return parsed.value
}

const stem = (name: string) => name.slice(0, -'.json'.length)

async function readParts(
  storage: string,
  messageId: string,
  issues: Issues,
): Promise<StoredPart[]> {
  const dir = join(storage, 'part', messageId)
  const names = await listJson(dir, issues)
  const parts: StoredPart[] = []
  for (const name of names) {
    const data = await readObject(join(dir, name), issues)
    if (data) parts.push(storedPart(str(data.id) ?? stem(name), data, null))
  }
  // Part ids ascend in creation order.
  return parts.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

async function readMessages(
  storage: string,
  sessionId: string,
  issues: Issues,
): Promise<StoredMessage[]> {
  const dir = join(storage, 'message', sessionId)
  const messages: StoredMessage[] = []
  for (const name of await listJson(dir, issues)) {
    const data = await readObject(join(dir, name), issues)
    if (!data) continue
    const id = str(data.id) ?? stem(name)
    messages.push(storedMessage(id, data, null, await readParts(storage, id, issues)))
  }
  const time = (m: StoredMessage) => m.createdAt ?? Number.POSITIVE_INFINITY
  return messages.sort((a, b) => time(a) - time(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

async function projectDirs(sessionRoot: string, issues: Issues): Promise<string[]> {
  try {
    const entries = await readdir(sessionRoot, { withFileTypes: true })
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort()
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') {
      issues.push({ file: sessionRoot, line: null, code: 'unreadable', message: String(error) })
    }
    return []
  }
}

/**
 * Reads OpenCode's JSON tree (before v1.2.0): `session/<projectID>/<sesID>.json`,
 * `message/<sesID>/<msgID>.json`, `part/<msgID>/<prtID>.json`. Each file is the object the
 * database stores in `data`, with its ids added. Sessions in `skip` (those a database also
 * holds: the migration left their frozen copies here) are not read. A broken file is an issue
 * and is skipped; the rest of the tree is still read.
 */
export async function readStorage(
  storage: string,
  skip: ReadonlySet<string>,
): Promise<StoreResult> {
  const issues: Issues = []
  const records: SessionRecord[] = []
  const seen = new Set<string>()
  const sessionRoot = join(storage, 'session')
  for (const project of await projectDirs(sessionRoot, issues)) {
    const dir = join(sessionRoot, project)
    if (project === PRE_PROJECT_LAYOUT) {
      issues.push({
        file: dir,
        line: null,
        code: 'unsupported-format',
        message: 'pre-v0.4 layout (session/info, session/message): not read',
      })
      continue
    }
    for (const name of await listJson(dir, issues)) {
      const data = await readObject(join(dir, name), issues)
      if (!data) continue
      const id = str(data.id) ?? stem(name)
      if (skip.has(id) || seen.has(id)) continue
      seen.add(id)
      const time = asRecord(data.time)
      records.push({
        session: {
          id,
          parentId: str(data.parentID),
          title: str(data.title),
          directory: str(data.directory),
          version: str(data.version),
          createdAt: num(time?.created),
          updatedAt: num(time?.updated),
          modelId: null,
          providerId: null,
        },
        messages: await readMessages(storage, id, issues),
      })
    }
  }
  // Oldest first, as the database lists them (session ids descend, so never sort by id alone).
  const time = (r: SessionRecord) => r.session.createdAt ?? Number.POSITIVE_INFINITY
  records.sort((a, b) => time(a) - time(b) || (a.session.id < b.session.id ? -1 : 1))
  return { records, issues }
}
