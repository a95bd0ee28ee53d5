/**
 * The bonus ledger: the movements of each customer's bonus account as 1C keeps them (УТ 11.5: the
 * register БонусныеБаллы), pulled by period like any source (catalog/odata-pull.ts). This module
 * says what storefronts are told of them and checks that they add up:
 *  - new movements become `bonus.accrued` / `bonus.written_off` (a write-off names the order it
 *    paid for when it came from one of ours); the first pull of the history announces nothing;
 *  - points due to expire within `expiringDays` become one `bonus.expiring` per batch (a scheduled
 *    write-off), once;
 *  - for each account, the movements up to now add up to the balance 1C reports; a difference is a
 *    warning in the run and on the console's health page, never a silent one.
 */
import type { BonusMovement } from '../domain/index.ts'
import { notice } from '../state/index.ts'
import type { Db, Queryable } from '../store/index.ts'

export interface LedgerMessage {
  customerId: string
  movementId: string
  kind: BonusMovement['kind']
  /** The change of what the customer can spend, minor units (signed). */
  deltaMinor: number
  /** In words, Russian first: «Начисление по документу …». */
  reason: string
  document: BonusMovement['document']
  at: string
  activatesAt: string | null
  expiresAt: string | null
  /** Our order it paid for (a write-off by 1C's ЗаказКлиента made from one of our orders). */
  order: { id: string; number: string } | null
}

const DOCUMENT_NAMES: Record<string, string> = {
  ЗаказКлиента: 'заказ клиента',
  РеализацияТоваровУслуг: 'реализация товаров и услуг',
  ЧекККМ: 'чек ККМ',
  НачислениеИСписаниеБонусныхБаллов: 'начисление и списание бонусных баллов',
}

function reasonOf(movement: BonusMovement): string {
  const { type, number } = movement.document
  const document = type ? `${DOCUMENT_NAMES[type] ?? type}${number ? ` № ${number}` : ''}` : 'документ 1С'
  const what = { accrual: 'Начисление', write_off: 'Списание', expiry: 'Сгорание баллов', reservation: 'Резерв', reversal: 'Сторно' }[movement.kind]
  return `${what}: ${document}`
}

async function orderOf(tx: Queryable, movement: BonusMovement): Promise<{ id: string; number: string } | null> {
  const documentId = movement.document.id
  const number = movement.siteOrderNumber ?? null
  if (!documentId && !number) return null
  const [row] = await tx.query<{ id: string; number: string }>(
    `select id, number from orders where ($1::text is not null and onec_ref = $1) or ($2::text is not null and number = $2) order by created_at desc limit 1`,
    [documentId, number],
  )
  return row ?? null
}

export async function messageOf(tx: Queryable, movement: BonusMovement): Promise<LedgerMessage> {
  return {
    customerId: movement.customerId,
    movementId: movement.id,
    kind: movement.kind,
    deltaMinor: movement.amountMinor,
    reason: reasonOf(movement),
    document: movement.document,
    at: movement.at,
    activatesAt: movement.activatesAt,
    expiresAt: movement.expiresAt,
    order: movement.amountMinor < 0 ? await orderOf(tx, movement) : null,
  }
}

/**
 * Messages for movements a pull brought for the first time (`created`): accruals and reversals that
 * add points → `bonus.accrued`, write-offs and reversals that take them → `bonus.written_off`.
 * Scheduled write-offs wait for `noticeExpiring`; reservations move nothing spendable.
 */
export async function announceMovements(tx: Queryable, movements: readonly BonusMovement[], created: ReadonlySet<string>): Promise<number> {
  let sent = 0
  for (const movement of movements) {
    if (!created.has(movement.id) || movement.removed || movement.amountMinor === 0) continue
    if (movement.kind === 'expiry' || movement.kind === 'reservation') continue
    const messageType = movement.amountMinor > 0 ? 'bonus.accrued' : 'bonus.written_off'
    await notice(tx, { kind: 'bonus_movement', key: movement.id, messageType, payload: await messageOf(tx, movement) })
    sent += 1
  }
  return sent
}

/**
 * `bonus.expiring` for every scheduled write-off due within `days` from `now`, once per batch: the
 * table remembers which were announced (several instances announce each once).
 */
