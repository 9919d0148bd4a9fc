import { inferProvider, microsToDollars } from '@opensync/core'
import {
  type AnalyticsDimension,
  type AnalyticsRow,
  normalizeSource,
  type SessionFilter,
  type StatsResponse,
  type Tokens,
  totalTokens,
} from '@opensync/core/wire'
import { type RawBuilder, type SelectQueryBuilder, sql } from 'kysely'
import type { Store } from './db.js'
import type { Database } from './schema.js'
import { filterSessions, listOf, SESSION_TIME } from './session-filter.js'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

type Sums = {
  messages: number
  requests: number
  input_tokens: number
  output_tokens: number
  cache_read_tokens: number
  cache_write_5m_tokens: number
  cache_write_1h_tokens: number
  reasoning_tokens: number
  cost_micros: number
  unpriced_tokens: number
}

const SUM_COLUMNS = [
  'messages',
  'requests',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_5m_tokens',
  'cache_write_1h_tokens',
  'reasoning_tokens',
  'cost_micros',
  'unpriced_tokens',
] as const

/** Filters the rollups can answer; others (machine, eval fields, tags, q) need the sessions. */
function rollupCanAnswer(f: SessionFilter): boolean {
  return (
    f.machine === undefined &&
    f.evalReady === undefined &&
    f.evalStatus === undefined &&
    f.tag === undefined &&
    f.q === undefined
  )
}

const GROUP_COLUMN: Readonly<Record<Exclude<AnalyticsDimension, 'daily'>, string>> = {
  models: 'model',
  projects: 'project',
  sources: 'source',
  providers: 'provider',
}

/** `usage_hourly` rows of the user matching the filters the rollups can answer. */
function rollupQuery(store: Store, userId: number, f: SessionFilter) {
  let q = store.db.selectFrom('usage_hourly').where('user_id', '=', userId)
  const sources = listOf(f.source).map((s) => normalizeSource(s) ?? s)
  if (sources.length > 0) q = q.where('source', 'in', sources)
  const projects = listOf(f.project)
  if (projects.length > 0) q = q.where('project', 'in', projects)
  const models = listOf(f.model)
  if (models.length > 0) q = q.where('model', 'in', models)
  const providers = listOf(f.provider)
  if (providers.length > 0) q = q.where('provider', 'in', providers)
  if (f.from !== undefined) q = q.where('hour', '>=', Math.floor(f.from / HOUR_MS))
  if (f.to !== undefined) q = q.where('hour', '<=', Math.floor(f.to / HOUR_MS))
  return q
}

/**
 * Sums of messages and usage grouped by `group` (a rollup column or the UTC hour). Uses the
 * hourly rollups when the filters allow, else aggregates the messages of matching sessions.
 */
