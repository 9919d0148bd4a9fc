import type { AgentReader } from '../reader.js'
import { discoverPiSessions, piRoots } from './paths.js'
import { readPiSession } from './reader.js'

/** pi (badlogic/pi-mono coding agent): one JSONL file per session, v1–v3. */
export const piReader: AgentReader = {
  id: 'pi',
  displayName: 'pi',
  roots: piRoots,
  discover: (env) => discoverPiSessions(piRoots(env)),
  read: (source) => readPiSession(source.path),
}
