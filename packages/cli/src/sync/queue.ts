import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, truncate } from 'node:fs/promises'
import { join } from 'node:path'
import { fsyncDir } from './atomic-write.js'
import { scanBatchLog } from './queue-log.js'

/** One batch waiting in `batches.jsonl`, and where its body sits in the file. */
export type QueuedBatch = {
  readonly id: string
  readonly createdAt: number
  readonly sessions: number
  readonly messages: number
  readonly bodyOffset: number
  readonly bodyLength: number
}

export type DeadLetter = {
  readonly batchId: string
  readonly status: number | null
  readonly code: string
  readonly error: string
  readonly details?: unknown
  /** The items the server refused (the whole batch, or the rejected items of a batch). */
  readonly sessions: readonly unknown[]
  readonly messages: readonly unknown[]
}

/**
 * The on-disk upload queue (SPEC §7 "nothing is lost"), in `~/.opensync/queue/`:
 * - `batches.jsonl`: one line per batch, `<header JSON>\t<body JSON>\n`, appended and fsynced
 *   before anything that depends on it (the sync state) is committed;
 * - `acks.jsonl`: `{id, outcome: "sent"|"dead", at}` per finished batch, appended + fsynced;
 * - `dead-letter.jsonl`: what the server refused for good, with its error.
 * Pending = batches without an ack, oldest first. When none is left both logs are emptied.
 * A torn last line (crash mid-append) is cut off on open: it was never acknowledged as queued.
 */
export type UploadQueue = {
  readonly dir: string
  readonly deadLetterFile: string
  pending(): readonly QueuedBatch[]
  readonly pendingItems: number
  /** Appends one batch (its JSON body already serialised) and fsyncs it. */
  append(batch: { sessions: number; messages: number; body: string }): Promise<QueuedBatch>
  readBody(batch: QueuedBatch): Promise<string>
  ack(id: string, outcome: 'sent' | 'dead'): Promise<void>
  deadLetter(entry: DeadLetter): Promise<void>
  close(): Promise<void>
}

const BATCHES = 'batches.jsonl'
const ACKS = 'acks.jsonl'
const DEAD = 'dead-letter.jsonl'

type Handle = Awaited<ReturnType<typeof open>>

async function readAcks(file: string, repair = true): Promise<Set<string>> {
  let text = ''
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const complete = text.lastIndexOf('\n') + 1
  const ids = new Set<string>()
  for (const line of text.slice(0, complete).split('\n')) {
    if (line === '') continue
    try {
      ids.add((JSON.parse(line) as { id: string }).id)
    } catch {
      // unreadable ack: its batch stays pending and is sent again (idempotent).
    }
  }
  if (repair && complete < text.length)
    await truncate(file, Buffer.byteLength(text.slice(0, complete)))
  return ids
}

export function newBatchId(): string {
  return `${Date.now().toString(36)}-${randomBytes(5).toString('hex')}`
}

/** Opens (creating) the queue in `dir`, recovering from any crash. */
export async function openUploadQueue(dir: string): Promise<UploadQueue> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const batchesFile = join(dir, BATCHES)
  const acksFile = join(dir, ACKS)
  const deadFile = join(dir, DEAD)
  const acked = await readAcks(acksFile)
  const scanned = await scanBatchLog(batchesFile)
  let size = scanned.completeBytes
  if (scanned.fileBytes > size) await truncate(batchesFile, size)
  const pending: QueuedBatch[] = scanned.batches.filter((b) => !acked.has(b.id))

  const batches: Handle = await open(batchesFile, 'a+', 0o600)
  const acks: Handle = await open(acksFile, 'a', 0o600)
  await fsyncDir(dir)
  let dead: Handle | null = null
  // Every file operation runs in order: an append must never race the truncation that
  // follows the last ack.
  let chain: Promise<unknown> = Promise.resolve()
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn)
    chain = next.catch(() => undefined)
    return next
  }

  async function compactIfDrained(): Promise<void> {
    if (pending.length > 0 || size === 0) return
    await batches.truncate(0)
    await batches.datasync()
    size = 0
    // Acks now name batches that no longer exist: harmless if a crash keeps them.
    await acks.truncate(0)
    await acks.datasync()
  }
  await serial(compactIfDrained)

  return {
    dir,
    deadLetterFile: deadFile,
    pending: () => pending,
    get pendingItems() {
      return pending.reduce((n, b) => n + b.sessions + b.messages, 0)
    },
    append: ({ sessions, messages, body: text }) =>
      serial(async () => {
        const header = { id: newBatchId(), createdAt: Date.now(), sessions, messages }
        const head = JSON.stringify(header)
        const line = `${head}\t${text}\n`
        await batches.appendFile(line, 'utf8')
        await batches.datasync()
        const batch: QueuedBatch = {
          ...header,
          bodyOffset: size + Buffer.byteLength(head) + 1,
          bodyLength: Buffer.byteLength(text),
        }
        size += Buffer.byteLength(line)
        pending.push(batch)
        return batch
      }),
    readBody: (batch) =>
      serial(async () => {
        const buffer = Buffer.alloc(batch.bodyLength)
        await batches.read(buffer, 0, batch.bodyLength, batch.bodyOffset)
        return buffer.toString('utf8')
      }),
    ack: (id, outcome) =>
      serial(async () => {
        await acks.appendFile(`${JSON.stringify({ id, outcome, at: Date.now() })}\n`, 'utf8')
        await acks.datasync()
        const at = pending.findIndex((b) => b.id === id)
        if (at >= 0) pending.splice(at, 1)
        await compactIfDrained()
      }),
    deadLetter: (entry) =>
      serial(async () => {
        if (dead === null) {
          dead = await open(deadFile, 'a', 0o600)
          await fsyncDir(dir)
        }
        await dead.appendFile(`${JSON.stringify({ at: Date.now(), ...entry })}\n`, 'utf8')
        await dead.datasync()
      }),
    close: () =>
      serial(async () => {
        await Promise.all([batches.close(), acks.close(), dead?.close()])
      }),
  }
}

export type QueueInfo = {
  readonly pendingBatches: number
  readonly pendingItems: number
  readonly deadLetters: number
  readonly deadLetterFile: string
}

/** What is waiting, read-only (safe while a `sync` or `watch` is writing). */
export async function inspectQueue(dir: string): Promise<QueueInfo> {
  const acked = await readAcks(join(dir, ACKS), false)
  const scanned = await scanBatchLog(join(dir, BATCHES))
  const pending = scanned.batches.filter((b) => !acked.has(b.id))
  const deadLetterFile = join(dir, DEAD)
  const dead = await readFile(deadLetterFile, 'utf8').catch(() => '')
  return {
    pendingBatches: pending.length,
    pendingItems: pending.reduce((n, b) => n + b.sessions + b.messages, 0),
    deadLetters: dead.split('\n').filter((l) => l.trim() !== '').length,
    deadLetterFile,
  }
}
