import { z } from 'zod'
import { limitSchema } from './sessions.js'

export const searchQuerySchema = z.object({
  q: z.string({ error: 'is required' }).trim().min(1, 'is required'),
  type: z.enum(['fulltext', 'semantic', 'hybrid']).default('fulltext'),
  scope: z.enum(['sessions', 'messages']).default('messages'),
  limit: limitSchema(100, 20),
  cursor: z.string().optional(),
})
export type SearchQuery = z.infer<typeof searchQuerySchema>

export const searchResultSchema = z.object({
  score: z.number(),
  /** Text around the match, matches wrapped in `[[` and `]]` (plain text, never HTML). */
  snippet: z.string(),
  matchedIn: z.enum(['title', 'text', 'tool']),
  sessionId: z.string(),
  sessionExternalId: z.string(),
  sessionTitle: z.string().nullable(),
  messageId: z.string().nullable(),
  messageExternalId: z.string().nullable(),
  role: z.string().nullable(),
  source: z.string().nullable(),
  createdAt: z.number().nullable(),
})
export type SearchResult = z.infer<typeof searchResultSchema>

export const searchResponseSchema = z.object({
  results: z.array(searchResultSchema),
  nextCursor: z.string().nullable(),
  /**
   * `relevance`: every match ranked by bm25. `recent`: the query matched too many messages to
   * rank them all quickly, so results are newest first, prose before tool output.
   */
  order: z.enum(['relevance', 'recent']),
})
