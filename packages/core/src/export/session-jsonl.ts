import { messageJsonValue } from './session-json.js'
import type { SessionExport } from './types.js'

/**
 * Characters that JSON leaves raw but some line splitters treat as line breaks (NEL, LINE and
 * PARAGRAPH SEPARATOR, e.g. Python's `str.splitlines`). Escaping them keeps one record per line;
 * they parse back to the same characters.
 */
const LINE_BREAKERS = /[\u0085\u2028\u2029]/g

function escapeLineBreakers(json: string): string {
  return json.replace(LINE_BREAKERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/**
 * JSONL export: raw NDJSON (not upstream's `{ content, filename }` JSON wrapper). One line per
 * message, in order: `{ sessionId, sessionExternalId, sessionTitle, source, ...message }` where
 * the message keeps every wire field and its `parts`. Every line ends with `\n`; Unicode is
 * written as is. A session without messages contributes no line.
 */
export function sessionsToJsonl(items: readonly SessionExport[]): string {
  let out = ''
  for (const { session, messages } of items) {
    for (const message of messages) {
      const line = {
        sessionId: session.id,
        sessionExternalId: session.externalId,
        sessionTitle: session.title,
        source: session.source,
        ...messageJsonValue(message),
      }
      out += `${escapeLineBreakers(JSON.stringify(line))}\n`
    }
  }
  return out
}
