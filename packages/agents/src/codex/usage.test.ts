import { describe, expect, it } from 'vitest'
import type { CodexUsage, TokenCount } from './schema.js'
import { createUsageCounter, toTokens } from './usage.js'

const u = (input: number, cached: number, output: number, reasoning = 0, cacheWrite = 0) =>
  ({ input, cached, cacheWrite, output, reasoning }) satisfies CodexUsage
const count = (total: CodexUsage | null, last: CodexUsage | null): TokenCount => ({
  total,
  last,
  model: null,
})

describe('createUsageCounter (§2 pitfalls 1–3)', () => {
  it('takes positive deltas of the totals and skips re-sends', () => {
    const next = createUsageCounter()
    expect(next(count(null, null))).toEqual({ kind: 'no-info', usage: null })
    expect(next(count(u(100, 40, 10, 5), u(100, 40, 10, 5)))).toEqual({
      kind: 'first',
      usage: u(100, 40, 10, 5),
    })
    // The re-send carries the same totals (and the same last): nothing.
    expect(next(count(u(100, 40, 10, 5), u(100, 40, 10, 5)))).toEqual({
      kind: 'resent',
      usage: null,
    })
    // The delta is used, not `last` (which may disagree).
    expect(next(count(u(250, 140, 30, 5), u(999, 999, 999, 999)))).toEqual({
      kind: 'advanced',
      usage: u(150, 100, 20, 0),
    })
  })

  it('ignores the compaction artefact: same totals, fake last with only total_tokens', () => {
    const next = createUsageCounter()
    next(count(u(1000, 900, 50), u(1000, 900, 50)))
    expect(next(count(u(1000, 900, 50), u(0, 0, 0)))).toEqual({ kind: 'resent', usage: null })
  })

  it('treats a decrease as a reset: last if it has tokens, else the new total from zero', () => {
    const next = createUsageCounter()
    next(count(u(5000, 4000, 100), u(5000, 4000, 100)))
    expect(next(count(u(300, 0, 20), u(300, 0, 20)))).toEqual({
      kind: 'reset',
      usage: u(300, 0, 20),
    })
    // The new total is the baseline now.
    expect(next(count(u(500, 100, 30), u(200, 100, 10)))).toEqual({
      kind: 'advanced',
      usage: u(200, 100, 10),
    })
    expect(next(count(u(50, 0, 5), u(0, 0, 0)))).toEqual({ kind: 'reset', usage: u(50, 0, 5) })
    // Any single field going down is a reset, even when others grew.
    expect(next(count(u(60, 0, 4), u(10, 0, 4)))).toEqual({ kind: 'reset', usage: u(10, 0, 4) })
  })

  it('uses last when there are no totals, and drops empty usage', () => {
    const next = createUsageCounter()
    expect(next(count(null, u(10, 0, 1)))).toEqual({ kind: 'last-only', usage: u(10, 0, 1) })
    expect(next(count(null, u(0, 0, 0)))).toEqual({ kind: 'last-only', usage: null })
    expect(next(count(u(0, 0, 0), u(0, 0, 0)))).toEqual({ kind: 'first', usage: null })
  })
})

describe('toTokens', () => {
  it('subtracts cache reads and writes from input; output keeps reasoning as a subset', () => {
    expect(toTokens(u(1000, 600, 80, 30, 100))).toEqual({
      input: 300,
      output: 80,
      cacheRead: 600,
      cacheWrite5m: 100,
      cacheWrite1h: 0,
      reasoning: 30,
    })
  })

  it('clamps subsets that exceed their totals instead of going negative', () => {
    expect(toTokens(u(100, 150, 10, 20, 50))).toEqual({
      input: 0,
      output: 10,
      cacheRead: 100,
      cacheWrite5m: 0,
      cacheWrite1h: 0,
      reasoning: 10,
    })
  })
})
