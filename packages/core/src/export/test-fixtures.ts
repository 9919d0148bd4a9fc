/**
 * Realistic sessions for the export tests (kept out of `*.test.ts` so several test files can
 * share them; plain data, no test framework).
 */
import type { Message, Session } from '../wire/sessions.js'
import type { Tokens } from '../wire/usage.js'
import type { SessionExport } from './types.js'

const T0 = Date.UTC(2025, 9, 15, 12, 0, 0)

export function tokens(partial: Partial<Tokens> = {}): Tokens {
  return {
    input: 0,
    output: 0,
    cacheRead: 0,
    cacheWrite5m: 0,
    cacheWrite1h: 0,
    reasoning: 0,
    ...partial,
  }
}

export function makeSession(overrides: Partial<Session> = {}): Session {
  return {
    id: 'sess_1',
    externalId: 'ext-1',
    source: 'claude-code',
    title: 'Small session',
    projectPath: null,
    projectName: null,
    cwd: null,
    gitBranch: null,
    model: null,
    provider: null,
    agentVersion: null,
    machine: null,
    parentExternalId: null,
    startedAt: null,
    endedAt: null,
    durationMs: null,
    messageCount: 0,
    tokens: tokens(),
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    cost: null,
    costMicros: null,
    usageOrigin: 'none',
    unpriced: { requests: 0, tokens: 0, models: [] },
    reportedCost: null,
    isPublic: false,
    publicSlug: null,
    evalReady: false,
    evalStatus: null,
    evalTags: [],
    evalNotes: null,
    expectedOutput: null,
    reviewedAt: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  }
}

export function makeMessage(overrides: Partial<Message> = {}): Message {
  return {
    id: 'msg_1',
    externalId: 'm-1',
    sessionId: 'sess_1',
    role: 'user',
    textContent: '',
    model: null,
    provider: null,
    createdAt: T0,
    durationMs: null,
    usage: null,
    cost: null,
    costMicros: null,
    priceStatus: 'no-usage',
    pricedModel: null,
    reportedCost: null,
    parts: [],
    ...overrides,
  }
}

export const UNICODE_TEXT = 'Fix the parser 🚀👩‍💻 — 修复解析器 — תקן את המנתח — إصلاح المحلل'

/** Tool output that tries to break out of a code fence. */
export const FENCE_BREAKER = 'before\n```\n# Injected heading\n````\nafter ``````'

const RICH_TOKENS = tokens({ input: 1234, output: 567, cacheRead: 12_000, reasoning: 120 })

/** A priced claude-code session: thinking, a tool call and its (failed) result, a patch,
 * Unicode, an empty message, a system prompt, and a title with commas, quotes and a newline. */
export const RICH: SessionExport = {
  session: makeSession({
    id: 'sess_rich',
    externalId: 'ses_01J9ZK/claude code:abc',
    title: 'Fix "parser", add tests\nand docs',
    projectName: 'opensync',
    projectPath: '/home/dev/opensync',
    cwd: '/home/dev/opensync',
    gitBranch: 'main',
    model: 'claude-sonnet-4-5',
    provider: 'anthropic',
    agentVersion: '2.0.14',
    machine: 'devbox',
    startedAt: T0,
    endedAt: T0 + 301_000,
    durationMs: 301_000,
    messageCount: 6,
    tokens: RICH_TOKENS,
    promptTokens: 13_234,
    completionTokens: 567,
    totalTokens: 13_801,
    cost: 0.012_345,
    costMicros: 12_345,
    usageOrigin: 'messages',
    evalTags: ['parser', 'unicode'],
    createdAt: T0,
    updatedAt: T0 + 301_000,
  }),
  messages: [
    makeMessage({
      id: 'msg_sys',
      externalId: 'm-0',
      sessionId: 'sess_rich',
      role: 'system',
      textContent: 'You are a careful coding agent.',
      parts: [{ type: 'text', text: 'You are a careful coding agent.' }],
    }),
    makeMessage({
      id: 'msg_user',
      externalId: 'm-1',
      sessionId: 'sess_rich',
      role: 'user',
      textContent: UNICODE_TEXT,
      createdAt: T0 + 1000,
      parts: [{ type: 'text', text: UNICODE_TEXT }],
    }),
    makeMessage({
      id: 'msg_asst',
      externalId: 'm-2',
      sessionId: 'sess_rich',
      role: 'assistant',
      textContent: 'Running the tests first.',
      model: 'claude-sonnet-4-5',
      provider: 'anthropic',
      createdAt: T0 + 5000,
      durationMs: 4000,
      usage: RICH_TOKENS,
      cost: 0.012_345,
      costMicros: 12_345,
      priceStatus: 'priced',
      pricedModel: 'claude-sonnet-4-5',
      parts: [
        { type: 'reasoning', text: 'The user wants tests run.\nCheck `npm test`.' },
        { type: 'text', text: 'Running the tests first.' },
        {
          type: 'tool-call',
          callId: 'toolu_01',
          name: 'Bash',
          args: { command: 'npm test -- --grep "a,b"', timeout: 120_000 },
        },
      ],
    }),
    makeMessage({
      id: 'msg_tool',
      externalId: 'm-3',
      sessionId: 'sess_rich',
      role: 'tool',
      createdAt: T0 + 9000,
      parts: [
        {
          type: 'tool-result',
          callId: 'toolu_01',
          name: 'Bash',
          output: FENCE_BREAKER,
          isError: true,
        },
      ],
    }),
    makeMessage({
      id: 'msg_patch',
      externalId: 'm-4',
      sessionId: 'sess_rich',
      role: 'assistant',
      createdAt: T0 + 12_000,
      parts: [
        { type: 'patch', path: 'src/parser.ts', diff: '-const a = 1\n+const a = 2\n' },
        { type: 'image', mediaType: 'image/png', url: 'https://example.com/shot.png' },
      ],
    }),
    makeMessage({
      id: 'msg_empty',
      externalId: 'm-5',
      sessionId: 'sess_rich',
      role: 'user',
      createdAt: T0 + 15_000,
    }),
  ],
}

/** An unpriced session (model with no price), no title, a CJK externalId, a formula title. */
export const UNPRICED: SessionExport = {
  session: makeSession({
    id: 'sess_unpriced',
    externalId: '会话 1',
    source: 'opencode',
    title: null,
    projectPath: '=HYPERLINK("http://evil","x")',
    model: 'mystery-model',
    messageCount: 1,
    tokens: tokens({ input: 1000, output: 500 }),
    promptTokens: 1000,
    completionTokens: 500,
    totalTokens: 1500,
    usageOrigin: 'messages',
    unpriced: { requests: 1, tokens: 1500, models: ['mystery-model'] },
  }),
  messages: [
    makeMessage({
      id: 'msg_u1',
      externalId: 'u-1',
      sessionId: 'sess_unpriced',
      role: 'assistant',
      textContent: 'Done.',
      usage: tokens({ input: 1000, output: 500 }),
      priceStatus: 'unpriced',
      parts: [{ type: 'text', text: 'Done.' }],
    }),
  ],
}