async function sums(
  store: Store,
  userId: number,
  f: SessionFilter,
  group: 'model' | 'project' | 'source' | 'provider' | LocalDays | null,
): Promise<(Sums & { key: string | number | null })[]> {
  if (rollupCanAnswer(f)) {
    const q = rollupQuery(store, userId, f).select((eb) =>
      SUM_COLUMNS.map((c) => eb.fn.sum<number>(c).as(c)),
    )
    const grouped =
      group === null
        ? q.select(sql<null>`null`.as('key'))
        : typeof group === 'string'
          ? q.select(sql.ref<string | number>(group).as('key')).groupBy(group)
          : q.select(localDayOf(sql<number>`hour`, group).as('key')).groupBy(sql`key`)
    const rows = await grouped.execute()
    return rows.map(numeric)
  }
  // Slow path: join messages of the filtered sessions.
  const base = filterSessions(
    store.db
      .selectFrom('sessions')
      .innerJoin('messages as m', 'm.session_id', 'sessions.id')
      .leftJoin('usage as u', 'u.message_id', 'm.id') as unknown as SelectQueryBuilder<
      Database,
      'sessions',
      object
    >,
    store,
    userId,
    { ...f, from: undefined, to: undefined },
  )
  const keyExpr: RawBuilder<unknown> =
    group !== null && typeof group !== 'string'
      ? localDayOf(sql<number>`m.created_at / ${HOUR_MS}`, group)
      : group === 'model'
        ? sql<string>`coalesce(u.model, m.model, sessions.model, '')`
        : group === 'provider'
          ? sql<string>`coalesce(u.provider, m.provider, sessions.provider, '')`
          : group === 'project'
            ? sql<string>`coalesce(sessions.project_name, sessions.project_path, '')`
            : group === 'source'
              ? sql<string>`coalesce(sessions.source, '')`
              : sql<null>`null`
  const rows = await base
    .select([
      keyExpr.as('key'),
      sql<number>`count(m.id)`.as('messages'),
      sql<number>`count(u.message_id)`.as('requests'),
      sql<number>`coalesce(sum(u.input_tokens), 0)`.as('input_tokens'),
      sql<number>`coalesce(sum(u.output_tokens), 0)`.as('output_tokens'),
      sql<number>`coalesce(sum(u.cache_read_tokens), 0)`.as('cache_read_tokens'),
      sql<number>`coalesce(sum(u.cache_write_5m_tokens), 0)`.as('cache_write_5m_tokens'),
      sql<number>`coalesce(sum(u.cache_write_1h_tokens), 0)`.as('cache_write_1h_tokens'),
      sql<number>`coalesce(sum(u.reasoning_tokens), 0)`.as('reasoning_tokens'),
      sql<number>`coalesce(sum(u.cost_micros), 0)`.as('cost_micros'),
      sql<number>`coalesce(sum(case when u.price_status = 'unpriced' then u.input_tokens + u.output_tokens + u.cache_read_tokens + u.cache_write_5m_tokens + u.cache_write_1h_tokens else 0 end), 0)`.as(
        'unpriced_tokens',
      ),
    ])
    .$if(group !== null, (qb) => qb.groupBy(sql`key`))
    .$if(f.from !== undefined, (qb) => qb.where('m.created_at' as never, '>=', f.from as never))
    .$if(f.to !== undefined, (qb) => qb.where('m.created_at' as never, '<=', f.to as never))
    .execute()
  return rows.map(numeric)
}

function numeric(row: Readonly<Record<string, unknown>>): Sums & { key: string | number | null } {
  const r = row
  const out: Record<string, unknown> = { key: r.key ?? null }
  for (const c of SUM_COLUMNS) out[c] = Number(r[c] ?? 0)
  return out as Sums & { key: string | number | null }
}

const EMPTY: Sums = numeric({ key: null })

function tokensOf(s: Sums): Tokens {
  return {
    input: s.input_tokens,
    output: s.output_tokens,
    cacheRead: s.cache_read_tokens,
    cacheWrite5m: s.cache_write_5m_tokens,
    cacheWrite1h: s.cache_write_1h_tokens,
    reasoning: s.reasoning_tokens,
  }
}

async function unpricedModels(store: Store, userId: number, f: SessionFilter): Promise<string[]> {
  const requests = rollupCanAnswer(f)
    ? await rollupQuery(store, userId, f)
        .select(sql<string>`case when model = '' then 'unknown' else model end`.as('model'))
        .distinct()
        .where('unpriced_requests', '>', 0)
        .execute()
    : await filterSessions(
        store.db
          .selectFrom('sessions')
          .innerJoin('usage as u', 'u.session_id', 'sessions.id')
          .select(sql<string>`coalesce(u.model, 'unknown')`.as('model'))
          .distinct() as unknown as SelectQueryBuilder<Database, 'sessions', { model: string }>,
        store,
        userId,
        f,
      )
        .where(sql<boolean>`u.price_status = 'unpriced'`)
        .execute()
  // Sessions with only reported tokens and no reported cost are unpriced too.
  const reported = await filterSessions(
    store.db
      .selectFrom('sessions')
      .select(sql<string>`coalesce(sessions.model, 'unknown')`.as('model'))
      .distinct(),
    store,
    userId,
    f,
  )
    .where('sessions.usage_requests', '=', 0)
    .where('sessions.reported_cost_micros', 'is', null)
    .where(
      sql<boolean>`coalesce(sessions.reported_prompt_tokens, 0) + coalesce(sessions.reported_completion_tokens, 0) > 0`,
    )
    .execute()
  return [...new Set([...requests, ...reported].map((r) => r.model))].sort()
}

