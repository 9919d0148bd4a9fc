// The BUILT CLI (`packages/cli/dist/main.js`) as a child process.
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'

export const CLI = new URL('../../dist/main.js', import.meta.url).pathname

export type CliResult = {
  readonly code: number | null
  readonly signal: string | null
  readonly stdout: string
  readonly stderr: string
}

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx tsc -b\` first`)
}

export type RunningCli = { readonly child: ChildProcess; readonly done: Promise<CliResult> }

export function startCli(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  cwd?: string,
): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    env,
    cwd: cwd ?? env.HOME,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
  return { child, done }
}

export function runCli(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  cwd?: string,
): Promise<CliResult> {
  return startCli(args, env, cwd).done
}
