import { ampReader } from './amp/index.js'
import { claudeCodeReader } from './claude-code/index.js'
import { codexReader } from './codex/index.js'
import { copilotCliReader } from './copilot-cli/index.js'
import { cursorReader } from './cursor/index.js'
import { factoryDroidReader } from './factory-droid/index.js'
import { geminiCliReader } from './gemini-cli/index.js'
import { opencodeReader } from './opencode/index.js'
import { piReader } from './pi/index.js'
import type { AgentReader } from './reader.js'

/** Every agent reader, in the order the CLI lists them. Readers never import each other. */
export const READERS: readonly AgentReader[] = [
  claudeCodeReader,
  codexReader,
  opencodeReader,
  piReader,
  factoryDroidReader,
  cursorReader,
  geminiCliReader,
  copilotCliReader,
  ampReader,
]
