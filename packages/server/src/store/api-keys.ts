import type { ApiKey, ApiKeyPrefix, CreatedApiKey } from '@opensync/core/wire'
import { displayPrefix, generateApiKey, hashApiKey } from '../auth/tokens.js'
import type { Store } from './db.js'
import { ensureLocalUser } from './users.js'

type KeyRow = {
  id: number
  name: string
  prefix: string
  created_at: number
  last_used_at: number | null
  revoked_at: number | null
}

function toApiKey(row: KeyRow): ApiKey {
  return {
    id: String(row.id),
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  }
}

export type CreateApiKeyInput = {
  /** Defaults to the local user (for `opensync keys create` and first setup). */
  readonly userId?: number
  readonly name: string
  readonly prefix?: ApiKeyPrefix
}

/** Creates a key; the result holds the only copy of the key in clear. */
export async function createApiKey(store: Store, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  const userId = input.userId ?? (await ensureLocalUser(store)).id
  const key = generateApiKey(input.prefix ?? 'os_')
  const row = await store.db
    .insertInto('api_keys')
    .values({
      user_id: userId,
      name: input.name,
      prefix: displayPrefix(key),
      key_hash: hashApiKey(key),
      created_at: Date.now(),
      last_used_at: null,
      revoked_at: null,
    })
    .returning(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at'])
    .executeTakeFirstOrThrow()
  return { ...toApiKey(row), key }
}

export async function listApiKeys(store: Store, userId?: number): Promise<ApiKey[]> {
  const owner = userId ?? (await ensureLocalUser(store)).id
  const rows = await store.db
    .selectFrom('api_keys')
    .select(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', owner)
    .orderBy('id')
    .execute()
  return rows.map(toApiKey)
}

/**
 * Revokes the user's keys whose id or shown prefix is `idOrPrefix`. Returns how many were
 * revoked (0 when none matched, or they were already revoked).
 */
export async function revokeApiKey(
  store: Store,
  idOrPrefix: string,
  userId?: number,
): Promise<number> {
  const owner = userId ?? (await ensureLocalUser(store)).id
  const asId = /^\d+$/.test(idOrPrefix) ? Number(idOrPrefix) : -1
  const result = await store.db
    .updateTable('api_keys')
    .set({ revoked_at: Date.now() })
    .where('user_id', '=', owner)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('prefix', '=', idOrPrefix), eb('id', '=', asId)]))
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

export type KeyOwner = { readonly userId: number; readonly keyId: number }

/** How often `last_used_at` is written for one key (a write per request would be wasteful). */
const LAST_USED_GRANULARITY_MS = 60_000

/** Resolves a presented key to its owner, or null when unknown or revoked. */
export async function findKeyOwner(store: Store, key: string): Promise<KeyOwner | null> {
  const row = await store.db
    .selectFrom('api_keys')
    .select(['id', 'user_id', 'last_used_at'])
    .where('key_hash', '=', hashApiKey(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  if (!row) return null
  const now = Date.now()
  if (row.last_used_at === null || now - row.last_used_at > LAST_USED_GRANULARITY_MS) {
    await store.db
      .updateTable('api_keys')
      .set({ last_used_at: now })
      .where('id', '=', row.id)
      .execute()
  }
  return { userId: row.user_id, keyId: row.id }
}
