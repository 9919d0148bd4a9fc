import type { Tuning } from './tuning.js'

export type SealedBatch = {
  readonly sessions: number
  readonly messages: number
  /** `{"sessions":[…],"messages":[…]}`, built from the items' JSON without re-serialising. */
  readonly body: string
}

/**
 * Packs serialised items into batches of at most `batchItems` items and `batchBytes` bytes
 * (an item larger than that travels alone) and hands each full batch to `seal`.
 */
export type Batcher = {
  add(kind: 'session' | 'message', json: string): Promise<void>
  /** Seals what is open, if anything. */
  flush(): Promise<void>
  /** Batches sealed so far; the open batch will be number `sealed + 1`. */
  readonly sealed: number
  readonly openItems: number
}

export function createBatcher(
  tuning: Tuning,
  seal: (batch: SealedBatch) => Promise<void>,
): Batcher {
  let sessions: string[] = []
  let messages: string[] = []
  let bytes = 0
  let sealed = 0
  const overhead = '{"sessions":[],"messages":[]}'.length

  async function flush(): Promise<void> {
    if (sessions.length + messages.length === 0) return
    const body = `{"sessions":[${sessions.join(',')}],"messages":[${messages.join(',')}]}`
    const batch = { sessions: sessions.length, messages: messages.length, body }
    sessions = []
    messages = []
    bytes = 0
    await seal(batch)
    sealed += 1
  }

  return {
    async add(kind, json) {
      const size = Buffer.byteLength(json) + 1
      const items = sessions.length + messages.length
      if (
        items > 0 &&
        (items + 1 > tuning.batchItems || overhead + bytes + size > tuning.batchBytes)
      ) {
        await flush()
      }
      if (kind === 'session') sessions.push(json)
      else messages.push(json)
      bytes += size
    },
    flush,
    get sealed() {
      return sealed
    },
    get openItems() {
      return sessions.length + messages.length
    },
  }
}
