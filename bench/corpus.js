// Deterministic synthetic agent sessions: a Zipf-distributed vocabulary, prose with some code,
// rare identifiers (commit-hash-like tokens), tool calls with results and per-request usage.

/**
 * A small, fast, seeded PRNG (mulberry32).
 * @param {number} seed
 * @returns {() => number} uniform in [0, 1)
 */
export function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// Frequent words first: FTS5 has no stop words, so these are the "common" search terms.
const HEAD = `the to and of a in is it that for you this with on be we not are as can use
file function code test error if will should need let me now change add run from check type
build value return update fix make data config path new see looks server import issue call
line work using also first then here when want would just like there more output time case
default module string object list package change handle version option result request support
const async await export class interface route query table index session message user model
token cost cache search stream event batch schema migrate parse format render component state
hook props style layout button input form validate debug trace log warn failed passing commit
branch merge review diff patch refactor rename extract inline delete remove create install
script command terminal shell docker compose deploy release publish bundle vite react node
typescript javascript python rust golang sqlite postgres kysely hono zod vitest biome eslint`
  .split(/\s+/)
  .filter(Boolean)

const SYLLABLES = `ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo fu ga ge gi go gu ha he
hi ho hu ja jo ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re
ri ro ru sa se si so su ta te ti to tu va ve vi vo vu wa we wi wo za ze zi zo zu tra tre tri tro
bla ble bli blo pla ple pli plo stra stre stri stro chan chen chin chon quar quer quir quor`
  .split(/\s+/)
  .filter(Boolean)

/**
 * @typedef {object} Vocabulary
 * @property {string[]} words ranked, most frequent first
 * @property {Float64Array} cdf cumulative Zipf probabilities
 * @property {string[]} rare identifiers each seen in only a handful of messages
 */

/**
 * @param {number} size number of ranked words
 * @param {number} rareCount size of the rare-identifier pool
 * @param {number} [exponent] Zipf exponent
 * @returns {Vocabulary}
 */
export function vocabulary(size, rareCount, exponent = 1.07) {
  const random = rng(7)
  const seen = new Set(HEAD)
  const words = [...HEAD]
  while (words.length < size) {
    const n = 2 + Math.floor(random() * 3)
    let w = ''
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)]
    if (!seen.has(w)) {
      seen.add(w)
      words.push(w)
    }
  }
  const cdf = new Float64Array(size)
  let sum = 0
  for (let i = 0; i < size; i++) {
    sum += 1 / (i + 1) ** exponent
    cdf[i] = sum
  }
  for (let i = 0; i < size; i++) cdf[i] /= sum
  const rare = []
  const rareSeen = new Set()
  while (rare.length < rareCount) {
    // 9 hex digits with a letter first: a short commit hash, its own FTS token.
    const h = `c${Math.floor(random() * 0xfffffffff)
      .toString(16)
      .padStart(9, '0')}`
    if (!rareSeen.has(h)) {
      rareSeen.add(h)
      rare.push(h)
    }
  }
  return { words, cdf, rare }
}

/**
 * @param {Vocabulary} v
 * @param {() => number} random
 */
function pick(v, random) {
  const u = random()
  let lo = 0
  let hi = v.cdf.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (v.cdf[mid] < u) lo = mid + 1
    else hi = mid
  }
  return v.words[lo]
}

/**
 * Prose of about `length` characters, sometimes with a fenced code block and a rare identifier.
 * @param {Vocabulary} v
 * @param {() => number} random
 * @param {number} length
 */
export function prose(v, random, length) {
  let out = ''
  const codeAt = random() < 0.3 ? length * (0.3 + random() * 0.4) : Number.POSITIVE_INFINITY
  while (out.length < length) {
    if (out.length >= codeAt) {
      out += `\n\n${code(v, random, Math.min(600, Math.max(80, (length - out.length) * 0.6)))}\n\n`
      continue
    }
    const n = 6 + Math.floor(random() * 14)
    let sentence = pick(v, random)
    sentence = sentence[0].toUpperCase() + sentence.slice(1)
    for (let i = 1; i < n; i++) {
      if (random() < 0.01) sentence += ` ${v.rare[Math.floor(random() * v.rare.length)]}`
      else sentence += ` ${pick(v, random)}`
      if (random() < 0.06) sentence += ','
    }
    out += `${sentence}${random() < 0.85 ? '.' : '?'} `
  }
  return out.slice(0, length).trimEnd()
}

