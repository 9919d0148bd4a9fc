// The expected totals, computed by running the readers directly (no CLI code involved).
import { READERS } from '@opensync/agents'
import { TOKEN_BUCKETS, type Tokens } from '@opensync/core/wire'

export type Totals = {
  readonly sessions: number
  readonly messages: number
  readonly tokens: Tokens
  readonly sessionIds: ReadonlySet<string>
}

export async function readerTotals(
  env: Readonly<Record<string, string>>,
  agents?: readonly string[],
): Promise<Totals> {
  const sessionIds = new Set<string>()
  const messages = new Map<string, Tokens | null>()
  for (const reader of READERS) {
    if (agents && !agents.includes(reader.id)) continue
    for await (const source of reader.discover(env)) {
      const result = await reader.read(source)
      for (const session of result.sessions) {
        sessionIds.add(session.externalId)
        for (const m of session.messages) {
          messages.set(`${session.externalId}\u0000${m.externalId}`, m.usage)
        }
      }
    }
  }
  const tokens = {
    input: 0,
    output: 0,
    cacheRead: 0,
    cacheWrite5m: 0,
    cacheWrite1h: 0,
    reasoning: 0,
  }
  for (const usage of messages.values()) {
    for (const bucket of TOKEN_BUCKETS) tokens[bucket] += usage?.[bucket] ?? 0
  }
  return { sessions: sessionIds.size, messages: messages.size, tokens, sessionIds }
}
