import { AppError } from '@opensync/core'
import type { SearchQuery, SearchResult } from '@opensync/core/wire'
import type { Store } from './db.js'
import type { SearchPosition } from './dialect.js'

type Position = SearchPosition

function badCursor(): AppError {
  return new AppError('invalid-request', 'cursor is not one this server issued', {
    details: { issues: [{ path: 'cursor', message: 'is not a cursor this server issued' }] },
  })
}

function decodePosition(cursor: string | undefined): Position | null {
  if (!cursor) return null
  const [phase, raw] = Buffer.from(cursor, 'base64url').toString('utf8').split(':')
  const offset = Number(raw)
  if (
    !['ranked', 'prose', 'tools'].includes(phase ?? '') ||
    !Number.isInteger(offset) ||
    offset < 0
  ) {
    throw badCursor()
  }
  return { phase: phase as Position['phase'], offset }
}

function encodePosition(p: Position): string {
  return Buffer.from(`${p.phase}:${p.offset}`).toString('base64url')
}

/** `GET /api/search?type=fulltext` over messages or sessions, scoped to the user. */
export async function search(
  store: Store,
  userId: number,
  query: SearchQuery,
): Promise<{ results: SearchResult[]; nextCursor: string | null; order: 'relevance' | 'recent' }> {
  if (query.type !== 'fulltext') {
    throw new AppError(
      'not-configured',
      `Search type "${query.type}" needs embeddings, which are not configured on this server; use type=fulltext`,
    )
  }
  const position = decodePosition(query.cursor)
  let page: readonly {
    messageId: number | null
    sessionId: number | null
    score: number
    snippet: string
    matchedIn: SearchResult['matchedIn']
  }[]
  let next: Position | null
  let order: 'relevance' | 'recent' = 'relevance'
  if (query.scope === 'messages') {
    const found = await store.searchMessages({
      userId,
      query: query.q,
      limit: query.limit,
      position,
    })
    page = found.hits.map((h) => ({ ...h, sessionId: null }))
    next = found.next
    order = found.order
  } else {
    if (position && position.phase !== 'ranked') throw badCursor()
    const offset = position?.offset ?? 0
    const hits = await store.searchSessions({
      userId,
      query: query.q,
      limit: query.limit + 1,
      offset,
    })
    page = hits.slice(0, query.limit)
    next = hits.length > query.limit ? { phase: 'ranked', offset: offset + query.limit } : null
  }
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
  return { results, nextCursor: next ? encodePosition(next) : null, order }
}
