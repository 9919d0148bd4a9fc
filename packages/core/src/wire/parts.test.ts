import { describe, expect, it } from 'vitest'
import { normalizePart, textFromParts } from './parts.js'

describe('normalizePart', () => {
  it('maps every vocabulary seen in the wild onto the part union', () => {
    expect(normalizePart('plain')).toEqual([{ type: 'text', text: 'plain' }])
    expect(normalizePart({ type: 'text', text: 'inline' })).toEqual([
      { type: 'text', text: 'inline' },
    ])
    expect(normalizePart({ type: 'text', content: { content: 'nested' } })).toEqual([
      { type: 'text', text: 'nested' },
    ])
    expect(normalizePart({ type: 'thinking', thinking: 'deep' })).toEqual([
      { type: 'reasoning', text: 'deep' },
    ])
    expect(
      normalizePart({
        type: 'tool_call',
        content: { toolCallId: 'c', name: 'ls', input: { a: 1 } },
      }),
    ).toEqual([{ type: 'tool-call', callId: 'c', name: 'ls', args: { a: 1 } }])
    expect(
      normalizePart({ type: 'tool-result', content: { callId: 'c', output: { rows: 2 } } }),
    ).toEqual([
      { type: 'tool-result', callId: 'c', name: null, output: '{"rows":2}', isError: false },
    ])
    expect(normalizePart({ type: 'patch', content: { path: 'a.ts', diff: '-a\n+b' } })).toEqual([
      { type: 'patch', path: 'a.ts', diff: '-a\n+b' },
    ])
    expect(
      normalizePart({
        type: 'image',
        content: { url: 'data:image/png;base64,AAAA', mediaType: 'image/png' },
      }),
    ).toEqual([{ type: 'image', mediaType: 'image/png', url: null }])
  })

  it('passes every normalised part through unchanged', () => {
    const parts = [
      { type: 'text', text: 't' },
      { type: 'reasoning', text: 'r' },
      { type: 'tool-call', callId: 'c', name: 'n', args: { a: [1] } },
      { type: 'tool-result', callId: 'c', name: 'n', output: 'o', isError: true },
      { type: 'file', path: 'p', mediaType: 'text/plain', text: null },
      { type: 'patch', path: 'p', diff: '+x' },
      { type: 'image', mediaType: 'image/png', url: 'https://x/y.png' },
      { type: 'other', kind: 'label', raw: { label: 'x' } },
    ]
    expect(parts.flatMap(normalizePart)).toEqual(parts)
  })

  it('keeps what it cannot place as other, and never throws', () => {
    expect(normalizePart({ type: 'step-start', snapshot: 'x' })).toEqual([
      { type: 'other', kind: 'step-start', raw: { type: 'step-start', snapshot: 'x' } },
    ])
    expect(normalizePart(42)).toEqual([{ type: 'other', kind: 'number', raw: 42 }])
    expect(normalizePart(null)).toEqual([{ type: 'other', kind: 'object', raw: null }])
    expect(normalizePart({ type: 'text', content: 5 })[0]?.type).toBe('other')
  })

  it('joins text parts for the message text', () => {
    expect(
      textFromParts([
        { type: 'text', text: 'a' },
        { type: 'reasoning', text: 'hidden' },
        { type: 'text', text: 'b' },
      ]),
    ).toBe('a\n\nb')
  })
})
