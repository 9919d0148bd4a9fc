/** A fixed-window counter per key (API key or user). */
export type RateLimiter = {
  /** Returns 0 when allowed, else the seconds to wait. */
  take(key: string, now?: number): number
}

const WINDOW_MS = 60_000

export function createRateLimiter(perMinute: number): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>()
  return {
    take(key, now = Date.now()) {
      if (perMinute <= 0) return 0
      let w = windows.get(key)
      if (!w || now - w.start >= WINDOW_MS) {
        if (windows.size > 10_000) windows.clear()
        w = { start: now, count: 0 }
        windows.set(key, w)
      }
      w.count += 1
      if (w.count <= perMinute) return 0
      return Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000))
    },
  }
}
