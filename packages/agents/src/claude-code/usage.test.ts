import { describe, expect, it } from 'vitest'
import { claudeUsageToTokens } from './usage.js'

describe('claudeUsageToTokens', () => {
  it('maps the 2.1.x shape: input excludes cache, writes split by TTL', () => {
    // spotter-v2.1/short.jsonl line 5
    expect(
      claudeUsageToTokens({
        input_tokens: 3,
        cache_creation_input_tokens: 13835,
        cache_read_input_tokens: 11515,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 13835 },
        output_tokens: 13,
        service_tier: 'standard',
      }),
    ).toEqual({
      input: 3,
      output: 13,
      cacheRead: 11515,
      cacheWrite5m: 0,
      cacheWrite1h: 13835,
      reasoning: 0,
    })
  })

  it('without the split (≤ 1.0.x) all cache writes are 5-minute', () => {
    expect(
      claudeUsageToTokens({
        input_tokens: 4,
        cache_creation_input_tokens: 3877,
        cache_read_input_tokens: 10215,
        output_tokens: 5,
      }),
    ).toMatchObject({ cacheWrite5m: 3877, cacheWrite1h: 0 })
  })

  it('a split that does not add up keeps the remainder as 5-minute (mockllm writes zeros)', () => {
    expect(
      claudeUsageToTokens({
        input_tokens: 2849,
        cache_creation_input_tokens: 16141,
        cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
        output_tokens: 20,
      }),
    ).toMatchObject({ cacheWrite5m: 16141, cacheWrite1h: 0 })
    expect(
      claudeUsageToTokens({
        cache_creation_input_tokens: 100,
        cache_creation: { ephemeral_1h_input_tokens: 60 },
      }),
    ).toMatchObject({ cacheWrite5m: 40, cacheWrite1h: 60 })
  })

  it('missing, null, negative or non-numeric counts are 0', () => {
    expect(
      claudeUsageToTokens({
        input_tokens: null,
        output_tokens: '7',
        cache_read_input_tokens: -1,
        cache_creation: null,
      }),
    ).toEqual({ input: 0, output: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, reasoning: 0 })
  })
})
