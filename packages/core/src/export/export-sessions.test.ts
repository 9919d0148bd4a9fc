import { describe, expect, it } from 'vitest'
import { messageSchema, sessionSchema } from '../wire/sessions.js'
import {
  EXPORT_FORMATS,
  exportFilename,
  exportSessions,
  isExportFormat,
} from './export-sessions.js'
import * as index from './index.js'
import { sessionsToCsv } from './session-csv.js'
import { sessionsToJson } from './session-json.js'
import { sessionsToJsonl } from './session-jsonl.js'
import { sessionsToMarkdown } from './session-markdown.js'
import { makeSession, RICH, UNPRICED } from './test-fixtures.js'
import type { ExportFormat, SessionExport } from './types.js'

const NOW = new Date('2025-10-16T23:30:00-05:00') // 2025-10-17 in UTC

function withId(externalId: string, id = 'sess_1'): SessionExport {
  return { session: makeSession({ externalId, id }), messages: [] }
}

describe('fixtures', () => {
  it('are valid wire data', () => {
    for (const { session, messages } of [RICH, UNPRICED]) {
      expect(sessionSchema.parse(session)).toEqual(session)
      for (const m of messages) expect(messageSchema.parse(m)).toEqual(m)
    }
  })
})

describe('exportSessions', () => {
  it('offers the four formats of GET /api/export', () => {
    expect(EXPORT_FORMATS).toEqual(['json', 'jsonl', 'csv', 'markdown'])
    expect(EXPORT_FORMATS.every(isExportFormat)).toBe(true)
    for (const bad of ['md', 'JSON', 'toString', '__proto__', '', 1, null]) {
      expect(isExportFormat(bad)).toBe(false)
    }
  })

  it.each([
    ['json', 'application/json; charset=utf-8', 'json', sessionsToJson],
    ['jsonl', 'application/x-ndjson; charset=utf-8', 'jsonl', sessionsToJsonl],
    ['csv', 'text/csv; charset=utf-8', 'csv', sessionsToCsv],
    ['markdown', 'text/markdown; charset=utf-8', 'md', sessionsToMarkdown],
  ] as const)('%s: content type, extension, body', (format, contentType, ext, render) => {
    expect(exportSessions([RICH], format, NOW)).toEqual({
      body: render([RICH]),
      contentType,
      filename: `session-ses_01J9ZK-claude-code-abc-2025-10-17.${ext}`,
    })
    expect(exportSessions([RICH, UNPRICED], format, NOW)).toEqual({
      body: render([RICH, UNPRICED]),
      contentType,
      filename: `opensync-export-2025-10-17.${ext}`,
    })
  })

  it('re-exports the API from the index', () => {
    expect(index.exportSessions).toBe(exportSessions)
    expect(index.EXPORT_FORMATS).toBe(EXPORT_FORMATS)
  })
})

describe('exportFilename', () => {
  const name = (item: SessionExport, format: ExportFormat = 'json') =>
    exportFilename([item], format, NOW)

  it('keeps only [A-Za-z0-9._-] of the externalId', () => {
    expect(name(withId('abc-123_X.y'))).toBe('session-abc-123_X.y-2025-10-17.json')
    expect(name(withId('../../etc/passwd'))).toBe('session-etc-passwd-2025-10-17.json')
    expect(name(withId('a "b"\r\n; c=d'))).toBe('session-a-b-c-d-2025-10-17.json')
  })

  it('caps the id at 80 characters', () => {
    const file = name(withId('x'.repeat(200)), 'markdown')
    expect(file).toBe(`session-${'x'.repeat(80)}-2025-10-17.md`)
  })

  it('falls back to the id, then to "untitled", when nothing safe is left', () => {
    expect(name(withId('会话 1', 'sess_cjk'))).toBe('session-1-2025-10-17.json')
    expect(name(withId('会话', 'sess_cjk'))).toBe('session-sess_cjk-2025-10-17.json')
    expect(name(withId('会话', '🚀'))).toBe('session-untitled-2025-10-17.json')
  })

  it('names any other count an opensync export', () => {
    expect(exportFilename([], 'csv', NOW)).toBe('opensync-export-2025-10-17.csv')
    expect(exportFilename([RICH, RICH], 'jsonl', NOW)).toBe('opensync-export-2025-10-17.jsonl')
  })
})
