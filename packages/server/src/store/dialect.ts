import type { Kysely, Migration, RawBuilder } from 'kysely'
import type { Database } from './schema.js'

export type IndexedMessage = {
  readonly id: number
  /** Prose: the message text and its reasoning. */
  readonly body: string
  /** Tool calls and results: searchable, ranked below prose. */
  readonly tools: string
}

export type MessageHit = {
  readonly messageId: number
  readonly score: number
  readonly snippet: string
  readonly matchedIn: 'text' | 'tool'
}

/** Where a search page starts: relevance-ranked offset, or a phase of the newest-first path. */
export type SearchPosition = {
  readonly phase: 'ranked' | 'prose' | 'tools'
  readonly offset: number
}

export type MessagePage = {
  readonly hits: readonly MessageHit[]
  /** Where the next page starts; null at the end. */
  readonly next: SearchPosition | null
  /** 'relevance' when every match was ranked by bm25, 'recent' when the query was too broad. */
  readonly order: 'relevance' | 'recent'
}

export type SessionHit = {
  readonly sessionId: number
  readonly messageId: number | null
  readonly score: number
  readonly snippet: string
  readonly matchedIn: 'title' | 'text' | 'tool'
}

export type SearchParams = {
  readonly userId: number
  readonly query: string
  readonly limit: number
  readonly offset: number
}

export type MessageSearchParams = {
  readonly userId: number
  readonly query: string
  readonly limit: number
  readonly position: SearchPosition | null
}

/**
 * What differs between databases: driver, pragmas, full-text search. Everything else in the
 * store is dialect-agnostic Kysely (SPEC §9).
 */
export type Dialect = {
  readonly name: 'sqlite' | 'postgres'
  readonly db: Kysely<Database>
  /** The dialect's own frozen migrations (search indexes), merged with the shared ones by name. */
  readonly migrations: Readonly<Record<string, Migration>>
  /**
   * Bulk insert on the hot ingest path (SQLite: cached prepared statements, one row each).
   * Returns the new rows' ids in input order when `returnIds` is set. Must run inside `trx`.
   */
  insertRows<T extends keyof Database>(
    trx: Kysely<Database>,
    table: T,
    rows: readonly Readonly<Record<string, unknown>>[],
    returnIds?: boolean,
  ): Promise<number[]>
  /** Indexes messages for search; `fresh` rows were never indexed (nothing to replace). */
  indexMessages(
    trx: Kysely<Database>,
    rows: readonly IndexedMessage[],
    fresh?: boolean,
  ): Promise<void>
  unindexMessages(trx: Kysely<Database>, ids: readonly number[]): Promise<void>
  indexSessionTitle(trx: Kysely<Database>, id: number, title: string | null): Promise<void>
  unindexSessions(trx: Kysely<Database>, ids: readonly number[]): Promise<void>
  searchMessages(params: MessageSearchParams): Promise<MessagePage>
  searchSessions(params: SearchParams): Promise<SessionHit[]>
  /** A `sessions.id IN (…)` condition for the `q` filter of session lists. */
  sessionsMatching(userId: number, query: string): RawBuilder<boolean>
  /** False when the query has no searchable words (then there is nothing to match). */
  hasSearchTerms(query: string): boolean
  /** Scalar minimum/maximum of two values (SQLite `min`/`max`, PostgreSQL `LEAST`/`GREATEST`). */
  least(a: RawBuilder<number> | number, b: RawBuilder<number> | number): RawBuilder<number>
  greatest(a: RawBuilder<number> | number, b: RawBuilder<number> | number): RawBuilder<number>
  close(): Promise<void>
}
