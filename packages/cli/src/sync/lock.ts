import { mkdir, open, readFile, rm } from 'node:fs/promises'
import { dirname } from 'node:path'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * One `sync`/`watch` at a time per home: the state and the queue have a single writer. A lock
 * left by a process that died (SIGKILL, power cut) is taken over.
 */
export async function acquireLock(file: string): Promise<() => Promise<void>> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 })
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600)
      await handle.writeFile(`${process.pid}\n`)
      await handle.close()
      return async () => {
        await rm(file, { force: true })
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const pid = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10)
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
      throw new Error(
        `another opensync sync or watch (pid ${pid}) is using ${dirname(file)}; wait for it or stop it`,
      )
    }
    await rm(file, { force: true })
  }
  throw new Error(`cannot take the lock ${file}`)
}
