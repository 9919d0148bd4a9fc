import { z } from 'zod'

export const API_KEY_PREFIXES = ['os_', 'osk_'] as const
export type ApiKeyPrefix = (typeof API_KEY_PREFIXES)[number]

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The first characters of the key, enough to recognise it; the key itself is never stored. */
  prefix: z.string(),
  createdAt: z.number(),
  lastUsedAt: z.number().nullable(),
  revokedAt: z.number().nullable(),
})
export type ApiKey = z.infer<typeof apiKeySchema>

export const createApiKeySchema = z.object({
  name: z.string().trim().min(1, 'is required').max(100),
  prefix: z.enum(API_KEY_PREFIXES).default('os_'),
})

export const createdApiKeySchema = apiKeySchema.extend({
  /** Shown once, at creation. */
  key: z.string(),
})
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>

export const meResponseSchema = z.object({
  id: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  authMode: z.enum(['local', 'proxy']),
  via: z.enum(['api-key', 'dashboard', 'proxy']),
  enabledAgents: z.array(z.string()),
  createdAt: z.number(),
})
export type MeResponse = z.infer<typeof meResponseSchema>
