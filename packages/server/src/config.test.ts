import { describe, expect, it } from 'vitest'
import { loadConfig } from './config.js'

describe('loadConfig', () => {
  it('defaults to local mode on 127.0.0.1:8484 with SQLite under the XDG data dir', () => {
    const c = loadConfig({ HOME: '/home/u', XDG_DATA_HOME: '/data' })
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8484,
      auth: 'local',
      dataDir: '/data/opensync',
      databaseUrl: 'file:/data/opensync/opensync.db',
      bodyLimitBytes: 32 * 1024 * 1024,
      maxBatchItems: 10_000,
      maxTextBytes: 4 * 1024 * 1024,
    })
    expect(loadConfig({ HOME: '/home/u' }).dataDir).toBe('/home/u/.local/share/opensync')
  })

  it('lets flags override env vars', () => {
    const c = loadConfig({ OPENSYNC_PORT: '9000', HOME: '/h' }, { port: '9100', 'data-dir': '/x' })
    expect(c.port).toBe(9100)
    expect(c.databaseUrl).toBe('file:/x/opensync.db')
  })

  it('refuses a non-loopback bind without proxy auth', () => {
    expect(() => loadConfig({ OPENSYNC_HOST: '0.0.0.0' })).toThrow(
      'OPENSYNC_AUTH: must be set to "proxy" when binding to 0.0.0.0',
    )
    expect(() => loadConfig({ OPENSYNC_HOST: '0.0.0.0', OPENSYNC_AUTH: 'local' })).toThrow(
      '"local" is only allowed on a loopback address',
    )
    expect(loadConfig({ OPENSYNC_HOST: '0.0.0.0', OPENSYNC_AUTH: 'proxy' }).auth).toBe('proxy')
  })

  it('names every bad key in one message', () => {
    let message = ''
    try {
      loadConfig({
        OPENSYNC_PORT: 'eighty',
        OPENSYNC_AUTH: 'password',
        OPENSYNC_PUBLIC_URL: 'not a url',
        OPENSYNC_BODY_LIMIT: '-1',
      })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message.split('\n')).toEqual([
      'Invalid configuration:',
      '  - OPENSYNC_PORT must be a whole number',
      '  - OPENSYNC_AUTH must be "local" or "proxy"',
      '  - OPENSYNC_PUBLIC_URL must be an absolute URL',
      '  - OPENSYNC_BODY_LIMIT must not be negative',
    ])
    expect(() =>
      loadConfig({ OPENSYNC_TRUSTED_PROXIES: 'x', OPENSYNC_DATABASE_URL: 'mysql://h' }),
    ).toThrow(
      /OPENSYNC_TRUSTED_PROXIES: "x" is not an IP address or CIDR\n {2}- OPENSYNC_DATABASE_URL: must start with/,
    )
  })
})
