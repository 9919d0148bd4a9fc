import type { ServerEvent } from '@opensync/core/wire'
import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { AppDeps, AppEnv } from '../app-env.js'

const HEARTBEAT_MS = 25_000

/** `GET /api/events`: the caller's realtime events as server-sent events (SPEC §8). */
export function eventRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get('/', (c) => {
    const { userId } = c.get('caller')
    return streamSSE(c, async (stream) => {
      const queue: ServerEvent[] = []
      let wake: (() => void) | null = null
      const unsubscribe = deps.bus.subscribe(userId, (event) => {
        queue.push(event)
        wake?.()
      })
      let open = true
      stream.onAbort(() => {
        open = false
        wake?.()
      })
      try {
        await stream.writeSSE({
          event: 'server.connected',
          data: JSON.stringify({ type: 'server.connected', at: Date.now() }),
        })
        while (open) {
          if (queue.length > 0) {
            // Everything one publish queued goes out in a single write.
            const frames = queue
              .splice(0)
              .map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`)
            await stream.write(frames.join(''))
          }
          await new Promise<void>((resolve) => {
            wake = resolve
            setTimeout(resolve, HEARTBEAT_MS)
          })
          wake = null
          if (open && queue.length === 0) await stream.write(': heartbeat\n\n')
        }
      } finally {
        unsubscribe()
      }
    })
  })
}