const KEYWORDS = ['const', 'let', 'return', 'await', 'if', 'for', 'export function', 'import']

/**
 * A TypeScript-looking code block of about `length` characters.
 * @param {Vocabulary} v
 * @param {() => number} random
 * @param {number} length
 */
export function code(v, random, length) {
  let body = ''
  while (body.length < length) {
    const kw = KEYWORDS[Math.floor(random() * KEYWORDS.length)]
    const a = pick(v, random)
    const b = pick(v, random)
    const c = pick(v, random)
    body += `  ${kw} ${a}${b[0].toUpperCase()}${b.slice(1)} = ${c}(${a}, ${Math.floor(random() * 1000)})\n`
  }
  return `\`\`\`ts\n${body}\`\`\``
}

const TOOLS = ['Read', 'Edit', 'Bash', 'Grep', 'Write', 'Glob']

/**
 * Length between 200 and 2,000 characters, log-uniform (many short, some long; mean ~780).
 * @param {() => number} random
 */
export function textLength(random) {
  return Math.round(200 * 10 ** random())
}

/**
 * One `/sync/batch` message item.
 * @param {object} o
 * @param {Vocabulary} o.v
 * @param {() => number} o.random
 * @param {string} o.sessionExternalId
 * @param {number} o.index position in the session
 * @param {number} o.createdAt ms
 * @param {string} o.model
 */
export function messageItem({ v, random, sessionExternalId, index, createdAt, model }) {
  const assistant = index % 2 === 1
  const text = prose(v, random, textLength(random))
  const externalId = `${sessionExternalId}-m${index}`
  /** @type {Array<Record<string, unknown>>} */
  const parts = [{ type: 'text', content: text }]
  if (!assistant) {
    return {
      sessionExternalId,
      externalId,
      role: 'user',
      textContent: text,
      createdAt,
      parts,
    }
  }
  const callId = `call_${externalId}`
  const tool = TOOLS[Math.floor(random() * TOOLS.length)]
  const target = `src/${pick(v, random)}/${pick(v, random)}.ts`
  parts.push(
    {
      type: 'tool-call',
      content: {
        callId,
        toolName: tool,
        args: tool === 'Bash' ? { command: `npm run ${pick(v, random)}` } : { path: target },
      },
    },
    {
      type: 'tool-result',
      content: {
        callId,
        output:
          random() < 0.5
            ? code(v, random, 80 + random() * 400)
            : prose(v, random, 60 + Math.floor(random() * 300)),
      },
    },
  )
  const input = 5 + Math.floor(random() * 3000)
  const cacheRead = Math.floor(random() * 60_000)
  const output = 20 + Math.floor(random() * 2000)
  return {
    sessionExternalId,
    externalId,
    role: 'assistant',
    textContent: text,
    model,
    createdAt,
    parts,
    usage: {
      input,
      output,
      cacheRead,
      cacheWrite5m: random() < 0.2 ? Math.floor(random() * 8000) : 0,
      reasoning: random() < 0.3 ? Math.floor(output * 0.3) : 0,
    },
  }
}

/** Sources with their models; `qwen3-coder-local` has no price (shown as unpriced). */
export const SOURCES = [
  { source: 'claude-code', weight: 40, models: ['claude-sonnet-4-5', 'claude-opus-4-1'] },
  { source: 'codex-cli', weight: 25, models: ['gpt-5-codex', 'gpt-5'] },
  { source: 'opencode', weight: 15, models: ['claude-sonnet-4-5', 'qwen3-coder-local'] },
  { source: 'gemini-cli', weight: 10, models: ['gemini-2.5-pro'] },
  { source: 'pi', weight: 10, models: ['qwen3-coder-local', 'gpt-5'] },
]

/**
 * @param {() => number} random
 * @returns {{ source: string, model: string }}
 */
export function sourceAndModel(random) {
  let r = random() * SOURCES.reduce((s, x) => s + x.weight, 0)
  for (const s of SOURCES) {
    r -= s.weight
    if (r <= 0) return { source: s.source, model: s.models[Math.floor(random() * s.models.length)] }
  }
  return { source: 'claude-code', model: 'claude-sonnet-4-5' }
}

/**
 * Picks a word of the vocabulary by rank range (for search queries).
 * @param {Vocabulary} v
 * @param {() => number} random
 * @param {number} from
 * @param {number} to exclusive
 */
export function wordInRanks(v, random, from, to) {
  return v.words[from + Math.floor(random() * (to - from))]
}
