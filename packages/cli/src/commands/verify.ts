import { stat } from 'node:fs/promises'
import { READERS } from '@opensync/agents'
import { boolFlag, type CommandContext, EXIT } from '../command-context.js'
import { output } from '../output.js'
import { loadConfig } from '../sync/config.js'
import { checkConnection, mark } from '../sync/connection-check.js'
import { resolveCredentials } from '../sync/credentials.js'
import { fingerprintOf, sameFingerprint } from '../sync/fingerprint.js'
import { syncPaths, tildify } from '../sync/paths.js'
import { openSyncState, type SyncState } from '../sync/state.js'

type AgentReport = {
  readonly id: string
  readonly name: string
  readonly enabled: boolean
  readonly roots: readonly { path: string; exists: boolean }[]
  readonly sources: number
  readonly sessions: number
  readonly issues: number
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  )

/** Sessions per source: from the sync state when the source is unchanged, else read. */
async function agentReport(
  reader: (typeof READERS)[number],
  ctx: CommandContext,
  state: SyncState,
  enabled: boolean,
): Promise<AgentReport> {
  const roots = await Promise.all(
    reader.roots(ctx.env).map(async (path) => ({ path, exists: await exists(path) })),
  )
  let sources = 0
  let sessions = 0
  let issues = 0
  for await (const source of reader.discover(ctx.env)) {
    sources += 1
    const known = state.get(source.path)
    if (known && sameFingerprint(known.fingerprint, await fingerprintOf(source))) {
      sessions += Object.keys(known.sessions).length
      continue
    }
    const result = await reader.read(source).catch(() => ({ sessions: [], issues: [null] }))
    sessions += result.sessions.length
    issues += result.issues.length
  }
  return { id: reader.id, name: reader.displayName, enabled, roots, sources, sessions, issues }
}

/** `opensync verify`: credentials, connection, and per agent its roots and sessions found. */
export async function verifyCommand(ctx: CommandContext): Promise<number> {
  const { config } = await loadConfig(ctx.env, ctx.cwd)
  const creds = await resolveCredentials(ctx.env)
  const state = await openSyncState(syncPaths(ctx.env).state, true)
  const [check, agents] = await Promise.all([
    checkConnection(creds),
    Promise.all(
      READERS.map((r) =>
        agentReport(r, ctx, state, config.agents === null || config.agents.includes(r.id)),
      ),
    ),
  ])
  const ok = check.credentials.ok && check.server.ok && check.auth.ok
  if (boolFlag(ctx.flags, 'json')) {
    output.json({ ok, ...check, agents })
    return ok ? EXIT.ok : EXIT.error
  }
  output.line(`${mark(check.credentials)} credentials  ${check.credentials.detail}`)
  output.line(`${mark(check.server)} server       ${check.server.detail}`)
  output.line(`${mark(check.auth)} auth         ${check.auth.detail}`)
  output.line('')
  output.table([
    ['AGENT', 'ENABLED', 'ROOTS FOUND', 'SOURCES', 'SESSIONS', 'ISSUES'],
    ...agents.map((a) => [
      a.id,
      a.enabled ? 'yes' : 'no',
      a.roots
        .filter((r) => r.exists)
        .map((r) => tildify(r.path, ctx.env))
        .join(', ') || '-',
      String(a.sources),
      String(a.sessions),
      String(a.issues),
    ]),
  ])
  return ok ? EXIT.ok : EXIT.error
}
