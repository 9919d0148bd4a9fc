import { AppError } from '@opensync/core'
import { createApiKeySchema } from '@opensync/core/wire'
import { Hono } from 'hono'
import type { AppDeps, AppEnv } from '../app-env.js'
import { createApiKey, listApiKeys, revokeApiKey } from '../store/api-keys.js'
import { getUser } from '../store/users.js'
import { body } from './parse.js'

/** `GET /api/me` and `/api/keys` (SPEC §5.2, §6). */
export function accountRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/me', async (c) => {
      const caller = c.get('caller')
      const user = await getUser(deps.store, caller.userId)
      if (!user) throw new AppError('not-found', 'This user no longer exists')
      return c.json({
        id: String(user.id),
        email: user.email,
        name: user.name,
        authMode: deps.config.auth,
        via: caller.via,
        enabledAgents: [...(user.enabledAgents ?? [])],
        createdAt: user.createdAt,
      })
    })
    .get('/keys', async (c) =>
      c.json({ keys: await listApiKeys(deps.store, c.get('caller').userId) }),
    )
    .post('/keys', body(createApiKeySchema), async (c) => {
      const { name, prefix } = c.req.valid('json')
      const created = await createApiKey(deps.store, {
        userId: c.get('caller').userId,
        name,
        prefix,
      })
      return c.json(created, 201)
    })
    .delete('/keys/:id', async (c) => {
      const revoked = await revokeApiKey(deps.store, c.req.param('id'), c.get('caller').userId)
      if (revoked === 0) throw new AppError('not-found', `No active key "${c.req.param('id')}"`)
      return c.json({ ok: true as const, revoked })
    })
}
