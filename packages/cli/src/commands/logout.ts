import { type CommandContext, EXIT } from '../command-context.js'
import { output } from '../output.js'
import { CREDENTIAL_ENV, removeCredentials } from '../sync/credentials.js'
import { syncPaths, tildify } from '../sync/paths.js'

/** `opensync logout`: removes the stored credentials (the queue and sync state stay). */
export async function logoutCommand(ctx: CommandContext): Promise<number> {
  const file = tildify(syncPaths(ctx.env).credentials, ctx.env)
  const removed = await removeCredentials(ctx.env)
  output.line(removed ? `Logged out (removed ${file}).` : `Not logged in (no ${file}).`)
  const still = Object.values(CREDENTIAL_ENV).filter((name) => ctx.env[name])
  if (still.length > 0) output.error(`! ${still.join(' and ')} still set in the environment`)
  return EXIT.ok
}
