/** The on-disk queue and sync state recover from a crash at any byte. */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openUploadQueue } from '../src/sync/queue.js'
import { openSyncState, type SourceState } from '../src/sync/state.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'opensync-disk-'))
  dirs.push(dir)
  return dir
}

const body = (n: number) =>
  JSON.stringify({
    sessions: [],
    messages: [{ externalId: `m${n}`, textContent: `tab\there, newline\nhere ✓` }],
  })

describe('upload queue', () => {
  it('keeps unacknowledged batches across a restart, oldest first, bodies intact', async () => {
    const dir = temp()
    const queue = await openUploadQueue(dir)
    const first = await queue.append({ sessions: 0, messages: 1, body: body(1) })
    const second = await queue.append({ sessions: 0, messages: 1, body: body(2) })
    await queue.append({ sessions: 0, messages: 1, body: body(3) })
    await queue.ack(first.id, 'sent')
    await queue.close()

    const reopened = await openUploadQueue(dir)
    expect(reopened.pending().map((b) => b.id)[0]).toBe(second.id)
    expect(reopened.pending()).toHaveLength(2)
    expect(reopened.pendingItems).toBe(2)
    expect(await reopened.readBody(reopened.pending()[0] as typeof second)).toBe(body(2))
    await reopened.close()
  })

  it('drops a torn last line (a crash mid-append) and appends cleanly after it', async () => {
    const dir = temp()
    const queue = await openUploadQueue(dir)
    await queue.append({ sessions: 0, messages: 1, body: body(1) })
    await queue.close()
    appendFileSync(
      join(dir, 'batches.jsonl'),
      '{"id":"torn","createdAt":1,"sessions":0,"messages":1}\t{"sessions":[],"mess',
    )
    appendFileSync(join(dir, 'acks.jsonl'), '{"id":"tor')

    const reopened = await openUploadQueue(dir)
    expect(reopened.pending()).toHaveLength(1)
    const next = await reopened.append({ sessions: 0, messages: 1, body: body(2) })
    await reopened.close()
    const again = await openUploadQueue(dir)
    expect(again.pending().map((b) => b.id)).toContain(next.id)
    expect(await Promise.all(again.pending().map((b) => again.readBody(b)))).toEqual([
      body(1),
      body(2),
    ])
    await again.close()
  })

  it('empties its files once every batch is acknowledged', async () => {
    const dir = temp()
    const queue = await openUploadQueue(dir)
    const a = await queue.append({ sessions: 0, messages: 1, body: body(1) })
    const b = await queue.append({ sessions: 0, messages: 1, body: body(2) })
    await queue.ack(a.id, 'sent')
    expect(statSync(join(dir, 'batches.jsonl')).size).toBeGreaterThan(0)
    await queue.ack(b.id, 'dead')
    expect(statSync(join(dir, 'batches.jsonl')).size).toBe(0)
    expect(statSync(join(dir, 'acks.jsonl')).size).toBe(0)
    await queue.close()
  })
})

const source = (hash: string): SourceState => ({
  agent: 'pi',
  kind: 'file',
  fingerprint: { size: 1, mtimeMs: 2 },
  syncedAt: 3,
  sessions: { s1: { session: hash, messages: { m1: hash } } },
})

describe('sync state', () => {
  it('replays the journal over the snapshot, ignoring a torn last record', async () => {
    const dir = temp()
    const state = await openSyncState(dir)
    await state.commit([
      { path: '/a', state: source('h1') },
      { path: '/b', state: source('h2') },
    ])
    await state.compact()
    await state.commit([
      { path: '/a', state: source('h3') },
      { path: '/b', state: null },
    ])
    await state.close()
    appendFileSync(join(dir, 'journal.jsonl'), '{"path":"/c","state":{"agent":"pi"')

    const reopened = await openSyncState(dir)
    expect(reopened.get('/a')?.sessions.s1?.session).toBe('h3')
    expect(reopened.get('/b')).toBeUndefined()
    expect(reopened.get('/c')).toBeUndefined()
    expect(reopened.size).toBe(1)
    await reopened.compact()
    expect(statSync(join(dir, 'journal.jsonl')).size).toBe(0)
    const snapshot = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'))
    expect(Object.keys(snapshot.sources)).toEqual(['/a'])
    await reopened.close()
  })

  it('opens read-only without touching the files', async () => {
    const dir = temp()
    const state = await openSyncState(join(dir, 'never-created'), true)
    expect(state.size).toBe(0)
    await expect(state.commit([{ path: '/a', state: source('h') }])).rejects.toThrow(/read-only/)
    expect(() => statSync(join(dir, 'never-created'))).toThrow()
  })
})
