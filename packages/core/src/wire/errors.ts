import { z } from 'zod'

/** SPEC §5: `{ error: "<human sentence>", code: "<kebab-code>", details? }`. */
export const errorEnvelopeSchema = z.object({
  error: z.string(),
  code: z.string(),
  details: z.unknown().optional(),
})
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>

/** One problem with one field of the input, as listed in `details.issues`. */
export const fieldIssueSchema = z.object({
  path: z.string(),
  message: z.string(),
})
export type FieldIssue = z.infer<typeof fieldIssueSchema>

/** Turns zod issues into `field: reason` entries that name the field. */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.map((issue) => ({
    path: issue.path.length === 0 ? '(body)' : issue.path.map(String).join('.'),
    message: issue.message,
  }))
}

/** One sentence naming every bad field, for the `error` string of a 400. */
export function describeFieldIssues(issues: readonly FieldIssue[]): string {
  const parts = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`)
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''
  return `Invalid request: ${parts.join('; ')}${more}`
}
