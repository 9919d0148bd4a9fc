import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApiKey, createApp, createDeps, loadConfig, openStore } from '@opensync/server'
import { messageItem, rng, sourceAndModel, vocabulary } from '../corpus.js'

const dir = mkdtempSync(join(tmpdir(), 'osb-'))
const config = loadConfig({
  OPENSYNC_DATA_DIR: dir,
  OPENSYNC_PORT: '0',
  OPENSYNC_LOG_LEVEL: 'silent',
  OPENSYNC_RATE_LIMIT: '0',
})
const store = await openStore(config.databaseUrl)
const app = createApp(await createDeps(store, config))
const { key } = await createApiKey(store, { name: 'b' })
const v = vocabulary(5000, 50000)
const random = rng(1)
let genMs = 0,
  reqMs = 0,
  bytes = 0,
  n = 0
const N = Number(process.argv[2] ?? 50000),
  B = Number(process.argv[3] ?? 10000)
for (let b = 0; b < N / B; b++) {
  let t = performance.now()
  const sessions = [],
    messages = []
  for (let s = 0; s < B / 200; s++) {
    const id = `s${b}-${s}`
    const { source, model } = sourceAndModel(random)
    sessions.push({
      externalId: id,
      source,
      title: 'x',
      projectName: 'p' + (s % 30),
      model,
      createdAt: 1.7e12,
    })
    for (let i = 0; i < 200; i++)
      messages.push(
        messageItem({
          v,
          random,
          sessionExternalId: id,
          index: i,
          createdAt: 1.7e12 + i * 1000 + b * 1e6,
          model,
        }),
      )
  }
  const body = JSON.stringify({ sessions, messages })
  genMs += performance.now() - t
  t = performance.now()
  const res = await app.request('/sync/batch', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
  })
  const j = await res.json()
  if (!j.ok) throw new Error(JSON.stringify(j).slice(0, 500))
  reqMs += performance.now() - t
  bytes += body.length
  n += messages.length
  console.log(b, (performance.now() - t).toFixed(0), 'ms', (body.length / 1e6).toFixed(1), 'MB')
}
console.log({
  n,
  genMs,
  reqMs,
  rate: (n / reqMs) * 1000,
  genRate: (n / genMs) * 1000,
  MBps: (bytes / 1e6 / reqMs) * 1000,
})
