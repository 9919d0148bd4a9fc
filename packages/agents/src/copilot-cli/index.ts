import type { AgentReader } from '../reader.js'
import { copilotRoots, discoverCopilotSessions } from './paths.js'
import { readCopilotSession } from './reader.js'

/** GitHub Copilot CLI: `~/.copilot/session-state/<id>/events.jsonl`, one event stream per session. */
export const copilotCliReader: AgentReader = {
  id: 'copilot-cli',
  displayName: 'GitHub Copilot CLI',
  roots: copilotRoots,
  discover: (env) => discoverCopilotSessions(copilotRoots(env)),
  read: (source) => readCopilotSession(source.path),
}
