/**
 * Tolerant decoding primitives shared by every reader (HOUSE-STYLE §5.7: shared helpers live at
 * the package root). They never throw: a value of the wrong shape decodes to null.
 */

/** A JSON object as a reader sees it. */
export type Raw = Readonly<Record<string, unknown>>

export function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

export function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

/** An ISO-8601 string → epoch ms; null for anything else or unparseable. */
export function isoToEpochMs(value: unknown): number | null {
  if (typeof value !== 'string' || value === '') return null
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? null : ms
}

/** An ISO-8601 string or a finite epoch-ms number → epoch ms; null otherwise. */
export function toEpochMs(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  return isoToEpochMs(value)
}