/** Tokens without a price (requests, and legacy sessions that reported no cost) and their models. */
export async function unpricedSummary(
  store: Store,
  userId: number,
  f: SessionFilter,
  /** Unpriced request tokens when the caller already summed them (saves a rollup scan). */
  requestTokens?: number,
): Promise<{ tokens: number; models: string[] }> {
  const total =
    requestTokens === undefined
      ? (await sums(store, userId, f, null))[0]
      : { unpriced_tokens: requestTokens }
  const reported = await filterSessions(
    store.db
      .selectFrom('sessions')
      .select(
        sql<number>`coalesce(sum(coalesce(sessions.reported_prompt_tokens, 0) + coalesce(sessions.reported_completion_tokens, 0)), 0)`.as(
          'tokens',
        ),
      ),
    store,
    userId,
    f,
  )
    .where('sessions.usage_requests', '=', 0)
    .where('sessions.reported_cost_micros', 'is', null)
    .executeTakeFirstOrThrow()
  return {
    tokens: (total?.unpriced_tokens ?? 0) + Number(reported.tokens),
    models: await unpricedModels(store, userId, f),
  }
}

/** `GET /api/stats` (SPEC §5.2). */
export async function stats(
  store: Store,
  userId: number,
  f: SessionFilter,
): Promise<StatsResponse> {
  const sessionAgg = await filterSessions(
    store.db
      .selectFrom('sessions')
      .select([
        sql<number>`count(*)`.as('sessions'),
        sql<number>`coalesce(sum(coalesce(sessions.duration_ms, sessions.ended_at - sessions.started_at, 0)), 0)`.as(
          'duration',
        ),
        sql<number>`coalesce(sum(case when sessions.usage_requests = 0 then coalesce(sessions.reported_prompt_tokens, 0) + coalesce(sessions.reported_completion_tokens, 0) else 0 end), 0)`.as(
          'reported_tokens',
        ),
        sql<number>`coalesce(sum(case when sessions.usage_requests = 0 then coalesce(sessions.reported_cost_micros, 0) else 0 end), 0)`.as(
          'reported_cost',
        ),
        sql<number>`coalesce(sum(case when sessions.usage_requests = 0 and sessions.reported_cost_micros is null then coalesce(sessions.reported_prompt_tokens, 0) + coalesce(sessions.reported_completion_tokens, 0) else 0 end), 0)`.as(
          'reported_unpriced_tokens',
        ),
      ]),
    store,
    userId,
    f,
  ).executeTakeFirstOrThrow()
  const byModel = await sums(store, userId, f, 'model')
  const total = byModel.reduce((acc, row) => addInto(acc, row), { ...EMPTY })
  const modelSessions = await filterSessions(
    store.db
      .selectFrom('sessions')
      .select([
        sql<string>`coalesce(sessions.model, '')`.as('model'),
        sql<number>`count(*)`.as('n'),
      ])
      .groupBy(sql`1`),
    store,
    userId,
    f,
  ).execute()
  const sessionsByModel = new Map(modelSessions.map((r) => [r.model, Number(r.n)]))
  const tokens = tokensOf(total)
  const costMicros = total.cost_micros + Number(sessionAgg.reported_cost)
  const modelUsage: StatsResponse['modelUsage'] = {}
  for (const row of byModel) {
    if (row.messages === 0 && row.requests === 0) continue
    const name = String(row.key || 'unknown')
    modelUsage[name] = {
      tokens: totalTokens(tokensOf(row)),
      cost: microsToDollars(row.cost_micros),
      sessions: sessionsByModel.get(String(row.key ?? '')) ?? 0,
    }
  }
  return {
    sessionCount: Number(sessionAgg.sessions),
    messageCount: total.messages,
    totalTokens: totalTokens(tokens) + Number(sessionAgg.reported_tokens),
    totalCost: microsToDollars(costMicros),
    totalDurationMs: Number(sessionAgg.duration),
    modelUsage,
    tokens,
    unpriced: {
      tokens: total.unpriced_tokens + Number(sessionAgg.reported_unpriced_tokens),
      models: await unpricedModels(store, userId, f),
    },
  }
}

/** A zone's UTC offset in minutes from `startHour` (UTC hours since the epoch) on. */
export type OffsetSegment = { readonly startHour: number; readonly offsetMinutes: number }
/** How to cut UTC hours into a zone's calendar days. */
export type LocalDays = { readonly segments: readonly OffsetSegment[] }

