/**
 * The retry policy of the uploader, against a scripted HTTP server (the real server cannot be
 * made to answer 503 or a short 429 on demand): transient failures are retried, permanent ones
 * dead-lettered, auth failures stop the run with the queue intact.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createSyncClient } from '../src/sync/client.js'
import { errorFromFailure, errorFromResponse, parseRetryAfter } from '../src/sync/errors.js'
import { openUploadQueue, type UploadQueue } from '../src/sync/queue.js'
import { backoffDelay, loadTuning } from '../src/sync/tuning.js'
import { startUploader } from '../src/sync/uploader.js'

type Reply = { status: number; body?: unknown; headers?: Record<string, string> }

const servers: Server[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve))
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** Answers /sync/batch with the scripted replies in order (the last one repeats). */
async function scripted(replies: readonly Reply[]) {
  const bodies: string[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      bodies.push(body)
      const reply = replies[Math.min(bodies.length - 1, replies.length - 1)] as Reply
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
      res.end(JSON.stringify(reply.body ?? {}))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies }
}

const ok = (sessions: number, messages: number, errors: unknown[] = []): Reply => ({
  status: 200,
  body: { ok: errors.length === 0, sessions, messages, errors },
})
const envelope = (
  status: number,
  code: string,
  error: string,
  headers?: Record<string, string>,
) => ({
  status,
  body: { error, code },
  headers,
})

const session = { externalId: 's1', source: 'pi' }
const message = (id: string) => ({
  sessionExternalId: 's1',
  externalId: id,
  source: 'pi',
  role: 'user',
  textContent: id,
  parts: [],
})

async function queueWithOneBatch(): Promise<UploadQueue> {
  const dir = mkdtempSync(join(tmpdir(), 'opensync-queue-'))
  dirs.push(dir)
  const queue = await openUploadQueue(dir)
  const body = JSON.stringify({ sessions: [session], messages: [message('m1'), message('m2')] })
  await queue.append({ sessions: 1, messages: 2, body })
  return queue
}

async function drain(url: string, queue: UploadQueue, maxAttempts = 4) {
  const tuning = { ...loadTuning({}), backoffMs: 1, maxBackoffMs: 5, maxAttempts }
  const retries: number[] = []
  const uploader = startUploader({
    client: createSyncClient({ url, apiKey: 'os_test' }),
    queue,
    tuning,
    events: { onRetry: (_error, _attempt, delay) => retries.push(delay) },
  })
  const result = await uploader.finish()
  return { result, retries }
}

describe('uploader', () => {
  it('retries 503 and network-level failures, then sends', async () => {
    const server = await scripted([
      envelope(503, 'unavailable', 'busy'),
      envelope(502, 'bad-gateway', 'x'),
      ok(1, 2),
    ])
    const queue = await queueWithOneBatch()
    const { result, retries } = await drain(server.url, queue)
    expect(retries).toHaveLength(2)
    expect(result).toMatchObject({
      batches: 1,
      sessions: 1,
      messages: 2,
      deadItems: 0,
      stopped: null,
    })
    expect(server.bodies).toHaveLength(3)
    expect(new Set(server.bodies).size).toBe(1)
    expect(queue.pending()).toHaveLength(0)
  })

  it('honours Retry-After on 429', async () => {
    const server = await scripted([
      envelope(429, 'rate-limited', 'slow down', { 'retry-after': '0.02' }),
      ok(1, 2),
    ])
    const { result, retries } = await drain(server.url, await queueWithOneBatch())
    expect(retries).toEqual([20])
    expect(result.batches).toBe(1)
  })

  it('gives up after the last attempt and keeps the batch queued', async () => {
    const server = await scripted([envelope(500, 'internal', 'boom')])
    const queue = await queueWithOneBatch()
    const { result } = await drain(server.url, queue, 3)
    expect(server.bodies).toHaveLength(3)
    expect(result.stopped).toMatchObject({ status: 500, retryable: true })
    expect(queue.pending()).toHaveLength(1)
  })

  it('stops on 401 without dead-lettering: the data waits for a valid key', async () => {
    const server = await scripted([envelope(401, 'invalid-api-key', 'Unknown API key')])
    const queue = await queueWithOneBatch()
    const { result } = await drain(server.url, queue)
    expect(server.bodies).toHaveLength(1)
    expect(result.stopped).toMatchObject({ status: 401, code: 'invalid-api-key', isAuth: true })
    expect(result.deadItems).toBe(0)
    expect(queue.pending()).toHaveLength(1)
  })

  it('dead-letters a 400 with the server error, once', async () => {
    const server = await scripted([
      envelope(400, 'invalid-request', 'Invalid request: messages.0.role'),
    ])
    const queue = await queueWithOneBatch()
    const { result } = await drain(server.url, queue)
    expect(server.bodies).toHaveLength(1)
    expect(result).toMatchObject({ deadBatches: 1, deadItems: 3, stopped: null })
    expect(queue.pending()).toHaveLength(0)
    const [line] = readFileSync(queue.deadLetterFile, 'utf8').trim().split('\n')
    expect(JSON.parse(line as string)).toMatchObject({
      status: 400,
      code: 'invalid-request',
      error: 'Invalid request: messages.0.role (HTTP 400)',
      sessions: [session],
      messages: [message('m1'), message('m2')],
    })
  })

  it('dead-letters only the items a 200 response rejects', async () => {
    const rejected = {
      kind: 'message',
      index: 1,
      externalId: 'm2',
      error: 'bad role',
      code: 'invalid-request',
    }
    const server = await scripted([ok(1, 1, [rejected])])
    const queue = await queueWithOneBatch()
    const { result } = await drain(server.url, queue)
    expect(result).toMatchObject({ batches: 1, deadItems: 1, deadBatches: 0 })
    const entry = JSON.parse(readFileSync(queue.deadLetterFile, 'utf8').trim())
    expect(entry.messages).toEqual([message('m2')])
    expect(entry.sessions).toEqual([])
  })
})

describe('errors and backoff', () => {
  it('turns a refused connection into a targeted message', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    })
    const error = errorFromFailure(
      new TypeError('fetch failed', { cause: new AggregateError([refused]) }),
      'http://x:1',
      false,
    )
    expect(error).toMatchObject({
      code: 'connection-refused',
      isNetwork: true,
      retryable: true,
      status: null,
    })
    expect(error.message).toBe('no OpenSync server at http://x:1 — is it running?')
  })

  it('keeps the server envelope of an HTTP error', () => {
    const error = errorFromResponse(
      413,
      JSON.stringify({ error: 'Too big', code: 'batch-too-large', details: { limit: 5 } }),
      'u',
      null,
    )
    expect(error).toMatchObject({
      status: 413,
      code: 'batch-too-large',
      retryable: false,
      details: { limit: 5 },
    })
    expect(errorFromResponse(502, '<html>', 'u', null)).toMatchObject({
      code: 'http-502',
      retryable: true,
    })
  })

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('3')).toBe(3000)
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000)
    expect(parseRetryAfter(null)).toBeNull()
  })

  it('backs off exponentially, capped, with jitter between 50 and 100 %', () => {
    const tuning = { ...loadTuning({}), backoffMs: 100, maxBackoffMs: 1000 }
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, tuning, () => 1))).toEqual([
      100, 200, 400, 800, 1000,
    ])
    expect(backoffDelay(3, tuning, () => 0)).toBe(200)
  })
})
