import { type CommandContext, EXIT, stringFlag } from '../command-context.js'
import { output } from '../output.js'
import { createSyncClient, normalizeServerUrl } from '../sync/client.js'
import {
  CREDENTIAL_ENV,
  maskKey,
  readCredentialsFile,
  writeCredentials,
} from '../sync/credentials.js'
import { tildify } from '../sync/paths.js'

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8484'

/** `opensync login [--url URL] [--api-key KEY]`: verify, then store the credentials (0600). */
export async function loginCommand(ctx: CommandContext): Promise<number> {
  const current = await readCredentialsFile(ctx.env).catch(() => null)
  let url = stringFlag(ctx.flags, 'url') ?? ctx.env[CREDENTIAL_ENV.URL]
  let apiKey = stringFlag(ctx.flags, 'api-key') ?? ctx.env[CREDENTIAL_ENV.API_KEY]
  if ((!url || !apiKey) && !output.canPrompt) {
    throw new Error('login needs --url and --api-key when it is not run on a terminal')
  }
  if (!url) {
    const fallback = current?.url ?? DEFAULT_SERVER_URL
    url = (await output.ask(`OpenSync server URL [${fallback}]: `)) || fallback
  }
  url = normalizeServerUrl(url)
  if (!apiKey) {
    apiKey = await output.ask('API key (os_…, from `opensync keys create` or Settings): ', true)
    if (!apiKey) throw new Error('no API key given')
  }
  const client = createSyncClient({ url, apiKey, timeoutMs: 15_000 })
  const health = await client.health()
  output.error(`✓ OpenSync ${health.version} is running at ${url}`)
  const me = await client.me()
  output.error(`✓ API key ${maskKey(apiKey)} accepted (user ${me.name ?? me.email ?? me.id})`)
  const file = await writeCredentials(ctx.env, { url, apiKey })
  output.line(`Logged in. Credentials saved to ${tildify(file, ctx.env)} (mode 0600).`)
  for (const name of Object.values(CREDENTIAL_ENV)) {
    if (ctx.env[name] && !stringFlag(ctx.flags, name === CREDENTIAL_ENV.URL ? 'url' : 'api-key')) {
      output.error(`! ${name} is set: it overrides the file while it stays set`)
    }
  }
  return EXIT.ok
}
