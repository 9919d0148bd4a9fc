import { describe, expect, it } from 'vitest'
import { sessionsToJsonl } from './session-jsonl.js'
import { makeMessage, makeSession, RICH, UNPRICED } from './test-fixtures.js'

function lines(body: string): string[] {
  expect(body.endsWith('\n')).toBe(true)
  return body.slice(0, -1).split('\n')
}

describe('sessionsToJsonl', () => {
  it('writes one exact line per message', () => {
    const session = makeSession({ title: 'Ünïcode, "quoted"' })
    const message = makeMessage({ textContent: 'hi 👋', parts: [{ type: 'text', text: 'hi 👋' }] })
    expect(sessionsToJsonl([{ session, messages: [message] }])).toBe(
      '{"sessionId":"sess_1","sessionExternalId":"ext-1","sessionTitle":"Ünïcode, \\"quoted\\"",' +
        '"source":"claude-code","id":"msg_1","externalId":"m-1","role":"user",' +
        '"textContent":"hi 👋","model":null,"provider":null,"createdAt":1760529600000,' +
        '"durationMs":null,"usage":null,"cost":null,"costMicros":null,' +
        '"priceStatus":"no-usage","pricedModel":null,"reportedCost":null,' +
        '"parts":[{"type":"text","text":"hi 👋"}]}\n',
    )
  })

  it('every line parses and carries its session and the whole message', () => {
    const items = [RICH, UNPRICED]
    const parsed = lines(sessionsToJsonl(items)).map((l) => JSON.parse(l) as unknown)
    const expected = items.flatMap(({ session, messages }) =>
      messages.map(({ sessionId: _sessionId, ...m }) => ({
        sessionId: session.id,
        sessionExternalId: session.externalId,
        sessionTitle: session.title,
        source: session.source,
        ...m,
      })),
    )
    expect(parsed).toEqual(expected)
    expect(parsed).toHaveLength(7)
  })

  it('keeps one record per line even with separators some splitters break on', () => {
    const text = 'a\u2028b\u2029c\u0085d\ne\rf'
    const message = makeMessage({ textContent: text, parts: [{ type: 'text', text }] })
    const body = sessionsToJsonl([{ session: makeSession(), messages: [message] }])
    expect(body).not.toMatch(/[\u2028\u2029\u0085\r]/)
    expect(body).toContain('a\\u2028b\\u2029c\\u0085d\\ne\\rf')
    const [line] = lines(body)
    expect(lines(body)).toHaveLength(1)
    expect((JSON.parse(line ?? '') as { textContent: string }).textContent).toBe(text)
  })

  it('writes nothing for sessions without messages', () => {
    expect(sessionsToJsonl([])).toBe('')
    expect(sessionsToJsonl([{ session: makeSession(), messages: [] }])).toBe('')
  })
})
