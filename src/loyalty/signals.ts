/**
 * Customer levels and the silent-churn signal, assessed from purchases (1C's sales pulled as `sale`
 * entities, plus the orders taken here that were not cancelled) by a daily job:
 *  - a level: from the last `periodDays` of turnover against the profile's thresholds, or as 1C
 *    gives it (the customers source's `level`); a change is `customer.level_changed`;
 *  - a churn zone (domain/churn.ts); entering a worse zone or leaving them is `customer.churn_risk`
 *    with the zone, the days overdue, the usual cycle and the last purchase.
 * Several instances may run the job: one assesses at a time (a transaction lock) and each change
 * is announced once, because the last assessment is stored with it.
 */
import { assessChurn, churnNews, levelOf, type ChurnRule, type ChurnZone } from '../domain/index.ts'
import type { MappingProfile } from '../onec/mapping/profile.ts'
import { notice } from '../state/index.ts'
import { LOCKS } from '../store/locks.ts'
import type { Db, Queryable } from '../store/index.ts'

export interface SignalRules {
  churn: ChurnRule
  levels: MappingProfile['loyalty']['levels']
  minorDigits: number
}

export function signalRulesOf(profile: MappingProfile): SignalRules {
  return { churn: profile.loyalty.churn, levels: profile.loyalty.levels, minorDigits: profile.odata?.minorDigits ?? 2 }
}

interface Stored {
  level: string | null
  zone: ChurnZone
}

export interface SignalsOutcome {
  customers: number
  zones: Record<ChurnZone, number>
  levelChanges: number
  churnMessages: number
}

async function purchasesByCustomer(tx: Queryable): Promise<Map<string, Array<{ at: Date; amountMinor: number; sale: boolean }>>> {
  const rows = await tx.query<{ customer: string; at: string; amount: string | null; sale: boolean }>(
    `select data->>'customerId' as customer, data->>'at' as at, data->>'amountMinor' as amount, true as sale
       from entity_state where kind = 'sale' and not removed
     union all
     select customer_id, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), null, false
       from orders where status not in ('cancelled', 'failed')`,
  )
  const out = new Map<string, Array<{ at: Date; amountMinor: number; sale: boolean }>>()
  for (const row of rows) {
    const list = out.get(row.customer) ?? []
    list.push({ at: new Date(row.at), amountMinor: Number(row.amount ?? 0), sale: row.sale })
    out.set(row.customer, list)
  }
  return out
}

// One pass over every customer: read, assess, compare with the last assessment, announce, store.

export async function assessCustomers(db: Db, rules: SignalRules, now: Date = new Date()): Promise<SignalsOutcome> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [LOCKS.customerSignals])
    const customers = await tx.query<{ key: string; level: string | null }>(`select key, data->>'level' as level from entity_state where kind = 'customer' and not removed`)
    const stored = new Map(
      (await tx.query<{ customer_id: string; level: string | null; zone: ChurnZone }>('select customer_id, level, zone from customer_signals')).map((row) => [
        row.customer_id,
        { level: row.level, zone: row.zone } satisfies Stored,
      ]),
    )
    const purchases = await purchasesByCustomer(tx)
    const since = now.getTime() - rules.levels.periodDays * 86_400_000
    const thresholds = rules.levels.thresholds.map((threshold) => ({ level: threshold.level, minMinor: Math.round(threshold.min * 10 ** rules.minorDigits) }))
    const outcome: SignalsOutcome = { customers: customers.length, zones: { none: 0, warning: 0, red: 0 }, levelChanges: 0, churnMessages: 0 }
    for (const customer of customers) {
      const bought = purchases.get(customer.key) ?? []
      const turnoverMinor = bought.filter((item) => item.sale && item.at.getTime() >= since && item.at.getTime() <= now.getTime()).reduce((sum, item) => sum + item.amountMinor, 0)
      const level = rules.levels.from === 'field' ? customer.level : thresholds.length > 0 ? levelOf(turnoverMinor, thresholds) : null
      const churn = assessChurn(
        bought.map((item) => item.at),
        now,
        rules.churn,
      )
      const zone: ChurnZone = churn?.zone ?? 'none'
      outcome.zones[zone] += 1
      const before = stored.get(customer.key) ?? { level: null, zone: 'none' }
      if (level !== before.level) {
        await notice(tx, {
          kind: 'customer',
          key: customer.key,
          messageType: 'customer.level_changed',
          payload: { customerId: customer.key, level, previous: before.level, turnoverMinor, periodDays: rules.levels.periodDays },
        })
        outcome.levelChanges += 1
      }
      if (churnNews(before.zone, zone)) {
        await notice(tx, {
          kind: 'customer',
          key: customer.key,
          messageType: 'customer.churn_risk',
          payload: {
            customerId: customer.key,
            zone,
            daysOverdue: churn?.daysOverdue ?? 0,
            cycleDays: churn?.cycleDays ?? null,
            gapDays: churn?.gapDays ?? null,
            lastPurchaseAt: churn?.lastPurchaseAt.toISOString() ?? null,
          },
        })
        outcome.churnMessages += 1
      }
      await tx.query(
        `insert into customer_signals (customer_id, level, turnover_minor, zone, zone_since, cycle_days, gap_days, days_overdue, last_purchase_at, assessed_at)
         values ($1, $2, $3, $4, $10, $5, $6, $7, $8, $9)
         on conflict (customer_id) do update set level = excluded.level, turnover_minor = excluded.turnover_minor,
           zone_since = case when customer_signals.zone = excluded.zone then customer_signals.zone_since else excluded.zone_since end,
           zone = excluded.zone, cycle_days = excluded.cycle_days, gap_days = excluded.gap_days, days_overdue = excluded.days_overdue,
           last_purchase_at = excluded.last_purchase_at, assessed_at = excluded.assessed_at`,
        [customer.key, level, turnoverMinor, zone, churn?.cycleDays ?? null, churn?.gapDays ?? null, churn?.daysOverdue ?? null, churn?.lastPurchaseAt ?? null, now, now],
      )
    }
    return outcome
  })
}

