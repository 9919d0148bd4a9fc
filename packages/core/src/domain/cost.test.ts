import { describe, expect, it } from 'vitest'
import { toTokens } from '../wire/usage.js'
import type { PricedRequest, PriceRequest, PriceResult, TokenBuckets } from './cost.js'
import { inferProvider, microsToDollars, priceRequest } from './cost.js'

const AT = new Date('2025-10-15T12:00:00Z')

/** Buckets with zeros for what a case leaves out. */
const buckets = (partial: Partial<TokenBuckets>): TokenBuckets => toTokens(partial)

function priced(result: PriceResult): PricedRequest {
  if (result.status !== 'priced') throw new Error(`expected priced, got ${JSON.stringify(result)}`)
  return result
}

function price(req: Partial<PriceRequest> & Pick<PriceRequest, 'model'>): PricedRequest {
  return priced(priceRequest({ usage: buckets({}), timestamp: AT, ...req }))
}

const SMALL = buckets({ input: 1_000, output: 1_000 })

describe('priceRequest: long-context tier is decided per request by the whole prompt', () => {
  it('a prompt of exactly 200,000 tokens stays at the base rate', () => {
    const r = price({
      model: 'claude-sonnet-4-5',
      usage: buckets({ cacheRead: 200_000, output: 1_000 }),
    })
    expect([r.costMicros, r.inputMicros, r.outputMicros]).toEqual([75_000, 60_000, 15_000])
  })

  it('one token more moves every bucket, output included, to the long-context rate', () => {
    const r = price({
      model: 'claude-sonnet-4-5',
      usage: buckets({ cacheRead: 200_001, output: 1_000 }),
    })
    // 200,001 x $0.60/M = 120,000.6 micros; 1,000 x $22.50/M = 22,500 micros
    expect([r.costMicros, r.inputMicros, r.outputMicros]).toEqual([142_501, 120_001, 22_500])
  })

  it('counts uncached input plus cache reads and writes towards the threshold', () => {
    const usage = buckets({ input: 1_000, cacheRead: 199_000, cacheWrite5m: 500, output: 1_000 })
    // prompt 200,500 > 200k: 1,000 x 6 + 199,000 x 0.6 + 500 x 7.5 + 1,000 x 22.5
    expect(price({ model: 'claude-sonnet-4-5', usage }).costMicros).toBe(151_650)
  })

  it('applies OpenAI gpt-5.4 tiers from 272k prompt tokens', () => {
    expect(price({ model: 'gpt-5.4', usage: buckets({ input: 271_999 }) }).costMicros).toBe(679_998)
    expect(price({ model: 'gpt-5.4', usage: buckets({ input: 272_000 }) }).costMicros).toBe(
      1_360_000,
    )
  })
})

describe('priceRequest: cache writes', () => {
  it('prices 5-minute and 1-hour writes of one request at their own rates', () => {
    const r = price({
      model: 'claude-sonnet-4-5',
      usage: buckets({ cacheWrite5m: 100_000, cacheWrite1h: 100_000 }),
    })
    // 100k x $3.75/M + 100k x $6/M (prompt exactly 200k: base tier)
    expect(r.costMicros).toBe(975_000)
    expect(r.outputMicros).toBe(0)
  })

  it('prices cache writes at the input rate for a model without a cache-write price (gpt-5)', () => {
    const r = price({ model: 'gpt-5', usage: buckets({ cacheWrite5m: 1_000 }) })
    expect(r.costMicros).toBe(1_250)
  })

  it('prices 1-hour writes at the plain write rate when the model has no 1-hour price', () => {
    const at = new Date('2026-09-01T00:00:00Z')
    const r = price({
      model: 'gpt-5.6-sol',
      usage: buckets({ cacheWrite1h: 1_000 }),
      timestamp: at,
    })
    expect(r.costMicros).toBe(5_000)
    expect(r.matchedModel).toBe('gpt-5.6-sol')
  })
})

