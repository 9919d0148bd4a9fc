// The server under test, in its own process (as in production, away from the benchmark
// client's heap and event loop). Started by `spawnServer()` of bench/common.js: it replies
// `{ url, key }` over IPC, and on 'close' shuts down and replies with its resource usage.
import { createApiKey, loadConfig, startServer } from '@opensync/server'

const dataDir = process.argv[2]
if (!dataDir || !process.send) throw new Error('usage: fork(server-child.js, [dataDir])')
const send = process.send.bind(process)

const server = await startServer(
  loadConfig({
    OPENSYNC_DATA_DIR: dataDir,
    OPENSYNC_HOST: '127.0.0.1',
    OPENSYNC_PORT: '0',
    OPENSYNC_LOG_LEVEL: 'silent',
    OPENSYNC_RATE_LIMIT: '0',
  }),
)
const { key } = await createApiKey(server.store, { name: 'bench' })
const cpuAtStart = process.cpuUsage()
send({ url: server.url, key })

process.on('message', async (/** @type {{ type: string }} */ m) => {
  if (m.type !== 'close') return
  const cpu = process.cpuUsage(cpuAtStart)
  const rssMB = Math.round(process.memoryUsage().rss / 1e6)
  const maxRssMB = Math.round(process.resourceUsage().maxRSS / 1e3)
  await server.close()
  send({ cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000, rssMB, maxRssMB }, () =>
    process.exit(0),
  )
})
