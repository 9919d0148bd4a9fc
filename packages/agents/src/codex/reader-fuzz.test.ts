import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readRollout } from './reader.js'

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/codex/', import.meta.url))
const SOURCES = [
  'synthetic/sessions/2026/03/01/rollout-2026-03-01T10-00-00-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa.jsonl',
  'synthetic/sessions/2026/03/02/rollout-2026-03-02T09-00-00-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb.jsonl',
  'synthetic/sessions/2026/03/03/rollout-2026-03-03T12-00-00-cccccccc-cccc-4ccc-8ccc-cccccccccccc.jsonl',
  'mockllm/sessions/2026/11/21/rollout-2026-11-21T10-09-00-01a1fd94-a952-7170-a68a-e7734194c169.jsonl',
  'localpush-0.104.0-alpha.1/rollout-2026-02-23T20-34-25-019c8bfe-ec25-79e0-97d7-bda6a9c575ff.jsonl',
]
const REPLACEMENTS: unknown[] = [null, 0, -1, 'x', '', [], {}, true, [{}], { type: 'x' }]

type Path = readonly (string | number)[]

/** Every path to a value inside `value`, down to `depth` levels. */
function paths(value: unknown, depth: number, prefix: Path = []): Path[] {
  if (depth === 0 || typeof value !== 'object' || value === null) return []
  const entries = Array.isArray(value)
    ? value.map((v, i) => [i, v] as const)
    : Object.entries(value)
  return entries.flatMap(([key, child]) => [
    [...prefix, key],
    ...paths(child, depth - 1, [...prefix, key]),
  ])
}

function replaced(value: unknown, path: Path, replacement: unknown): unknown {
  const [head, ...rest] = path
  if (head === undefined) return replacement
  if (Array.isArray(value)) {
    return value.map((v, i) => (i === head ? replaced(v, rest, replacement) : v))
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>
    return { ...record, [head]: replaced(record[head], rest, replacement) }
  }
  return value
}

describe('robustness', () => {
  it('survives every field of real lines replaced by null, numbers, strings, arrays, objects', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codex-fuzz-'))
    for (const source of SOURCES) {
      const lines = readFileSync(join(FIXTURES, source), 'utf8').split('\n').filter(Boolean)
      for (const replacement of REPLACEMENTS) {
        // One file per replacement: every line repeated once per field path, with that field
        // replaced, so mutated lines also meet each other (pairing, usage, replay).
        const out: string[] = []
        for (const line of lines) {
          let value: unknown
          try {
            value = JSON.parse(line)
          } catch {
            out.push(line)
            continue
          }
          for (const path of paths(value, 4))
            out.push(JSON.stringify(replaced(value, path, replacement)))
        }
        const path = join(
          dir,
          `fuzz-${SOURCES.indexOf(source)}-${REPLACEMENTS.indexOf(replacement)}.jsonl`,
        )
        writeFileSync(path, `${out.join('\n')}\n`)
        const result = await readRollout(path)
        expect(result.sessions.length).toBeLessThanOrEqual(1)
        for (const message of result.sessions[0]?.messages ?? []) {
          expect(typeof message.text).toBe('string')
          if (message.usage) {
            expect(Object.values(message.usage).every((n) => Number.isInteger(n) && n >= 0)).toBe(
              true,
            )
          }
        }
      }
    }
  })
})
