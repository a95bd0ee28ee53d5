/**
 * Alerts when data goes stale or deliveries fail, two ways: Prometheus gauges on /metrics, read
 * from the store at each scrape, and `bridge.alert` messages to a configured endpoint, signed
 * like every webhook (Standard Webhooks), sent once when a condition is raised and once when it
 * clears. The open conditions live in the store (`bridge_alerts`), so several instances send
 * each message once.
 */
import { randomUUID } from 'node:crypto'
import axios from 'axios'
import pRetry from 'p-retry'
import { Gauge, type Registry } from 'prom-client'
import { Webhook } from 'standardwebhooks'
import type { Logger } from '../logger.ts'
import type { Db, Queryable } from '../store/index.ts'
import { LOCKS } from '../store/locks.ts'
import { readHealth, type HealthReport, type SourceSpec } from './health.ts'

export type AlertKind = 'source_stale' | 'storefront_failing' | 'dead_letters'

export interface Condition {
  key: string
  kind: AlertKind
  subject: string
  message: { ru: string; en: string }
  details: Record<string, unknown>
}

/** The conditions a health report raises; each is keyed, so the same condition is one alert while it lasts. */
export function conditionsOf(report: HealthReport): Condition[] {
  const stale = report.sources
    .filter((source) => source.freshness === 'stale')
    .map((source) => ({
      key: `source_stale:${source.name}`,
      kind: 'source_stale' as const,
      subject: source.name,
      message: {
        ru: `Источник ${source.name}: нет успешной загрузки дольше двух интервалов расписания (${source.everyMinutes} мин)`,
        en: `Source ${source.name}: no successful run for more than twice its schedule (${source.everyMinutes} min)`,
      },
      details: { lastSuccessAt: source.lastSuccessAt?.toISOString() ?? null, everyMinutes: source.everyMinutes, failedSinceSuccess: source.failedSinceSuccess },
    }))
  const failing = report.storefronts
    .filter((shop) => shop.state === 'failing' || shop.state === 'disabled')
    .map((shop) => ({
      key: `storefront_failing:${shop.id}`,
      kind: 'storefront_failing' as const,
      subject: shop.id,
      message: {
        ru: shop.disabledReason ? `Витрина ${shop.id} отключена: ${shop.disabledReason}` : `Витрина ${shop.id} не принимает доставки`,
        en: shop.disabledReason ? `Storefront ${shop.id} is disabled: ${shop.disabledReason}` : `Storefront ${shop.id} is failing its deliveries`,
      },
      details: { failingSince: shop.failingSince?.toISOString() ?? null, disabledReason: shop.disabledReason, pending: shop.pending },
    }))
  const dead = report.storefronts
    .filter((shop) => shop.dead > 0)
    .map((shop) => ({
      key: `dead_letters:${shop.id}`,
      kind: 'dead_letters' as const,
      subject: shop.id,
      message: { ru: `Витрина ${shop.id}: недоставленных сообщений — ${shop.dead}`, en: `Storefront ${shop.id}: ${shop.dead} dead letter(s)` },
      details: { dead: shop.dead },
    }))
  return [...stale, ...failing, ...dead]
}

export interface AlertSettings {
  url?: string | undefined
  secret?: string | undefined
  /** The console's address, for links in the message (optional). */
  consoleUrl?: string | undefined
}

interface AlertRow extends Record<string, unknown> {
  key: string
  kind: AlertKind
  subject: string
  open: boolean
  raised_at: Date
  resolved_at: Date | null
  sent_at: Date | null
  details: Record<string, unknown> & { message?: Condition['message'] }
}

async function send(settings: Required<Pick<AlertSettings, 'url' | 'secret'>>, row: AlertRow): Promise<void> {
  const now = new Date()
  const id = `alert_${randomUUID()}`
  const body = JSON.stringify({
    type: 'bridge.alert',
    timestamp: now.toISOString(),
    data: {
      alert: row.kind,
      key: row.key,
      subject: row.subject,
      state: row.open ? 'raised' : 'resolved',
      raisedAt: row.raised_at.toISOString(),
      resolvedAt: row.resolved_at?.toISOString() ?? null,
      message: row.details.message ?? null,
      details: row.details,
    },
  })
  const signature = new Webhook(settings.secret).sign(id, now, body)
  await pRetry(
    () =>
      axios.post(settings.url, body, {
        timeout: 10_000,
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': signature,
          'user-agent': 'onec-bridge-alerts',
        },
      }),
    { retries: 2, minTimeout: 500 },
  )
}

