import type { Message, Session } from '../wire/sessions.js'

/** One session with its messages, in the order they are shown. The unit every format takes. */
export type SessionExport = { readonly session: Session; readonly messages: readonly Message[] }

export type ExportFormat = 'json' | 'jsonl' | 'csv' | 'markdown'

/** A ready-to-send download: body, `Content-Type`, and a plain ASCII filename. */
export type ExportFile = {
  readonly body: string
  readonly contentType: string
  readonly filename: string
}
