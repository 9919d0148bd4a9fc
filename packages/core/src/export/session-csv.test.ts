import { describe, expect, it } from 'vitest'
import { SESSION_CSV_COLUMNS, sessionsToCsv } from './session-csv.js'
import { makeSession, RICH, tokens, UNPRICED } from './test-fixtures.js'

const HEADER =
  'id,externalId,source,title,projectName,projectPath,model,provider,machine,startedAt,endedAt,' +
  'durationMs,messageCount,inputTokens,outputTokens,cacheReadTokens,cacheWrite5mTokens,' +
  'cacheWrite1hTokens,reasoningTokens,totalTokens,cost,unpricedTokens,createdAt,updatedAt'

/**
 * A strict RFC 4180 parser: records end with CRLF (a bare CR or LF is only allowed inside
 * quotes), quoted fields double their quotes, nothing may follow a closing quote but a
 * separator.
 */
function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let i = 0
  while (i < text.length) {
    let value = ''
    if (text[i] === '"') {
      i++
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field')
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"'
            i += 2
          } else {
            i++
            break
          }
        } else {
          value += text[i]
          i++
        }
      }
    } else {
      while (i < text.length && !',\r\n'.includes(text[i] ?? '')) {
        if (text[i] === '"') throw new Error(`bare quote at ${i}`)
        value += text[i]
        i++
      }
    }
    record.push(value)
    if (text[i] === ',') {
      i++
    } else if (text.startsWith('\r\n', i)) {
      records.push(record)
      record = []
      i += 2
    } else {
      throw new Error(`expected , or CRLF at ${i}, got ${JSON.stringify(text.slice(i, i + 5))}`)
    }
  }
  if (record.length > 0) throw new Error('last record has no CRLF')
  return records
}

function rows(body: string): Record<string, string>[] {
  const [header, ...data] = parseCsv(body)
  expect(header).toEqual(SESSION_CSV_COLUMNS)
  return data.map((r) => {
    expect(r).toHaveLength(SESSION_CSV_COLUMNS.length)
    return Object.fromEntries(SESSION_CSV_COLUMNS.map((c, i) => [c, r[i] ?? '']))
  })
}

describe('sessionsToCsv', () => {
  it('writes the header and one row per session, CRLF-terminated (golden)', () => {
    const session = makeSession({
      model: 'gpt-5, preview',
      provider: 'openai',
      startedAt: Date.UTC(2025, 9, 15, 12, 0, 0),
      durationMs: 1500,
      messageCount: 2,
      tokens: tokens({ input: 10, output: 20, cacheRead: 30, reasoning: 5 }),
      totalTokens: 60,
      cost: 0.000_123,
      costMicros: 123,
    })
    expect(sessionsToCsv([{ session, messages: [] }])).toBe(
      `${HEADER}\r\n` +
        'sess_1,ext-1,claude-code,Small session,,,"gpt-5, preview",openai,,' +
        '2025-10-15T12:00:00.000Z,,1500,2,10,20,30,0,0,5,60,0.000123,0,' +
        '2025-10-15T12:00:00.000Z,2025-10-15T12:00:00.000Z\r\n',
    )
  })

  it('writes only the header for no sessions', () => {
    expect(sessionsToCsv([])).toBe(`${HEADER}\r\n`)
  })

  it('round-trips through an RFC 4180 parser, commas, quotes and newlines included', () => {
    const [rich, unpriced, ...rest] = rows(sessionsToCsv([RICH, UNPRICED]))
    expect(rest).toEqual([])
    expect(rich).toMatchObject({
      id: 'sess_rich',
      externalId: 'ses_01J9ZK/claude code:abc',
      title: 'Fix "parser", add tests\nand docs',
      durationMs: '301000',
      totalTokens: '13801',
      cost: '0.012345',
      unpricedTokens: '0',
      endedAt: '2025-10-15T12:05:01.000Z',
    })
    expect(unpriced).toMatchObject({
      externalId: '会话 1',
      title: '',
      cost: '',
      unpricedTokens: '1500',
      startedAt: '',
    })
  })

  it('guards text fields against formula injection, but not numbers', () => {
    const risky = ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', 'a=b', ' =x', '']
    const body = sessionsToCsv(
      risky.map((title, i) => ({
        session: makeSession({ title, id: `s${i}`, durationMs: -5 }),
        messages: [],
      })),
    )
    const titles = rows(body).map((r) => r.title)
    expect(titles).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", 'a=b', ' =x', ''])
    expect(rows(body).every((r) => r.durationMs === '-5')).toBe(true)
    const [, unpriced] = rows(sessionsToCsv([RICH, UNPRICED]))
    expect(unpriced?.projectPath).toBe('\'=HYPERLINK("http://evil","x")')
  })
})
