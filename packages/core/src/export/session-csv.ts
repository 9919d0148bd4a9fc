import type { Session } from '../wire/sessions.js'
import { costMicrosOf, isoDate, microsToFixed } from './format-values.js'
import type { SessionExport } from './types.js'

type Column = readonly [name: string, value: (s: Session) => string]

/** A field that a spreadsheet would read as a formula gets a leading `'` (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/
/** RFC 4180: a field holding a comma, a double quote, CR or LF is quoted, `"` doubled. */
const NEEDS_QUOTES = /[",\r\n]/

/** A user-controlled text field: guarded against formula injection; '' for null. */
function text(value: string | null): string {
  if (value === null) return ''
  return FORMULA_START.test(value) ? `'${value}` : value
}

/** A number as is (never guarded: `-1` stays a number); '' for null or non-finite. */
function num(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '' : String(value)
}

const COLUMNS: readonly Column[] = [
  ['id', (s) => text(s.id)],
  ['externalId', (s) => text(s.externalId)],
  ['source', (s) => text(s.source)],
  ['title', (s) => text(s.title)],
  ['projectName', (s) => text(s.projectName)],
  ['projectPath', (s) => text(s.projectPath)],
  ['model', (s) => text(s.model)],
  ['provider', (s) => text(s.provider)],
  ['machine', (s) => text(s.machine)],
  ['startedAt', (s) => isoDate(s.startedAt)],
  ['endedAt', (s) => isoDate(s.endedAt)],
  ['durationMs', (s) => num(s.durationMs)],
  ['messageCount', (s) => num(s.messageCount)],
  ['inputTokens', (s) => num(s.tokens.input)],
  ['outputTokens', (s) => num(s.tokens.output)],
  ['cacheReadTokens', (s) => num(s.tokens.cacheRead)],
  ['cacheWrite5mTokens', (s) => num(s.tokens.cacheWrite5m)],
  ['cacheWrite1hTokens', (s) => num(s.tokens.cacheWrite1h)],
  ['reasoningTokens', (s) => num(s.tokens.reasoning)],
  ['totalTokens', (s) => num(s.totalTokens)],
  ['cost', (s) => cost(s)],
  ['unpricedTokens', (s) => num(s.unpriced.tokens)],
  ['createdAt', (s) => isoDate(s.createdAt)],
  ['updatedAt', (s) => isoDate(s.updatedAt)],
]

/** Dollars with 6 places from the exact micro-dollars; '' when unpriced (cost null). */
function cost(s: Session): string {
  const micros = costMicrosOf(s.cost, s.costMicros)
  return micros === null ? '' : microsToFixed(micros, 6)
}

function field(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

function row(values: readonly string[]): string {
  return `${values.map(field).join(',')}\r\n`
}

/** The header row's column names, in order. */
export const SESSION_CSV_COLUMNS: readonly string[] = COLUMNS.map(([name]) => name)

/**
 * CSV export: a header and one row per session (messages are not included). RFC 4180 quoting
 * for every field that needs it (upstream quoted only three columns, so a comma in a model
 * broke the row); every line ends with CRLF. Dates are ISO-8601 UTC, `cost` is dollars with
 * six decimals or empty when unpriced, `unpricedTokens` counts tokens of requests with no
 * price. Text fields starting with `=`, `+`, `-`, `@`, tab or CR get a leading `'` so
 * spreadsheets don't run them as formulas. No byte-order mark: the charset is in the
 * content type.
 */
export function sessionsToCsv(items: readonly SessionExport[]): string {
  return [
    row(SESSION_CSV_COLUMNS),
    ...items.map(({ session }) => row(COLUMNS.map(([, value]) => value(session)))),
  ].join('')
}
