import { type CommandContext, EXIT } from '../command-context.js'
import { output } from '../output.js'
import { createSyncClient } from '../sync/client.js'
import { loadConfig } from '../sync/config.js'
import { requireCredentials } from '../sync/credentials.js'

/** The source of the test session: not an agent, so it never mixes with real data. */
export const SYNCTEST_SOURCE = 'opensync-synctest'

/** `opensync synctest`: health, auth, then a test session with one message, read back. */
export async function synctestCommand(ctx: CommandContext): Promise<number> {
  const { url, apiKey } = await requireCredentials(ctx.env)
  const { config } = await loadConfig(ctx.env, ctx.cwd)
  const client = createSyncClient({ url, apiKey, timeoutMs: 15_000 })

  const health = await client.health()
  output.error(`✓ health: OpenSync ${health.version} at ${url}`)
  const me = await client.me()
  output.error(`✓ auth: key accepted (user ${me.name ?? me.email ?? me.id})`)

  const now = Date.now()
  const externalId = `opensync-synctest-${now}`
  const text = 'Hello from `opensync synctest`.'
  await client.session({
    externalId,
    source: SYNCTEST_SOURCE,
    title: 'OpenSync sync test',
    projectName: 'synctest',
    machine: config.machine,
    startedAt: now,
    endedAt: now,
    createdAt: now,
  })
  await client.message({
    sessionExternalId: externalId,
    externalId: `${externalId}-1`,
    source: SYNCTEST_SOURCE,
    role: 'user',
    textContent: text,
    parts: [{ type: 'text', text }],
    createdAt: now,
  })
  const stored = (await client.getSession(externalId)) as { messages?: unknown[] } | null
  const count = stored?.messages?.length ?? 0
  if (count !== 1) {
    output.error(`✗ the test session came back with ${count} messages instead of 1`)
    return EXIT.error
  }
  output.error(`✓ sync: session ${externalId} with 1 message stored and read back`)
  output.line('Sync test passed.')
  return EXIT.ok
}
