import { afterEach, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '../../test/harness.js'
import { parseTrustedProxies } from './trusted-proxies.js'

const open: Harness[] = []
async function harness(env: Record<string, string> = {}) {
  const h = await createHarness(env)
  open.push(h)
  return h
}
afterEach(async () => {
  for (const h of open.splice(0)) await h.close()
})

const peer = (address: string) => ({ incoming: { socket: { remoteAddress: address } } })

describe('local mode', () => {
  it('gives the dashboard a cookie on a loopback host, which then reads the API without a key', async () => {
    const h = await harness()
    const page = await h.app.request('/', { headers: { host: '127.0.0.1:8484' } })
    expect(page.status).toBe(200)
    const cookie = page.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^opensync_dashboard=[\w-]+; Path=\/; HttpOnly; SameSite=Strict$/)
    const pair = cookie.split(';')[0] as string
    const me = await h.get('/api/me', { key: null, headers: { cookie: pair } })
    expect(me.status).toBe(200)
    expect(me.json.via).toBe('dashboard')
    expect((await h.get('/api/me', { key: null })).status).toBe(401)
    expect(
      (await h.get('/api/me', { key: null, headers: { cookie: 'opensync_dashboard=guess' } }))
        .status,
    ).toBe(401)
  })

  it('gives no cookie to a foreign Host header (DNS rebinding)', async () => {
    const h = await harness()
    const page = await h.app.request('/', { headers: { host: 'evil.example:8484' } })
    expect(page.headers.get('set-cookie')).toBeNull()
  })

  it('ignores proxy identity headers', async () => {
    const h = await harness()
    const res = await h.get('/api/me', {
      key: null,
      headers: { 'remote-user': 'alice' },
      env: peer('127.0.0.1'),
    })
    expect(res.status).toBe(401)
  })
})

describe('proxy mode', () => {
  it('believes identity headers only from a trusted peer, and creates users on first sight', async () => {
    const h = await harness({ OPENSYNC_AUTH: 'proxy', OPENSYNC_TRUSTED_PROXIES: '10.0.0.0/8' })
    const headers = {
      'remote-user': 'alice',
      'remote-email': 'alice@example.com',
      'remote-name': 'Alice',
    }
    const untrusted = await h.get('/api/me', { key: null, headers, env: peer('192.0.2.7') })
    expect(untrusted.status).toBe(401)
    expect(untrusted.json.error).toContain('not in OPENSYNC_TRUSTED_PROXIES')
    expect((await h.get('/api/me', { key: null, headers })).status).toBe(401)
    const trusted = await h.get('/api/me', { key: null, headers, env: peer('10.1.2.3') })
    expect(trusted.status).toBe(200)
    expect(trusted.json).toMatchObject({
      email: 'alice@example.com',
      name: 'Alice',
      via: 'proxy',
      authMode: 'proxy',
    })
    const mapped = await h.get('/api/me', {
      key: null,
      headers: { 'x-forwarded-user': 'alice' },
      env: peer('::ffff:10.9.9.9'),
    })
    expect(mapped.json.id).toBe(trusted.json.id)
    const bob = await h.get('/api/me', {
      key: null,
      headers: { 'remote-user': 'bob' },
      env: peer('127.0.0.1'),
    })
    expect(bob.json.id).not.toBe(trusted.json.id)
    // Alice's data is hers alone.
    await h.post(
      '/sync/session',
      { externalId: 'alice-1' },
      { key: null, headers, env: peer('10.1.2.3') },
    )
    const bobList = await h.get('/api/sessions', {
      key: null,
      headers: { 'remote-user': 'bob' },
      env: peer('127.0.0.1'),
    })
    expect(bobList.json.total).toBe(0)
  })

  it('still accepts API keys for plugins', async () => {
    const h = await harness({ OPENSYNC_AUTH: 'proxy' })
    expect((await h.get('/api/me')).status).toBe(200)
  })
})

describe('rate limiting', () => {
  it('answers 429 with Retry-After past the per-key limit', async () => {
    const h = await harness({ OPENSYNC_RATE_LIMIT: '3' })
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await h.get('/api/me')).status)
    expect(statuses).toEqual([200, 200, 200, 429])
    const limited = await h.get('/api/me')
    expect(limited.json.code).toBe('rate-limited')
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await h.get('/health', { key: null })).status).toBe(200)
  })
})

describe('parseTrustedProxies', () => {
  it('matches addresses and CIDRs, always trusts loopback, rejects garbage', () => {
    const t = parseTrustedProxies('192.168.1.10, 10.0.0.0/8, fd00::/8')
    expect(
      ['192.168.1.10', '10.255.0.1', '127.0.0.1', '::1', 'fd12::1', '::ffff:10.0.0.1'].map(t.has),
    ).toEqual([true, true, true, true, true, true])
    expect(['192.168.1.11', '11.0.0.1', 'fe80::1', undefined, 'nonsense'].map(t.has)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ])
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow('bad prefix length')
    expect(() => parseTrustedProxies('example.com')).toThrow('not an IP address')
  })
})
