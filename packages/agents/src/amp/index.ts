import type { AgentReader } from '../reader.js'
import { ampRoots, discoverAmpThreads } from './paths.js'
import { readAmpThread } from './reader.js'

/** Amp: `~/.local/share/amp/threads/T-<uuid>.json`, one JSON document per thread. */
export const ampReader: AgentReader = {
  id: 'amp',
  displayName: 'Amp',
  roots: ampRoots,
  discover: (env) => discoverAmpThreads(ampRoots(env)),
  read: (source) => readAmpThread(source.path),
}
