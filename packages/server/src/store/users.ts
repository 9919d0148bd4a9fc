import type { Store } from './db.js'
import type { UsersTable } from './schema.js'

export const LOCAL_SUBJECT = 'local'

export type User = {
  readonly id: number
  readonly subject: string
  readonly email: string | null
  readonly name: string | null
  readonly enabledAgents: readonly string[] | null
  readonly createdAt: number
}

type UserRow = { [K in keyof UsersTable]: K extends 'id' ? number : UsersTable[K] }

function toUser(row: UserRow): User {
  return {
    id: row.id,
    subject: row.subject,
    email: row.email,
    name: row.name,
    enabledAgents: row.enabled_agents ? (JSON.parse(row.enabled_agents) as string[]) : null,
    createdAt: row.created_at,
  }
}

export type Identity = {
  readonly subject: string
  readonly email?: string | null
  readonly name?: string | null
}

/** Finds the user of an identity, creating it on first sight (proxy mode, SPEC §6). */
export async function ensureUser(store: Store, identity: Identity): Promise<User> {
  const existing = await store.db
    .selectFrom('users')
    .selectAll()
    .where('subject', '=', identity.subject)
    .executeTakeFirst()
  const now = Date.now()
  if (existing) {
    const email = identity.email ?? existing.email
    const name = identity.name ?? existing.name
    if (email !== existing.email || name !== existing.name) {
      await store.db
        .updateTable('users')
        .set({ email, name, updated_at: now })
        .where('id', '=', existing.id)
        .execute()
      return toUser({ ...existing, email, name })
    }
    return toUser(existing)
  }
  const inserted = await store.db
    .insertInto('users')
    .values({
      subject: identity.subject,
      email: identity.email ?? null,
      name: identity.name ?? null,
      enabled_agents: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('subject').doNothing())
    .returningAll()
    .executeTakeFirst()
  if (inserted) return toUser(inserted)
  return ensureUser(store, identity)
}

export function ensureLocalUser(store: Store): Promise<User> {
  return ensureUser(store, { subject: LOCAL_SUBJECT, name: 'Local user' })
}

export async function getUser(store: Store, id: number): Promise<User | null> {
  const row = await store.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? toUser(row) : null
}
