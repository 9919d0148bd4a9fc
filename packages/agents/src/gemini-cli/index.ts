import type { AgentReader } from '../reader.js'
import { discoverGeminiSessions, geminiRoots } from './paths.js'
import { readGeminiSession } from './reader.js'

/** Gemini CLI: `~/.gemini/tmp/<project>/chats/session-*.json` (legacy) or `.jsonl` (replay log). */
export const geminiCliReader: AgentReader = {
  id: 'gemini-cli',
  displayName: 'Gemini CLI',
  roots: geminiRoots,
  discover: (env) => discoverGeminiSessions(geminiRoots(env)),
  read: (source) => readGeminiSession(source.path),
}
