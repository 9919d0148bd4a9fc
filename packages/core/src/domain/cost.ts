import type { PriceCalculation, Usage } from '@pydantic/genai-prices'
import { calcPrice, findProvider } from '@pydantic/genai-prices'

/**
 * Raw token buckets of one request, our normalised semantics: input EXCLUDES cache reads/writes;
 * output INCLUDES reasoning; reasoning is an informational subset. All non-negative integers.
 */
export type TokenBuckets = {
  readonly input: number
  readonly output: number
  readonly cacheRead: number
  readonly cacheWrite5m: number
  readonly cacheWrite1h: number
  readonly reasoning: number
}

export type PriceRequest = {
  readonly model: string | null | undefined
  /** e.g. 'anthropic', 'openai', 'google'; unknown strings or null → inferred from the model. */
  readonly provider?: string | null
  readonly usage: TokenBuckets
  /** Prices can be date-dependent (and, for a few providers, time-of-day dependent, in UTC). */
  readonly timestamp: Date
}

export type PricedRequest = {
  readonly status: 'priced'
  /** Integer micro-dollars (USD * 1e6), rounded half-up once from the request's exact total. */
  readonly costMicros: number
  /** Prompt side (uncached input, cache reads and writes), rounded on its own. */
  readonly inputMicros: number
  /** Completion side (output incl. reasoning), rounded on its own. */
  readonly outputMicros: number
  /** The price table's model id, e.g. 'claude-sonnet-4-5' (store and show it: matching is fuzzy). */
  readonly matchedModel: string
  /** The price table's provider id, e.g. 'anthropic'. */
  readonly matchedProvider: string
}

export type UnpricedRequest = {
  readonly status: 'unpriced'
  readonly reason: 'no-model' | 'unknown-model'
}

export type NoUsage = { readonly status: 'no-usage' }

export type PriceResult = PricedRequest | UnpricedRequest | NoUsage

/** Stored next to every computed cost so it can be recomputed when the table changes. */
export const PRICE_TABLE_VERSION = 'genai-prices@0.1.8'

const MICROS_PER_DOLLAR = 1_000_000
/** 1e-12 USD. Rates in the table are $/Mtok values with at most 6 decimals (bar a couple of
 * repeating fractions such as 1/12), so an exact request cost is a whole number of picodollars
 * and the float noise of the library's sum is far below one. */
const PICOS_PER_DOLLAR = 1e12
const PICOS_PER_MICRO = 1_000_000n
const HALF_MICRO_IN_PICOS = 500_000n

/** Integer micro-dollars to dollars, for display. */
export function microsToDollars(micros: number): number {
  return micros / MICROS_PER_DOLLAR
}

/**
 * Dollars (a float sum computed by genai-prices) to integer micro-dollars, rounded half-up once.
 * The float is first snapped to whole picodollars, which removes the drift that makes a naive
 * `Math.round(dollars * 1e6)` turn an exact 22.5 micros (0.000022499999999999998) into 22.
 */
function dollarsToMicros(dollars: number): number {
  const picos = Math.round(dollars * PICOS_PER_DOLLAR)
  if (!Number.isSafeInteger(picos)) {
    // Above ~$9,000 for a single request: picodollars no longer fit a double exactly.
    return Math.round(dollars * MICROS_PER_DOLLAR)
  }
  return Number((BigInt(picos) + HALF_MICRO_IN_PICOS) / PICOS_PER_MICRO)
}

/** Provider ids that genai-prices does not resolve by itself (agent names used as providers). */
const PROVIDER_ALIASES: ReadonlyMap<string, string> = new Map([
  ['claude', 'anthropic'],
  ['claude-code', 'anthropic'],
  ['codex', 'openai'],
  ['chatgpt', 'openai'],
])

/** Bedrock ids: 'anthropic.claude-…', 'us.anthropic.claude-…', 'amazon.nova-…'. */
const BEDROCK_MODEL = /^(?:[a-z]{2,4}\.)?(?:anthropic|amazon)\./
const OPENAI_MODEL = /^(?:gpt-|gpt\d|chatgpt-|o\d(?:-|$)|codex(?:-|$)|text-embedding-|whisper-)/

/** A provider string as the price table's provider id, or null when the table has no such provider. */
function normaliseProvider(provider: string | null | undefined): string | null {
  const key = provider?.trim().toLowerCase()
  if (!key) return null
  const alias = PROVIDER_ALIASES.get(key)
  if (alias !== undefined) return alias
  // Exact id first, then each provider's own `provider_match` ('anthropic-oauth' → anthropic,
  // 'openai-codex' → openai, 'google-gemini-cli'/'vertex' → google, 'bedrock' → aws, 'xai' → x-ai).
  return findProvider({ providerId: key })?.id ?? null
}

/** The provider a model id belongs to, judged from the id alone. */
function providerOfModel(model: string | null | undefined): string | null {
  let id = model?.trim().toLowerCase()
  if (!id) return null
  const slash = id.indexOf('/')
  if (slash > 0) {
    // 'anthropic/claude-…', 'openrouter/…'; else the table may know the whole id
    // ('accounts/fireworks/models/…'); else judge the part after the last slash.
    const whole = normaliseProvider(id.slice(0, slash)) ?? findProvider({ modelId: id })?.id
    if (whole !== undefined) return whole
    id = id.slice(id.lastIndexOf('/') + 1)
    if (!id) return null
  }
  if (BEDROCK_MODEL.test(id)) return 'aws'
  if (id.includes('claude')) return 'anthropic'
  if (OPENAI_MODEL.test(id)) return 'openai'
  if (id.startsWith('gemini')) return 'google'
  // The table's own `model_match` rules (grok → x-ai, deepseek-*, kimi-* → moonshotai, glm-* …).
  return findProvider({ modelId: id })?.id ?? null
}

