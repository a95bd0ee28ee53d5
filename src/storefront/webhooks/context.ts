/** What the webhook modules share: the store, the job engine, the settings and the HTTP client. */
import axios, { type AxiosInstance } from 'axios'
import type { Logger } from '../../logger.ts'
import type { Db, JobEngine } from '../../store/index.ts'

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
  /** Test seam for DNS. */
  resolve?: (host: string) => Promise<string[]>
  now?: () => number
}

export interface WebhookContext extends WebhookDeps {
  now: () => number
  http: AxiosInstance
  /** This instance's delivery worker, woken when this instance queues deliveries. */
  worker: string | null
}

export function webhookContext(deps: WebhookDeps): WebhookContext {
  const http = axios.create({ timeout: deps.settings.timeoutMs, maxRedirects: 0, validateStatus: () => true, responseType: 'text', transformResponse: [(data: unknown) => data] })
  return { ...deps, now: deps.now ?? Date.now, http, worker: null }
}