export async function noticeExpiring(db: Db, days: number, now: Date = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const until = new Date(now.getTime() + days * 86_400_000).toISOString()
    const due = await tx.query<{ data: BonusMovement }>(
      `with due as (
         select key, data from entity_state
          where kind = 'bonus_movement' and not removed and data->>'kind' = 'expiry'
            and data->>'at' > $1 and data->>'at' <= $2 and (data->>'amountMinor')::bigint < 0
       ), fresh as (
         insert into bonus_expiry_notices (movement_key) select key from due on conflict do nothing returning movement_key
       )
       select due.data from due join fresh on fresh.movement_key = due.key order by due.data->>'at'`,
      [now.toISOString(), until],
    )
    for (const row of due) await notice(tx, { kind: 'bonus_movement', key: row.data.id, messageType: 'bonus.expiring', payload: await messageOf(tx, row.data) })
    return due.length
  })
}

export interface LedgerMismatch {
  customerId: string
  /** What 1C reports (the bonus account pulled). */
  balanceMinor: number
  /** The movements up to now, added up. */
  ledgerMinor: number
}

/**
 * Accounts whose movements up to `now` do not add up to the balance 1C reports (an account with a
 * balance and no movements too), in the programme the account is kept in. Nothing is compared
 * where no movements were ever pulled (a profile without the ledger).
 */
export async function reconcile(db: Queryable, now: Date = new Date()): Promise<LedgerMismatch[]> {
  const rows = await db.query<{ customer_id: string; balance_minor: string; ledger_minor: string }>(
    `with ledger as (
       select data->>'customerId' as customer_id, coalesce(data->>'programId', '') as program_id, sum((data->>'amountMinor')::bigint) as minor
         from entity_state
        where kind = 'bonus_movement' and not removed and data->>'at' <= $1
        group by 1, 2
     )
     select a.key as customer_id, (a.data->>'balanceMinor')::bigint as balance_minor, coalesce(l.minor, 0) as ledger_minor
       from entity_state a
       left join ledger l on l.customer_id = a.key and l.program_id = coalesce(a.data->>'programId', '')
      where a.kind = 'bonus_account' and not a.removed
        and exists (select 1 from entity_state m where m.kind = 'bonus_movement')
        and (a.data->>'balanceMinor')::bigint <> greatest(0, coalesce(l.minor, 0))
      order by a.key`,
    [now.toISOString()],
  )
  return rows.map((row) => ({ customerId: row.customer_id, balanceMinor: Number(row.balance_minor), ledgerMinor: Number(row.ledger_minor) }))
}

export function mismatchWarning(mismatch: LedgerMismatch): string {
  return `bonus ledger of ${mismatch.customerId} adds up to ${mismatch.ledgerMinor}, 1C reports a balance of ${mismatch.balanceMinor} (minor units)`
}

export interface HistoryPage {
  movements: Array<BonusMovement & { version: number }>
  next: { cursor: string } | null
}

/**
 * A customer's movements: `history` up to now, newest first, a page at a time (the cursor is the
 * last movement's time and id); `upcoming` after now (accruals that activate later, points that
 * will expire), soonest first.
 */
export async function movementsOf(db: Queryable, customerId: string, options: { upcoming: boolean; cursor?: string | undefined; limit: number; now?: Date }): Promise<HistoryPage> {
  const now = (options.now ?? new Date()).toISOString()
  const [atCursor = null, idCursor = null] = options.cursor ? Buffer.from(options.cursor, 'base64url').toString('utf8').split('\n') : []
  const rows = await db.query<{ data: BonusMovement; version: number }>(
    options.upcoming
      ? `select data, version from entity_state
          where kind = 'bonus_movement' and not removed and data->>'customerId' = $1 and data->>'at' > $2
            and ($3::text is null or (data->>'at', key) > ($3, $4))
          order by data->>'at', key limit $5`
      : `select data, version from entity_state
          where kind = 'bonus_movement' and not removed and data->>'customerId' = $1 and data->>'at' <= $2
            and ($3::text is null or (data->>'at', key) < ($3, $4))
          order by data->>'at' desc, key desc limit $5`,
    [customerId, now, atCursor, idCursor, options.limit + 1],
  )
  const page = rows.slice(0, options.limit)
  const last = page.at(-1)
  return {
    movements: page.map((row) => ({ ...row.data, version: row.version })),
    next: rows.length > options.limit && last ? { cursor: Buffer.from(`${last.data.at}\n${last.data.id}`, 'utf8').toString('base64url') } : null,
  }
}
