import { describe, expect, it } from 'vitest'
import { sessionSchema } from '../wire/sessions.js'
import { sessionsToJson } from './session-json.js'
import { makeMessage, makeSession, RICH, UNPRICED } from './test-fixtures.js'

describe('sessionsToJson', () => {
  it('exports one session as a single pretty-printed object ending with a newline', () => {
    const body = sessionsToJson([{ session: makeSession(), messages: [] }])
    expect(body.startsWith('{\n  "id": "sess_1",\n  "externalId": "ext-1",\n')).toBe(true)
    expect(body.endsWith('  "updatedAt": 1760529600000,\n  "messages": []\n}\n')).toBe(true)
  })

  it('is lossless: parsing it back gives every session field, message and part', () => {
    const parsed: unknown = JSON.parse(sessionsToJson([RICH]))
    expect(parsed).toEqual({ ...RICH.session, messages: RICH.messages })
  })

  it('exports several sessions as an array, and none as an empty array', () => {
    const parsed: unknown = JSON.parse(sessionsToJson([RICH, UNPRICED]))
    expect(parsed).toEqual([
      { ...RICH.session, messages: RICH.messages },
      { ...UNPRICED.session, messages: UNPRICED.messages },
    ])
    expect(sessionsToJson([])).toBe('[]\n')
  })

  it('keeps the wire field order and drops properties that are not wire fields', () => {
    const session = { ...makeSession(), userId: 'u_secret' }
    const message = { ...makeMessage(), userId: 'u_secret' }
    const body = sessionsToJson([{ session, messages: [message] }])
    expect(body).not.toContain('u_secret')
    const parsed = JSON.parse(body) as Record<string, unknown>
    expect(Object.keys(parsed)).toEqual([...Object.keys(sessionSchema.shape), 'messages'])
  })

  it('writes Unicode as is', () => {
    const body = sessionsToJson([RICH])
    expect(body).toContain('🚀👩‍💻 — 修复解析器 — תקן את המנתח — إصلاح المحلل')
  })
})
