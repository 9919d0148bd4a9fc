import { hc } from 'hono/client'
import type { App } from './app.js'

/** The typed API client (hono RPC), compiled against the app's routes. */
export const hcWithType = (...args: Parameters<typeof hc>) => hc<App>(...args)
export type Client = ReturnType<typeof hcWithType>
