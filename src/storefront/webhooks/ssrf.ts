/**
 * Webhook URLs are checked at send time (DNS can change after a URL is saved): addresses on
 * loopback, private, link-local or otherwise internal networks are refused unless the storefront
 * is explicitly marked local (tests, a demo on one machine).
 */
import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'

const internal = new BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  internal.addSubnet(network, prefix, 'ipv4')
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  internal.addSubnet(network, prefix, 'ipv6')
}

export function isInternalAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 0) return true
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped?.[1]) return internal.check(mapped[1], 'ipv4')
  return internal.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

export class RefusedAddressError extends Error {
  constructor(url: string, address: string) {
    super(`refused: ${url} resolves to ${address}, an internal address (mark the storefront local to allow it)`)
    this.name = 'RefusedAddressError'
  }
}

/** Throws unless every address `url`'s host resolves to is public (or the storefront is local). */
export async function assertPublicUrl(url: string, local: boolean, resolve: (host: string) => Promise<string[]> = defaultResolve): Promise<void> {
  if (local) return
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '')
  const addresses = isIP(host) ? [host] : await resolve(host)
  for (const address of addresses) if (isInternalAddress(address)) throw new RefusedAddressError(url, address)
}

async function defaultResolve(host: string): Promise<string[]> {
  return (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address)
}
