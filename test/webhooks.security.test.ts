/**
 * Webhooks as an attacker would aim them: at internal networks and cloud metadata, through DNS
 * that answers differently the second time, through redirects and an environment proxy. The
 * address checked is the address connected to; a local storefront never reaches link-local.
 */
import axios from 'axios'
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import nock from 'nock'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyChanges, startRun } from '../src/state/index.ts'
import { guardedAgents, refusal } from '../src/storefront/webhooks/ssrf.ts'
import { offer } from './fixtures.ts'
import { adminHeaders, buildTestApp, type TestApp } from './helpers/app.ts'
import { until } from './helpers/receiver.ts'

const SECRET = `whsec_${randomBytes(32).toString('base64')}`

describe('which addresses a storefront may be sent to', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '100.64.0.1', '::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '0.0.0.0'])(
    'public storefront: %s is refused as internal; a local one may reach it',
    (address) => {
      expect(refusal(address, false)).toMatch(/internal address/)
      expect(refusal(address, true)).toBeNull()
    },
  )
  it.each([
    '169.254.169.254',
    '169.254.0.1',
    'fe80::1',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    'fd00:ec2::254',
    '100.100.100.200',
    '224.0.0.1',
    'ff02::1',
    '255.255.255.255',
  ])('%s is refused even for a local storefront (link-local, metadata, multicast, reserved)', (address) => {
    expect(refusal(address, true)).toMatch(/refused even for a local storefront/)
    expect(refusal(address, false)).toMatch(/refused even for a local storefront/)
  })
  it.each(['93.184.216.34', '2606:2800:220:1::1', '8.8.8.8'])('%s is public', (address) => {
    expect(refusal(address, false)).toBeNull()
  })
})

