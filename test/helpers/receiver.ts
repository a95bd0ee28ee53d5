/** A storefront's webhook endpoint for tests: verifies every message with the public standardwebhooks library. */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { Webhook } from 'standardwebhooks'

export interface Received {
  id: string
  body: { type: string; timestamp: string; data: Record<string, unknown> & { version: number } }
  verifiedWith: string[]
}

/** The Standard Webhooks headers of a request, as `Webhook.verify` takes them. */
export function webhookHeaders(request: IncomingMessage): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  return {
    'webhook-id': String(request.headers['webhook-id']),
    'webhook-timestamp': String(request.headers['webhook-timestamp']),
    'webhook-signature': String(request.headers['webhook-signature']),
  }
}

export class Receiver {
  received: Received[] = []
  attempts: Array<{ id: string; key: string }> = []
  /** Statuses to answer next (200 when empty). */
  answers: number[] = []
  server: Server
  url = ''
  /** The secrets messages are checked with (a test may change them, as a receiver does on a rotation). */
  secrets: string[]
  constructor(secrets: readonly string[]) {
    this.secrets = [...secrets]
    this.server = createServer((request, response) => {
      let raw = ''
      request.on('data', (chunk) => (raw += chunk))
      request.on('end', () => {
        const headers = webhookHeaders(request)
        this.attempts.push({ id: headers['webhook-id'], key: String((JSON.parse(raw) as { data?: { id?: string } }).data?.id) })
        const status = this.answers.length > 0 ? (this.answers.shift() ?? 200) : 200
        if (status === 200) {
          const verifiedWith = this.secrets.filter((secret) => {
            try {
              new Webhook(secret).verify(raw, headers)
              return true
            } catch {
              return false
            }
          })
          this.received.push({ id: headers['webhook-id'], body: JSON.parse(raw), verifiedWith })
        }
        response.writeHead(status).end(status === 200 ? 'ok' : 'no')
      })
    })
  }
  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    const address = this.server.address()
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks/1c`
  }
}

/** `what()` until `ok` says so, polled every 50 ms; after `ms`, an error naming `label` and the last value. */
export async function until<T>(what: () => Promise<T> | T, ok: (value: T) => boolean, ms = 15_000, label = 'waiting'): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await what()
    if (ok(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out ${label}; last value: ${JSON.stringify(value).slice(0, 2000)}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
