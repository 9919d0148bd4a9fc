import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const CLI = join(import.meta.dirname, '..', 'dist', 'main.js')
const run = promisify(execFile)

let dataDir: string
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'opensync-cli-'))
})
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true })
})

function cli(...args: string[]) {
  return run('node', [CLI, ...args], {
    env: { ...process.env, OPENSYNC_DATA_DIR: dataDir, OPENSYNC_LOG_LEVEL: 'silent' },
  })
}

describe('opensync keys', () => {
  it('creates, lists and revokes keys in the database, printing the key once', async () => {
    const created = await cli('keys', 'create', '--name', 'laptop')
    const key = created.stdout.trim()
    expect(key).toMatch(/^os_[0-9A-Za-z]{40}$/)
    expect(created.stderr).toContain('shown only once')
    const legacy = JSON.parse(
      (await cli('keys', 'create', '--name', 'old', '--prefix', 'osk_', '--json')).stdout,
    )
    expect(legacy.key).toMatch(/^osk_/)
    const listed = JSON.parse((await cli('keys', 'list', '--json')).stdout)
    expect(
      listed.map((k: { name: string; revokedAt: number | null }) => [k.name, k.revokedAt]),
    ).toEqual([
      ['laptop', null],
      ['old', null],
    ])
    expect(JSON.stringify(listed)).not.toContain(key)
    expect(readFileSync(join(dataDir, 'opensync.db')).toString('latin1')).not.toContain(key)
    expect((await cli('keys', 'revoke', key.slice(0, 11))).stdout).toContain('Revoked 1 key')
    const table = (await cli('keys', 'list')).stdout
    expect(table.split('\n')[1]).toMatch(/laptop .* revoked$/)
    await expect(cli('keys', 'revoke', 'os_nope')).rejects.toMatchObject({
      stderr: expect.stringContaining('No active key matches "os_nope"'),
    })
    await expect(cli('keys', 'create')).rejects.toMatchObject({
      stderr: expect.stringContaining('keys create needs --name'),
    })
  })
})

describe('opensync serve', () => {
  it('checks itself, listens, answers with a key made by `keys create`, and stops on SIGTERM', async () => {
    const key = (await cli('keys', 'create', '--name', 'serve')).stdout.trim()
    const child = spawn('node', [CLI, 'serve', '--port', '0'], {
      env: { ...process.env, OPENSYNC_DATA_DIR: dataDir, OPENSYNC_LOG_LEVEL: 'silent' },
    })
    let stderr = ''
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString()
        const match = /listening on (http:\/\/\S+)/.exec(stderr)
        if (match?.[1]) resolve(match[1])
      })
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)))
    })
    expect(stderr).toContain('✓ configuration valid')
    expect(stderr).toContain('✓ migrations current')
    const me = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${key}` } })
    expect(me.status).toBe(200)
    expect((await fetch(`${url}/api/me`)).status).toBe(401)
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })

  it('refuses bad configuration with one message naming every bad key', async () => {
    await expect(
      run('node', [CLI, 'serve', '--port', 'x', '--host', '0.0.0.0'], {
        env: { ...process.env, OPENSYNC_DATA_DIR: dataDir },
      }),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/OPENSYNC_PORT must be a whole number/),
    })
  })
})
