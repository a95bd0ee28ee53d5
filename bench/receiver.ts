/** A storefront's webhook endpoint for benches: answers 200 at once and notes when each entity's message arrived. */
import { createServer } from 'node:http'

export interface ArrivalReceiver {
  url: string
  /** Entity id (`data.id`) → performance.now() at arrival. */
  arrivals: Map<string, number>
  /** Resolves when a message of every id has arrived; throws after `ms` saying how many did. */
  waitFor(ids: readonly string[], ms: number): Promise<void>
  close(): void
}

export async function startArrivalReceiver(): Promise<ArrivalReceiver> {
  const arrivals = new Map<string, number>()
  const server = createServer((request, response) => {
    let raw = ''
    request.on('data', (chunk) => (raw += chunk))
    request.on('end', () => {
      arrivals.set((JSON.parse(raw) as { data: { id: string } }).data.id, performance.now())
      response.writeHead(200).end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`,
    arrivals,
    async waitFor(ids, ms) {
      const deadline = Date.now() + ms
      while (ids.some((id) => !arrivals.has(id))) {
        if (Date.now() > deadline) throw new Error(`only ${ids.filter((id) => arrivals.has(id)).length} of ${ids.length} delivered`)
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    },
    close: () => server.close(),
  }
}
