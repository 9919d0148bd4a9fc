#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { VERSION } from '@opensync/server'
import { keysCommand } from './commands/keys.js'
import { serveCommand } from './commands/serve.js'
import { output } from './output.js'

const HELP = `opensync ${VERSION}: self-hosted dashboards for AI coding-agent sessions

usage:
  opensync                      start the local dashboard (http://127.0.0.1:8484)
  opensync serve [flags]        the server only
  opensync keys create --name N [--prefix osk_]
  opensync keys list
  opensync keys revoke <prefix|id>
  opensync version | help

server flags (override OPENSYNC_* env vars):
  --host, --port, --data-dir, --database-url, --auth local|proxy
`

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      auth: { type: 'string' },
      name: { type: 'string' },
      prefix: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  })
  const [command, ...rest] = positionals
  if (values.help || command === 'help') {
    output.line(HELP)
    return 0
  }
  if (values.version || command === 'version') {
    output.line(VERSION)
    return 0
  }
  const serverFlags = {
    host: values.host,
    port: values.port,
    'data-dir': values['data-dir'],
    'database-url': values['database-url'],
    auth: values.auth,
  }
  switch (command) {
    case undefined:
    case 'serve':
      await serveCommand(serverFlags)
      return 0
    case 'keys':
      return keysCommand({ action: rest[0], target: rest[1], flags: values })
    default:
      output.error(`Unknown command "${command}".\n\n${HELP}`)
      return 2
  }
}

/** The CLI's one error edge: a message, never a stack, and a non-zero exit. */
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    output.error(`opensync: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  },
)