/** Writes what is open now: new conditions raised, gone ones resolved. Returns the rows whose state the receiver has not been told. */
async function settle(tx: Queryable, conditions: readonly Condition[]): Promise<AlertRow[]> {
  for (const condition of conditions) {
    await tx.query(
      `insert into bridge_alerts (key, kind, subject, open, raised_at, details) values ($1, $2, $3, true, now(), $4::jsonb)
       on conflict (key) do update set open = true, details = excluded.details,
         raised_at = case when bridge_alerts.open then bridge_alerts.raised_at else now() end,
         resolved_at = case when bridge_alerts.open then bridge_alerts.resolved_at else null end,
         sent_at = case when bridge_alerts.open then bridge_alerts.sent_at else null end`,
      [condition.key, condition.kind, condition.subject, JSON.stringify({ ...condition.details, message: condition.message })],
    )
  }
  await tx.query(`update bridge_alerts set open = false, resolved_at = now(), sent_at = null where open and not (key = any($1::text[]))`, [conditions.map((c) => c.key)])
  return tx.query<AlertRow>(`select * from bridge_alerts where sent_at is null order by raised_at`)
}

/**
 * One check: the conditions of the current health report are written, and what changed is sent.
 * A message that could not be sent is sent at the next check. Returns the messages sent.
 */
export async function checkAlerts(db: Db, specs: readonly SourceSpec[], holdTtlHours: number, settings: AlertSettings, logger: Logger): Promise<number> {
  return db.transaction(async (tx) => {
    const [lock] = await tx.query<{ ok: boolean }>('select pg_try_advisory_xact_lock($1) as ok', [LOCKS.alerts])
    if (!lock?.ok) return 0
    const report = await readHealth(tx, specs, holdTtlHours)
    const unsent = await settle(tx, conditionsOf(report))
    const { url, secret } = settings
    if (!url || !secret) {
      await tx.query(`update bridge_alerts set sent_at = now() where sent_at is null`)
      return 0
    }
    let sent = 0
    for (const row of unsent) {
      try {
        await send({ url, secret }, row)
        await tx.query('update bridge_alerts set sent_at = now() where key = $1', [row.key])
        sent += 1
      } catch (error) {
        logger.warn({ err: error, alert: row.key }, `bridge.alert ${row.key} could not be sent to ${url}: ${(error as Error).message}; trying again at the next check`)
      }
    }
    return sent
  })
}

export async function openAlerts(db: Queryable) {
  return db.query<{ key: string; kind: AlertKind; subject: string; raisedAt: Date; details: AlertRow['details'] }>(
    `select key, kind, subject, raised_at as "raisedAt", details from bridge_alerts where open order by raised_at`,
  )
}

/** The gauges, read from the store when Prometheus scrapes (at most once per second per process). */
export function registerGauges(registry: Registry, read: () => Promise<HealthReport>): void {
  let cached: { at: number; report: Promise<HealthReport> } | null = null
  const report = () => {
    if (!cached || Date.now() - cached.at > 1000) cached = { at: Date.now(), report: read() }
    return cached.report
  }
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge, r: HealthReport) => void) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset()
        fill(this, await report())
      },
    })
  gauge('onec_bridge_source_last_success_timestamp_seconds', 'When each source last succeeded (Unix seconds; 0: never)', ['source'], (g, r) => {
    for (const source of r.sources) g.set({ source: source.name }, source.lastSuccessAt ? source.lastSuccessAt.getTime() / 1000 : 0)
  })
  gauge('onec_bridge_source_stale', 'Whether a source has had no success for more than twice its schedule (1) or not (0)', ['source'], (g, r) => {
    for (const source of r.sources) g.set({ source: source.name }, source.freshness === 'stale' ? 1 : 0)
  })
  gauge('onec_bridge_dead_letters', 'Deliveries that exhausted their retries, per storefront', ['storefront'], (g, r) => {
    for (const shop of r.storefronts) g.set({ storefront: shop.id }, shop.dead)
  })
  gauge('onec_bridge_pending_deliveries', 'Deliveries waiting to be sent or retried, per storefront', ['storefront'], (g, r) => {
    for (const shop of r.storefronts) g.set({ storefront: shop.id }, shop.pending)
  })
  gauge('onec_bridge_churn_customers', 'Customers per silent-churn zone (none, warning: +10 % over their cycle, red: +30 %), as last assessed', ['zone'], (g, r) => {
    for (const [zone, count] of Object.entries(r.churn)) g.set({ zone }, count)
  })
  gauge('onec_bridge_oldest_active_hold_age_seconds', 'Age of the oldest active bonus hold (0: none)', [], (g, r) => {
    g.set(r.holds.oldestAt ? (r.at.getTime() - r.holds.oldestAt.getTime()) / 1000 : 0)
  })
}
