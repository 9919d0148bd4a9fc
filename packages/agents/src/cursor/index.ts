import type { AgentReader } from '../reader.js'
import { cursorRoots, discoverCursorSessions } from './paths.js'
import { readCursorSession } from './reader.js'

/** Cursor CLI (`agent`): `~/.cursor/projects/<slug>/agent-transcripts/<id>.jsonl`. */
export const cursorReader: AgentReader = {
  id: 'cursor-sync',
  displayName: 'Cursor',
  roots: cursorRoots,
  discover: (env) => discoverCursorSessions(cursorRoots(env)),
  read: (source) => readCursorSession(source.path),
}
