import { type Part, type Role, textFromParts } from '@opensync/core/wire'
import type { NormalizedMessage } from './reader.js'

/**
 * A normalised message with the contract's defaults (no model, usage, cost, parent or flags;
 * text from the text parts); `extra` overrides any of them.
 */
export function normalizedMessage(
  externalId: string,
  role: Role,
  createdAt: number | null,
  parts: readonly Part[],
  extra: Partial<NormalizedMessage> = {},
): NormalizedMessage {
  return {
    externalId,
    role,
    createdAt,
    model: null,
    provider: null,
    text: textFromParts(parts),
    parts,
    usage: null,
    reportedCost: null,
    durationMs: null,
    parentExternalId: null,
    flags: [],
    ...extra,
  }
}
