/** What a normalised session becomes on the wire. */
import type { NormalizedMessage, NormalizedSession } from '@opensync/agents'
import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../src/sync/config.js'
import { toWireMessage, toWireSession } from '../src/sync/payload.js'
import { createRedactor } from '../src/sync/redaction.js'
import { parseSince } from '../src/sync/select.js'

const message: NormalizedMessage = {
  externalId: 'm1',
  role: 'assistant',
  createdAt: 1_700_000_000_000,
  model: 'claude-sonnet-4-5',
  provider: 'anthropic',
  text: 'done',
  parts: [
    { type: 'reasoning', text: 'let me think' },
    { type: 'text', text: 'done' },
    { type: 'tool-call', callId: 'c1', name: 'Bash', args: { command: 'ls' } },
    { type: 'tool-result', callId: 'c1', name: 'Bash', output: 'a b', isError: false },
  ],
  usage: { input: 1, output: 2, cacheRead: 3, cacheWrite5m: 4, cacheWrite1h: 5, reasoning: 1 },
  reportedCost: 0.25,
  durationMs: 1200,
  parentExternalId: null,
  flags: [],
}

const session: NormalizedSession = {
  externalId: 's1',
  source: 'claude-code',
  title: 'fix the build',
  projectPath: '/home/dev/app',
  projectName: 'app',
  cwd: '/home/dev/app',
  gitBranch: 'main',
  model: 'claude-sonnet-4-5',
  provider: 'anthropic',
  agentVersion: '2.1.38',
  parentExternalId: null,
  startedAt: 1_700_000_000_000,
  endedAt: 1_700_000_060_000,
  messages: [message],
  reportedTotals: { promptTokens: 100, completionTokens: 20 },
}

const options = (over: Partial<ReturnType<typeof defaultConfig>> = {}) => ({
  ...defaultConfig(),
  machine: 'laptop',
  ...over,
  redactor: createRedactor(false),
})

describe('payload', () => {
  it('maps session fields, machine, duration and reported totals', () => {
    expect(toWireSession(session, options())).toEqual({
      externalId: 's1',
      source: 'claude-code',
      title: 'fix the build',
      projectPath: '/home/dev/app',
      projectName: 'app',
      cwd: '/home/dev/app',
      gitBranch: 'main',
      model: 'claude-sonnet-4-5',
      provider: 'anthropic',
      agentVersion: '2.1.38',
      machine: 'laptop',
      startedAt: 1_700_000_000_000,
      endedAt: 1_700_000_060_000,
      createdAt: 1_700_000_000_000,
      durationMs: 60_000,
      promptTokens: 100,
      completionTokens: 20,
    })
  })

  it('maps a message with its parts, usage and reported cost', () => {
    expect(toWireMessage(session, message, options())).toEqual({
      sessionExternalId: 's1',
      externalId: 'm1',
      source: 'claude-code',
      role: 'assistant',
      textContent: 'done',
      parts: message.parts,
      model: 'claude-sonnet-4-5',
      provider: 'anthropic',
      createdAt: 1_700_000_000_000,
      durationMs: 1200,
      cost: 0.25,
      usage: message.usage,
    })
  })

  it('drops thinking with syncThinking off and tool parts with syncToolCalls off', () => {
    const noThinking = toWireMessage(session, message, options({ syncThinking: false }))
    expect(noThinking?.parts.map((p) => p.type)).toEqual(['text', 'tool-call', 'tool-result'])
    const noTools = toWireMessage(session, message, options({ syncToolCalls: false }))
    expect(noTools?.parts.map((p) => p.type)).toEqual(['reasoning', 'text'])
    // A tool-result-only message with nothing left to say is not sent at all.
    const toolOnly = { ...message, text: '', usage: null, parts: message.parts.slice(3) }
    expect(toWireMessage(session, toolOnly, options({ syncToolCalls: false }))).toBeNull()
    // …unless it carries usage, which the totals need.
    expect(
      toWireMessage(
        session,
        { ...toolOnly, usage: message.usage },
        options({ syncToolCalls: false }),
      ),
    ).not.toBeNull()
  })

  it('parses --since as a date or a span back from now', () => {
    expect(parseSince('2026-01-31')).toBe(Date.parse('2026-01-31'))
    expect(parseSince('7d', 10 * 86_400_000)).toBe(3 * 86_400_000)
    expect(parseSince('12h', 86_400_000)).toBe(43_200_000)
    expect(() => parseSince('last tuesday')).toThrow(/--since/)
  })
})