/**
 * Normalises a provider id to the price table's id ('anthropic-oauth' → 'anthropic'), or infers
 * it from the model ('claude-*' → anthropic, 'gpt-*'/'o3'/'codex' → openai, 'gemini-*' → google,
 * 'anthropic/…' → anthropic). Null when neither says.
 */
export function inferProvider(
  model: string | null | undefined,
  provider?: string | null,
): string | null {
  return memo(
    inferred,
    `${model ?? ''}\u0000${provider ?? ''}`,
    () => normaliseProvider(provider) ?? providerOfModel(model),
  )
}

/** Lookups in the price table depend only on (model, provider) and are slow: remember them. */
const MEMO_LIMIT = 4096
const inferred = new Map<string, string | null>()
const attemptLists = new Map<string, readonly Attempt[]>()
/** The attempt that matched last time for (model, provider): tried first. */
const matched = new Map<string, Attempt | null>()

function memo<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  if (cache.has(key)) return cache.get(key) as T
  const value = compute()
  if (cache.size >= MEMO_LIMIT) cache.clear()
  cache.set(key, value)
  return value
}

type Attempt = { readonly model: string; readonly providerId: string }

/** Lookups to try, in order: the given provider, then the model's own provider; each with the
 * model id as logged and, for 'vendor/model' ids, without the prefix. */
function attempts(model: string, provider: string | null | undefined): Attempt[] {
  const slash = model.lastIndexOf('/')
  const bare = slash >= 0 ? model.slice(slash + 1) : ''
  const models = bare && bare !== model ? [model, bare] : [model]
  const providers = [normaliseProvider(provider), providerOfModel(model)]
  const out: Attempt[] = []
  const seen = new Set<string>()
  for (const providerId of providers) {
    if (providerId === null) continue
    for (const m of models) {
      const key = `${providerId}\u0000${m}`
      if (seen.has(key)) continue
      seen.add(key)
      out.push({ model: m, providerId })
    }
  }
  return out
}

function assertTokenCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`usage.${name} must be a non-negative integer, got ${String(value)}`)
  }
}

/**
 * Our buckets to genai-prices' usage. Its `input_tokens` is the WHOLE prompt (uncached + cache
 * reads + cache writes), which also decides the long-context tier for every bucket of the
 * request. Its `cache_write_tokens` is the total of BOTH TTLs; `cache_write_1h_tokens` and
 * `cache_write_5m_tokens` are subsets of it, priced at their own rate when the model has one.
 */
function toLibraryUsage(u: TokenBuckets): Usage {
  const cacheWrite = u.cacheWrite5m + u.cacheWrite1h
  return {
    input_tokens: u.input + u.cacheRead + cacheWrite,
    cache_read_tokens: u.cacheRead,
    cache_write_tokens: cacheWrite,
    cache_write_5m_tokens: u.cacheWrite5m,
    cache_write_1h_tokens: u.cacheWrite1h,
    output_tokens: u.output,
    // A subset of output (only priced separately by a few models); clamped so inconsistent
    // agent logs cannot make the library reject the request.
    output_reasoning_tokens: Math.min(u.reasoning, u.output),
  }
}

/**
 * Prices ONE request (never an aggregate: long-context tiers depend on each request's prompt).
 * Throws RangeError for a usage bucket that is not a non-negative integer or an invalid date.
 * Zero usage is 'no-usage' whatever the model; a missing or unknown model is 'unpriced', never 0.
 */
export function priceRequest(req: PriceRequest): PriceResult {
  const { usage } = req
  assertTokenCount('input', usage.input)
  assertTokenCount('output', usage.output)
  assertTokenCount('cacheRead', usage.cacheRead)
  assertTokenCount('cacheWrite5m', usage.cacheWrite5m)
  assertTokenCount('cacheWrite1h', usage.cacheWrite1h)
  assertTokenCount('reasoning', usage.reasoning)
  if (Number.isNaN(req.timestamp.getTime())) throw new RangeError('timestamp is an invalid Date')

  const billable =
    usage.input + usage.output + usage.cacheRead + usage.cacheWrite5m + usage.cacheWrite1h
  if (billable === 0) return { status: 'no-usage' }

  const model = req.model?.trim()
  if (!model) return { status: 'unpriced', reason: 'no-model' }

  const libUsage = toLibraryUsage(usage)
  const key = `${model}\u0000${req.provider ?? ''}`
  const known = matched.get(key)
  const tries = memo(attemptLists, key, () => attempts(model, req.provider))
  let result: PriceCalculation | null = null
  for (const attempt of known ? [known, ...tries.filter((t) => t !== known)] : tries) {
    result = calcPrice(libUsage, attempt.model, {
      providerId: attempt.providerId,
      timestamp: req.timestamp,
    })
    if (result !== null) {
      memo(matched, key, () => attempt)
      break
    }
  }
  if (result === null) return { status: 'unpriced', reason: 'unknown-model' }

  return {
    status: 'priced',
    costMicros: dollarsToMicros(result.total_price),
    inputMicros: dollarsToMicros(result.input_price),
    outputMicros: dollarsToMicros(result.output_price),
    matchedModel: result.model.id,
    matchedProvider: result.provider.id,
  }
}
