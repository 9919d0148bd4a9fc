/** Agent ids (SPEC §7), upstream's values. */
export const SOURCES = [
  'claude-code',
  'codex-cli',
  'opencode',
  'pi',
  'factory-droid',
  'cursor-sync',
  'gemini-cli',
  'copilot-cli',
  'amp',
] as const
export type KnownSource = (typeof SOURCES)[number]

const SOURCE_ALIASES: Readonly<Record<string, KnownSource>> = {
  cursor: 'cursor-sync',
  codex: 'codex-cli',
  droid: 'factory-droid',
  gemini: 'gemini-cli',
  copilot: 'copilot-cli',
  claude: 'claude-code',
}

/** Upstream default for a missing source. */
export const DEFAULT_SOURCE: KnownSource = 'opencode'

/**
 * Normalises a source id on every write path (upstream only did it on insert). Unknown ids are
 * kept as sent (lower-cased), so new agents work before we know them.
 */
export function normalizeSource(source: string | null | undefined): string | null {
  if (source === null || source === undefined) return null
  const id = source.trim().toLowerCase()
  if (id === '') return null
  return SOURCE_ALIASES[id] ?? id
}
