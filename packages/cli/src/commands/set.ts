import { type CommandContext, EXIT } from '../command-context.js'
import { output } from '../output.js'
import { CONFIG_KEYS, setConfigValue } from '../sync/config.js'
import { maskKey, updateCredentials } from '../sync/credentials.js'
import { syncPaths, tildify } from '../sync/paths.js'

const USAGE = `usage: opensync set <key> <value>   keys: url, apiKey, ${CONFIG_KEYS.join(', ')}`

/** `opensync set <key> <value>`: one key of the user config (or of the credentials). */
export async function setCommand(ctx: CommandContext): Promise<number> {
  const [key, value, ...extra] = ctx.positionals
  if (key === undefined || value === undefined || extra.length > 0) throw new Error(USAGE)
  if (key === 'url' || key === 'apiKey') {
    const file = await updateCredentials(ctx.env, { [key]: value })
    const shown = key === 'apiKey' ? maskKey(value) : value
    output.line(
      `${key} = ${shown} (${tildify(file, ctx.env)}; not verified: run \`opensync status\`)`,
    )
    return EXIT.ok
  }
  const stored = await setConfigValue(ctx.env, key, value)
  const shown = stored === null ? 'all' : Array.isArray(stored) ? stored.join(',') : String(stored)
  output.line(`${key} = ${shown} (${tildify(syncPaths(ctx.env).config, ctx.env)})`)
  return EXIT.ok
}
