import { output } from './output.js'

export type ProgressBar = {
  update(done: number, total: number, detail: string): void
  done(): void
}

const WIDTH = 24
const FRAME_MS = 80

/** A one-line bar on stderr, drawn only on a terminal and at most ~12 times a second. */
export function createProgressBar(enabled: boolean, label: string): ProgressBar {
  let last = 0
  let drawn = false
  return {
    update(done, total, detail) {
      if (!enabled) return
      const now = Date.now()
      if (now - last < FRAME_MS && done < total) return
      last = now
      const ratio = total === 0 ? 1 : Math.min(1, done / total)
      const filled = Math.round(ratio * WIDTH)
      const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`
      output.progress(`${label} ${bar} ${done}/${total} ${detail}`)
      drawn = true
    },
    done() {
      if (drawn) output.clearProgress()
      drawn = false
    },
  }
}
