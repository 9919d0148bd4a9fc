/**
 * Tolerant shapes of a Codex CLI rollout line (reference/agent-formats.md §2). Every field is
 * optional because builds differ; these guards never throw and keep only what the reader uses, so
 * a 20 KB `base_instructions` or a `world_state` snapshot is dropped right after parsing.
 *
 * Generations handled here:
 * - envelope `{timestamp, type, payload}` (0.3x onwards; 0.169 adds `ordinal`, ignored);
 * - legacy (mid-2025): a bare `{id, timestamp, instructions, git?}` header, `{"record_type":"state"}`
 *   markers and bare ResponseItems `{"type":"message",…}` with no timestamp;
 * - `codex exec --json` output (`thread.started`, `turn.completed`, …) is recognised only to be
 *   reported as unsupported: it is a different stream, not a rollout.
 */

import { isoToEpochMs as epochMs, isRecord, str } from '../decode.js'
export type Json = Readonly<Record<string, unknown>>

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0
}

/**
 * One `token_count` usage object in Codex's own semantics: `input` INCLUDES `cached` (and, from
 * about 0.169, `cacheWrite`), `output` INCLUDES `reasoning`. Missing fields are 0; `total_tokens`
 * is not kept (it is `input + output` and its value is faked at compaction, §2 pitfall 2).
 */
export type CodexUsage = {
  readonly input: number
  readonly cached: number
  readonly cacheWrite: number
  readonly output: number
  readonly reasoning: number
}

export const USAGE_FIELDS = ['input', 'cached', 'cacheWrite', 'output', 'reasoning'] as const

export function parseUsage(value: unknown): CodexUsage | null {
  if (!isRecord(value)) return null
  return {
    input: count(value.input_tokens),
    cached: count(value.cached_input_tokens),
    cacheWrite: count(value.cache_write_input_tokens),
    output: count(value.output_tokens),
    reasoning: count(value.reasoning_output_tokens),
  }
}

export type SessionMeta = {
  readonly id: string | null
  /** `payload.timestamp`: when the thread was created (the line's own timestamp is later). */
  readonly createdAt: number | null
  readonly cwd: string | null
  readonly originator: string | null
  readonly cliVersion: string | null
  readonly provider: string | null
  readonly gitBranch: string | null
  /** `source.subagent.thread_spawn.parent_thread_id`, else the top-level `forked_from_id`. */
  readonly parentId: string | null
  /** `source.subagent.thread_spawn.spawn_call_id`: the parent's call that ends the replay. */
  readonly spawnCallId: string | null
}

function parseSessionMeta(payload: Json): SessionMeta {
  const git = isRecord(payload.git) ? payload.git : {}
  const source = isRecord(payload.source) ? payload.source : {}
  const subagent = isRecord(source.subagent) ? source.subagent : {}
  const spawn = isRecord(subagent.thread_spawn) ? subagent.thread_spawn : {}
  return {
    id: nonEmpty(payload.id) ?? nonEmpty(payload.session_id),
    createdAt: epochMs(payload.timestamp),
    cwd: nonEmpty(payload.cwd),
    originator: nonEmpty(payload.originator),
    cliVersion: nonEmpty(payload.cli_version),
    provider: nonEmpty(payload.model_provider),
    gitBranch: nonEmpty(git.branch),
    parentId: nonEmpty(spawn.parent_thread_id) ?? nonEmpty(payload.forked_from_id),
    spawnCallId: nonEmpty(spawn.spawn_call_id),
  }
}

export type TurnContext = {
  readonly turnId: string | null
  readonly cwd: string | null
  readonly model: string | null
}

export type TokenCount = {
  /** Null for the rate-limits-only event (`info: null`, §2 pitfall 3). */
  readonly total: CodexUsage | null
  readonly last: CodexUsage | null
  /** `info.model` or `payload.model` (ccusage's synthetic files carry it); else the turn's model. */
  readonly model: string | null
}

/** The record kinds the reader consumes; everything else was dropped while parsing. */
export type RolloutRecord =
  | { readonly kind: 'session-meta'; readonly meta: SessionMeta }
  | { readonly kind: 'turn-context'; readonly turn: TurnContext }
  | { readonly kind: 'response-item'; readonly type: string; readonly item: Json }
  | { readonly kind: 'event'; readonly type: string; readonly event: Json }
  | { readonly kind: 'token-count'; readonly usage: TokenCount }
  | {
      readonly kind: 'compacted'
      readonly message: string | null
      readonly replacementItems: number
    }
  /** A record this reader knows and deliberately does not read. */
  | { readonly kind: 'ignored' }

export type ParsedLine = {
  readonly timestamp: number | null
  readonly record: RolloutRecord
}

export type ParseFailure = {
  readonly code: 'invalid-record' | 'unknown-record' | 'unsupported-format'
  readonly message: string
}

export type ParseOutcome =
  | { readonly ok: true; readonly value: ParsedLine }
  | { readonly ok: false; readonly error: ParseFailure }

/** ResponseItem types (`openai/codex:codex-rs/protocol/src/models.rs`) the reader knows. */
export const RESPONSE_ITEM_TYPES = new Set([
  'message',
  'reasoning',
  'function_call',
  'function_call_output',
  'custom_tool_call',
  'custom_tool_call_output',
  'local_shell_call',
  'web_search_call',
  'image_generation_call',
  'tool_search_call',
  'tool_search_output',
  'compaction',
  'ghost_snapshot',
  'other',
])

