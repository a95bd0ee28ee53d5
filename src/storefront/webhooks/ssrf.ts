/**
 * Where webhooks may go. A storefront's URL is checked when it is sent to, and the address that
 * was checked is the one connected to: the HTTP agents resolve the host through `checkedLookup`,
 * which refuses before a socket opens (a second resolution, where DNS could answer otherwise —
 * rebinding — never happens). An IP address in the URL is checked as it stands.
 *
 * A public storefront may reach public addresses only. One marked `local` (a shop on the same
 * machine or network, tests, a demo) may also reach loopback and private networks, but never
 * link-local addresses, where cloud metadata services answer (169.254.169.254 and the like).
 */
import { lookup, type LookupAddress } from 'node:dns'
import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import { BlockList, isIP, type LookupFunction } from 'node:net'

function blockList(v4: ReadonlyArray<readonly [string, number]>, v6: ReadonlyArray<readonly [string, number]>): BlockList {
  const list = new BlockList()
  for (const [network, prefix] of v4) list.addSubnet(network, prefix, 'ipv4')
  for (const [network, prefix] of v6) list.addSubnet(network, prefix, 'ipv6')
  return list
}

/** Never, not even for a local storefront: link-local (metadata services), multicast, reserved. */
const never = blockList(
  [
    ['169.254.0.0', 16],
    // Alibaba Cloud's metadata address (inside the shared 100.64.0.0/10).
    ['100.100.100.200', 32],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ],
  [
    ['fe80::', 10],
    // AWS's IPv6 metadata address.
    ['fd00:ec2::254', 128],
    ['ff00::', 8],
  ],
)

/** Internal networks a local storefront may reach and a public one may not. */
const internal = blockList(
  [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
  ],
  [
    ['::', 128],
    ['::1', 128],
    ['fc00::', 7],
  ],
)

const familyOf = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4')

/** Why `address` may not be sent to (null: it may). BlockList matches IPv4-mapped IPv6 against the IPv4 rules. */
export function refusal(address: string, local: boolean): string | null {
  if (isIP(address) === 0) return 'not an IP address'
  if (never.check(address, familyOf(address))) return 'a link-local, metadata or reserved address, refused even for a local storefront'
  if (!local && internal.check(address, familyOf(address))) return 'an internal address (mark the storefront local to allow it)'
  return null
}

export class RefusedAddressError extends Error {
  readonly code = 'EREFUSEDADDRESS'
  constructor(host: string, address: string, reason: string) {
    super(`refused: ${host} is ${host === address ? '' : `at ${address}, `}${reason}`)
    this.name = 'RefusedAddressError'
  }
}

/** Resolves a host to all its addresses (the test seam replaces it). */
export type Resolve = (host: string) => Promise<string[]>

const systemResolve: Resolve = (host) =>
  new Promise((resolve, reject) => lookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses.map((entry) => entry.address)))))

/** A `lookup` for sockets: resolves once, refuses when any address is refused, and hands the checked addresses to the connection. */
export function checkedLookup(local: boolean, resolve: Resolve = systemResolve): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        for (const address of addresses) {
          const reason = refusal(address, local)
          if (reason) return callback(new RefusedAddressError(hostname, address, reason), '', 4)
        }
        const entries: LookupAddress[] = addresses.map((address) => ({ address, family: isIP(address) }))
        const wanted = options.family === 4 || options.family === 6 ? entries.filter((entry) => entry.family === options.family) : entries
        if (wanted.length === 0) return callback(Object.assign(new Error(`${hostname}: no address`), { code: 'ENOTFOUND' }), '', 4)
        if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, wanted)
        const [first] = wanted
        return callback(null, first?.address ?? '', first?.family ?? 4)
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    )
  }
}

/** Throws unless the URL's host, when it is an IP address, may be sent to (a name is checked as it is resolved). */
export function assertAddressAllowed(url: string, local: boolean): void {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '')
  if (isIP(host) === 0) return
  const reason = refusal(host, local)
  if (reason) throw new RefusedAddressError(host, host, reason)
}

export interface GuardedAgents {
  httpAgent: HttpAgent
  httpsAgent: HttpsAgent
}

/** Keep-alive agents whose every connection goes only where `checkedLookup` allowed: one pair for public storefronts, one for local ones. */
export function guardedAgents(resolve?: Resolve): (local: boolean) => GuardedAgents {
  const make = (local: boolean): GuardedAgents => {
    const lookup = checkedLookup(local, resolve)
    return { httpAgent: new HttpAgent({ keepAlive: true, lookup }), httpsAgent: new HttpsAgent({ keepAlive: true, lookup }) }
  }
  const pairs = { public: make(false), local: make(true) }
  return (local) => (local ? pairs.local : pairs.public)
}
