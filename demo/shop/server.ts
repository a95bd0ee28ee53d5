/**
 * The demo B2B shop: what a storefront developer builds on the TypeScript kit (kits/ts) and the
 * webhooks. A customer signs in (the shop's users are linked to 1C partners), sees the catalogue
 * at their own price type with stock per warehouse, a «можно оплатить бонусами» label on goods
 * bonuses can pay for (B2B customers only), a cart that shows as it changes how many bonuses
 * it may take line by line and in total (the service's quote, never the shop's own sums),
 * checkout with the chosen amount, the order page following `order.*` webhooks until 1C posts
 * it, and the bonus page (balance, holds, the programme's conditions).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createClient, verify, type Schemas, type WebhookEvent } from '../../kits/ts/src/index.ts'
import { cartPage, catalogPage, bonusPage, loginPage, orderPage, ordersPage, points as pointsText, type ShopView } from './pages.ts'

export interface ShopCustomer {
  id: string
  name: string
  inn: string | null
}

export interface ShopOptions {
  host: string
  port: number
  /** The service, without /api/v1. */
  serviceUrl: string
  apiKey: string
  webhookSecret: string
  customers: ShopCustomer[]
  dataDir: string
}

export interface Shop {
  url: string
  /** Webhook messages received and verified, newest last. */
  received: Array<{ id: string; type: string; at: string }>
  close(): Promise<void>
}

type Offer = Schemas['Offer']
type Product = Schemas['Product']

interface Catalogue {
  at: number
  products: Map<string, Product>
  groups: Array<{ id: string; name: string }>
  warehouses: Array<{ id: string; name: string }>
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

function cookies(request: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    (request.headers.cookie ?? '')
      .split(';')
      .map((part) => part.trim().split('=').map(decodeURIComponent))
      .filter((pair) => pair.length === 2),
  )
}

