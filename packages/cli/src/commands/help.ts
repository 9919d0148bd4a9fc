import { type CommandContext, EXIT } from '../command-context.js'
import { output } from '../output.js'
import { CLI_VERSION } from '../version.js'

export const HELP = `opensync ${CLI_VERSION}: self-hosted dashboards for AI coding-agent sessions

usage:
  opensync                      start the local dashboard (http://127.0.0.1:8484)
  opensync serve [flags]        the server only
  opensync login [--url URL] [--api-key KEY]
                                verify and store ~/.opensync/credentials.json (0600)
  opensync logout               forget the stored credentials
  opensync status [--json]      test the connection; show the queue and tracked sources
  opensync verify [--json]      credentials, connection, and sessions found per agent
  opensync config [--json]      the effective settings and where each comes from
  opensync set <key> <value>    syncToolCalls, syncThinking, redact, agents, machine, url, apiKey
  opensync sync [--agent <id>] [--new | --all | --force] [--limit N] [--since DATE]
                [--dry-run] [--json] [--verbose]
                                upload what changed (--new: never-synced sources only;
                                --all: read every source; --force: forget what was sent and
                                re-send everything); DATE is ISO (2026-01-31) or 12h, 7d, 2w
  opensync synctest             health, auth, then a test session with one message
  opensync watch [--agent <id>] follow every agent's storage and sync changes within ~1 s
  opensync keys create --name N [--prefix osk_] | keys list | keys revoke <prefix|id>
  opensync version | help

config flags (sync, watch; override OPENSYNC_* env, ./.opensync/config.json, ~/.opensync/config.json):
  --agent <id>[,<id>]  --machine NAME  --[no-]redact  --[no-]sync-thinking  --[no-]sync-tool-calls

server flags (override OPENSYNC_* env vars):
  --host, --port, --data-dir, --database-url, --auth local|proxy

exit codes: 0 ok, 1 error, 2 usage, 75 data queued on disk (server unreachable; sent next time)
`

/** `opensync help` */
export function helpCommand(_ctx: CommandContext): number {
  output.line(HELP)
  return EXIT.ok
}