describe('priceRequest: integer micro-dollars', () => {
  it('rounds half-up once, without float drift (naive Math.round gives 22 here)', () => {
    // 7 x $3/M + 5 x $0.30/M = 22.5 micros exactly; the library's float is 0.000022499999999999998
    const r = price({ model: 'claude-sonnet-4-5', usage: buckets({ input: 7, cacheRead: 5 }) })
    expect(r.costMicros).toBe(23)
  })

  it('keeps a request that costs under half a micro-dollar priced, at 0', () => {
    const r = price({ model: 'claude-sonnet-4-5', usage: buckets({ cacheRead: 1 }) })
    expect(r.status).toBe('priced')
    expect(r.costMicros).toBe(0)
  })

  it('sums N per-request costs to exactly the sum of an independent integer computation', () => {
    // claude-sonnet-4-5 base rates in hundredths of a micro-dollar per token
    const rates = {
      input: 300n,
      output: 1_500n,
      cacheRead: 30n,
      cacheWrite5m: 375n,
      cacheWrite1h: 600n,
    }
    let seed = 42
    const next = (max: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
      return seed % max
    }
    let sumOfCosts = 0
    let expected = 0n
    for (let i = 0; i < 1_000; i++) {
      const usage = buckets({
        input: next(20_000),
        output: next(8_000),
        cacheRead: next(150_000),
        cacheWrite5m: next(10_000),
        cacheWrite1h: next(10_000),
      })
      const r = price({ model: 'claude-sonnet-4-5-20250929', usage })
      expect(Number.isSafeInteger(r.costMicros)).toBe(true)
      sumOfCosts += r.costMicros
      const hundredths =
        BigInt(usage.input) * rates.input +
        BigInt(usage.output) * rates.output +
        BigInt(usage.cacheRead) * rates.cacheRead +
        BigInt(usage.cacheWrite5m) * rates.cacheWrite5m +
        BigInt(usage.cacheWrite1h) * rates.cacheWrite1h
      expected += (hundredths + 50n) / 100n
    }
    expect(sumOfCosts).toBe(Number(expected))
  })

  it('microsToDollars converts for display', () => {
    expect(microsToDollars(87_750)).toBe(0.08775)
    expect(microsToDollars(1_800_000)).toBe(1.8)
    expect(microsToDollars(0)).toBe(0)
  })
})

describe('priceRequest: reasoning is a subset of output', () => {
  it('does not change the price for models without a reasoning rate', () => {
    const without = price({ model: 'gpt-5', usage: buckets({ input: 1_000, output: 1_000 }) })
    const withReasoning = price({
      model: 'gpt-5',
      usage: buckets({ input: 1_000, output: 1_000, reasoning: 800 }),
    })
    expect(without.costMicros).toBe(11_250)
    expect(withReasoning.costMicros).toBe(11_250)
  })

  it('uses the reasoning rate where the table has one (perplexity sonar-deep-research)', () => {
    const r = price({
      model: 'sonar-deep-research',
      provider: 'perplexity',
      usage: buckets({ input: 1_000, output: 1_000, reasoning: 400 }),
    })
    // 1,000 x $2/M input; 600 x $8/M + 400 x $3/M output
    expect([r.costMicros, r.inputMicros, r.outputMicros]).toEqual([8_000, 2_000, 6_000])
  })

  it('clamps reasoning above output instead of failing', () => {
    const r = price({
      model: 'sonar-deep-research',
      provider: 'perplexity',
      usage: buckets({ output: 100, reasoning: 500 }),
    })
    expect(r.costMicros).toBe(300)
  })
})

describe('priceRequest: date-dependent prices', () => {
  it('prices o3 at $10/$40 before 2025-06-10 and $2/$8 from then on', () => {
    const before = new Date('2025-06-09T23:59:59Z')
    const after = new Date('2025-06-10T00:00:00Z')
    expect(price({ model: 'o3', usage: SMALL, timestamp: before }).costMicros).toBe(50_000)
    expect(price({ model: 'o3', usage: SMALL, timestamp: after }).costMicros).toBe(10_000)
  })

  it('drops the claude-sonnet-4-6 long-context tier from 2026-03-13', () => {
    const usage = buckets({ input: 300_000, output: 1_000 })
    const before = new Date('2026-03-12T00:00:00Z')
    const after = new Date('2026-03-13T00:00:00Z')
    expect(price({ model: 'claude-sonnet-4-6', usage, timestamp: before }).costMicros).toBe(
      1_822_500,
    )
    expect(price({ model: 'claude-sonnet-4-6', usage, timestamp: after }).costMicros).toBe(915_000)
  })
})

