/**
 * Standard Webhooks delivery rules as data: the retry schedule, which answers count as success,
 * which disable an endpoint, and the message types of entity changes.
 */

/** About 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (the Standard Webhooks recommendation). */
export const DEFAULT_RETRY_SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]

/**
 * The wait before retry number `retry` (1-based), with ±`jitter` spread; null when the schedule
 * is exhausted (the delivery goes to the dead letters).
 */
export function retryDelay(retry: number, schedule: readonly number[], jitter: number, random: () => number = Math.random): number | null {
  const base = schedule[retry - 1]
  if (base === undefined) return null
  return Math.round(base * (1 - jitter + 2 * jitter * random()))
}

/** `Retry-After` as seconds or an HTTP date → milliseconds from `now`; null when absent or bad. */
export function retryAfterMs(header: string | undefined, now: number): number | null {
  if (!header) return null
  const seconds = Number(header)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(header)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

export type Outcome = 'delivered' | 'retry' | 'disable'

/** Only 2xx is success; a redirect is a failure; 410 Gone disables the endpoint. */
export function classifyStatus(status: number): Outcome {
  if (status >= 200 && status < 300) return 'delivered'
  if (status === 410) return 'disable'
  return 'retry'
}

/** Message type of an entity change: `offer.updated`, `offer.removed`, `bonus.updated`… */
export function webhookType(kind: string, change: 'created' | 'updated' | 'removed'): string {
  const name = kind === 'bonus_account' ? 'bonus' : kind
  return `${name}.${change === 'removed' ? 'removed' : 'updated'}`
}

/** Whether a storefront's filter (`*`, `offer.*`, `bonus.updated`) takes a message type. */
export function subscribed(filters: readonly string[], type: string): boolean {
  return filters.some((filter) => filter === '*' || filter === type || (filter.endsWith('.*') && type.startsWith(filter.slice(0, -1))))
}

export const MAX_RESPONSE_BODY = 20 * 1024
