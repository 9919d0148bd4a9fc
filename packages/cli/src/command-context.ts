import type { Env } from './sync/paths.js'

export type Flags = Readonly<
  Record<string, string | boolean | readonly (string | boolean)[] | undefined>
>

/** What every command gets from `main.ts`: parsed flags and positionals, env and cwd. */
export type CommandContext = {
  readonly env: Env
  readonly cwd: string
  readonly flags: Flags
  readonly positionals: readonly string[]
}

export function stringFlag(flags: Flags, name: string): string | undefined {
  const value = flags[name]
  const last = Array.isArray(value) ? value.at(-1) : value
  return typeof last === 'string' ? last : undefined
}

export function listFlag(flags: Flags, name: string): string[] | undefined {
  const value = flags[name]
  const list: readonly unknown[] | undefined = Array.isArray(value) ? value : [value]
  const strings = list.filter((v): v is string => typeof v === 'string')
  if (strings.length === 0) return undefined
  return strings.flatMap((v) => v.split(',').map((s) => s.trim())).filter((s) => s !== '')
}

export function boolFlag(flags: Flags, name: string): boolean {
  return flags[name] === true
}

/** Flags that set config keys (`--agent`, `--machine`, `--[no-]redact`, …), highest precedence. */
export function configFlags(flags: Flags): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const agents = listFlag(flags, 'agent')
  if (agents && agents.length > 0) out.agents = agents
  const machine = stringFlag(flags, 'machine')
  if (machine !== undefined) out.machine = machine
  for (const [flag, key] of [
    ['redact', 'redact'],
    ['sync-thinking', 'syncThinking'],
    ['sync-tool-calls', 'syncToolCalls'],
  ] as const) {
    if (typeof flags[flag] === 'boolean') out[key] = flags[flag]
  }
  return out
}

/** Exit codes: 75 (EX_TEMPFAIL) means data is safe in the queue and will go out later. */
export const EXIT = { ok: 0, error: 1, usage: 2, queued: 75 } as const
