import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readJsonl } from './jsonl.js'

async function collect(path: string, options?: Parameters<typeof readJsonl>[1]) {
  const out = []
  for await (const line of readJsonl(path, options)) out.push(line)
  return out
}

describe('readJsonl', () => {
  it('yields parsed lines with numbers and byte offsets, and flags bad ones', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'jsonl-')), 'a.jsonl')
    writeFileSync(path, '{"a":1}\n\nnot json\n{"é":"ü"}\n{"partial":')
    const lines = await collect(path)
    expect(lines.map((l) => [l.line, l.offset, l.value, l.error === null])).toEqual([
      [1, 0, { a: 1 }, true],
      [3, 9, undefined, false],
      [4, 18, { é: 'ü' }, true],
    ])
    const withPartial = await collect(path, { includePartialLastLine: true })
    expect(withPartial.at(-1)).toMatchObject({ line: 5, offset: 30, error: expect.any(String) })
    const resumed = await collect(path, { start: 18 })
    expect(resumed.map((l) => l.value)).toEqual([{ é: 'ü' }])
  })

  it('handles lines longer than the read buffer', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'jsonl-')), 'big.jsonl')
    const big = 'x'.repeat(3 * 1024 * 1024)
    writeFileSync(path, `${JSON.stringify({ big })}\n{"n":2}\n`)
    const lines = await collect(path)
    expect(
      lines.map((l) => (l.value as { big?: string; n?: number }).big?.length ?? l.value),
    ).toEqual([big.length, { n: 2 }])
  })
})
