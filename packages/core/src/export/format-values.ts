/** Value formatting shared by the export formats. Pure and locale-independent. */

/** The largest instant a JS Date can hold (±100,000,000 days from the epoch). */
const MAX_DATE_MS = 8.64e15
const MICROS_PER_DOLLAR = 1_000_000

/** Epoch milliseconds to ISO-8601 (`2025-10-15T12:00:00.000Z`); '' when absent or invalid. */
export function isoDate(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) {
    return ''
  }
  return new Date(ms).toISOString()
}

/** `2025-10-15 12:00:00 UTC`: a readable, time-zone-independent instant (upstream used the
 * server's locale and zone). '' when absent or invalid. */
export function readableDate(ms: number | null | undefined): string {
  const iso = isoDate(ms)
  return iso === '' ? '' : `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`
}

/** `1234567` → `1,234,567`, without depending on the runtime's locale data. */
export function groupDigits(n: number): string {
  if (!Number.isFinite(n)) return String(n)
  const [whole = '', fraction] = String(Math.abs(n)).split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${n < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`
}

/**
 * A cost's exact micro-dollars: `costMicros` when known, else `cost` (dollars) converted.
 * Null when the cost is null, which means unpriced.
 */
export function costMicrosOf(cost: number | null, costMicros: number | null): number | null {
  if (cost === null || !Number.isFinite(cost)) return null
  if (costMicros !== null && Number.isFinite(costMicros)) return Math.round(costMicros)
  return Math.round(cost * MICROS_PER_DOLLAR)
}

/**
 * Integer micro-dollars as dollars with `decimals` (0–6) places, rounded half away from zero on
 * the integer value, so there is no float drift (`toFixed` turns 0.00125 into 0.0012).
 */
export function microsToFixed(micros: number, decimals: number): string {
  const places = Math.min(6, Math.max(0, Math.trunc(decimals)))
  const step = 10 ** (6 - places)
  const rounded = Math.round(Math.abs(micros) / step)
  const unit = 10 ** places
  const whole = Math.floor(rounded / unit)
  const sign = micros < 0 && rounded > 0 ? '-' : ''
  if (places === 0) return `${sign}${whole}`
  return `${sign}${whole}.${String(rounded % unit).padStart(places, '0')}`
}

/** `$0.0123` (4 places); `<$0.0001` for a positive cost that would round to zero. */
export function formatDollars(micros: number): string {
  const fixed = microsToFixed(micros, 4)
  if (micros > 0 && fixed === '0.0000') return '<$0.0001'
  return `$${fixed}`
}

/** `850 ms`, `42s`, `5m 0s`, `1h 2m 3s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return ''
  if (ms < 1000) return `${Math.round(ms)} ms`
  const total = Math.round(ms / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  if (h > 0) return `${h}h ${m}m ${s}s`
  if (m > 0) return `${m}m ${s}s`
  return `${s}s`
}
