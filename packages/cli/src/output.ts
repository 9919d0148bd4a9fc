import { createInterface } from 'node:readline/promises'

/** The CLI's only way to print: results on stdout, diagnostics on stderr. */
export const output = {
  line(text = ''): void {
    console.log(text)
  },
  json(value: unknown): void {
    console.log(JSON.stringify(value, null, 2))
  },
  error(text: string): void {
    console.error(text)
  },
  table(rows: readonly (readonly string[])[]): void {
    const widths: number[] = []
    for (const row of rows) {
      for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length)
    }
    for (const row of rows)
      console.log(
        row
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd(),
      )
  },
  /** Whether stderr is a terminal (progress bars are drawn only there). */
  get interactive(): boolean {
    return process.stderr.isTTY === true
  },
  /** Whether the user can be asked something (stdin and stderr are terminals). */
  get canPrompt(): boolean {
    return process.stdin.isTTY === true && process.stderr.isTTY === true
  },
  /** Redraws the one-line progress display on stderr. */
  progress(text: string): void {
    const width = process.stderr.columns ?? 100
    process.stderr.write(`\r${text.slice(0, Math.max(10, width - 1))}\x1b[K`)
  },
  clearProgress(): void {
    process.stderr.write('\r\x1b[K')
  },
  /** Asks on the terminal; `hidden` echoes nothing (API keys). */
  async ask(question: string, hidden = false): Promise<string> {
    if (hidden) return askHidden(question)
    const rl = createInterface({ input: process.stdin, output: process.stderr })
    try {
      return (await rl.question(question)).trim()
    } finally {
      rl.close()
    }
  },
}

function askHidden(question: string): Promise<string> {
  const stdin = process.stdin
  return new Promise((resolve, reject) => {
    let value = ''
    const finish = (error: Error | null) => {
      stdin.off('data', onData)
      stdin.setRawMode(false)
      stdin.pause()
      process.stderr.write('\n')
      if (error) reject(error)
      else resolve(value.trim())
    }
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish(null)
        if (ch === '\u0003') return finish(new Error('cancelled'))
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1)
        else value += ch
      }
    }
    process.stderr.write(question)
    stdin.setEncoding('utf8')
    stdin.setRawMode(true)
    stdin.resume()
    stdin.on('data', onData)
  })
}