/** Envelope types that carry nothing a session needs (0.169: `world_state`, `token_usage_record`). */
const IGNORED_TYPES = new Set(['world_state', 'inter_agent_communication', 'token_usage_record'])

/** `codex exec --json` event types (§2 pitfall 7). */
const EXEC_JSON_TYPES = new Set([
  'thread.started',
  'turn.started',
  'turn.completed',
  'turn.failed',
  'item.started',
  'item.updated',
  'item.completed',
])

function ok(timestamp: number | null, record: RolloutRecord): ParseOutcome {
  return { ok: true, value: { timestamp, record } }
}

function fail(code: ParseFailure['code'], message: string): ParseOutcome {
  return { ok: false, error: { code, message } }
}

/** Parses one JSON value of a rollout line (the `safeParse` of HOUSE-STYLE §5.7). */
export function parseRolloutLine(value: unknown): ParseOutcome {
  if (!isRecord(value)) return fail('invalid-record', 'a rollout line must be a JSON object')
  const type = str(value.type)
  if ('payload' in value && type !== null) return parseEnvelope(type, value)
  return parseLegacy(type, value)
}

function parseEnvelope(type: string, line: Json): ParseOutcome {
  const timestamp = epochMs(line.timestamp)
  const payload = line.payload
  if (IGNORED_TYPES.has(type)) return ok(timestamp, { kind: 'ignored' })
  if (!isRecord(payload)) {
    return KNOWN_ENVELOPE_TYPES.has(type)
      ? fail('invalid-record', `${type}: payload is not an object`)
      : fail('unknown-record', `unknown record type "${type}"`)
  }
  switch (type) {
    case 'session_meta':
      return ok(timestamp, { kind: 'session-meta', meta: parseSessionMeta(payload) })
    case 'turn_context':
      return ok(timestamp, {
        kind: 'turn-context',
        turn: {
          turnId: nonEmpty(payload.turn_id),
          cwd: nonEmpty(payload.cwd),
          model: nonEmpty(payload.model),
        },
      })
    case 'response_item':
      return parseResponseItem(timestamp, payload)
    case 'event_msg': {
      const eventType = str(payload.type)
      if (eventType === null) return fail('invalid-record', 'event_msg: payload.type is missing')
      if (eventType === 'token_count') {
        const info = isRecord(payload.info) ? payload.info : null
        return ok(timestamp, {
          kind: 'token-count',
          usage: {
            total: parseUsage(info?.total_token_usage),
            last: parseUsage(info?.last_token_usage),
            model: nonEmpty(info?.model) ?? nonEmpty(payload.model),
          },
        })
      }
      return ok(timestamp, { kind: 'event', type: eventType, event: payload })
    }
    case 'compacted':
      return ok(timestamp, {
        kind: 'compacted',
        message: str(payload.message),
        replacementItems: Array.isArray(payload.replacement_history)
          ? payload.replacement_history.length
          : 0,
      })
    default:
      return fail('unknown-record', `unknown record type "${type}"`)
  }
}

const KNOWN_ENVELOPE_TYPES = new Set([
  'session_meta',
  'turn_context',
  'response_item',
  'event_msg',
  'compacted',
])

function parseResponseItem(timestamp: number | null, item: Json): ParseOutcome {
  const type = str(item.type)
  if (type === null) return fail('invalid-record', 'response_item: payload.type is missing')
  if (!RESPONSE_ITEM_TYPES.has(type)) {
    return fail('unknown-record', `unknown response_item type "${type}"`)
  }
  return ok(timestamp, { kind: 'response-item', type, item })
}

/** Legacy (pre-envelope) lines: no timestamps except the header's. */
function parseLegacy(type: string | null, line: Json): ParseOutcome {
  if (type !== null && EXEC_JSON_TYPES.has(type)) {
    return fail('unsupported-format', `"${type}" is \`codex exec --json\` output, not a rollout`)
  }
  if (line.record_type === 'state') return ok(null, { kind: 'ignored' })
  if (type === null && nonEmpty(line.id) !== null) {
    // Header line: {id, timestamp, instructions, git?}. Its timestamp is the thread's creation.
    const meta = parseSessionMeta(line)
    return ok(meta.createdAt, { kind: 'session-meta', meta })
  }
  if (type !== null && RESPONSE_ITEM_TYPES.has(type)) return parseResponseItem(null, line)
  if (type === null) return fail('invalid-record', 'line has neither "type" nor "payload"')
  return fail('unknown-record', `unknown record type "${type}"`)
}

/** True for the magic bytes of gzip or zstd (§2 pitfall 8: compressed rollouts). */
export function isCompressedMagic(bytes: Uint8Array): 'gzip' | 'zstd' | null {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip'
  if (
    bytes.length >= 4 &&
    bytes[0] === 0x28 &&
    bytes[1] === 0xb5 &&
    bytes[2] === 0x2f &&
    bytes[3] === 0xfd
  ) {
    return 'zstd'
  }
  return null
}

export { isoToEpochMs as epochMs, isRecord, str } from '../decode.js'
