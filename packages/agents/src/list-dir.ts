import type { Dirent } from 'node:fs'
import { readdir } from 'node:fs/promises'

/** A folder's entries, or none when it is missing or unreadable (discovery never throws). */
export async function listDir(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true })
  } catch {
    return []
  }
}
