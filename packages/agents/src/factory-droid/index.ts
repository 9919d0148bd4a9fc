import type { AgentReader } from '../reader.js'
import { discoverDroidSessions, droidRoots } from './paths.js'
import { readDroidSession } from './reader.js'

/** Factory Droid: `~/.factory/sessions/<slug>/<id>.jsonl` plus its `<id>.settings.json`. */
export const factoryDroidReader: AgentReader = {
  id: 'factory-droid',
  displayName: 'Factory Droid',
  roots: droidRoots,
  discover: (env) => discoverDroidSessions(droidRoots(env)),
  read: (source) => readDroidSession(source.path),
}
