import { dirname } from 'node:path'
import type {
  AgentReader,
  Env,
  NormalizedSession,
  ReadIssue,
  ReadResult,
  SessionSource,
} from '../reader.js'
import { readStorage } from './json-store.js'
import { normalizeSession } from './normalize.js'
import { databasesIn, legacyStorageDir, opencodeDatabases, opencodeDataDir } from './paths.js'
import { databaseSessionIds, readDatabase, type StoreResult } from './sqlite-store.js'

function normalizeAll(result: StoreResult, file: string): ReadResult {
  const issues: ReadIssue[] = [...result.issues]
  const sessions: NormalizedSession[] = []
  for (const record of result.records) {
    try {
      sessions.push(normalizeSession(record))
    } catch (error) {
      issues.push({
        file,
        line: null,
        code: 'invalid-record',
        message: `session ${record.session.id}: ${(error as Error).message}`,
      })
    }
  }
  return { sessions, issues }
}

/**
 * The ids every database next to a legacy tree holds. The v1.2 migration copied the JSON
 * sessions into the database and left the files: the database copy is the live one. When a
 * database can't be read, the tree is not read either (its sessions might be stale copies).
 */
function idsInDatabases(dataDir: string): { ids: Set<string> } | { issue: ReadIssue } {
  const ids = new Set<string>()
  for (const path of databasesIn(dataDir)) {
    try {
      for (const id of databaseSessionIds(path)) ids.add(id)
    } catch (error) {
      const message = `cannot list the database's sessions, so the legacy tree is not read: ${
        (error as Error).message
      }`
      return { issue: { file: path, line: null, code: 'unreadable', message } }
    }
  }
  return { ids }
}

async function readLegacyTree(storage: string): Promise<ReadResult> {
  const known = idsInDatabases(dirname(storage))
  if ('issue' in known) return { sessions: [], issues: [known.issue] }
  return normalizeAll(await readStorage(storage, known.ids), storage)
}

function roots(env: Env): readonly string[] {
  return [opencodeDataDir(env)]
}

/**
 * OpenCode (agent-formats §3). Two storage generations, both read: the SQLite database of
 * v1.2.0+ (`opencode.db`, channel builds' `opencode-<channel>.db`, `OPENCODE_DB`), one
 * `database` source each; and the JSON `storage/` tree of earlier versions, one `directory`
 * source, minus the sessions a database beside it also holds.
 */
export const opencodeReader: AgentReader = {
  id: 'opencode',
  displayName: 'OpenCode',
  roots,
  async *discover(env: Env): AsyncIterable<SessionSource> {
    for (const root of roots(env)) {
      for (const path of opencodeDatabases(root, env)) {
        yield { agent: 'opencode', path, kind: 'database' }
      }
      const storage = legacyStorageDir(root)
      if (storage) yield { agent: 'opencode', path: storage, kind: 'directory' }
    }
  },
  async read(source: SessionSource): Promise<ReadResult> {
    if (source.kind === 'database') return normalizeAll(readDatabase(source.path), source.path)
    if (source.kind === 'directory') return readLegacyTree(source.path)
    return {
      sessions: [],
      issues: [
        {
          file: source.path,
          line: null,
          code: 'unsupported-format',
          message: 'OpenCode sources are a database or the storage/ directory',
        },
      ],
    }
  },
}
