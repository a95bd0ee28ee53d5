/**
 * The onec-bridge storefront API for Node and edge runtimes: a typed `fetch` client generated from
 * the service's OpenAPI document (openapi-typescript + openapi-fetch), and `verify()` for its
 * Standard Webhooks with the messages as a union discriminated by `type`.
 *
 *   const api = createClient({ baseUrl: 'https://bridge.example/api/v1', apiKey: process.env.ONEC_BRIDGE_KEY })
 *   const { data, error } = await api.POST('/api/v1/bonus/quote', { body: { customerId, lines } })
 */
import createFetchClient, { type Client } from 'openapi-fetch'
import { Webhook } from 'standardwebhooks'
import type { components, paths } from './schema.ts'

export type { components, paths }
export type Schemas = components['schemas']
export type Quote = Schemas['Quote']
export type Order = Schemas['Order']
export type NewOrder = Schemas['NewOrderInput']
export type ApiError = Schemas['Error']

export interface ClientOptions {
  /** Where the service answers, without `/api/v1` (that is part of every path). */
  baseUrl: string
  /** The storefront's REST API key (`sk_…`). */
  apiKey: string
  /** Another fetch (a test's, an edge runtime's). */
  fetch?: typeof globalThis.fetch
}

export function createClient(options: ClientOptions): Client<paths> {
  return createFetchClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch && { fetch: options.fetch }),
  })
}

/** Every webhook message the service sends, discriminated by `type`. */
export type WebhookEvent =
  | Schemas['OfferMessage']
  | Schemas['ProductMessage']
  | Schemas['PriceTypeMessage']
  | Schemas['WarehouseMessage']
  | Schemas['CustomerMessage']
  | Schemas['BonusMessage']
  | Schemas['BonusProgrammeMessage']
  | Schemas['ProductSegmentMessage']
  | Schemas['BonusMovementMessage']
  | Schemas['BonusLedgerMessage']
  | Schemas['CustomerSignalMessage']
  | Schemas['OrderMessage']
  | BackfillBatch

/** A backfill: the current state of one kind, a batch at a time. */
export interface BackfillBatch {
  type: 'backfill.batch'
  timestamp: string
  data: { kind: string; batch: number; startedAt: string; entities: Array<Record<string, unknown> & { version: number }>; version: number }
}

export type WebhookType = WebhookEvent['type']

/** Headers as the request carries them, in any case (Node lower-cases them; PHP and proxies may not). */
type Headers = Record<string, string | string[] | undefined> | globalThis.Headers

function header(headers: Headers, name: string): string {
  if (typeof (headers as globalThis.Headers).get === 'function') return (headers as globalThis.Headers).get(name) ?? ''
  const found = Object.entries(headers as Record<string, string | string[] | undefined>).find(([key]) => key.toLowerCase() === name)?.[1]
  return (Array.isArray(found) ? found[0] : found) ?? ''
}

export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WebhookVerificationError'
  }
}

/**
 * Checks a message against the storefront's secret(s) — during a rotation pass both — and returns
 * it typed. Pass the raw body as received, before any JSON parsing. Throws
 * WebhookVerificationError when no secret verifies it or its timestamp is more than 5 minutes off.
 * Deduplicate on `webhook-id` (keep ids at least 7 days: retries span ~27 h) and drop a message
 * whose `data.version` is lower than one you have.
 */
export function verify(secrets: string | readonly string[], rawBody: string | Buffer, headers: Headers): WebhookEvent & { id: string } {
  const list = typeof secrets === 'string' ? [secrets] : secrets
  const body = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8')
  const wanted = {
    'webhook-id': header(headers, 'webhook-id'),
    'webhook-timestamp': header(headers, 'webhook-timestamp'),
    'webhook-signature': header(headers, 'webhook-signature'),
  }
  for (const secret of list) {
    try {
      const event = new Webhook(secret).verify(body, wanted) as WebhookEvent
      return { ...event, id: wanted['webhook-id'] }
    } catch {
      // The next secret may be the one (a rotation).
    }
  }
  throw new WebhookVerificationError('no secret verifies this message, or its timestamp is more than 5 minutes off')
}