function offsetFinder(tz: string): (hour: number) => number {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  })
  return (hour) => {
    const ms = hour * HOUR_MS
    const p = Object.fromEntries(parts.formatToParts(ms).map((x) => [x.type, x.value]))
    const local = Date.UTC(
      Number(p.year),
      Number(p.month) - 1,
      Number(p.day),
      Number(p.hour),
      Number(p.minute),
    )
    return Math.round((local - ms) / 60_000)
  }
}

/**
 * The zone's offsets over [fromHour, toHour]: sampled once per day, with each change located to
 * the hour by bisection (about two changes a year, where the zone has DST).
 */
export function offsetSegments(tz: string, fromHour: number, toHour: number): OffsetSegment[] {
  const offsetAt = offsetFinder(tz)
  const segments: OffsetSegment[] = [{ startHour: fromHour, offsetMinutes: offsetAt(fromHour) }]
  let previous = fromHour
  for (let hour = fromHour + 24; ; hour += 24) {
    const at = Math.min(hour, toHour)
    const current = segments[segments.length - 1] as OffsetSegment
    if (offsetAt(at) !== current.offsetMinutes) {
      let lo = previous
      let hi = at
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2)
        if (offsetAt(mid) === current.offsetMinutes) lo = mid
        else hi = mid
      }
      segments.push({ startHour: hi, offsetMinutes: offsetAt(hi) })
    }
    if (at >= toHour) return segments
    previous = at
  }
}

/** SQL: the local day number (days since the epoch, in the zone) of a UTC-hour expression. */
function localDayOf(hour: RawBuilder<number>, days: LocalDays): RawBuilder<number> {
  const [first, ...rest] = days.segments
  const offset =
    rest.length === 0
      ? sql<number>`${sql.lit(first?.offsetMinutes ?? 0)}`
      : sql<number>`(CASE ${sql.join(
          [first, ...rest.slice(0, -1)].map(
            (seg, i) =>
              sql`WHEN ${hour} < ${sql.lit((rest[i] as OffsetSegment).startHour)} THEN ${sql.lit((seg as OffsetSegment).offsetMinutes)}`,
          ),
          sql` `,
        )} ELSE ${sql.lit((rest[rest.length - 1] as OffsetSegment).offsetMinutes)} END)`
  return sql<number>`((${hour}) * 60 + ${offset}) / 1440`
}

function dayKey(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10)
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

function toRow(key: string, s: Sums, sessions: number): AnalyticsRow {
  const tokens = tokensOf(s)
  const prompt = tokens.input + tokens.cacheRead + tokens.cacheWrite5m + tokens.cacheWrite1h
  return {
    key,
    sessions,
    messages: s.messages,
    requests: s.requests,
    tokens,
    totalTokens: totalTokens(tokens),
    cost: microsToDollars(s.cost_micros),
    costMicros: s.cost_micros,
    unpricedTokens: s.unpriced_tokens,
    cacheHitRatio: prompt === 0 ? null : tokens.cacheRead / prompt,
  }
}

/** Adds `b` into `a` (a is a fresh accumulator owned by the caller). */
function addInto(a: Sums, b: Sums): Sums {
  for (const c of SUM_COLUMNS) a[c] += b[c]
  return a
}

/** `GET /api/analytics/:dimension` (SPEC §5.2): rollup rows, days in `tz`, zero-filled. */
export async function analytics(
  store: Store,
  userId: number,
  dimension: AnalyticsDimension,
  f: SessionFilter,
  tz: string,
): Promise<AnalyticsRow[]> {
  if (dimension === 'daily') return daily(store, userId, f, tz)
  const column = GROUP_COLUMN[dimension] as 'model' | 'project' | 'source' | 'provider'
  const rows = await sums(store, userId, f, column)
  const counts = await sessionCounts(store, userId, f, column)
  const merged = new Map<string, Sums>()
  for (const r of rows) {
    const key = String(r.key ?? '')
    merged.set(key, addInto(merged.get(key) ?? { ...EMPTY }, r))
  }
  for (const key of counts.keys()) if (!merged.has(key)) merged.set(key, EMPTY)
  return [...merged]
    .filter(([key, s]) => s.messages > 0 || s.requests > 0 || (counts.get(key) ?? 0) > 0)
    .map(([key, s]) => toRow(key || 'unknown', s, counts.get(key) ?? 0))
    .sort((a, b) => b.costMicros - a.costMicros || b.totalTokens - a.totalTokens)
}

