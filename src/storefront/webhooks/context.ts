/** What the webhook modules share: the store, the job engine, the settings and the HTTP client. */
import axios, { type AxiosInstance } from 'axios'
import type { Logger } from '../../logger.ts'
import type { Db, JobEngine } from '../../store/index.ts'
import { guardedAgents, type GuardedAgents, type Resolve } from './ssrf.ts'

export const DELIVERY_QUEUE = 'webhook-delivery'

export interface WebhookSettings {
  timeoutMs: number
  retryScheduleMs: readonly number[]
  jitter: number
  disableAfterHours: number
}

export interface WebhookDeps {
  db: Db
  jobs: JobEngine
  logger: Logger
  settings: WebhookSettings
  /** Test seam for DNS: the one resolution a connection uses (ssrf.ts). */
  resolve?: Resolve
  now?: () => number
}

export interface WebhookContext extends WebhookDeps {
  now: () => number
  http: AxiosInstance
  /** The agents a storefront's requests go through: only to addresses its `local` flag allows. */
  agents: (local: boolean) => GuardedAgents
  /** This instance's delivery worker, woken when this instance queues deliveries. */
  worker: string | null
}

export function webhookContext(deps: WebhookDeps): WebhookContext {
  // No proxy from the environment: a proxy would resolve the host itself, past the address check.
  const http = axios.create({
    timeout: deps.settings.timeoutMs,
    maxRedirects: 0,
    proxy: false,
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
  })
  return { ...deps, now: deps.now ?? Date.now, http, agents: guardedAgents(deps.resolve), worker: null }
}
