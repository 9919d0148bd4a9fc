import type { SessionFilter } from '@opensync/core/wire'
import { normalizeSource } from '@opensync/core/wire'
import { type SelectQueryBuilder, sql } from 'kysely'
import type { Store } from './db.js'
import type { Database } from './schema.js'

type SessionQuery<O> = SelectQueryBuilder<Database, 'sessions', O>

/** Comma-separated filter values: `source=claude-code,codex-cli`. */
export function listOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
}

/** The session instant used for date filters and daily session counts. */
export const SESSION_TIME = sql<number>`coalesce(sessions.started_at, sessions.created_at)`

/** Applies the SPEC §5.2 filters to a query over `sessions`, always scoped to the user. */
export function filterSessions<O>(
  qb: SessionQuery<O>,
  store: Store,
  userId: number,
  f: SessionFilter,
): SessionQuery<O> {
  let q = qb.where('sessions.user_id', '=', userId)
  const sources = listOf(f.source).map((s) => normalizeSource(s) ?? s)
  if (sources.length > 0) q = q.where('sessions.source', 'in', sources)
  const projects = listOf(f.project)
  if (projects.length > 0) {
    q = q.where((eb) =>
      eb.or([
        eb('sessions.project_name', 'in', projects),
        eb('sessions.project_path', 'in', projects),
      ]),
    )
  }
  const models = listOf(f.model)
  if (models.length > 0) q = q.where('sessions.model', 'in', models)
  const providers = listOf(f.provider)
  if (providers.length > 0) q = q.where('sessions.provider', 'in', providers)
  const machines = listOf(f.machine)
  if (machines.length > 0) q = q.where('sessions.machine', 'in', machines)
  if (f.from !== undefined) q = q.where(SESSION_TIME, '>=', f.from)
  if (f.to !== undefined) q = q.where(SESSION_TIME, '<=', f.to)
  if (f.evalReady !== undefined) q = q.where('sessions.eval_ready', '=', f.evalReady ? 1 : 0)
  if (f.evalStatus !== undefined) q = q.where('sessions.eval_status', '=', f.evalStatus)
  const tags = listOf(f.tag)
  if (tags.length > 0) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('session_tags')
          .select('session_tags.tag')
          .whereRef('session_tags.session_id', '=', 'sessions.id')
          .where('session_tags.tag', 'in', tags),
      ),
    )
  }
  if (f.q !== undefined) {
    q = store.hasSearchTerms(f.q)
      ? q.where(store.sessionsMatching(userId, f.q))
      : q.where(sql<boolean>`1 = 0`)
  }
  return q
}
