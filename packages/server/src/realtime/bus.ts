import type { ServerEvent } from '@opensync/core/wire'

export type EventListener = (event: ServerEvent) => void

/**
 * In-process fan-out of realtime events, per user. A multi-instance deployment replaces the
 * transport (PostgreSQL LISTEN/NOTIFY) behind the same two calls.
 */
export type EventBus = {
  publish(userId: number, events: readonly ServerEvent[]): void
  subscribe(userId: number, listener: EventListener): () => void
}

export function createEventBus(): EventBus {
  const listeners = new Map<number, Set<EventListener>>()
  return {
    publish(userId, events) {
      const set = listeners.get(userId)
      if (!set) return
      for (const event of events) for (const listener of set) listener(event)
    },
    subscribe(userId, listener) {
      const set = listeners.get(userId) ?? new Set()
      set.add(listener)
      listeners.set(userId, set)
      return () => {
        set.delete(listener)
        if (set.size === 0) listeners.delete(userId)
      }
    },
  }
}
