import type { KnownSource, Part, Role, Tokens } from '@opensync/core/wire'

/** Environment a reader resolves its paths from (HOME, XDG_*, the agent's own variables). */
export type Env = Readonly<Record<string, string | undefined>>

/** One unit of incremental tracking: a session file, or a database holding many sessions. */
export type SessionSource = {
  readonly agent: KnownSource
  readonly path: string
  readonly kind: 'file' | 'database' | 'directory'
}

/** A problem with the content of a source: counted and reported, never thrown. */
export type ReadIssue = {
  readonly file: string
  /** 1-based line for line-oriented files, null otherwise. */
  readonly line: number | null
  readonly code:
    | 'invalid-json'
    | 'invalid-record'
    | 'unknown-record'
    | 'unreadable'
    | 'unsupported-format'
  readonly message: string
}

export type MessageFlag =
  /** Claude Code sidechain (subagent) line inside a main transcript. */
  | 'sidechain'
  /** pi: on a branch the session later left (kept, but not on the final path). */
  | 'abandoned-branch'
  /** A summary the agent wrote when it compacted the context. */
  | 'compaction-summary'
  /** Injected by the agent, not typed by the user (e.g. command output, reminders). */
  | 'synthetic'

export type NormalizedMessage = {
  readonly externalId: string
  readonly role: Role
  /** Epoch ms, null when the agent stores no time (then order is the order in the file). */
  readonly createdAt: number | null
  readonly model: string | null
  readonly provider: string | null
  /** The message's prose: its text parts joined. */
  readonly text: string
  readonly parts: readonly Part[]
  /** One request's usage in our semantics (input excludes cache; output includes reasoning). */
  readonly usage: Tokens | null
  /** Cost the agent itself recorded, in dollars (pi, OpenCode); null when none. */
  readonly reportedCost: number | null
  readonly durationMs: number | null
  /** Parent message in the agent's tree (Claude Code parentUuid, pi parentId), when it has one. */
  readonly parentExternalId: string | null
  readonly flags: readonly MessageFlag[]
}

export type NormalizedSession = {
  readonly externalId: string
  readonly source: KnownSource
  readonly title: string | null
  readonly projectPath: string | null
  readonly projectName: string | null
  readonly cwd: string | null
  readonly gitBranch: string | null
  readonly model: string | null
  readonly provider: string | null
  readonly agentVersion: string | null
  /** Fork or subagent parent session. */
  readonly parentExternalId: string | null
  readonly startedAt: number | null
  readonly endedAt: number | null
  readonly messages: readonly NormalizedMessage[]
  /** Totals the agent recorded when it has no per-request usage (e.g. Droid, Copilot). */
  readonly reportedTotals: {
    readonly promptTokens: number
    readonly completionTokens: number
  } | null
}

export type ReadResult = {
  readonly sessions: readonly NormalizedSession[]
  readonly issues: readonly ReadIssue[]
}

/** One agent's reader (HOUSE-STYLE §5.7): plain data and functions, no class hierarchy. */
export type AgentReader = {
  readonly id: KnownSource
  readonly displayName: string
  /** Where the agent keeps its sessions: explicit root, then its env vars, then defaults. */
  roots(env: Env): readonly string[]
  /** Every session source under the roots; missing roots yield nothing. */
  discover(env: Env): AsyncIterable<SessionSource>
  /** Reads one source into normalised sessions. Never throws for bad content. */
  read(source: SessionSource): Promise<ReadResult>
}
