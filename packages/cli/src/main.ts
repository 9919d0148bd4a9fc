#!/usr/bin/env node
import { type ParseArgsConfig, parseArgs } from 'node:util'
import type { CommandContext } from './command-context.js'
import { HELP, helpCommand } from './commands/help.js'
import { versionCommand } from './commands/version.js'
import { output } from './output.js'
import { SyncError } from './sync/errors.js'

type Options = NonNullable<ParseArgsConfig['options']>
type Command = {
  readonly options: Options
  readonly run: (ctx: CommandContext) => number | Promise<number>
}

const str = { type: 'string' } as const
const bool = { type: 'boolean' } as const
const JSON_FLAG: Options = { json: bool }
const SERVER: Options = {
  host: str,
  port: str,
  'data-dir': str,
  'database-url': str,
  auth: str,
}
const CONFIG: Options = {
  agent: { type: 'string', multiple: true },
  machine: str,
  redact: bool,
  'sync-thinking': bool,
  'sync-tool-calls': bool,
}

const COMMANDS: Readonly<Record<string, Command>> = {
  serve: {
    options: SERVER,
    run: async (ctx) => {
      const { serveCommand } = await import('./commands/serve.js')
      await serveCommand(ctx.flags as Record<string, string | undefined>)
      return 0
    },
  },
  keys: {
    options: { ...SERVER, ...JSON_FLAG, name: str, prefix: str },
    run: async (ctx) =>
      (await import('./commands/keys.js')).keysCommand({
        action: ctx.positionals[0],
        target: ctx.positionals[1],
        flags: ctx.flags as Record<string, string | boolean | undefined>,
      }),
  },
  login: {
    options: { url: str, 'api-key': str },
    run: async (ctx) => (await import('./commands/login.js')).loginCommand(ctx),
  },
  logout: {
    options: {},
    run: async (ctx) => (await import('./commands/logout.js')).logoutCommand(ctx),
  },
  status: {
    options: JSON_FLAG,
    run: async (ctx) => (await import('./commands/status.js')).statusCommand(ctx),
  },
  verify: {
    options: JSON_FLAG,
    run: async (ctx) => (await import('./commands/verify.js')).verifyCommand(ctx),
  },
  config: {
    options: JSON_FLAG,
    run: async (ctx) => (await import('./commands/config.js')).configCommand(ctx),
  },
  set: { options: {}, run: async (ctx) => (await import('./commands/set.js')).setCommand(ctx) },
  sync: {
    options: {
      ...CONFIG,
      ...JSON_FLAG,
      new: bool,
      all: bool,
      force: bool,
      limit: str,
      since: str,
      'dry-run': bool,
      verbose: bool,
    },
    run: async (ctx) => (await import('./commands/sync.js')).syncCommand(ctx),
  },
  synctest: {
    options: {},
    run: async (ctx) => (await import('./commands/synctest.js')).synctestCommand(ctx),
  },
  watch: {
    options: CONFIG,
    run: async (ctx) => (await import('./commands/watch.js')).watchCommand(ctx),
  },
  version: { options: JSON_FLAG, run: versionCommand },
  help: { options: {}, run: helpCommand },
}

/**
 * Parses argv and dispatches; every command lives in `commands/<name>.ts` and is loaded only
 * when run (the server's modules cost ~0.5 s to load; `sync` and `status` don't need them).
 */
async function main(argv: readonly string[]): Promise<number> {
  const first = argv.findIndex((a) => !a.startsWith('-'))
  const name = first === -1 ? undefined : argv[first]
  const rest = first === -1 ? [...argv] : [...argv.slice(0, first), ...argv.slice(first + 1)]
  if (rest.includes('--help') || rest.includes('-h')) return helpCommand(context({}, []))
  if ((rest.includes('--version') || rest.includes('-v')) && name === undefined) {
    return versionCommand(context({}, []))
  }
  const command = COMMANDS[name ?? 'serve']
  if (!command) {
    output.error(`Unknown command "${name}".\n\n${HELP}`)
    return 2
  }
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      allowNegative: true,
      strict: true,
    })
  } catch (error) {
    output.error(`opensync ${name ?? ''}: ${(error as Error).message}\n\n${HELP}`)
    return 2
  }
  return command.run(context(parsed.values, parsed.positionals))
}

function context(flags: CommandContext['flags'], positionals: readonly string[]): CommandContext {
  return { env: process.env, cwd: process.cwd(), flags, positionals }
}

/** The CLI's one error edge: a message, never a stack, and a non-zero exit. */
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    const json = process.argv.includes('--json')
    if (error instanceof SyncError) {
      if (json) output.json(error.toJSON())
      else output.error(`opensync: ${error.message}`)
      process.exitCode = error.retryable ? 75 : 1
      return
    }
    const message = error instanceof Error ? error.message : String(error)
    if (json) output.json({ error: message, code: 'cli-error' })
    else output.error(`opensync: ${message}`)
    process.exitCode = 1
  },
)