describe('priceRequest: model and provider matching', () => {
  it.each([
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5', 18_000],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4-5', 6_000],
    ['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet', 18_000],
    ['claude-sonnet-4.5', 'claude-sonnet-4-5', 18_000],
    ['Claude-Sonnet-4-5', 'claude-sonnet-4-5', 18_000],
    ['  claude-sonnet-4-5  ', 'claude-sonnet-4-5', 18_000],
  ])('resolves %s to anthropic %s', (model, matched, micros) => {
    const r = price({ model, usage: SMALL })
    expect([r.matchedProvider, r.matchedModel, r.costMicros]).toEqual([
      'anthropic',
      matched,
      micros,
    ])
  })

  it.each([
    ['gpt-5-2025-08-07', 'gpt-5'],
    ['gpt-5.1-codex', 'gpt-5.1'],
    ['gpt-5.1-codex-max', 'gpt-5.1'],
    ['gpt-5.2-codex', 'gpt-5.2'],
    ['gpt-5.3-codex', 'gpt-5.3-codex'],
    ['codex-mini-latest', 'codex-mini'],
  ])('resolves %s to openai %s', (model, matched) => {
    const r = price({ model, usage: SMALL })
    expect([r.matchedProvider, r.matchedModel]).toEqual(['openai', matched])
  })

  it.each([
    ['anthropic-oauth', 'claude-sonnet-4-5', 'anthropic', 'claude-sonnet-4-5'],
    ['Anthropic', 'claude-sonnet-4-5', 'anthropic', 'claude-sonnet-4-5'],
    ['claude-code', 'claude-sonnet-4-5', 'anthropic', 'claude-sonnet-4-5'],
    ['opencode', 'claude-sonnet-4-5', 'anthropic', 'claude-sonnet-4-5'],
    [null, 'anthropic/claude-sonnet-4-5', 'anthropic', 'claude-sonnet-4-5'],
    ['anthropic', 'anthropic/claude-sonnet-4-5', 'anthropic', 'claude-sonnet-4-5'],
    ['openai-codex', 'gpt-5-codex', 'openai', 'gpt-5'],
    [null, 'openai/gpt-5-codex', 'openai', 'gpt-5'],
    ['google-gemini-cli', 'gemini-2.5-pro', 'google', 'gemini-2.5-pro'],
    [null, 'google/gemini-2.5-pro', 'google', 'gemini-2.5-pro'],
    ['vertex', 'claude-sonnet-4-5@20250929', 'google', 'claude-sonnet-4-5'],
    // the provider's own table has no such model: fall back to the model's vendor
    ['github-copilot', 'claude-sonnet-4-5', 'anthropic', 'claude-sonnet-4-5'],
    ['anthropic', 'gpt-5', 'openai', 'gpt-5'],
  ])('provider %s + model %s → %s / %s', (provider, model, matchedProvider, matchedModel) => {
    const r = price({ model, provider, usage: SMALL })
    expect([r.matchedProvider, r.matchedModel]).toEqual([matchedProvider, matchedModel])
  })

  it('keeps a reseller table when the provider names one (openrouter)', () => {
    const r = price({ model: 'anthropic/claude-sonnet-4.5', provider: 'openrouter', usage: SMALL })
    expect([r.matchedProvider, r.matchedModel, r.costMicros]).toEqual([
      'openrouter',
      'anthropic/claude-sonnet-4.5',
      18_000,
    ])
  })

  it('prices a Bedrock id with the AWS regional rate, even without a provider', () => {
    const r = price({ model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', usage: SMALL })
    expect([r.matchedProvider, r.matchedModel, r.costMicros]).toEqual([
      'aws',
      'regional.anthropic.claude-sonnet-4-5-20250929-v1:0',
      19_800,
    ])
  })

  it('keeps slashes the table itself uses (fireworks ids), without a provider', () => {
    const r = price({ model: 'accounts/fireworks/models/deepseek-v3-0324', usage: SMALL })
    expect([r.matchedProvider, r.matchedModel]).toEqual(['fireworks', 'deepseek-v3-0324'])
    expect(inferProvider('accounts/fireworks/models/deepseek-v3-0324')).toBe('fireworks')
  })

  it('matches an unknown newer variant to its older sibling: store matchedModel', () => {
    const r = price({ model: 'claude-sonnet-5-5', usage: SMALL })
    expect([r.matchedProvider, r.matchedModel]).toEqual(['anthropic', 'claude-sonnet-5'])
  })
})

describe('priceRequest: unpriced and no-usage', () => {
  it.each([
    ['qwen3-coder-plus', null],
    ['codex', null],
    ['claude', null],
    ['llama3.1:8b', 'ollama'],
    ['gpt-5-codex-mini', 'openai'],
  ])('%s (provider %s) is unpriced: unknown-model', (model, provider) => {
    expect(priceRequest({ model, provider, usage: SMALL, timestamp: AT })).toEqual({
      status: 'unpriced',
      reason: 'unknown-model',
    })
  })

  it('an unknown provider string never blocks inference from the model', () => {
    const r = price({ model: 'claude-sonnet-4-5', provider: 'some-proxy/v2', usage: SMALL })
    expect([r.matchedProvider, r.matchedModel]).toEqual(['anthropic', 'claude-sonnet-4-5'])
  })

  it.each([undefined, '', '   '])('model %j is unpriced: no-model', (model) => {
    expect(priceRequest({ model, usage: SMALL, timestamp: AT })).toEqual({
      status: 'unpriced',
      reason: 'no-model',
    })
  })

  it('no-usage wins over a missing or unknown model: there is nothing to price', () => {
    expect(priceRequest({ model: null, usage: buckets({}), timestamp: AT })).toEqual({
      status: 'no-usage',
    })
    expect(priceRequest({ model: 'glm-4.6', usage: buckets({}), timestamp: AT })).toEqual({
      status: 'no-usage',
    })
  })

  it('reasoning alone (inconsistent: it is a subset of output) is no-usage', () => {
    const usage = buckets({ reasoning: 10 })
    expect(priceRequest({ model: 'gpt-5', usage, timestamp: AT })).toEqual({ status: 'no-usage' })
  })
})

describe('priceRequest: invalid input', () => {
  it.each([
    ['input', -1],
    ['output', 1.5],
    ['cacheRead', Number.NaN],
    ['cacheWrite5m', Number.POSITIVE_INFINITY],
    ['cacheWrite1h', -0.5],
    ['reasoning', 2 ** 53],
  ] as const)('throws RangeError when usage.%s is %s', (bucket, value) => {
    const usage = { ...SMALL, [bucket]: value }
    expect(() => priceRequest({ model: 'gpt-5', usage, timestamp: AT })).toThrow(RangeError)
  })

  it('throws RangeError for an invalid Date', () => {
    expect(() =>
      priceRequest({ model: 'gpt-5', usage: SMALL, timestamp: new Date('not a date') }),
    ).toThrow(RangeError)
  })
})

describe('inferProvider', () => {
  it.each([
    ['claude-sonnet-4-5', null, 'anthropic'],
    ['claude-opus-4-1-20250805', undefined, 'anthropic'],
    ['anthropic/claude-sonnet-4-5', null, 'anthropic'],
    ['gpt-5-codex', null, 'openai'],
    ['gpt-4.1', null, 'openai'],
    ['o3', null, 'openai'],
    ['o4-mini', null, 'openai'],
    ['codex', null, 'openai'],
    ['codex-mini-latest', null, 'openai'],
    ['openai/gpt-5', null, 'openai'],
    ['gemini-2.5-pro', null, 'google'],
    ['google/gemini-2.5-flash', null, 'google'],
    ['grok-code-fast-1', null, 'x-ai'],
    ['deepseek-chat', null, 'deepseek'],
    ['kimi-k2', null, 'moonshotai'],
    ['glm-4.6', null, 'zhipuai'],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', null, 'aws'],
    ['my-local-model', null, null],
    ['qwen3-coder-plus', null, null],
    ['omni-model', null, null],
    [null, null, null],
    [undefined, undefined, null],
    ['', '', null],
  ])('model %j, provider %j → %j', (model, provider, expected) => {
    expect(inferProvider(model, provider)).toBe(expected)
  })

  it.each([
    ['anthropic-oauth', 'anthropic'],
    ['ANTHROPIC', 'anthropic'],
    ['claude-code', 'anthropic'],
    ['openai-codex', 'openai'],
    ['codex', 'openai'],
    ['google-gemini-cli', 'google'],
    ['gemini', 'google'],
    ['vertex', 'google'],
    ['bedrock', 'aws'],
    ['amazon-bedrock', 'aws'],
    ['xai', 'x-ai'],
    ['openrouter', 'openrouter'],
    ['github-copilot', 'github-copilot'],
  ])('normalises provider %j to %j, whatever the model', (provider, expected) => {
    expect(inferProvider('my-local-model', provider)).toBe(expected)
    expect(inferProvider(null, provider)).toBe(expected)
  })

  it('falls back to the model when the provider string is unknown', () => {
    expect(inferProvider('claude-sonnet-4-5', 'opencode')).toBe('anthropic')
    expect(inferProvider('gpt-5', 'my-proxy')).toBe('openai')
    expect(inferProvider('my-local-model', 'ollama')).toBe(null)
  })

  it('does not treat inherited object keys as aliases', () => {
    expect(inferProvider(null, 'constructor')).toBe(null)
    expect(inferProvider(null, '__proto__')).toBe(null)
  })
})