describe('the address checked is the address connected to', () => {
  let server: Server
  let hits = 0
  let port = 0
  const http = axios.create({ proxy: false, timeout: 2000, validateStatus: () => true })
  beforeAll(async () => {
    // Names under .test (reserved, never on the internet) resolve through the seam below; nock lets them through.
    nock.enableNetConnect((host) => /^(127\.0\.0\.1|localhost)(:\d+)?$|\.test(:\d+)?$/.test(host))
    server = createServer((_request, response) => {
      hits += 1
      response.end('reached')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as { port: number }).port
  })
  afterAll(() => {
    nock.enableNetConnect((host) => /^(127\.0\.0\.1|localhost|\[::1\]|::1)(:\d+)?$/.test(host))
    server.close()
  })

  it('DNS rebinding: a name that answered a public address when checked is not resolved again to reach an internal one', async () => {
    let resolutions = 0
    // The first answer passes the check; every later answer would point at this machine.
    const agents = guardedAgents(async () => (++resolutions === 1 ? ['203.0.113.10'] : ['127.0.0.1']))
    hits = 0
    const first = await http.get(`http://rebind.test:${port}/`, agents(false)).catch((error: Error & { code?: string }) => error)
    // The connection went to the checked (unroutable) address and failed there.
    expect(first).toBeInstanceOf(Error)
    expect(String((first as Error & { code?: string }).code)).toMatch(/ENETUNREACH|ETIMEDOUT|ECONNABORTED|ECONNREFUSED|EHOSTUNREACH/)
    expect(resolutions).toBe(1)
    // The next connection resolves again, and this time the answer is checked and refused.
    const second = await http.get(`http://rebind.test:${port}/`, agents(false)).catch((error: Error & { code?: string }) => error)
    expect(second).toMatchObject({ code: 'EREFUSEDADDRESS', message: expect.stringContaining('rebind.test is at 127.0.0.1, an internal address') })
    expect(resolutions).toBe(2)
    expect(hits).toBe(0)
  })

  it('a local storefront reaches loopback by name, but not a name that resolves to the metadata address', async () => {
    hits = 0
    const loopback = guardedAgents(async () => ['127.0.0.1'])
    expect((await http.get(`http://shop.local.test:${port}/`, loopback(true))).data).toBe('reached')
    const metadata = guardedAgents(async () => ['169.254.169.254'])
    await expect(http.get(`http://metadata.test:${port}/`, metadata(true))).rejects.toMatchObject({
      code: 'EREFUSEDADDRESS',
      message: expect.stringContaining('metadata.test is at 169.254.169.254, a link-local, metadata or reserved address'),
    })
    // One name with a good and a bad address is refused whole: the socket could pick either.
    const mixed = guardedAgents(async () => ['127.0.0.1', '169.254.169.254'])
    await expect(http.get(`http://mixed.test:${port}/`, mixed(true))).rejects.toMatchObject({ code: 'EREFUSEDADDRESS' })
    expect(hits).toBe(1)
  })
})

describe('webhook deliveries to addresses they may not reach', () => {
  let t: TestApp
  let proxy: Server
  let proxyHits = 0
  let redirector: Server
  let redirectorUrl = ''
  const savedProxy = process.env.HTTP_PROXY
  beforeAll(async () => {
    proxy = createServer((_request, response) => {
      proxyHits += 1
      response.end('proxied')
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    // A proxy from the environment would resolve the storefront's host itself, past the check: it is never used.
    process.env.HTTP_PROXY = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`
    redirector = createServer((_request, response) => response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end())
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve))
    redirectorUrl = `http://127.0.0.1:${(redirector.address() as { port: number }).port}/hooks`
    t = await buildTestApp(
      {},
      {
        configFile: {
          storefronts: [
            { id: 'metadata', url: 'http://169.254.169.254/latest/meta-data/', secrets: [SECRET], events: ['offer.*'], local: true },
            { id: 'mapped', url: 'http://[::ffff:169.254.169.254]/hooks', secrets: [SECRET], events: ['offer.*'], local: true },
            { id: 'private', url: 'http://10.0.0.1/hooks', secrets: [SECRET], events: ['offer.*'] },
            { id: 'redirect', url: redirectorUrl, secrets: [SECRET], events: ['offer.*'], local: true },
            // The same loopback endpoint, not marked local.
            { id: 'loopback', url: redirectorUrl, secrets: [SECRET], events: ['offer.*'] },
          ],
          webhooks: { retryScheduleMs: [60_000], jitter: 0 },
        },
      },
    )
  })
  afterAll(async () => {
    if (savedProxy === undefined) delete process.env.HTTP_PROXY
    else process.env.HTTP_PROXY = savedProxy
    await t.close()
    proxy.close()
    redirector.close()
  })

  it('records each refusal as the delivery’s error, sends nothing, and follows no redirect', async () => {
    await applyChanges(t.db, await startRun(t.db, 'test', 'offers'), [offer('ssrf-1')])
    const errorOf = async (storefront: string) => {
      const deliveries = await until(
        async () => (await t.app.inject({ method: 'GET', url: `/admin/api/storefronts/${storefront}/deliveries`, headers: adminHeaders })).json().deliveries,
        (items: Array<{ attempts: number; last_error: string | null; status: string; attempt_log: Array<{ response_status: number | null }> }>) =>
          items.some((item) => item.attempts > 0),
      )
      const [delivery] = deliveries
      if (!delivery) throw new Error(`no delivery for ${storefront}`)
      return delivery
    }
    expect((await errorOf('metadata')).last_error).toBe('refused: 169.254.169.254 is a link-local, metadata or reserved address, refused even for a local storefront')
    expect((await errorOf('mapped')).last_error).toMatch(/^refused: ::ffff:a9fe:a9fe is a link-local, metadata or reserved address/)
    expect((await errorOf('private')).last_error).toBe('refused: 10.0.0.1 is an internal address (mark the storefront local to allow it)')
    expect((await errorOf('loopback')).last_error).toBe('refused: 127.0.0.1 is an internal address (mark the storefront local to allow it)')
    const redirected = await errorOf('redirect')
    expect(redirected.status).toBe('pending')
    expect(redirected.attempt_log.map((attempt) => attempt.response_status)).toEqual([302])
    expect(proxyHits).toBe(0)
  })
})
