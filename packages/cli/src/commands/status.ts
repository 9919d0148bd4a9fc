import { boolFlag, type CommandContext, EXIT } from '../command-context.js'
import { output } from '../output.js'
import { checkConnection, mark } from '../sync/connection-check.js'
import { maskKey, resolveCredentials } from '../sync/credentials.js'
import { syncPaths, tildify } from '../sync/paths.js'
import { inspectQueue } from '../sync/queue.js'
import { openSyncState } from '../sync/state.js'

/** `opensync status`: tests the connection and shows what is queued and tracked. */
export async function statusCommand(ctx: CommandContext): Promise<number> {
  const paths = syncPaths(ctx.env)
  const creds = await resolveCredentials(ctx.env)
  const [check, queue, state] = await Promise.all([
    checkConnection(creds),
    inspectQueue(paths.queue),
    openSyncState(paths.state, true),
  ])
  let lastSync = 0
  for (const [, s] of state.entries()) lastSync = Math.max(lastSync, s.syncedAt)
  const ok = check.credentials.ok && check.server.ok && check.auth.ok
  if (boolFlag(ctx.flags, 'json')) {
    output.json({
      ok,
      url: creds.url,
      apiKey: maskKey(creds.apiKey),
      ...check,
      queue,
      trackedSources: state.size,
      lastSyncAt: lastSync || null,
    })
    return ok ? EXIT.ok : EXIT.error
  }
  output.line(`${mark(check.credentials)} credentials  ${check.credentials.detail}`)
  output.line(`${mark(check.server)} server       ${check.server.detail}`)
  output.line(`${mark(check.auth)} auth         ${check.auth.detail}`)
  output.line(
    `  queue        ${queue.pendingBatches} batches (${queue.pendingItems} items) waiting` +
      (queue.deadLetters > 0
        ? `; ${queue.deadLetters} refused, in ${tildify(queue.deadLetterFile, ctx.env)}`
        : ''),
  )
  output.line(
    `  tracked      ${state.size} sources` +
      (lastSync ? `, last sync ${new Date(lastSync).toISOString()}` : ', never synced'),
  )
  return ok ? EXIT.ok : EXIT.error
}
