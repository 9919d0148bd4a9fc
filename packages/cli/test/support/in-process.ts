// Runs the sync engine in this process (the same code `opensync sync` runs), against a server.
import { loadConfig } from '../../src/sync/config.js'
import { runSync, type SyncRunOptions, type SyncSummary } from '../../src/sync/run-sync.js'
import { loadTuning } from '../../src/sync/tuning.js'
import type { TestServer } from './test-server.js'

export type SyncArgs = Partial<Pick<SyncRunOptions, 'mode' | 'since' | 'limit' | 'dryRun'>> & {
  readonly flags?: Record<string, unknown>
  readonly extraEnv?: Readonly<Record<string, string>>
}

export async function syncOnce(
  env: Readonly<Record<string, string>>,
  server: Pick<TestServer, 'url' | 'key'>,
  args: SyncArgs = {},
): Promise<SyncSummary> {
  const fullEnv = { ...env, ...args.extraEnv }
  const { config } = await loadConfig(fullEnv, fullEnv.HOME ?? '/', args.flags)
  return runSync({
    env: fullEnv,
    config,
    tuning: loadTuning(fullEnv),
    credentials: { url: server.url, apiKey: server.key },
    mode: args.mode ?? 'changed',
    since: args.since ?? null,
    limit: args.limit ?? null,
    dryRun: args.dryRun ?? false,
  })
}
