import { open } from 'node:fs/promises'
import type { QueuedBatch } from './queue.js'

const TAB = 0x09
const NEWLINE = 0x0a
const CHUNK = 1024 * 1024

type Header = { id: string; createdAt: number; sessions: number; messages: number }

export type ScannedLog = {
  readonly batches: readonly QueuedBatch[]
  /** Bytes up to the end of the last complete line. */
  readonly completeBytes: number
  readonly fileBytes: number
}

/**
 * Reads `batches.jsonl` without parsing bodies: each line is `<header>\t<body>\n` (JSON never
 * holds a raw tab or newline), so only headers are decoded and bodies are found by offset.
 */
export async function scanBatchLog(file: string): Promise<ScannedLog> {
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(file, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { batches: [], completeBytes: 0, fileBytes: 0 }
    }
    throw error
  }
  const batches: QueuedBatch[] = []
  let lineStart = 0
  let headerParts: Buffer[] = []
  let headerBytes = -1
  let position = 0
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(CHUNK)
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, position)
      if (bytesRead === 0) break
      const chunk = buffer.subarray(0, bytesRead)
      let i = 0
      while (i < chunk.length) {
        if (headerBytes < 0) {
          const tab = chunk.indexOf(TAB, i)
          const newline = chunk.indexOf(NEWLINE, i)
          if (tab !== -1 && (newline === -1 || tab < newline)) {
            headerParts.push(chunk.subarray(i, tab))
            headerBytes = Buffer.concat(headerParts).length
            i = tab + 1
          } else if (newline !== -1) {
            // A line without a header: not ours; skipped.
            lineStart = position + newline + 1
            headerParts = []
            i = newline + 1
          } else {
            headerParts.push(chunk.subarray(i))
            break
          }
        } else {
          const newline = chunk.indexOf(NEWLINE, i)
          if (newline === -1) break
          const end = position + newline + 1
          try {
            const header = JSON.parse(Buffer.concat(headerParts).toString('utf8')) as Header
            batches.push({
              id: header.id,
              createdAt: header.createdAt,
              sessions: header.sessions,
              messages: header.messages,
              bodyOffset: lineStart + headerBytes + 1,
              bodyLength: end - 1 - (lineStart + headerBytes + 1),
            })
          } catch {
            // A header that is not JSON: skipped (it cannot be a batch we wrote).
          }
          lineStart = end
          headerParts = []
          headerBytes = -1
          i = newline + 1
        }
      }
      position += bytesRead
    }
  } finally {
    await handle.close()
  }
  return { batches, completeBytes: lineStart, fileBytes: position }
}
