/**
 * The bonus ledger of the ut11 profile against the УТ 11.5 emulator: golden movements of the first
 * pull (accruals, a sale's write-off, a reversal, future-dated accruals and expiries), the history
 * that adds up to 1C's balance, incremental pulls by period (re-reading changes nothing, a
 * back-dated document inside the overlap is found, an unposted one is removed), messages for new
 * movements (a write-off names the order it paid for), `bonus.expiring` once per batch, and a
 * ledger that does not add up shown in the run and on the health page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { partnerOf, type Emulator } from '../emulator/index.ts'
import { bonusMovement } from '../emulator/seed.ts'
import { refOf } from '../emulator/ids.ts'
import { noticeExpiring, reconcile } from '../src/loyalty/index.ts'
import { consoleCookie, storefrontHeaders, type TestApp } from './helpers/app.ts'
import { startEmulatedBase, type EmulatedBase } from './helpers/emulated-base.ts'

let base: EmulatedBase
let t: TestApp
let emulator: Emulator

beforeAll(async () => {
  base = await startEmulatedBase({ postAfterMs: 0, prime: true })
  ;({ t, emulator } = base)
}, 120_000)

afterAll(async () => {
  await base?.close()
})

const pull = (name: string) => base.pull(name)
const get = async <T>(url: string) => (await t.app.inject({ method: 'GET', url, headers: storefrontHeaders })).json() as T

interface Movement {
  id: string
  amountMinor: number
  kind: string
  at: string
  document: { type: string | null; number: string | null }
  expiresAt: string | null
}
const history = (key: string, path = 'history') => get<{ movements: Movement[]; next: { cursor: string } | null }>(`/api/v1/customers/${partnerOf(key)}/bonus/${path}?limit=1000`)
const balanceOf = async (key: string) => (await get<{ balanceMinor: number }>(`/api/v1/customers/${partnerOf(key)}/bonus`)).balanceMinor
/** Messages for storefronts. */
const messages = (type: string) => base.messages(type)

/** A document posted in the emulated 1C: its records in БонусныеБаллы. */
function post(recorder: string, period: string, key: string, amounts: Parameters<typeof bonusMovement>[5], recordType: 'Receipt' | 'Expense' = 'Receipt'): void {
  emulator.base
    .records('AccumulationRegister_БонусныеБаллы')
    .push(bonusMovement(recorder, 'Document_НачислениеИСписаниеБонусныхБаллов', period, recordType, partnerOf(key), amounts, 1))
  emulator.base.save()
}

