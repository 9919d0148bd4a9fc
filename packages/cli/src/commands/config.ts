import { boolFlag, type CommandContext, EXIT } from '../command-context.js'
import { output } from '../output.js'
import { CONFIG_KEYS, loadConfig } from '../sync/config.js'
import { maskKey, resolveCredentials } from '../sync/credentials.js'
import { syncPaths, tildify } from '../sync/paths.js'

/** `opensync config [--json]`: the effective config, where each value comes from, and files. */
export async function configCommand(ctx: CommandContext): Promise<number> {
  const loaded = await loadConfig(ctx.env, ctx.cwd)
  const creds = await resolveCredentials(ctx.env)
  const paths = syncPaths(ctx.env)
  if (boolFlag(ctx.flags, 'json')) {
    output.json({
      config: loaded.config,
      origins: loaded.origins,
      credentials: {
        url: creds.url,
        apiKey: maskKey(creds.apiKey),
        urlFrom: creds.urlFrom,
        apiKeyFrom: creds.apiKeyFrom,
      },
      files: {
        ...loaded.files,
        credentials: paths.credentials,
        state: paths.state,
        queue: paths.queue,
      },
    })
    return EXIT.ok
  }
  const show = (value: unknown) =>
    value === null ? 'all' : Array.isArray(value) ? value.join(',') : String(value)
  output.table([
    ['KEY', 'VALUE', 'FROM'],
    ['url', creds.url ?? '-', creds.urlFrom],
    ['apiKey', maskKey(creds.apiKey) ?? '-', creds.apiKeyFrom],
    ...CONFIG_KEYS.map((key) => [key, show(loaded.config[key]), loaded.origins[key]]),
  ])
  output.line('')
  output.line(`user config:    ${tildify(loaded.files.user, ctx.env)}`)
  output.line(`project config: ${loaded.files.project}`)
  output.line(`credentials:    ${tildify(paths.credentials, ctx.env)}`)
  return EXIT.ok
}
