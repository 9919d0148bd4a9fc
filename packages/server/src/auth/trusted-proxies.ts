import { BlockList, isIP } from 'node:net'

export type TrustedProxies = {
  readonly source: string
  readonly has: (address: string | undefined) => boolean
}

function normalise(address: string): string {
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) as Node reports it for dual-stack sockets.
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address
}

/**
 * Parses `OPENSYNC_TRUSTED_PROXIES` (comma-separated IPs and CIDRs). Loopback is always trusted,
 * since a proxy on the same machine is the common homelab setup.
 */
export function parseTrustedProxies(source: string): TrustedProxies {
  const list = new BlockList()
  list.addSubnet('127.0.0.0', 8, 'ipv4')
  list.addAddress('::1', 'ipv6')
  for (const entry of source
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [ip = '', bits] = entry.split('/')
    const family = isIP(ip)
    if (family === 0) throw new Error(`"${entry}" is not an IP address or CIDR`)
    const type = family === 4 ? 'ipv4' : 'ipv6'
    if (bits === undefined) {
      list.addAddress(ip, type)
      continue
    }
    const prefix = Number(bits)
    const max = family === 4 ? 32 : 128
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) {
      throw new Error(`"${entry}" has a bad prefix length (0-${max})`)
    }
    list.addSubnet(ip, prefix, type)
  }
  return {
    source,
    has(address) {
      if (!address) return false
      const ip = normalise(address)
      const family = isIP(ip)
      if (family === 0) return false
      return list.check(ip, family === 4 ? 'ipv4' : 'ipv6')
    },
  }
}
