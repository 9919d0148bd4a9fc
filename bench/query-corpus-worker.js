// Worker thread of bench/query.js: generates the `/sync/batch` bodies of the query store so
// that text generation runs on the second core while the main thread ingests.
import { parentPort, workerData } from 'node:worker_threads'
import { messageItem, prose, rng, sourceAndModel, vocabulary } from './corpus.js'

const DAY_MS = 86_400_000
const MAX_ITEMS = 9_900
const MAX_BYTES = 24 * 1024 * 1024

/**
 * @typedef {object} CorpusPlan
 * @property {number} sessions
 * @property {number} messages
 * @property {number} anchor ms; sessions start within the 365 days before it
 * @property {number} vocabulary
 * @property {number} rare
 * @property {number} projects
 * @property {number} seed
 */

/**
 * Message counts per session: log-normal around the mean, 2..2,000, summing to `total`.
 * @param {() => number} random
 * @param {number} sessions
 * @param {number} total
 */
function sessionLengths(random, sessions, total) {
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
  const raw = Array.from({ length: sessions }, () => Math.exp(gauss() * 0.9))
  const sum = raw.reduce((a, b) => a + b, 0)
  const lengths = raw.map((x) => Math.min(2000, Math.max(2, Math.round((x / sum) * total))))
  let diff = total - lengths.reduce((a, b) => a + b, 0)
  for (let i = 0; diff !== 0; i = (i + 1) % sessions) {
    const step = diff > 0 ? Math.min(diff, 2000 - lengths[i]) : Math.max(diff, 2 - lengths[i])
    lengths[i] += step
    diff -= step
  }
  return lengths
}

/**
 * Yields batch bodies (JSON text) and their message counts.
 * @param {CorpusPlan} plan
 */
function* batches(plan) {
  const v = vocabulary(plan.vocabulary, plan.rare)
  const random = rng(plan.seed)
  const lengths = sessionLengths(random, plan.sessions, plan.messages)
  const starts = Array.from(
    { length: plan.sessions },
    () => plan.anchor - 365 * DAY_MS + random() * 365 * DAY_MS,
  ).sort((a, b) => a - b)
  // ~30 projects, a few of them busy (Zipf-like).
  const projects = Array.from({ length: plan.projects }, (_, i) => `${v.words[40 + i * 7]}-app`)
  const project = () => projects[Math.floor(plan.projects * random() ** 2)]

  /** @type {string[]} */
  let sessionJson = []
  /** @type {string[]} */
  let messageJson = []
  let bytes = 0
  let messages = 0
  const flush = () => {
    const body = `{"sessions":[${sessionJson.join(',')}],"messages":[${messageJson.join(',')}]}`
    const out = { body, messages }
    sessionJson = []
    messageJson = []
    bytes = 0
    messages = 0
    return out
  }
  for (let s = 0; s < plan.sessions; s++) {
    const n = lengths[s]
    if (sessionJson.length + messageJson.length + n + 1 > MAX_ITEMS) yield flush()
    const { source, model } = sourceAndModel(random)
    const name = project()
    const externalId = `bench-q-${s}`
    const started = Math.floor(starts[s])
    const session = JSON.stringify({
      externalId,
      source,
      title: prose(v, random, 30 + Math.floor(random() * 50)),
      projectName: name,
      projectPath: `/home/dev/code/${name}`,
      model,
      machine: s % 3 === 0 ? 'laptop' : 'workstation',
      createdAt: started,
      startedAt: started,
    })
    sessionJson.push(session)
    bytes += session.length
    let at = started
    for (let i = 0; i < n; i++) {
      at += 5_000 + Math.floor(random() * 120_000)
      const item = JSON.stringify(
        messageItem({ v, random, sessionExternalId: externalId, index: i, createdAt: at, model }),
      )
      if (bytes + item.length > MAX_BYTES) yield flush()
      messageJson.push(item)
      bytes += item.length
      messages += 1
    }
  }
  if (sessionJson.length + messageJson.length > 0) yield flush()
}

if (parentPort) {
  const port = parentPort
  const it = batches(/** @type {CorpusPlan} */ (workerData))
  let credit = 0
  let done = false
  const pump = () => {
    while (credit > 0 && !done) {
      const next = it.next()
      if (next.done) {
        done = true
        port.postMessage({ done: true })
        return
      }
      credit -= 1
      port.postMessage(next.value)
    }
  }
  port.on('message', (/** @type {{ credit: number }} */ m) => {
    credit += m.credit
    pump()
  })
}
