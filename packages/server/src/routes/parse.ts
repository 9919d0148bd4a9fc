import { AppError } from '@opensync/core'
import { describeFieldIssues, toFieldIssues } from '@opensync/core/wire'
import type { Context } from 'hono'
import { validator } from 'hono/validator'
import type { z } from 'zod'

/** Validates a value against a wire schema; a 400 names every bad field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issues = toFieldIssues(result.error.issues)
  throw new AppError('invalid-request', describeFieldIssues(issues), { details: { issues } })
}

/** Reads a JSON body whatever its content type (the plugin protocol never insisted on one). */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text()
  if (text.trim() === '') {
    throw new AppError('invalid-json', 'The request body is empty; send a JSON object')
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new AppError(
      'invalid-json',
      `The request body is not valid JSON: ${(error as Error).message}`,
    )
  }
}

export function jsonObject(value: unknown, what = 'The request body'): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AppError('invalid-request', `${what} must be a JSON object`)
  }
  return value as Record<string, unknown>
}

/** Typed query validation for RPC clients, through the same `parseWith`. */
export function query<S extends z.ZodType>(schema: S) {
  return validator('query', (value) => parseWith(schema, value) as z.output<S>)
}

/** Typed JSON body validation for `/api` mutations. */
export function body<S extends z.ZodType>(schema: S) {
  return validator('json', async (_value, c) => parseWith(schema, await readJson(c)) as z.output<S>)
}
