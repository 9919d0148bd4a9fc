import { searchQuerySchema } from '@opensync/core/wire'
import { Hono } from 'hono'
import type { AppDeps, AppEnv } from '../app-env.js'
import { search } from '../store/search.js'
import { query } from './parse.js'

/** `GET /api/search` (SPEC §5.2): full-text now; semantic and hybrid answer 400 until configured. */
export function searchRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get('/', query(searchQuerySchema), async (c) =>
    c.json(await search(deps.store, c.get('caller').userId, c.req.valid('query'))),
  )
}