/**
 * The scheduled assessment: skipped when the last one (by any instance) is younger than nine tenths
 * of `everyMs` (a timer may fire a little early), so restarting an instance does not walk every
 * customer again before it is due.
 */
export async function assessCustomersWhenDue(db: Db, rules: SignalRules, everyMs: number, now: Date = new Date()): Promise<SignalsOutcome | null> {
  const [last] = await db.query<{ at: Date | null }>('select max(assessed_at) as at from customer_signals')
  if (last?.at && now.getTime() - last.at.getTime() < everyMs * 0.9) return null
  return assessCustomers(db, rules, now)
}

export interface CustomerAtRisk {
  customerId: string
  name: string | null
  zone: ChurnZone
  since: Date
  cycleDays: number
  gapDays: number
  daysOverdue: number
  lastPurchaseAt: Date
  level: string | null
}

/** Customers in the warning or red zone, the longest overdue first. */
export async function customersAtRisk(db: Queryable): Promise<CustomerAtRisk[]> {
  const rows = await db.query<{
    customer_id: string
    name: string | null
    zone: ChurnZone
    zone_since: Date
    cycle_days: string
    gap_days: number
    days_overdue: number
    last_purchase_at: Date
    level: string | null
  }>(
    `select s.customer_id, c.data->>'name' as name, s.zone, s.zone_since, s.cycle_days, s.gap_days, s.days_overdue, s.last_purchase_at, s.level
       from customer_signals s left join entity_state c on c.kind = 'customer' and c.key = s.customer_id
      where s.zone <> 'none' order by (s.zone = 'red') desc, s.days_overdue desc, s.customer_id`,
  )
  return rows.map((row) => ({
    customerId: row.customer_id,
    name: row.name,
    zone: row.zone,
    since: row.zone_since,
    cycleDays: Number(row.cycle_days),
    gapDays: row.gap_days,
    daysOverdue: row.days_overdue,
    lastPurchaseAt: row.last_purchase_at,
    level: row.level,
  }))
}

/** How many customers are in each zone now (the gauge). */
export async function zoneCounts(db: Queryable): Promise<Record<ChurnZone, number>> {
  const rows = await db.query<{ zone: ChurnZone; n: number }>(`select zone, count(*)::int as n from customer_signals group by zone`)
  const out: Record<ChurnZone, number> = { none: 0, warning: 0, red: 0 }
  for (const row of rows) out[row.zone] = row.n
  return out
}

/** Each customer's level as last assessed (the customer resource shows it). */
export async function levelsOf(db: Queryable, customerIds: readonly string[]): Promise<Map<string, string | null>> {
  if (customerIds.length === 0) return new Map()
  const rows = await db.query<{ customer_id: string; level: string | null }>('select customer_id, level from customer_signals where customer_id = any($1::text[])', [
    [...customerIds],
  ])
  return new Map(rows.map((row) => [row.customer_id, row.level]))
}
