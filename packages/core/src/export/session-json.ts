import type { Message, Session } from '../wire/sessions.js'
import { messageSchema, sessionSchema } from '../wire/sessions.js'
import type { SessionExport } from './types.js'

const SESSION_KEYS = Object.keys(sessionSchema.shape) as readonly (keyof Session)[]
const MESSAGE_KEYS = Object.keys(messageSchema.shape) as readonly (keyof Message)[]

/**
 * Copies exactly the wire fields, in wire order: a database row passed in with extra columns
 * (a user id, say) cannot leak into a download.
 */
function pick<T extends object>(value: T, keys: readonly (keyof T)[]): Partial<T> {
  const out: Partial<T> = {}
  for (const key of keys) {
    if (value[key] !== undefined) out[key] = value[key]
  }
  return out
}

/** A session as exported: every `Session` field, then `messages` (each with its `parts`). */
export type SessionJson = Session & { readonly messages: readonly Message[] }

export function sessionJsonValue(item: SessionExport): SessionJson {
  return {
    ...(pick(item.session, SESSION_KEYS) as Session),
    messages: item.messages.map((m) => pick(m, MESSAGE_KEYS) as Message),
  }
}

/** The message fields of a JSONL line (`sessionId` is given by the line's session prefix). */
export function messageJsonValue(message: Message): Omit<Message, 'sessionId'> {
  const { sessionId: _sessionId, ...rest } = pick(message, MESSAGE_KEYS) as Message
  return rest
}

/**
 * JSON export, lossless: parsing it back gives the same sessions, messages and parts.
 * One session → a single object; any other count → an array (so `[]` for none).
 * Pretty-printed with two spaces, ending with a newline.
 */
export function sessionsToJson(items: readonly SessionExport[]): string {
  const [only] = items
  const value =
    items.length === 1 && only !== undefined ? sessionJsonValue(only) : items.map(sessionJsonValue)
  return `${JSON.stringify(value, null, 2)}\n`
}
