import { describe, expect, it } from 'vitest'
import {
  costMicrosOf,
  formatDollars,
  formatDuration,
  groupDigits,
  isoDate,
  microsToFixed,
  readableDate,
} from './format-values.js'

describe('dates', () => {
  it('formats epoch milliseconds as ISO-8601 UTC, empty when absent or out of range', () => {
    expect(isoDate(Date.UTC(2025, 9, 15, 12, 0, 0, 7))).toBe('2025-10-15T12:00:00.007Z')
    expect(isoDate(null)).toBe('')
    expect(isoDate(Number.NaN)).toBe('')
    expect(isoDate(9e15)).toBe('')
    expect(readableDate(Date.UTC(2025, 0, 2, 3, 4, 5))).toBe('2025-01-02 03:04:05 UTC')
    expect(readableDate(null)).toBe('')
  })
})

describe('numbers', () => {
  it('groups thousands without locale data', () => {
    expect([0, 999, 1000, 1234567, -12345, 1234.5].map(groupDigits)).toEqual([
      '0',
      '999',
      '1,000',
      '1,234,567',
      '-12,345',
      '1,234.5',
    ])
  })

  it('formats micro-dollars exactly, rounding half away from zero', () => {
    expect(microsToFixed(12_345, 6)).toBe('0.012345')
    expect(microsToFixed(1_250, 4)).toBe('0.0013')
    expect(microsToFixed(1_249, 4)).toBe('0.0012')
    expect(microsToFixed(123_456_789, 2)).toBe('123.46')
    expect(microsToFixed(0, 6)).toBe('0.000000')
    expect(microsToFixed(-1_250, 4)).toBe('-0.0013')
    expect(microsToFixed(-1, 4)).toBe('0.0000')
  })

  it('shows a tiny positive cost as below the smallest unit, not as free', () => {
    expect(formatDollars(40)).toBe('<$0.0001')
    expect(formatDollars(0)).toBe('$0.0000')
    expect(formatDollars(12_345)).toBe('$0.0123')
  })

  it('prefers exact micro-dollars; null cost means unpriced', () => {
    expect(costMicrosOf(0.012345, 12_345)).toBe(12_345)
    expect(costMicrosOf(0.5, null)).toBe(500_000)
    expect(costMicrosOf(null, 12_345)).toBeNull()
  })

  it('formats durations', () => {
    expect([0, 850, 42_000, 300_000, 3_723_000].map(formatDuration)).toEqual([
      '0 ms',
      '850 ms',
      '42s',
      '5m 0s',
      '1h 2m 3s',
    ])
    expect(formatDuration(-1)).toBe('')
  })
})