// The shop's routes in one function: each is a few lines calling the kit and a page.
// eslint-disable-next-line max-lines-per-function
export async function startShop(options: ShopOptions): Promise<Shop> {
  const api = createClient({ baseUrl: options.serviceUrl, apiKey: options.apiKey })
  const carts = new Map<string, Map<string, number>>()
  const myOrders = new Map<string, string[]>()
  const received: Shop['received'] = []
  const seen = new Set<string>()
  const listeners = new Set<{ orderId: string | null; response: ServerResponse }>()
  let catalogue: Catalogue | null = null

  async function loadCatalogue(): Promise<Catalogue> {
    if (catalogue && Date.now() - catalogue.at < 60_000) return catalogue
    const products = new Map<string, Product>()
    for (let cursor: string | undefined; ;) {
      const { data } = await api.GET('/api/v1/products', { params: { query: { limit: 1000, ...(cursor && { cursor }) } } })
      for (const product of data?.products ?? []) products.set(product.id, product)
      cursor = data?.next?.cursor
      if (!cursor) break
    }
    const groups = ((await api.GET('/api/v1/groups')).data?.groups ?? []).map((group) => ({ id: group.id, name: group.name }))
    const warehouses = ((await api.GET('/api/v1/warehouses')).data?.warehouses ?? []).map((warehouse) => ({ id: warehouse.id, name: warehouse.name }))
    catalogue = { at: Date.now(), products, groups, warehouses }
    return catalogue
  }

  async function offersFor(customerId: string): Promise<Offer[]> {
    const offers: Offer[] = []
    for (let cursor: string | undefined; ;) {
      const { data } = await api.GET('/api/v1/offers', { params: { query: { customerId, limit: 1000, ...(cursor && { cursor }) } } })
      offers.push(...(data?.offers ?? []))
      cursor = data?.next?.cursor
      if (!cursor) return offers.filter((offer) => !offer.removed)
    }
  }

  async function quoteOf(customerId: string, cart: Map<string, number>, requestedPoints?: number) {
    if (cart.size === 0) return null
    const { data, error } = await api.POST('/api/v1/bonus/quote', {
      body: { customerId, lines: [...cart].map(([offerId, quantity]) => ({ offerId, quantity })), ...(requestedPoints !== undefined && { requestedPoints }) },
    })
    if (error) throw new Error(`${error.error.code}: ${error.error.message}`)
    return data ?? null
  }

  const send = (response: ServerResponse, status: number, body: string, type = 'text/html; charset=utf-8', headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': type, ...headers })
    response.end(body)
  }
  const redirect = (response: ServerResponse, to: string, headers: Record<string, string> = {}) => send(response, 303, '', 'text/plain', { location: to, ...headers })

  async function viewOf(customerId: string): Promise<ShopView | null> {
    const { data: customer } = await api.GET('/api/v1/customers/{id}', { params: { path: { id: customerId } } })
    if (!customer) return null
    return { customer, cartCount: [...(carts.get(customerId)?.values() ?? [])].reduce((sum, quantity) => sum + quantity, 0) }
  }

  function onWebhook(event: WebhookEvent & { id: string }) {
    if (seen.has(event.id)) return
    seen.add(event.id)
    received.push({ id: event.id, type: event.type, at: new Date().toISOString() })
    if (received.length > 500) received.shift()
    if (event.type.startsWith('product.') || event.type.startsWith('offer.') || event.type === 'backfill.batch') catalogue = null
    if (event.type.startsWith('order.')) {
      const orderId = String((event.data as { id?: string }).id ?? '')
      for (const listener of listeners) if (listener.orderId === orderId) listener.response.write(`event: order\ndata: ${JSON.stringify({ type: event.type })}\n\n`)
    }
    if (event.type.startsWith('bonus.')) for (const listener of listeners) if (listener.orderId === null) listener.response.write(`event: bonus\ndata: {}\n\n`)
  }

  async function route(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://shop.local')
    const path = url.pathname
    if (request.method === 'POST' && path === '/webhooks') {
      const raw = await readBody(request)
      try {
        onWebhook(verify(options.webhookSecret, raw, request.headers as Record<string, string>))
        return send(response, 204, '', 'text/plain')
      } catch {
        return send(response, 401, 'signature does not verify', 'text/plain')
      }
    }
    if (path === '/login' && request.method === 'POST') {
      const form = new URLSearchParams((await readBody(request)).toString('utf8'))
      const id = form.get('customer') ?? ''
      if (!options.customers.some((customer) => customer.id === id)) return redirect(response, '/')
      return redirect(response, '/catalog', { 'set-cookie': `shop_customer=${encodeURIComponent(id)}; Path=/; HttpOnly; SameSite=Lax` })
    }
    if (path === '/logout') return redirect(response, '/', { 'set-cookie': 'shop_customer=; Path=/; Max-Age=0' })
    const customerId = cookies(request).shop_customer ?? ''
    const view = customerId ? await viewOf(customerId) : null
    if (!view) {
      const known = await Promise.all(
        options.customers.map(async (customer) => ({ ...customer, found: (await api.GET('/api/v1/customers/{id}', { params: { path: { id: customer.id } } })).data ?? null })),
      )
      return send(response, 200, loginPage(known))
    }
    const cart = (carts.get(customerId) ?? carts.set(customerId, new Map()).get(customerId)) as Map<string, number>
    if (path === '/' || path === '/catalog') {
      const [offers, data] = await Promise.all([offersFor(customerId), loadCatalogue()])
      return send(
        response,
        200,
        catalogPage(view, offers, data, { group: url.searchParams.get('group'), q: url.searchParams.get('q') ?? '', added: url.searchParams.get('added') }),
      )
    }
    if (path.startsWith('/cart/') && request.method === 'POST') return cartAction(path, request, response, customerId, cart)
    if (path === '/cart') {
      const [offers, quote, bonus] = await Promise.all([
        offersFor(customerId),
        quoteOf(customerId, cart),
        api.GET('/api/v1/customers/{id}/bonus', { params: { path: { id: customerId } } }),
      ])
      return send(response, 200, cartPage(view, cart, offers, quote, bonus.data ?? null, url.searchParams.get('error')))
    }
    if (path === '/bonus') {
      const [bonus, programme, eligible, history, upcoming] = await Promise.all([
        api.GET('/api/v1/customers/{id}/bonus', { params: { path: { id: customerId } } }),
        api.GET('/api/v1/customers/{id}/bonus/programme', { params: { path: { id: customerId } } }),
        api.GET('/api/v1/customers/{id}/bonus/offers', { params: { path: { id: customerId }, query: { limit: 1000 } } }),
        api.GET('/api/v1/customers/{id}/bonus/history', { params: { path: { id: customerId }, query: { limit: 20 } } }),
        api.GET('/api/v1/customers/{id}/bonus/upcoming', { params: { path: { id: customerId }, query: { limit: 20 } } }),
      ])
      const ledger = { history: history.data?.movements ?? [], upcoming: upcoming.data?.movements ?? [] }
      return send(response, 200, bonusPage(view, bonus.data ?? null, programme.data ?? null, eligible.data ?? null, await loadCatalogue(), ledger))
    }
    if (path === '/orders') {
      const ids = myOrders.get(customerId) ?? []
      const orders = (await Promise.all(ids.map(async (id) => (await api.GET('/api/v1/orders/{id}', { params: { path: { id } } })).data))).filter((order) => order !== undefined)
      return send(response, 200, ordersPage(view, orders))
    }
    const orderMatch = /^\/orders\/([^/]+)$/.exec(path)
    if (orderMatch) {
      const { data: order } = await api.GET('/api/v1/orders/{id}', { params: { path: { id: decodeURIComponent(orderMatch[1] ?? '') } } })
      if (!order || order.customerId !== customerId) return send(response, 404, 'Заказ не найден')
      const offers = await offersFor(customerId)
      return send(response, 200, orderPage(view, order, offers, url.searchParams.get('fragment') !== null))
    }
    if (path === '/live') {
      // Server-sent events: the order page and the bonus page refresh when a webhook says so.
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
      response.write(': live\n\n')
      const listener = { orderId: url.searchParams.get('order'), response }
      listeners.add(listener)
      request.on('close', () => listeners.delete(listener))
      return
    }
    return send(response, 404, 'Нет такой страницы')
  }

  /** The cart's writes: add from the catalogue, change quantities (or check out), and the live quote. */
  async function cartAction(path: string, request: IncomingMessage, response: ServerResponse, customerId: string, cart: Map<string, number>) {
    if (path === '/cart/add' && request.method === 'POST') {
      const form = new URLSearchParams((await readBody(request)).toString('utf8'))
      const offerId = form.get('offer') ?? ''
      const quantity = Math.max(1, Math.floor(Number(form.get('quantity') ?? 1)))
      if (offerId) cart.set(offerId, (cart.get(offerId) ?? 0) + quantity)
      return redirect(response, `/catalog?added=${encodeURIComponent(offerId)}${form.get('group') ? `&group=${encodeURIComponent(form.get('group') ?? '')}` : ''}`)
    }
    if (path === '/cart/update' && request.method === 'POST') {
      const form = new URLSearchParams((await readBody(request)).toString('utf8'))
      for (const [key, value] of form) {
        if (!key.startsWith('q:')) continue
        const quantity = Math.floor(Number(value))
        if (quantity > 0) cart.set(key.slice(2), quantity)
        else cart.delete(key.slice(2))
      }
      if (form.get('checkout') !== null) return checkout(response, customerId, cart, Math.round(Number((form.get('points') ?? '0').replace(',', '.')) * 100))
      return redirect(response, `/cart?points=${encodeURIComponent(form.get('points') ?? '')}`)
    }
    if (path === '/cart/quote' && request.method === 'POST') {
      // The cart's live numbers: the quantities and points typed, quoted by the service.
      const body = JSON.parse((await readBody(request)).toString('utf8') || '{}') as { quantities?: Record<string, number>; points?: number }
      const draft = new Map<string, number>()
      for (const [offerId, quantity] of Object.entries(body.quantities ?? {})) if (quantity > 0) draft.set(offerId, Math.floor(quantity))
      try {
        return send(response, 200, JSON.stringify(await quoteOf(customerId, draft, body.points)), 'application/json')
      } catch (error) {
        return send(response, 422, JSON.stringify({ error: (error as Error).message }), 'application/json')
      }
    }
    return send(response, 404, 'Нет такой страницы')
  }

  async function checkout(response: ServerResponse, customerId: string, cart: Map<string, number>, points: number) {
    if (cart.size === 0) return redirect(response, '/cart')
    // The service refuses more than the quote allows; the customer reads why in Russian first.
    const quote = await quoteOf(customerId, cart)
    if (quote && points > quote.maxRedeemableMinor) {
      return redirect(response, `/cart?error=${encodeURIComponent(`Этот заказ может принять не больше ${pointsText(quote.maxRedeemableMinor)}`)}`)
    }
    const stamp = Date.now().toString(36).toUpperCase().slice(-7)
    // УТ 11 keeps the site's number in 11 characters; the Idempotency-Key header must stay ASCII.
    const number = `Д${stamp}`
    const { data, error } = await api.POST('/api/v1/orders', {
      params: { header: { 'idempotency-key': `demo-order-${stamp}` } },
      body: {
        externalId: number,
        number,
        customerId,
        lines: [...cart].map(([offerId, quantity]) => ({ offerId, quantity })),
        bonusMinor: Math.max(0, points),
        delivery: { method: 'Самовывоз со склада', address: '' },
        paymentMethod: 'Счёт',
        comment: 'Заказ из демо-магазина',
      },
    })
    if (error || !data) return redirect(response, `/cart?error=${encodeURIComponent(error?.error.message ?? 'заказ не принят')}`)
    cart.clear()
    myOrders.set(customerId, [data.id, ...(myOrders.get(customerId) ?? [])])
    return redirect(response, `/orders/${encodeURIComponent(data.id)}`)
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, `Ошибка магазина: ${(error as Error).message}`, 'text/plain; charset=utf-8')
    })
  })
  await new Promise<void>((done) => server.listen(options.port, options.host, done))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${options.host}:${port}`,
    received,
    close: async () => {
      for (const listener of listeners) listener.response.end()
      await new Promise<void>((done) => server.close(() => done()))
    },
  }
}
