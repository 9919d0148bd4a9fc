import { describe, expect, it } from 'vitest'
import type { CallArgs } from './messages.js'
import { entryToMessage, usageToTokens } from './messages.js'
import type { PiRecord } from './schema.js'
import { parseEntry, parseUsage } from './schema.js'

function message(raw: PiRecord, calls: CallArgs = new Map()) {
  const entry = parseEntry(raw, 2)
  return entry === null ? null : entryToMessage(entry, calls)
}

describe('usageToTokens', () => {
  it('maps pi-ai usage onto our buckets (input already excludes cache)', () => {
    // mockllm session A, line 5: 208 + 20 + 0 + 1176 = 1404 = totalTokens, so `input` is the
    // uncached part only.
    const usage = parseUsage({
      input: 208,
      output: 20,
      cacheRead: 0,
      cacheWrite: 1176,
      totalTokens: 1404,
    })
    expect(usage && usageToTokens(usage)).toEqual({
      input: 208,
      output: 20,
      cacheRead: 0,
      cacheWrite5m: 1176,
      cacheWrite1h: 0,
      reasoning: 0,
    })
  })

  it('counts a bare totalTokens as output, and drops negative or non-numeric counts', () => {
    const onlyTotal = parseUsage({ totalTokens: 333 })
    expect(onlyTotal && usageToTokens(onlyTotal)).toMatchObject({ input: 0, output: 333 })
    const bad = parseUsage({ input: -5, output: '7', cacheRead: 2.6, totalTokens: 9 })
    expect(bad && usageToTokens(bad)).toMatchObject({ input: 0, output: 0, cacheRead: 3 })
  })
})

describe('entryToMessage', () => {
  it('keeps a failed request that reported tokens (it was billed)', () => {
    const m = message({
      type: 'message',
      message: {
        role: 'assistant',
        content: [{ type: 'text', text: 'partial' }],
        usage: { input: 1, output: 5, cacheRead: 100, cacheWrite: 0, cost: { total: 0.5 } },
        stopReason: 'aborted',
        errorMessage: 'Request was aborted.',
        timestamp: 1,
      },
    })
    expect(m?.usage).toMatchObject({ input: 1, output: 5, cacheRead: 100 })
    expect(m?.reportedCost).toBe(0.5)
    expect(m?.parts.at(-1)).toEqual({
      type: 'other',
      kind: 'error',
      raw: { stopReason: 'aborted', errorMessage: 'Request was aborted.' },
    })
  })

  it('reads message-role summaries and unknown roles', () => {
    expect(
      message({
        type: 'message',
        message: { role: 'compactionSummary', summary: 'S', tokensBefore: 5 },
      }),
    ).toMatchObject({ role: 'system', flags: ['compaction-summary'] })
    expect(
      message({ type: 'message', message: { role: 'branchSummary', summary: 'B', fromId: 'x' } }),
    ).toMatchObject({ role: 'system', flags: ['synthetic'] })
    expect(message({ type: 'message', message: { role: 'robot', beep: 1 } })).toMatchObject({
      role: 'unknown',
      parts: [{ type: 'other', kind: 'robot', raw: { role: 'robot', beep: 1 } }],
    })
  })

  it('keeps unknown content blocks and tool-result images, never image data', () => {
    const calls: CallArgs = new Map()
    const m = message(
      {
        type: 'message',
        message: {
          role: 'toolResult',
          toolCallId: 'c1',
          toolName: 'read',
          content: [
            { type: 'text', text: 'a' },
            { type: 'text', text: 'b' },
            { type: 'image', data: 'AAAA', mimeType: 'image/jpeg' },
            { type: 'audio' },
          ],
          isError: false,
        },
      },
      calls,
    )
    expect(m?.parts).toEqual([
      { type: 'tool-result', callId: 'c1', name: 'read', output: 'a\nb', isError: false },
      { type: 'image', mediaType: 'image/jpeg', url: null },
    ])
    const user = message({
      type: 'message',
      message: { role: 'user', content: [{ type: 'audio' }, 7] },
    })
    expect(user?.parts).toEqual([
      { type: 'other', kind: 'audio', raw: { type: 'audio' } },
      { type: 'other', kind: 'number', raw: 7 },
    ])
  })

  it('is null for state entries and entries it does not know', () => {
    for (const type of ['model_change', 'label', 'session_info', 'custom', 'future']) {
      expect(message({ type })).toBeNull()
    }
  })
})
