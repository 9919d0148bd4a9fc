import { describe, expect, it } from 'vitest'
import type { Part } from '../wire/parts.js'
import type { Message } from '../wire/sessions.js'
import { sessionsToMarkdown } from './session-markdown.js'
import { FENCE_BREAKER, makeMessage, makeSession, RICH, tokens, UNPRICED } from './test-fixtures.js'

/** Lines of a CommonMark document that are outside fenced code blocks. */
function outsideFences(markdown: string): string[] {
  const out: string[] = []
  let open: string | null = null
  for (const line of markdown.split('\n')) {
    const m = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line)
    if (open === null) {
      if (m?.[1] !== undefined && !(m[1].startsWith('`') && (m[2] ?? '').includes('`'))) {
        open = m[1]
      } else {
        out.push(line)
      }
    } else if (
      m?.[1] !== undefined &&
      m[1][0] === open[0] &&
      m[1].length >= open.length &&
      (m[2] ?? '').trim() === ''
    ) {
      open = null
    }
  }
  expect(open).toBeNull()
  return out
}

function headings(markdown: string): string[] {
  return outsideFences(markdown).filter((l) => /^#{1,6} /.test(l))
}

function one(parts: Part[], extra: Partial<Message> = {}): string {
  const message = makeMessage({ role: 'assistant', parts, ...extra })
  return sessionsToMarkdown([{ session: makeSession(), messages: [message] }])
}

describe('sessionsToMarkdown', () => {
  it('renders a small session exactly (golden)', () => {
    const session = makeSession({
      title: 'Rename | the "util" #1',
      projectName: 'opensync',
      model: 'claude-sonnet-4-5',
      provider: 'anthropic',
      startedAt: Date.UTC(2025, 9, 15, 12, 0, 0),
      durationMs: 65_000,
      tokens: tokens({ input: 1234, output: 567, cacheRead: 12_000 }),
      totalTokens: 13_801,
      cost: 0.0123,
      costMicros: 12_300,
    })
    const messages = [
      makeMessage({ textContent: 'Rename it, please.', parts: [] }),
      makeMessage({
        role: 'assistant',
        usage: tokens({ input: 1234, output: 567, cacheRead: 12_000 }),
        cost: 0.0123,
        costMicros: 12_300,
        parts: [{ type: 'text', text: 'Done.\n' }],
      }),
    ]
    expect(sessionsToMarkdown([{ session, messages }])).toBe(
      [
        '# Rename \\| the "util" \\#1',
        '',
        '| Property | Value |',
        '| --- | --- |',
        '| ID | `ext-1` |',
        '| Source | claude-code |',
        '| Project | opensync |',
        '| Model | claude-sonnet-4-5 (anthropic) |',
        '| Started | 2025-10-15 12:00:00 UTC |',
        '| Duration | 1m 5s |',
        '| Tokens | 13,801 (1,234 in · 567 out · 12,000 cache read) |',
        '| Cost | $0.0123 |',
        '',
        '---',
        '',
        '## User',
        '',
        'Rename it, please.',
        '',
        '## Assistant',
        '',
        'Done.',
        '',
        '_1,234 in · 567 out · 12,000 cache read · $0.0123_',
        '',
      ].join('\n'),
    )
  })

  it('renders the rich fixture: roles, thinking, tool call and failed result, patch', () => {
    const md = sessionsToMarkdown([RICH])
    expect(headings(md)).toEqual([
      '# Fix "parser", add tests and docs',
      '## System',
      '## User',
      '## Assistant',
      '## Tool',
      '## Assistant',
      '## User',
    ])
    expect(md).toContain(
      '<details><summary>Thinking</summary>\n\nThe user wants tests run.\nCheck `npm test`.\n\n</details>',
    )
    expect(md).toContain(
      '**Tool call: Bash**\n\n```json\n{\n  "command": "npm test -- --grep \\"a,b\\"",\n' +
        '  "timeout": 120000\n}\n```',
    )
    expect(md).toContain(`**Result (error)**\n\n\`\`\`\`\`\`\`\n${FENCE_BREAKER}\n\`\`\`\`\`\`\`\n`)
    expect(md).toContain('**Patch: src/parser.ts**\n\n```diff\n-const a = 1\n+const a = 2\n```')
    expect(md).toContain('**Image** (image/png) `https://example.com/shot.png`')
    expect(md).toContain('## User\n\n_(empty message)_\n')
    expect(md).toContain('| Started | 2025-10-15 12:00:00 UTC |')
    expect(md).toContain('| Duration | 5m 1s |')
    expect(md).toContain('🚀👩‍💻 — 修复解析器 — תקן את המנתח — إصلاح المحلل')
    expect(md).toContain('_1,234 in · 567 out · 12,000 cache read · 120 reasoning · $0.0123_')
  })

  it('labels every role by what it is', () => {
    const roles = ['user', 'assistant', 'system', 'tool', 'unknown'] as const
    const messages = roles.map((role) => makeMessage({ role, textContent: role }))
    const md = sessionsToMarkdown([{ session: makeSession(), messages }])
    expect(headings(md).slice(1)).toEqual([
      '## User',
      '## Assistant',
      '## System',
      '## Tool',
      '## Unknown',
    ])
  })

  it('shows unpriced sessions and messages as unpriced, untitled as "Untitled session"', () => {
    const md = sessionsToMarkdown([UNPRICED])
    expect(md.startsWith('# Untitled session\n')).toBe(true)
    expect(md).toContain('| Cost | unpriced (mystery-model) |')
    expect(md).toContain('_1,000 in · 500 out · unpriced_')
  })

  it('shows what a partly priced session left out', () => {
    const session = makeSession({
      cost: 1.5,
      costMicros: 1_500_000,
      unpriced: { requests: 2, tokens: 5000, models: ['x-model'] },
    })
    expect(sessionsToMarkdown([{ session, messages: [] }])).toContain(
      '| Cost | $1.5000 + 5,000 tokens unpriced (x-model) |',
    )
  })

  it('joins several sessions with a rule and ends with one newline', () => {
    const a = { session: makeSession({ title: 'A' }), messages: [] }
    const b = { session: makeSession({ title: 'B' }), messages: [] }
    const md = sessionsToMarkdown([a, b])
    expect(md).toBe(`${sessionsToMarkdown([a]).trimEnd()}\n\n---\n\n${sessionsToMarkdown([b])}`)
    expect(md.endsWith('_No messages._\n')).toBe(true)
    expect(sessionsToMarkdown([])).toBe('')
  })

  it('makes fences longer than any backtick run in the content', () => {
    for (const run of [1, 2, 3, 4, 9]) {
      const ticks = '`'.repeat(run)
      const output = `${ticks}\n## Escaped ${run}\n${ticks}`
      const md = one([
        { type: 'tool-result', callId: null, name: null, output, isError: false },
        { type: 'tool-call', callId: null, name: 'x', args: { s: `${ticks}\n## no` } },
        { type: 'patch', path: null, diff: `${ticks}diff\n## no\n` },
        { type: 'file', path: 'a.md', mediaType: null, text: `${ticks}\n## no` },
      ])
      expect(headings(md)).toEqual(['# Small session', '## Assistant'])
      expect(md).toContain(`${'`'.repeat(Math.max(3, run + 1))}\n${output}\n`)
    }
  })

  it('closes a code fence that a text leaves open, so later messages stay out of it', () => {
    const messages = [
      makeMessage({ role: 'assistant', parts: [{ type: 'text', text: 'Here:\n````ts\nconst x' }] }),
      makeMessage({ role: 'user', parts: [{ type: 'text', text: '~~~\nopen tilde' }] }),
      makeMessage({ role: 'user', textContent: 'still a heading above' }),
    ]
    const md = sessionsToMarkdown([{ session: makeSession(), messages }])
    expect(md).toContain('Here:\n````ts\nconst x\n````\n\n## User')
    expect(md).toContain('~~~\nopen tilde\n~~~\n\n## User')
    expect(headings(md)).toEqual(['# Small session', '## Assistant', '## User', '## User'])
  })

  it('keeps a literal </details> in thinking from closing the block', () => {
    const md = one([{ type: 'reasoning', text: 'a </details> b' }])
    expect(md).toContain('<details><summary>Thinking</summary>\n\na &lt;/details> b\n\n</details>')
  })

  it('falls back to textContent when no part has text, and renders other parts', () => {
    const md = one(
      [
        { type: 'tool-call', callId: 'c1', name: 'weird`name*', args: 'not json' },
        { type: 'tool-result', callId: 'c1', name: null, output: '', isError: false },
        { type: 'other', kind: 'step-start', raw: { type: 'step-start' } },
        { type: 'reasoning', text: '' },
      ],
      { textContent: 'Legacy text.' },
    )
    expect(md).toContain(
      '## Assistant\n\nLegacy text.\n\n**Tool call: weird\\`name\\***\n\n```\nnot json\n```\n\n' +
        '**Result** _(no output)_\n\n**Part: step-start**\n\n```json\n{\n  "type": "step-start"\n}\n```\n',
    )
    expect(md).not.toContain('Thinking')
  })

  it('puts no usage line under user messages or assistant messages without usage', () => {
    const md = sessionsToMarkdown([
      {
        session: makeSession(),
        messages: [
          makeMessage({ role: 'user', textContent: 'q', usage: tokens({ input: 5 }) }),
          makeMessage({ role: 'assistant', textContent: 'a' }),
        ],
      },
    ])
    expect(md).not.toMatch(/ in · /)
  })

  it('keeps the heading and table cells on one line', () => {
    const session = makeSession({
      title: 'multi\nline | title',
      projectName: 'a|b',
      externalId: 'id|with`tick',
    })
    const md = sessionsToMarkdown([{ session, messages: [] }])
    expect(md).toContain('# multi line \\| title\n')
    expect(md).toContain('| Project | a\\|b |')
    expect(md).toContain('| ID | ``id\\|with`tick`` |')
  })
})
