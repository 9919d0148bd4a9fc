import { AppError } from '@opensync/core'
import {
  ANALYTICS_DIMENSIONS,
  type AnalyticsDimension,
  sessionFilterSchema,
} from '@opensync/core/wire'
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppDeps, AppEnv } from '../app-env.js'
import { analytics, isValidTimeZone, stats, unpricedSummary } from '../store/analytics.js'
import { query } from './parse.js'

const analyticsQuerySchema = sessionFilterSchema.extend({
  tz: z
    .string()
    .default('UTC')
    .refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin'),
})

/** `GET /api/stats` and `GET /api/analytics/:dimension` (SPEC §5.2). */
export function statsRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/stats', query(sessionFilterSchema), async (c) =>
      c.json(await stats(deps.store, c.get('caller').userId, c.req.valid('query'))),
    )
    .get('/analytics/:dimension', query(analyticsQuerySchema), async (c) => {
      const dimension = c.req.param('dimension')
      if (!(ANALYTICS_DIMENSIONS as readonly string[]).includes(dimension)) {
        throw new AppError(
          'not-found',
          `No analytics "${dimension}"; use one of ${ANALYTICS_DIMENSIONS.join(', ')}`,
        )
      }
      const { tz, ...filter } = c.req.valid('query')
      const userId = c.get('caller').userId
      const d = dimension as AnalyticsDimension
      const rows = await analytics(deps.store, userId, d, filter, tz)
      // Every analytics view partitions all usage, so its rows already hold the unpriced total.
      const requestTokens = rows.reduce((sum, r) => sum + r.unpricedTokens, 0)
      const unpriced = await unpricedSummary(deps.store, userId, filter, requestTokens)
      return c.json({ dimension: d, tz, rows, unpriced })
    })
}
