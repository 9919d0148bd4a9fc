import { describe, expect, it } from 'vitest'
import { toTokens } from '../wire/usage.js'
import type { PricedRequest, PriceResult, TokenBuckets } from './cost.js'
import { microsToDollars, PRICE_TABLE_VERSION, priceRequest } from './cost.js'

// Golden numbers from the product issue. A genai-prices bump that changes any of them must fail
// here and be reviewed (and PRICE_TABLE_VERSION bumped with it).

const AT = new Date('2025-10-15T12:00:00Z')

/** Buckets with zeros for what a case leaves out. */
const buckets = (partial: Partial<TokenBuckets>): TokenBuckets => toTokens(partial)

function priced(result: PriceResult): PricedRequest {
  if (result.status !== 'priced') throw new Error(`expected priced, got ${JSON.stringify(result)}`)
  return result
}

describe('golden: claude-sonnet-4-5, 1M input / 200k output / 3M cache read / 500k cache write', () => {
  it('costs $8.775 spread over 100 requests whose prompts stay under 200k', () => {
    const one = buckets({ input: 10_000, output: 2_000, cacheRead: 30_000, cacheWrite5m: 5_000 })
    const results = Array.from({ length: 100 }, () =>
      priced(
        priceRequest({
          model: 'claude-sonnet-4-5',
          provider: 'anthropic',
          usage: one,
          timestamp: AT,
        }),
      ),
    )
    expect(results[0]).toEqual({
      status: 'priced',
      costMicros: 87_750,
      inputMicros: 57_750,
      outputMicros: 30_000,
      matchedModel: 'claude-sonnet-4-5',
      matchedProvider: 'anthropic',
    })
    const total = results.reduce((sum, r) => sum + r.costMicros, 0)
    expect(total).toBe(8_775_000)
    expect(microsToDollars(total)).toBe(8.775)
  })

  it('costs $16.05 as one single request (4.5M prompt: the long-context rate applies to all of it)', () => {
    const usage = buckets({
      input: 1_000_000,
      output: 200_000,
      cacheRead: 3_000_000,
      cacheWrite5m: 500_000,
    })
    expect(
      priceRequest({ model: 'claude-sonnet-4-5', provider: 'anthropic', usage, timestamp: AT }),
    ).toEqual({
      status: 'priced',
      costMicros: 16_050_000,
      inputMicros: 11_550_000, // 6.00 input + 1.80 cache read + 3.75 cache write
      outputMicros: 4_500_000, // 200k at $22.50/M
      matchedModel: 'claude-sonnet-4-5',
      matchedProvider: 'anthropic',
    })
    expect(microsToDollars(16_050_000)).toBe(16.05)
  })

  it('costs $18.30 as one single request with the writes at the 1-hour TTL', () => {
    const usage = buckets({
      input: 1_000_000,
      output: 200_000,
      cacheRead: 3_000_000,
      cacheWrite1h: 500_000,
    })
    const r = priced(
      priceRequest({ model: 'claude-sonnet-4-5', provider: 'anthropic', usage, timestamp: AT }),
    )
    expect(r.costMicros).toBe(18_300_000)
    expect(r.inputMicros).toBe(13_800_000) // the write is 500k at $12/M = 6.00 instead of 3.75
    expect(r.outputMicros).toBe(4_500_000)
    expect(microsToDollars(r.costMicros)).toBe(18.3)
  })
})

describe('golden: gpt-5-codex, 1M input of which 400k cached, 100k output', () => {
  it('costs $1.80 and reports the matched table entry gpt-5', () => {
    // OpenAI reports input INCLUDING cached; our buckets exclude it: 600k uncached + 400k read.
    const usage = buckets({ input: 600_000, cacheRead: 400_000, output: 100_000 })
    expect(
      priceRequest({ model: 'gpt-5-codex', provider: 'openai', usage, timestamp: AT }),
    ).toEqual({
      status: 'priced',
      costMicros: 1_800_000,
      inputMicros: 800_000, // 600k x $1.25/M + 400k x $0.125/M
      outputMicros: 1_000_000, // 100k x $10/M
      matchedModel: 'gpt-5',
      matchedProvider: 'openai',
    })
  })

  it('gives the same price when the provider has to be inferred from the model', () => {
    const usage = buckets({
      input: 600_000,
      cacheRead: 400_000,
      output: 100_000,
      reasoning: 60_000,
    })
    const r = priced(priceRequest({ model: 'gpt-5-codex', provider: null, usage, timestamp: AT }))
    expect(r.costMicros).toBe(1_800_000)
    expect(r.matchedModel).toBe('gpt-5')
    expect(r.matchedProvider).toBe('openai')
  })
})

describe('golden: never $0 for what we cannot price', () => {
  const usage = buckets({ input: 1_000, output: 1_000 })

  it.each([
    ['glm-4.6', null],
    ['glm-4.6', 'zai'],
    ['my-local-model', null],
    ['my-local-model', 'openai'],
  ])('%s (provider %s) is unpriced: unknown-model', (model, provider) => {
    expect(priceRequest({ model, provider, usage, timestamp: AT })).toEqual({
      status: 'unpriced',
      reason: 'unknown-model',
    })
  })

  it('a null model is unpriced: no-model', () => {
    expect(priceRequest({ model: null, provider: 'anthropic', usage, timestamp: AT })).toEqual({
      status: 'unpriced',
      reason: 'no-model',
    })
  })

  it('all-zero usage is no-usage', () => {
    expect(priceRequest({ model: 'claude-sonnet-4-5', usage: buckets({}), timestamp: AT })).toEqual(
      { status: 'no-usage' },
    )
  })
})

describe('PRICE_TABLE_VERSION', () => {
  it('names the pinned genai-prices release', () => {
    expect(PRICE_TABLE_VERSION).toBe('genai-prices@0.1.8')
  })
})
