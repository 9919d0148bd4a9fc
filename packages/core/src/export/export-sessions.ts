import { sessionsToCsv } from './session-csv.js'
import { sessionsToJson } from './session-json.js'
import { sessionsToJsonl } from './session-jsonl.js'
import { sessionsToMarkdown } from './session-markdown.js'
import type { ExportFile, ExportFormat, SessionExport } from './types.js'

type FormatSpec = {
  readonly extension: string
  readonly contentType: string
  readonly render: (items: readonly SessionExport[]) => string
}

const FORMATS: Readonly<Record<ExportFormat, FormatSpec>> = {
  json: {
    extension: 'json',
    contentType: 'application/json; charset=utf-8',
    render: sessionsToJson,
  },
  jsonl: {
    extension: 'jsonl',
    contentType: 'application/x-ndjson; charset=utf-8',
    render: sessionsToJsonl,
  },
  csv: { extension: 'csv', contentType: 'text/csv; charset=utf-8', render: sessionsToCsv },
  markdown: {
    extension: 'md',
    contentType: 'text/markdown; charset=utf-8',
    render: sessionsToMarkdown,
  },
}

/** The `format` values of `GET /api/export` (SPEC §5.2); `json` is the default. */
export const EXPORT_FORMATS: readonly ExportFormat[] = ['json', 'jsonl', 'csv', 'markdown']

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && Object.hasOwn(FORMATS, value)
}

const MAX_ID_LENGTH = 80

/**
 * An id reduced to `[A-Za-z0-9._-]`: each run of other characters becomes one `-`, leading and
 * trailing dots and dashes go, at most 80 characters. '' when nothing is left.
 */
function safeId(value: string): string {
  const clean = (s: string) => s.replace(/^[.-]+|[.-]+$/g, '')
  return clean(clean(value.replace(/[^A-Za-z0-9._-]+/g, '-')).slice(0, MAX_ID_LENGTH))
}

/**
 * `session-<externalId>-<YYYY-MM-DD>.<ext>` for one session (its `id`, then `untitled`, when
 * the externalId has no safe character), `opensync-export-<YYYY-MM-DD>.<ext>` for any other
 * count. The date is `now`'s UTC day; the name is plain ASCII, safe in `Content-Disposition`.
 */
export function exportFilename(
  items: readonly SessionExport[],
  format: ExportFormat,
  now: Date,
): string {
  const day = now.toISOString().slice(0, 10)
  const { extension } = FORMATS[format]
  const [only] = items
  if (items.length !== 1 || only === undefined) return `opensync-export-${day}.${extension}`
  const id = safeId(only.session.externalId) || safeId(only.session.id) || 'untitled'
  return `session-${id}-${day}.${extension}`
}

/** Renders sessions (one or many) as a download in the given format. Pure. */
export function exportSessions(
  items: readonly SessionExport[],
  format: ExportFormat,
  now: Date,
): ExportFile {
  const spec = FORMATS[format]
  return {
    body: spec.render(items),
    contentType: spec.contentType,
    filename: exportFilename(items, format, now),
  }
}
