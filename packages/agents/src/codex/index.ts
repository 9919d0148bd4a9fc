import type { AgentReader, SessionSource } from '../reader.js'
import { codexRoots, discoverRollouts } from './paths.js'
import { readRollout } from './reader.js'

export { codexHome, codexRoots, discoverRollouts } from './paths.js'
export { readRollout } from './reader.js'

/**
 * Codex CLI (also Codex Desktop and the IDE extension): one rollout JSONL per thread under
 * `$CODEX_HOME` (default `~/.codex`), in `sessions/` and `archived_sessions/`.
 */
export const codexReader: AgentReader = {
  id: 'codex-cli',
  displayName: 'Codex CLI',
  roots: (env) => codexRoots(env),
  async *discover(env) {
    for (const root of codexRoots(env)) {
      for await (const path of discoverRollouts(root)) {
        const source: SessionSource = { agent: 'codex-cli', path, kind: 'file' }
        yield source
      }
    }
  },
  read: (source) => readRollout(source.path),
}