/** Sessions per group key; providers are the effective ones, as in the message rollups. */
async function sessionCounts(
  store: Store,
  userId: number,
  f: SessionFilter,
  column: 'model' | 'project' | 'source' | 'provider',
): Promise<Map<string, number>> {
  const keyExpr =
    column === 'project'
      ? sql<string>`coalesce(sessions.project_name, sessions.project_path, '')`
      : column === 'provider'
        ? sql<string>`coalesce(sessions.provider, '')`
        : sql<string>`coalesce(${sql.ref(`sessions.${column}`)}, '')`
  const rows = await filterSessions(
    store.db
      .selectFrom('sessions')
      .select([
        keyExpr.as('key'),
        sql<string | null>`sessions.model`.as('model'),
        sql<number>`count(*)`.as('n'),
      ])
      .groupBy(sql`1, 2`),
    store,
    userId,
    f,
  ).execute()
  const counts = new Map<string, number>()
  for (const row of rows) {
    const key =
      column === 'provider' ? (inferProvider(row.model, row.key || null) ?? row.key) : row.key
    counts.set(key, (counts.get(key) ?? 0) + Number(row.n))
  }
  return counts
}

async function daily(
  store: Store,
  userId: number,
  f: SessionFilter,
  tz: string,
): Promise<AnalyticsRow[]> {
  const range = await hourRange(store, userId, f)
  if (!range) return []
  const days: LocalDays = { segments: offsetSegments(tz, range.from, range.to) }
  const byDay = await sums(store, userId, f, days)
  const sessionDays = await filterSessions(
    store.db
      .selectFrom('sessions')
      .select([
        localDayOf(sql<number>`${SESSION_TIME} / ${HOUR_MS}`, days).as('day'),
        sql<number>`count(*)`.as('n'),
      ])
      .groupBy(sql`1`),
    store,
    userId,
    f,
  ).execute()
  const sessions = new Map(sessionDays.map((r) => [Number(r.day), Number(r.n)]))
  const totals = new Map(byDay.map((r) => [Number(r.key), r]))
  const first = localDayNumber(range.from, days)
  const last = localDayNumber(range.to, days)
  const rows: AnalyticsRow[] = []
  for (let day = first; day <= last && rows.length < 3700; day++) {
    rows.push(toRow(dayKey(day), totals.get(day) ?? EMPTY, sessions.get(day) ?? 0))
  }
  return rows
}

function localDayNumber(hour: number, days: LocalDays): number {
  let offset = days.segments[0]?.offsetMinutes ?? 0
  for (const seg of days.segments) if (seg.startHour <= hour) offset = seg.offsetMinutes
  return Math.floor((hour * 60 + offset) / 1440)
}

/** The hours the daily series spans: the filter's range, else the data's (UTC hours). */
async function hourRange(
  store: Store,
  userId: number,
  f: SessionFilter,
): Promise<{ from: number; to: number } | null> {
  if (f.from !== undefined && f.to !== undefined) {
    return { from: Math.floor(f.from / HOUR_MS), to: Math.floor(f.to / HOUR_MS) }
  }
  const data = await store.db
    .selectFrom('usage_hourly')
    .select([sql<number | null>`min(hour)`.as('lo'), sql<number | null>`max(hour)`.as('hi')])
    .where('user_id', '=', userId)
    .executeTakeFirst()
  const sessions = await store.db
    .selectFrom('sessions')
    .select([
      sql<number | null>`min(${SESSION_TIME})`.as('lo'),
      sql<number | null>`max(${SESSION_TIME})`.as('hi'),
    ])
    .where('sessions.user_id', '=', userId)
    .executeTakeFirst()
  const los = [
    data?.lo,
    sessions?.lo === null || sessions?.lo === undefined ? null : Math.floor(sessions.lo / HOUR_MS),
  ]
  const his = [
    data?.hi,
    sessions?.hi === null || sessions?.hi === undefined ? null : Math.floor(sessions.hi / HOUR_MS),
  ]
  const lo = Math.min(...los.filter((v): v is number => typeof v === 'number'))
  const hi = Math.max(...his.filter((v): v is number => typeof v === 'number'))
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return null
  return {
    from: f.from !== undefined ? Math.floor(f.from / HOUR_MS) : Number(lo),
    to: f.to !== undefined ? Math.floor(f.to / HOUR_MS) : Number(hi),
  }
}
