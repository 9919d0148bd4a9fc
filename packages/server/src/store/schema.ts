import type { Generated } from 'kysely'

/** The database as Kysely sees it; snake_case like the tables. Rows are mapped to wire objects explicitly. */
export type Database = {
  users: UsersTable
  api_keys: ApiKeysTable
  sessions: SessionsTable
  session_tags: SessionTagsTable
  messages: MessagesTable
  parts: PartsTable
  usage: UsageTable
  usage_hourly: UsageHourlyTable
}

export type UsersTable = {
  id: Generated<number>
  /** 'local' for local mode, 'proxy:<user>' for proxy identities. */
  subject: string
  email: string | null
  name: string | null
  enabled_agents: string | null
  created_at: number
  updated_at: number
}

export type ApiKeysTable = {
  id: Generated<number>
  user_id: number
  name: string
  prefix: string
  /** SHA-256 of the whole key, hex. The key itself is never stored. */
  key_hash: string
  created_at: number
  last_used_at: number | null
  revoked_at: number | null
}

export type SessionsTable = {
  id: Generated<number>
  user_id: number
  external_id: string
  source: string | null
  title: string | null
  project_path: string | null
  project_name: string | null
  cwd: string | null
  git_branch: string | null
  model: string | null
  provider: string | null
  agent_version: string | null
  machine: string | null
  parent_external_id: string | null
  started_at: number | null
  ended_at: number | null
  duration_ms: number | null
  message_count: Generated<number>
  input_tokens: Generated<number>
  output_tokens: Generated<number>
  cache_read_tokens: Generated<number>
  cache_write_5m_tokens: Generated<number>
  cache_write_1h_tokens: Generated<number>
  reasoning_tokens: Generated<number>
  total_tokens: Generated<number>
  cost_micros: Generated<number>
  usage_requests: Generated<number>
  unpriced_requests: Generated<number>
  unpriced_tokens: Generated<number>
  reported_prompt_tokens: number | null
  reported_completion_tokens: number | null
  reported_cost_micros: number | null
  is_public: Generated<number>
  public_slug: string | null
  eval_ready: Generated<number>
  eval_status: string | null
  eval_tags: Generated<string>
  eval_notes: string | null
  expected_output: string | null
  reviewed_at: number | null
  created_at: number
  updated_at: number
}

export type SessionTagsTable = {
  session_id: number
  user_id: number
  tag: string
}

export type MessagesTable = {
  id: Generated<number>
  user_id: number
  session_id: number
  external_id: string
  role: string
  text_content: string
  model: string | null
  provider: string | null
  created_at: number
  duration_ms: number | null
  reported_cost_micros: number | null
  /** Hash of the normalised message as last stored: a replay with the same hash writes nothing. */
  content_hash: string
  updated_at: number
}

export type PartsTable = {
  message_id: number
  position: number
  type: string
  data: string
}

/** One priced request per assistant message that carries usage. */
export type UsageTable = {
  message_id: number
  user_id: number
  session_id: number
  model: string | null
  provider: string | null
  input_tokens: number
  output_tokens: number
  cache_read_tokens: number
  cache_write_5m_tokens: number
  cache_write_1h_tokens: number
  reasoning_tokens: number
  cost_micros: number | null
  price_status: string
  priced_model: string | null
  price_version: string
}

/** Rollup of messages and usage per user, UTC hour and dimension; maintained on write. */
export type UsageHourlyTable = {
  user_id: number
  hour: number
  source: string
  project: string
  model: string
  provider: string
  messages: number
  requests: number
  input_tokens: number
  output_tokens: number
  cache_read_tokens: number
  cache_write_5m_tokens: number
  cache_write_1h_tokens: number
  reasoning_tokens: number
  cost_micros: number
  unpriced_requests: number
  unpriced_tokens: number
}
