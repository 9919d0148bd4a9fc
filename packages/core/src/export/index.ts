export {
  EXPORT_FORMATS,
  exportFilename,
  exportSessions,
  isExportFormat,
} from './export-sessions.js'
export { SESSION_CSV_COLUMNS, sessionsToCsv } from './session-csv.js'
export type { SessionJson } from './session-json.js'
export { sessionsToJson } from './session-json.js'
export { sessionsToJsonl } from './session-jsonl.js'
export { sessionsToMarkdown } from './session-markdown.js'
export type { ExportFile, ExportFormat, SessionExport } from './types.js'
