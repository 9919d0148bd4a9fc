import { createApiKey, listApiKeys, loadConfig, openStore, revokeApiKey } from '@opensync/server'
import { output } from '../output.js'

export type KeysArgs = {
  readonly action: string | undefined
  readonly target: string | undefined
  readonly flags: Readonly<Record<string, string | boolean | undefined>>
}

const USAGE =
  'usage: opensync keys create --name <name> [--prefix os_|osk_] | keys list | keys revoke <prefix or id>'

/** `opensync keys …`: works on the database directly, for scripts and first setup (SPEC §6). */
export async function keysCommand({ action, target, flags }: KeysArgs): Promise<number> {
  const dbFlags = {
    'data-dir': stringFlag(flags['data-dir']),
    'database-url': stringFlag(flags['database-url']),
  }
  const store = await openStore(loadConfig(process.env, dbFlags).databaseUrl)
  try {
    if (action === 'create') {
      const name = stringFlag(flags.name)
      if (!name) throw new Error(`keys create needs --name\n${USAGE}`)
      const prefix = stringFlag(flags.prefix) ?? 'os_'
      if (prefix !== 'os_' && prefix !== 'osk_') throw new Error('--prefix must be os_ or osk_')
      const key = await createApiKey(store, { name, prefix })
      if (flags.json) output.json(key)
      else {
        output.error(`Created key "${key.name}" (${key.prefix}…). It is shown only once:`)
        output.line(key.key)
      }
      return 0
    }
    if (action === 'list') {
      const keys = await listApiKeys(store)
      if (flags.json) {
        output.json(keys)
        return 0
      }
      output.table([
        ['ID', 'NAME', 'PREFIX', 'CREATED', 'LAST USED', 'STATUS'],
        ...keys.map((k) => [
          k.id,
          k.name,
          `${k.prefix}…`,
          new Date(k.createdAt).toISOString(),
          k.lastUsedAt ? new Date(k.lastUsedAt).toISOString() : 'never',
          k.revokedAt ? 'revoked' : 'active',
        ]),
      ])
      return 0
    }
    if (action === 'revoke') {
      if (!target) throw new Error(`keys revoke needs a prefix or id\n${USAGE}`)
      const revoked = await revokeApiKey(store, target.replace(/…$/, ''))
      if (revoked === 0) throw new Error(`No active key matches "${target}"`)
      output.line(`Revoked ${revoked} key${revoked === 1 ? '' : 's'}`)
      return 0
    }
    throw new Error(USAGE)
  } finally {
    await store.close()
  }
}

function stringFlag(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined
}
