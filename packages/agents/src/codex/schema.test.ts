import { describe, expect, it } from 'vitest'
import { isCompressedMagic, parseRolloutLine, parseUsage } from './schema.js'

describe('parseRolloutLine', () => {
  it('keeps only what the reader uses from session_meta', () => {
    const outcome = parseRolloutLine({
      timestamp: '2026-01-01T00:00:01.000Z',
      ordinal: 0,
      type: 'session_meta',
      payload: {
        id: 't1',
        timestamp: '2026-01-01T00:00:00.000Z',
        cwd: '/w',
        originator: 'codex_cli_rs',
        cli_version: '1.0.0',
        model_provider: 'openai',
        base_instructions: { text: 'x'.repeat(20_000) },
        git: { branch: 'main' },
        forked_from_id: 'parent-thread',
      },
    })
    expect(outcome).toEqual({
      ok: true,
      value: {
        timestamp: Date.parse('2026-01-01T00:00:01.000Z'),
        record: {
          kind: 'session-meta',
          meta: {
            id: 't1',
            createdAt: Date.parse('2026-01-01T00:00:00.000Z'),
            cwd: '/w',
            originator: 'codex_cli_rs',
            cliVersion: '1.0.0',
            provider: 'openai',
            gitBranch: 'main',
            parentId: 'parent-thread',
            spawnCallId: null,
          },
        },
      },
    })
  })

  it('knows the ignored and unknown types apart', () => {
    expect(parseRolloutLine({ type: 'world_state', payload: {} })).toEqual({
      ok: true,
      value: { timestamp: null, record: { kind: 'ignored' } },
    })
    expect(parseRolloutLine({ type: 'hyperdrive', payload: {} })).toMatchObject({
      ok: false,
      error: { code: 'unknown-record' },
    })
    expect(parseRolloutLine({ type: 'response_item', payload: [] })).toMatchObject({
      ok: false,
      error: { code: 'invalid-record' },
    })
    expect(parseRolloutLine({ type: 'event_msg', payload: {} })).toMatchObject({
      ok: false,
      error: { code: 'invalid-record' },
    })
    expect(parseRolloutLine('text')).toMatchObject({ ok: false, error: { code: 'invalid-record' } })
    expect(parseRolloutLine({ type: 'turn.completed', usage: {} })).toMatchObject({
      ok: false,
      error: { code: 'unsupported-format' },
    })
  })

  it('reads token_count info: null, totals, last and a line-level model', () => {
    expect(
      parseRolloutLine({ type: 'event_msg', payload: { type: 'token_count', info: null } }),
    ).toEqual({
      ok: true,
      value: {
        timestamp: null,
        record: { kind: 'token-count', usage: { total: null, last: null, model: null } },
      },
    })
    const line = parseRolloutLine({
      type: 'event_msg',
      payload: {
        type: 'token_count',
        info: { model: 'gpt-5', last_token_usage: { input_tokens: 3, output_tokens: 1 } },
      },
    })
    expect(line).toMatchObject({
      ok: true,
      value: {
        record: {
          usage: {
            total: null,
            last: { input: 3, cached: 0, cacheWrite: 0, output: 1, reasoning: 0 },
            model: 'gpt-5',
          },
        },
      },
    })
  })
})

describe('parseUsage', () => {
  it('treats missing, negative and non-numeric counts as 0', () => {
    expect(
      parseUsage({
        input_tokens: 10,
        cached_input_tokens: -1,
        output_tokens: '5',
        total_tokens: 99,
      }),
    ).toEqual({ input: 10, cached: 0, cacheWrite: 0, output: 0, reasoning: 0 })
    expect(parseUsage(null)).toBeNull()
  })
})

describe('isCompressedMagic', () => {
  it('detects gzip and zstd', () => {
    expect(isCompressedMagic(Uint8Array.from([0x1f, 0x8b, 8, 0]))).toBe('gzip')
    expect(isCompressedMagic(Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd]))).toBe('zstd')
    expect(isCompressedMagic(Buffer.from('{"ti'))).toBeNull()
    expect(isCompressedMagic(Uint8Array.from([]))).toBeNull()
  })
})
