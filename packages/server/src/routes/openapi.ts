import {
  analyticsResponseSchema,
  apiKeySchema,
  batchSyncResponseSchema,
  bulkActionResponseSchema,
  bulkActionSchema,
  createApiKeySchema,
  createdApiKeySchema,
  errorEnvelopeSchema,
  healthResponseSchema,
  meResponseSchema,
  messagePageQuerySchema,
  messagePageResponseSchema,
  messageSyncResponseSchema,
  messageSyncSchema,
  searchQuerySchema,
  searchResponseSchema,
  sessionDetailResponseSchema,
  sessionFilterSchema,
  sessionIdsResponseSchema,
  sessionListQuerySchema,
  sessionListResponseSchema,
  sessionPatchSchema,
  sessionSchema,
  sessionSyncResponseSchema,
  sessionSyncSchema,
  statsResponseSchema,
} from '@opensync/core/wire'
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps, AppEnv } from '../app-env.js'

type Method = 'get' | 'post' | 'patch' | 'delete'

export type RouteDoc = {
  readonly method: Method
  /** OpenAPI path syntax (`{id}`). */
  readonly path: string
  readonly summary: string
  readonly auth: boolean
  readonly query?: z.ZodObject
  readonly body?: z.ZodType
  readonly response?: z.ZodType
  readonly responseType?: string
}

const ok = z.object({ ok: z.literal(true) })

/** Every route the server answers, documented. A test checks this list against the app. */
export const ROUTE_DOCS: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/health',
    summary: 'Liveness (plugin protocol)',
    auth: false,
    response: healthResponseSchema,
  },
  {
    method: 'get',
    path: '/api/health',
    summary: 'Liveness',
    auth: false,
    response: healthResponseSchema,
  },
  {
    method: 'post',
    path: '/sync/session',
    summary: 'Upsert a session',
    auth: true,
    body: sessionSyncSchema,
    response: sessionSyncResponseSchema,
  },
  {
    method: 'post',
    path: '/sync/message',
    summary: 'Upsert a message (creates its session if needed)',
    auth: true,
    body: messageSyncSchema,
    response: messageSyncResponseSchema,
  },
  {
    method: 'post',
    path: '/sync/batch',
    summary: 'Upsert many sessions and messages; invalid items are listed in errors',
    auth: true,
    body: z.object({
      sessions: z.array(sessionSyncSchema).optional(),
      messages: z.array(messageSyncSchema).optional(),
    }),
    response: batchSyncResponseSchema,
  },
  {
    method: 'get',
    path: '/sync/sessions/list',
    summary: 'External ids of the caller’s sessions',
    auth: true,
    response: sessionIdsResponseSchema,
  },
  {
    method: 'get',
    path: '/api/sessions',
    summary: 'List sessions (filters, sort, cursor)',
    auth: true,
    query: sessionListQuerySchema,
    response: sessionListResponseSchema,
  },
  {
    method: 'get',
    path: '/api/sessions/get',
    summary: 'A session with its first page of messages (?id= id or externalId)',
    auth: true,
    query: messagePageQuerySchema.extend({ id: z.string() }),
    response: sessionDetailResponseSchema,
  },
  {
    method: 'post',
    path: '/api/sessions/bulk',
    summary: 'Bulk delete, tag, untag, evalReady, evalStatus',
    auth: true,
    body: bulkActionSchema,
    response: bulkActionResponseSchema,
  },
  {
    method: 'get',
    path: '/api/sessions/{id}',
    summary: 'A session with its first page of messages',
    auth: true,
    query: messagePageQuerySchema,
    response: sessionDetailResponseSchema,
  },
  {
    method: 'get',
    path: '/api/sessions/{id}/messages',
    summary: 'A page of a session’s messages',
    auth: true,
    query: messagePageQuerySchema,
    response: messagePageResponseSchema,
  },
  {
    method: 'patch',
    path: '/api/sessions/{id}',
    summary: 'Rename, share, eval fields',
    auth: true,
    body: sessionPatchSchema,
    response: sessionSchema,
  },
  {
    method: 'delete',
    path: '/api/sessions/{id}',
    summary: 'Delete a session and everything in it',
    auth: true,
    response: ok,
  },
  {
    method: 'get',
    path: '/api/search',
    summary: 'Full-text search (semantic/hybrid: 400 until configured)',
    auth: true,
    query: searchQuerySchema,
    response: searchResponseSchema,
  },
  {
    method: 'get',
    path: '/api/stats',
    summary: 'Totals, tokens by bucket, unpriced models',
    auth: true,
    query: sessionFilterSchema,
    response: statsResponseSchema,
  },
  {
    method: 'get',
    path: '/api/analytics/{dimension}',
    summary: 'daily | models | projects | sources | providers',
    auth: true,
    query: sessionFilterSchema.extend({ tz: z.string().optional() }),
    response: analyticsResponseSchema,
  },
  {
    method: 'get',
    path: '/api/export',
    summary: 'Export sessions as json, jsonl, csv or markdown',
    auth: true,
    query: z.object({
      id: z.string(),
      format: z.enum(['json', 'jsonl', 'csv', 'markdown']).optional(),
    }),
    responseType: 'application/octet-stream',
  },
  {
    method: 'get',
    path: '/api/events',
    summary: 'Realtime events (server-sent events)',
    auth: true,
    responseType: 'text/event-stream',
  },
  { method: 'get', path: '/api/me', summary: 'The caller', auth: true, response: meResponseSchema },
  {
    method: 'get',
    path: '/api/keys',
    summary: 'The caller’s API keys (prefix, last used)',
    auth: true,
    response: z.object({ keys: z.array(apiKeySchema) }),
  },
  {
    method: 'post',
    path: '/api/keys',
    summary: 'Create an API key (shown once)',
    auth: true,
    body: createApiKeySchema,
    response: createdApiKeySchema,
  },
  {
    method: 'delete',
    path: '/api/keys/{id}',
    summary: 'Revoke an API key (id or prefix)',
    auth: true,
    response: ok,
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This document',
    auth: false,
    responseType: 'application/json',
  },
]

