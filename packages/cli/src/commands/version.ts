import { boolFlag, type CommandContext, EXIT } from '../command-context.js'
import { output } from '../output.js'
import { CLI_VERSION } from '../version.js'

/** `opensync version` */
export function versionCommand(ctx: CommandContext): number {
  if (boolFlag(ctx.flags, 'json')) output.json({ version: CLI_VERSION })
  else output.line(CLI_VERSION)
  return EXIT.ok
}
