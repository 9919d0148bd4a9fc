// Claude Code transcript lines (2.1.x shape), for sessions the tests write or extend.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export type Line = Readonly<Record<string, unknown>>

const base = (sessionId: string, uuid: string, parentUuid: string | null, timestamp: string) => ({
  parentUuid,
  isSidechain: false,
  userType: 'external',
  cwd: '/home/dev/projects/demo',
  sessionId,
  version: '2.1.38',
  gitBranch: 'main',
  uuid,
  timestamp,
})

export function userLine(
  sessionId: string,
  uuid: string,
  parent: string | null,
  timestamp: string,
  content: unknown,
): Line {
  return {
    ...base(sessionId, uuid, parent, timestamp),
    type: 'user',
    message: { role: 'user', content },
  }
}

export function assistantLine(
  sessionId: string,
  uuid: string,
  parent: string | null,
  timestamp: string,
  messageId: string,
  content: readonly unknown[],
  usage = {
    input_tokens: 10,
    cache_creation_input_tokens: 100,
    cache_read_input_tokens: 1000,
    output_tokens: 20,
  },
): Line {
  return {
    ...base(sessionId, uuid, parent, timestamp),
    type: 'assistant',
    requestId: `req_${messageId}`,
    message: {
      model: 'claude-sonnet-4-5',
      id: messageId,
      type: 'message',
      role: 'assistant',
      content,
      usage,
    },
  }
}

export function writeLines(path: string, lines: readonly Line[]): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, lines.map((l) => `${JSON.stringify(l)}\n`).join(''))
}

export function appendLines(path: string, lines: readonly Line[]): void {
  appendFileSync(path, lines.map((l) => `${JSON.stringify(l)}\n`).join(''))
}
