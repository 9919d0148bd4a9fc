import { loadConfig, startServer } from '@opensync/server'
import { output } from '../output.js'

export type ServeFlags = Readonly<Record<string, string | undefined>>

/** `opensync serve`: the server only, until SIGINT/SIGTERM. */
export async function serveCommand(flags: ServeFlags): Promise<void> {
  const config = loadConfig(process.env, flags)
  output.error('✓ configuration valid')
  const server = await startServer(config)
  output.error(`✓ database reachable (${config.databaseUrl.replace(/\/\/[^@]*@/, '//***@')})`)
  output.error('✓ migrations current')
  output.error(`OpenSync is listening on ${server.url} (auth: ${config.auth})`)
  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await server.close()
}
