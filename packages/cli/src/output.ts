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
}