describe('the bonus ledger of УТ 11.5', () => {
  it('reads every movement with its document: accruals, a sale’s write-off, a reversal, and what 1C dated ahead; the first pull announces nothing', async () => {
    const smirnova = await history('smirnova')
    expect(smirnova.movements.map(({ amountMinor, kind, document }) => ({ amountMinor, kind, number: document.number, type: document.type }))).toEqual([
      { amountMinor: -50_000, kind: 'reversal', number: 'ОП00-000104', type: 'НачислениеИСписаниеБонусныхБаллов' },
      { amountMinor: 50_000, kind: 'accrual', number: 'ОП00-000103', type: 'НачислениеИСписаниеБонусныхБаллов' },
      { amountMinor: 320_000, kind: 'accrual', number: 'ОП00-000101', type: 'НачислениеИСписаниеБонусныхБаллов' },
    ])
    const vostok = await history('vostok')
    expect(vostok.movements[0]).toMatchObject({
      amountMinor: -300_000,
      kind: 'write_off',
      at: '2026-03-14T09:30:00.000Z',
      document: { type: 'РеализацияТоваровУслуг', number: 'ОП00-000501' },
    })
    const upcoming = await history('lavka', 'upcoming')
    expect(upcoming.movements).toHaveLength(1)
    expect(upcoming.movements[0]).toMatchObject({ amountMinor: -50_000, kind: 'expiry', document: { number: 'ОП00-000102' } })
    expect((await history('ostozhenka', 'upcoming')).movements[0]).toMatchObject({ amountMinor: 200_000, kind: 'accrual' })
    expect(await messages('bonus.accrued')).toEqual([])
  })

  it('adds up, for every customer, to the balance 1C reports', async () => {
    for (const key of ['ostozhenka', 'vostok', 'vostok-coffee', 'smirnova', 'lavka', 'petrov']) {
      const sum = (await history(key)).movements.reduce((total, movement) => total + movement.amountMinor, 0)
      expect({ key, sum }).toEqual({ key, sum: await balanceOf(key) })
    }
    expect(await reconcile(t.db)).toEqual([])
  })

  it('re-reading a window changes nothing; a back-dated document inside the overlap is found and announced; an unposted one is removed', async () => {
    expect((await pull('bonus-movements')).counts.changed).toBe(0)
    const late = refOf('НачислениеИСписаниеБонусныхБаллов', 'late')
    const threeDaysAgo = emulator.base
      .now()
      .replace(/^(\d{4}-\d{2}-)(\d{2})/, (_all, month: string, day: string) => `${month}${String(Math.max(1, Number(day) - 3)).padStart(2, '0')}`)
    emulator.base.state.documents['Document_НачислениеИСписаниеБонусныхБаллов']?.push({
      Ref_Key: late,
      Number: 'ОП00-000199',
      Date: threeDaysAgo,
      Posted: true,
      ДатаОкончанияСрокаДействия: '0001-01-01T00:00:00',
    })
    post(late, threeDaysAgo, 'petrov', { Начислено: 12_345 })
    const second = await pull('bonus-movements')
    expect(second.counts.changed).toBe(1)
    const [accrued] = await messages('bonus.accrued')
    expect(accrued).toMatchObject({
      customerId: partnerOf('petrov'),
      deltaMinor: 12_345,
      kind: 'accrual',
      reason: 'Начисление: начисление и списание бонусных баллов № ОП00-000199',
      document: { number: 'ОП00-000199' },
    })

    // 1C unposts it: its record is gone from the register.
    const register = emulator.base.records('AccumulationRegister_БонусныеБаллы')
    register.splice(
      register.findIndex((movement) => movement.Recorder_Key === late),
      1,
    )
    emulator.base.save()
    const third = await pull('bonus-movements')
    expect(third.counts.removed).toBe(1)
    expect((await history('petrov')).movements.some((movement) => movement.document.number === 'ОП00-000199')).toBe(false)
  })

  it('says so in the run and on the health page when the movements do not add up to 1C’s balance, until they do', async () => {
    const recorder = refOf('НачислениеИСписаниеБонусныхБаллов', 'unseen')
    post(recorder, emulator.base.now(), 'vostok-tea', { Начислено: 70_000 })
    // The balance is pulled, the movements not yet.
    const balances = await pull('bonus-accounts')
    expect(balances.warnings).toEqual([`bonus ledger of ${partnerOf('vostok-tea')} adds up to 0, 1C reports a balance of 70000 (minor units)`])
    const [run] = await t.db.query<{ details: { warnings?: string[] } }>('select details from sync_runs where id = $1', [balances.run?.id])
    expect(run?.details.warnings).toHaveLength(1)
    const cookie = await consoleCookie(t.app)
    const health = await t.app.inject({ method: 'GET', url: '/console', headers: { cookie } })
    expect(health.body).toMatch(/data-testid="ledger" data-status="mismatch"/)
    expect(health.body).toContain(partnerOf('vostok-tea'))

    const movements = await pull('bonus-movements')
    expect(movements.warnings).toEqual([])
    const again = await t.app.inject({ method: 'GET', url: '/console', headers: { cookie } })
    expect(again.body).toMatch(/data-testid="ledger" data-status="ok"/)
  })

  it('names the order a write-off paid for: an order through 1C’s order exchange, posted, then pulled', async () => {
    const offers = await get<{ offers: Array<{ id: string; forCustomer: { bonus: { eligible: boolean } } }> }>(`/api/v1/offers?customerId=${partnerOf('lavka')}&limit=1000`)
    const offer = offers.offers.find((candidate) => candidate.forCustomer.bonus.eligible)
    const placed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { ...storefrontHeaders, 'idempotency-key': 'ledger-order-1' },
      payload: { externalId: 'L-1', number: 'L-0001', customerId: partnerOf('lavka'), lines: [{ offerId: offer?.id, quantity: 1 }], bonusMinor: 1_000 },
    })
    expect(placed.statusCode).toBe(201)
    await emulator.runOrderExchange()
    await pull('bonus-movements')
    const [writtenOff] = await messages('bonus.written_off')
    expect(writtenOff).toMatchObject({
      customerId: partnerOf('lavka'),
      deltaMinor: -1_000,
      kind: 'write_off',
      order: { id: (placed.json() as { id: string }).id, number: 'L-0001' },
      document: { type: 'ЗаказКлиента' },
    })
  })

  it('announces points about to expire once per batch, within the profile’s window only', async () => {
    expect(await noticeExpiring(t.db, 7)).toBe(0)
    expect(await noticeExpiring(t.db, t.profile.bonus.expiringDays + 10)).toBe(1)
    expect(await noticeExpiring(t.db, 30)).toBe(0)
    const [expiring] = await messages('bonus.expiring')
    expect(expiring).toMatchObject({ customerId: partnerOf('lavka'), deltaMinor: -50_000, kind: 'expiry', document: { number: 'ОП00-000102' } })
    expect(new Date(String(expiring?.at)).getTime() - Date.now()).toBeGreaterThan(19 * 86_400_000)
  })
})
