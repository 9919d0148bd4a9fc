// SPEC §10: sync → SSE. Time from just before POST /sync/message to the arrival of its
// `message.created` event on an open GET /api/events stream; the POST's own round trip is the
// in-run reference.
import { join } from 'node:path'
import {
  client,
  fmtMs,
  printTable,
  progress,
  QUICK,
  spawnServer,
  summarize,
  tempDir,
} from './common.js'
import { messageItem, rng, vocabulary } from './corpus.js'

const WARMUP = 20
const TIMEOUT_MS = 5_000

/**
 * Opens the SSE stream and calls `onEvent(type, data, arrivedAt)` for every event.
 * @param {string} url
 * @param {string} key
 * @param {(type: string, data: any, at: number) => void} onEvent
 */
async function openEvents(url, key, onEvent) {
  const controller = new AbortController()
  const res = await fetch(`${url}/api/events`, {
    headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' },
    signal: controller.signal,
  })
  if (res.status !== 200 || !res.body) throw new Error(`/api/events: ${res.status}`)
  const reader = res.body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return
        const at = performance.now()
        buffer += decoder.decode(value, { stream: true })
        let end = buffer.indexOf('\n\n')
        while (end >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          let type = 'message'
          const data = []
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) type = line.slice(6).trim()
            else if (line.startsWith('data:')) data.push(line.slice(5).trimStart())
          }
          if (data.length > 0) onEvent(type, JSON.parse(data.join('\n')), at)
          end = buffer.indexOf('\n\n')
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error
    }
  })()
  return {
    close: async () => {
      controller.abort()
      await pump.catch(() => {})
    },
  }
}

/** Runs the SSE benchmark and returns its figures. */
export async function runSse() {
  const count = QUICK ? 100 : 500
  const tmp = tempDir('sse')
  const server = await spawnServer(join(tmp.dir, 'server'))
  const key = server.key
  try {
    const http = client(server.url, key)
    const sessionExternalId = `bench-sse-${Date.now()}`
    await http.post(
      '/sync/session',
      JSON.stringify({
        externalId: sessionExternalId,
        source: 'claude-code',
        title: 'SSE latency',
      }),
    )
    /** @type {Map<string, (at: number) => void>} */
    const waiting = new Map()
    /** Wall-clock ms from the event's `at` (stamped when the server began the write) to arrival. */
    /** @type {number[]} */
    const serverLag = []
    /** @type {(() => void) | null} */
    let connected = null
    const ready = new Promise((r) => (connected = () => r(undefined)))
    const events = await openEvents(server.url, key, (type, data, at) => {
      if (type === 'server.connected') connected?.()
      if (type === 'message.created') {
        serverLag.push(Date.now() - data.at)
        waiting.get(data.externalId)?.(at)
      }
    })
    await ready
    const v = vocabulary(5000, 1000)
    const random = rng(5)
    /** @type {number[]} */
    const eventMs = []
    /** @type {number[]} */
    const postMs = []
    let eventFirst = 0
    progress(`sse: ${WARMUP} warm-up + ${count} POST /sync/message with an open /api/events stream`)
    for (let i = 0; i < WARMUP + count; i++) {
      const item = messageItem({
        v,
        random,
        sessionExternalId,
        index: i,
        createdAt: Date.now(),
        model: 'claude-sonnet-4-5',
      })
      const body = JSON.stringify(item)
      /** @type {Promise<number>} */
      const arrived = new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no message.created for ${item.externalId} in ${TIMEOUT_MS} ms`)),
          TIMEOUT_MS,
        )
        waiting.set(item.externalId, (at) => {
          clearTimeout(timer)
          resolve(at)
        })
      })
      const t0 = performance.now()
      const res = await http.post('/sync/message', body)
      const tPost = performance.now()
      if (res.status !== 200 || !res.body.ok) {
        throw new Error(`/sync/message: ${res.status} ${JSON.stringify(res.body)}`)
      }
      const tEvent = await arrived
      waiting.delete(item.externalId)
      if (i < WARMUP) continue
      eventMs.push(tEvent - t0)
      postMs.push(tPost - t0)
      if (tEvent <= tPost) eventFirst += 1
    }
    await events.close()
    const result = {
      messages: count,
      event: summarize(eventMs),
      post: summarize(postMs),
      eventBeforeResponse: eventFirst,
      /** Date.now() resolution (1 ms): server-stamped `at` → arrival, warm-up included. */
      atToArrivalMs: summarize(serverLag.slice(WARMUP)),
      target: { p95Ms: 5 },
    }
    console.log(`\nSync → SSE: ${count} single-message syncs on loopback (fresh store)`)
    printTable(
      ['measure', 'n', 'p50', 'p95', 'p99', 'max'],
      [
        ['POST → message.created arrives', ...cols(result.event)],
        ['POST round trip (reference)', ...cols(result.post)],
        ["event's server `at` → arrival (1 ms clock)", ...cols(result.atToArrivalMs)],
      ],
    )
    console.log(`The event arrived before the POST's response in ${eventFirst} of ${count} cases.`)
    return Object.assign(result, { server: await server.close() })
  } catch (error) {
    await server.close()
    throw error
  } finally {
    tmp.cleanup()
  }
}

/**
 * @param {import('./common.js').Summary} s
 */
function cols(s) {
  return [String(s.n), fmtMs(s.p50), fmtMs(s.p95), fmtMs(s.p99), fmtMs(s.max)]
}
