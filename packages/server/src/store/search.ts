import { AppError } from '@opensync/core'
import type { SearchQuery, SearchResult } from '@opensync/core/wire'
import type { Store } from './db.js'

function decodeOffset(cursor: string | undefined): number {
  if (!cursor) return 0
  const n = Number(Buffer.from(cursor, 'base64url').toString('utf8'))
  if (!Number.isInteger(n) || n < 0 || n > 100_000) {
    throw new AppError('invalid-request', 'cursor is not one this server issued', {
      details: { issues: [{ path: 'cursor', message: 'is not a cursor this server issued' }] },
    })
  }
  return n
}

function encodeOffset(n: number): string {
  return Buffer.from(String(n)).toString('base64url')
}

/** `GET /api/search?type=fulltext` over messages or sessions, scoped to the user. */
export async function search(
  store: Store,
  userId: number,
  query: SearchQuery,
): Promise<{ results: SearchResult[]; nextCursor: string | null }> {
  if (query.type !== 'fulltext') {
    throw new AppError(
      'not-configured',
      `Search type "${query.type}" needs embeddings, which are not configured on this server; use type=fulltext`,
    )
  }
  const offset = decodeOffset(query.cursor)
  const params = { userId, query: query.q, limit: query.limit + 1, offset }
  const hits =
    query.scope === 'messages'
      ? (await store.searchMessages(params)).map((h) => ({
          ...h,
          sessionId: null as number | null,
        }))
      : await store.searchSessions(params)
  const page = hits.slice(0, query.limit)
  const messageIds = page.map((h) => h.messageId).filter((id): id is number => id !== null)
  const messages = new Map(
    (messageIds.length === 0
      ? []
      : await store.db
          .selectFrom('messages')
          .select(['id', 'session_id', 'external_id', 'role', 'created_at'])
          .where('user_id', '=', userId)
          .where('id', 'in', messageIds)
          .execute()
    ).map((m) => [m.id, m]),
  )
  const sessionIds = [
    ...new Set(
      page
        .map(
          (h) =>
            h.sessionId ?? (h.messageId !== null ? messages.get(h.messageId)?.session_id : null),
        )
        .filter((id): id is number => typeof id === 'number'),
    ),
  ]
  const sessions = new Map(
    (sessionIds.length === 0
      ? []
      : await store.db
          .selectFrom('sessions')
          .select(['id', 'external_id', 'title', 'source', 'started_at', 'created_at'])
          .where('user_id', '=', userId)
          .where('id', 'in', sessionIds)
          .execute()
    ).map((s) => [s.id, s]),
  )
  const results: SearchResult[] = []
  for (const h of page) {
    const message = h.messageId !== null ? messages.get(h.messageId) : undefined
    const session = sessions.get(h.sessionId ?? message?.session_id ?? -1)
    if (!session) continue
    results.push({
      score: h.score,
      snippet: h.snippet,
      matchedIn: h.matchedIn,
      sessionId: String(session.id),
      sessionExternalId: session.external_id,
      sessionTitle: session.title,
      messageId: message ? String(message.id) : null,
      messageExternalId: message?.external_id ?? null,
      role: message?.role ?? null,
      source: session.source,
      createdAt: message?.created_at ?? session.started_at ?? session.created_at,
    })
  }
  return {
    results,
    nextCursor: hits.length > query.limit ? encodeOffset(offset + query.limit) : null,
  }
}
