import { createReadStream } from 'node:fs'

export type JsonlLine = {
  /** 1-based line number. */
  readonly line: number
  /** Byte offset of the line's first byte. */
  readonly offset: number
  /** The parsed value, or undefined when the line is not JSON (see `error`). */
  readonly value: unknown
  readonly error: string | null
}

const NEWLINE = 0x0a

/**
 * Streams a JSONL file line by line without ever holding the whole file (a 700 MB transcript
 * is fine). Blank lines are skipped; a line that is not JSON comes back with `error` set. A
 * final line without a newline is yielded only when `includePartialLastLine` is set (an agent
 * may be writing it right now).
 */
export async function* readJsonl(
  path: string,
  options: { readonly start?: number; readonly includePartialLastLine?: boolean } = {},
): AsyncGenerator<JsonlLine> {
  let offset = options.start ?? 0
  let line = 0
  let pending: Buffer[] = []
  let pendingStart = offset
  const stream = createReadStream(path, { start: offset, highWaterMark: 1 << 20 })
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let from = 0
    for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, from)) {
      pending.push(chunk.subarray(from, i))
      const bytes = Buffer.concat(pending)
      line += 1
      const parsed = parseLine(bytes, line, pendingStart)
      if (parsed) yield parsed
      pendingStart += bytes.length + 1
      pending = []
      from = i + 1
    }
    if (from < chunk.length) pending.push(chunk.subarray(from))
    offset += chunk.length
  }
  if (options.includePartialLastLine && pending.length > 0) {
    const parsed = parseLine(Buffer.concat(pending), line + 1, pendingStart)
    if (parsed) yield parsed
  }
}

function parseLine(bytes: Buffer, line: number, offset: number): JsonlLine | null {
  const text = bytes.toString('utf8').trim()
  if (text === '') return null
  try {
    return { line, offset, value: JSON.parse(text), error: null }
  } catch (error) {
    return { line, offset, value: undefined, error: (error as Error).message }
  }
}
