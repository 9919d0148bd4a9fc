import { z } from 'zod'

/** Realtime events of `GET /api/events`, one discriminated union (dotted type names). */
export const serverEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('server.connected'), at: z.number() }),
  z.object({
    type: z.literal('session.updated'),
    at: z.number(),
    sessionId: z.string(),
    externalId: z.string(),
  }),
  z.object({ type: z.literal('session.deleted'), at: z.number(), sessionId: z.string() }),
  z.object({
    type: z.literal('message.created'),
    at: z.number(),
    sessionId: z.string(),
    messageId: z.string(),
    externalId: z.string(),
  }),
  z.object({
    type: z.literal('message.updated'),
    at: z.number(),
    sessionId: z.string(),
    messageId: z.string(),
    externalId: z.string(),
  }),
  z.object({
    type: z.literal('sync.completed'),
    at: z.number(),
    sessions: z.number(),
    messages: z.number(),
  }),
])
export type ServerEvent = z.infer<typeof serverEventSchema>
export type ServerEventType = ServerEvent['type']
