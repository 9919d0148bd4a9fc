import type { AgentReader } from '../reader.js'
import { claudeCodeRoots, discoverClaudeCodeFiles } from './paths.js'
import { readClaudeCodeFile } from './reader.js'

/** Claude Code: `~/.claude/projects/<cwd-slug>/<sessionId>.jsonl` and its subagent files. */
export const claudeCodeReader: AgentReader = {
  id: 'claude-code',
  displayName: 'Claude Code',
  roots: (env) => claudeCodeRoots(env),
  discover: (env) => discoverClaudeCodeFiles(claudeCodeRoots(env)),
  read: readClaudeCodeFile,
}

export { CLAUDE_CONFIG_DIR_ENV, claudeCodeRoots, discoverClaudeCodeFiles } from './paths.js'
export { readClaudeCodeFile } from './reader.js'
export { claudeUsageToTokens } from './usage.js'
