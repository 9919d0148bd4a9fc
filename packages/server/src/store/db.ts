import { type Migration, type MigrationProvider, Migrator } from 'kysely'
import type { Dialect } from './dialect.js'
import { createSqliteDialect } from './dialects/sqlite.js'
import * as initial from './migrations/2026-11-21T1200-initial.js'

/** Shared migrations, in code so a bundled build still finds them. */
const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '2026-11-21T1200-initial': initial,
}

export type Store = Dialect

/** Opens the database the URL names and brings its schema up to date. */
export async function openStore(databaseUrl: string): Promise<Store> {
  const store = createDialect(databaseUrl)
  try {
    await migrate(store)
  } catch (error) {
    await store.close()
    throw error
  }
  return store
}

function createDialect(url: string): Dialect {
  if (/^postgres(ql)?:/.test(url)) {
    throw new Error(
      'PostgreSQL is not supported yet in this build; use a SQLite file (file:/path/opensync.db)',
    )
  }
  return createSqliteDialect(url)
}

async function migrate(store: Store): Promise<void> {
  const all = { ...MIGRATIONS, ...store.migrations }
  const provider: MigrationProvider = { getMigrations: async () => all }
  const { error, results } = await new Migrator({ db: store.db, provider }).migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new Error(`Database migration ${failed} failed`, { cause: error })
  }
}