function jsonSchema(schema: z.ZodType): unknown {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })
}

function parametersOf(doc: RouteDoc): unknown[] {
  const path = [...doc.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }))
  const query = doc.query
    ? Object.entries(doc.query.shape).map(([name, schema]) => ({
        name,
        in: 'query',
        required: !(schema as z.ZodType).safeParse(undefined).success,
        schema: jsonSchema(schema as z.ZodType),
      }))
    : []
  return [...path, ...query]
}

export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  const error = { content: { 'application/json': { schema: jsonSchema(errorEnvelopeSchema) } } }
  for (const doc of ROUTE_DOCS) {
    const operation: Record<string, unknown> = {
      summary: doc.summary,
      parameters: parametersOf(doc),
      ...(doc.auth ? { security: [{ apiKey: [] }] } : { security: [] }),
      responses: {
        '200': {
          description: 'OK',
          content: {
            [doc.responseType ?? 'application/json']: doc.response
              ? { schema: jsonSchema(doc.response) }
              : {},
          },
        },
        '400': { description: 'Bad input: which field and why', ...error },
        ...(doc.auth
          ? { '401': { description: 'Missing, unknown or revoked key', ...error } }
          : {}),
        '404': { description: 'Not found, or not yours', ...error },
        '413': { description: 'Too large', ...error },
        '429': { description: 'Too many requests', ...error },
      },
    }
    if (doc.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: jsonSchema(doc.body) } },
      }
    }
    paths[doc.path] = { ...paths[doc.path], [doc.method]: operation }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'OpenSync',
      version,
      description: 'Self-hosted dashboards for AI coding-agent sessions',
    },
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'os_… or legacy osk_… key' },
      },
    },
    paths,
  }
}

export function openApiRoutes(deps: AppDeps) {
  const document = openApiDocument(deps.config.version)
  return new Hono<AppEnv>().get('/', (c) => c.json(document))
}
