import { boolFlag, type CommandContext, configFlags, EXIT, stringFlag } from '../command-context.js'
import { output } from '../output.js'
import { createProgressBar } from '../progress-bar.js'
import { loadConfig } from '../sync/config.js'
import { requireCredentials } from '../sync/credentials.js'
import { tildify } from '../sync/paths.js'
import { runSync, type SyncSummary } from '../sync/run-sync.js'
import { parseSince, type SyncMode } from '../sync/select.js'
import { loadTuning } from '../sync/tuning.js'

const n = (value: number) => value.toLocaleString('en-US')
const plural = (count: number, word: string, words = `${word}s`) =>
  `${n(count)} ${count === 1 ? word : words}`

function modeOf(ctx: CommandContext): SyncMode {
  const picked = (['new', 'all', 'force'] as const).filter((m) => boolFlag(ctx.flags, m))
  if (picked.length > 1) {
    throw new Error(`--${picked.join(', --')} exclude each other: pick one`)
  }
  return picked[0] ?? 'changed'
}

function limitOf(ctx: CommandContext): number | null {
  const raw = stringFlag(ctx.flags, 'limit')
  if (raw === undefined) return null
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 1) throw new Error('--limit must be a whole number ≥ 1')
  return value
}

/** `opensync sync [--agent <id>] [--new | --all | --force] [--limit N] [--since DATE] [--dry-run] [--json]` */
export async function syncCommand(ctx: CommandContext): Promise<number> {
  const mode = modeOf(ctx)
  const limit = limitOf(ctx)
  const sinceFlag = stringFlag(ctx.flags, 'since')
  const since = sinceFlag === undefined ? null : parseSince(sinceFlag)
  const dryRun = boolFlag(ctx.flags, 'dry-run')
  const json = boolFlag(ctx.flags, 'json')
  const { config } = await loadConfig(ctx.env, ctx.cwd, configFlags(ctx.flags))
  const tuning = loadTuning(ctx.env)
  const credentials = dryRun ? null : await requireCredentials(ctx.env)
  const bar = createProgressBar(!json && output.interactive, dryRun ? 'dry run' : 'sync')
  let summary: SyncSummary
  try {
    summary = await runSync({
      env: ctx.env,
      config,
      tuning,
      credentials,
      mode,
      since,
      limit,
      dryRun,
      onProgress: (p) =>
        bar.update(p.done, p.total, `sources · ${n(p.items)} items · ${p.uploaded} batches sent`),
    })
  } finally {
    bar.done()
  }
  if (json) output.json(summaryJson(summary))
  else report(summary, ctx, boolFlag(ctx.flags, 'verbose'))
  if (summary.dead.items > 0) return EXIT.error
  if (summary.stopped)
    return summary.stopped.isNetwork || summary.stopped.retryable ? EXIT.queued : EXIT.error
  return EXIT.ok
}

function report(s: SyncSummary, ctx: CommandContext, verbose: boolean): void {
  for (const id of s.missingAgents) output.error(`! no reader for ${id} yet: skipped`)
  if (verbose) {
    output.table([
      ['AGENT', 'SOURCES', 'READ', 'SESSIONS', 'MESSAGES', 'ISSUES'],
      ...Object.entries(s.agents).map(([id, c]) => [
        id,
        n(c.found),
        n(c.read),
        n(c.sessions),
        n(c.messages),
        n(c.issues),
      ]),
    ])
    for (const issue of s.issues) {
      const where = issue.line === null ? issue.file : `${issue.file}:${issue.line}`
      output.error(`  issue ${issue.code} ${tildify(where, ctx.env)}: ${issue.message}`)
    }
  }
  const parts = [
    `${s.dryRun ? 'would send' : 'sent'} ${plural(s.queued.sessions, 'session')}, ${plural(s.queued.messages, 'message')}`,
    `${n(s.sources.read)} of ${plural(s.sources.found, 'source')} read (${n(s.sources.unchanged)} unchanged, skipped${s.sources.filtered ? `; ${n(s.sources.filtered)} older than --since` : ''})`,
  ]
  if (!s.dryRun) parts.push(`${plural(s.uploaded.batches, 'batch', 'batches')} uploaded`)
  parts.push(plural(s.issues.length, 'issue'))
  if (s.redactions > 0) parts.push(`${plural(s.redactions, 'secret')} redacted`)
  if (!s.dryRun) {
    parts.push(
      s.queueLeft.batches === 0
        ? 'queue empty'
        : `queue left: ${plural(s.queueLeft.batches, 'batch', 'batches')} (${plural(s.queueLeft.items, 'item')})`,
    )
  }
  output.line(`${s.dryRun ? 'dry run: ' : ''}${parts.join(' · ')}`)
  if (s.stopped) {
    output.error(
      s.stopped.isAuth || s.stopped.status === 404
        ? `✗ upload stopped: ${s.stopped.message}. The queue is kept; fix it and run \`opensync sync\` again.`
        : `! upload paused: ${s.stopped.message}. Nothing is lost: the queue is on disk and the next \`opensync sync\` sends it first.`,
    )
  }
  if (s.dead.items > 0) {
    output.error(
      `✗ the server refused ${plural(s.dead.items, 'item')} for good (${s.dead.reasons.join('; ')}). ` +
        `They are in ${tildify(s.dead.file, ctx.env)} and will not be retried.`,
    )
  }
}

function summaryJson(s: SyncSummary): Record<string, unknown> {
  return {
    ...s,
    issues: { count: s.issues.length, list: s.issues.slice(0, 1000) },
    stopped: s.stopped?.toJSON() ?? null,
  }
}
