/**
 * The happy paths against the УТ 11.5 emulator instead of nock stubs (the stubs stay for error
 * cases): 1C's catalogue exchange zipped and chunked into the real app on a port, the ut11
 * profile's pulls from the emulated OData interface, an order through 1C's order exchange that
 * comes back posted with its bonuses written off in 1C's register, and an order created and
 * posted over OData. What the emulator does is built from what real 1C does (emulator/README.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CUSTOMERS, IDS, partnerOf, type Emulator } from '../emulator/index.ts'
import { pullSource } from '../src/catalog/odata-pull.ts'
import { createOrderForwarder } from '../src/orders/index.ts'
import { createLogger } from '../src/logger.ts'
import { logCapture, storefrontHeaders, type TestApp } from './helpers/app.ts'
import { startEmulatedBase, type EmulatedBase } from './helpers/emulated-base.ts'

let base: EmulatedBase
let t: TestApp
let emulator: Emulator
const log = logCapture()

beforeAll(async () => {
  base = await startEmulatedBase({ env: { EXCHANGE_FILE_LIMIT: '4096', LOG_LEVEL: 'info' }, logTo: log.stream, postAfterMs: 0 })
  ;({ t, emulator } = base)
}, 120_000)

afterAll(async () => {
  await base?.close()
})

const client = () => base.client()
const pullAll = () => base.pullAll()
const count = async (sql: string, values: unknown[] = []) => Number((await t.db.query<{ n: string }>(sql, values))[0]?.n ?? 0)
const bonusOf = async (key: string) =>
  (await t.app.inject({ method: 'GET', url: `/api/v1/customers/${partnerOf(key)}/bonus`, headers: storefrontHeaders })).json() as {
    balanceMinor: number
    heldMinor: number
    availableMinor: number
  }

describe('УТ 11 exchanges with the service as 1C does', () => {
  it('takes the full catalogue exchange zipped and cut into chunks, with deactivate and complete, and a changes-only one after', async () => {
    const full = await emulator.runCatalogExchange(true)
    expect(full.chunks).toBeGreaterThan(2)
    expect(full.answers.join('\n')).toMatch(/import0_1\.xml: каталог; принято 305: новых 305/)
    expect(full.answers.join('\n')).toMatch(/offers0_1\.xml: предложения; .*предложения 312, типы цен 3, склады 2/)
    expect(await count(`select count(*) n from entity_state where kind = 'product' and not removed`)).toBe(300)
    expect(await count(`select count(*) n from entity_state where kind = 'offer' and not removed`)).toBe(312)

    const changed = emulator.base.changeSome(3)
    const delta = await emulator.runCatalogExchange(false)
    expect(delta.files).toEqual(['offers0_1.xml'])
    expect(delta.answers[0]).toMatch(/изменено 3/)
    const [offer] = await t.db.query<{ data: { prices: Record<string, { amountMinor: number }> } }>(`select data from entity_state where kind = 'offer' and key = $1`, [
      changed[0]?.replace(/#0{8}-0{4}-0{4}-0{4}-0{12}$/, ''),
    ])
    const [product = '', characteristic = ''] = String(changed[0]).split('#')
    const latest = emulator.base
      .sliceLast('InformationRegister_ЦеныНоменклатуры', emulator.base.now())
      .find((row) => row.Номенклатура_Key === product && row.Характеристика_Key === characteristic && row.ВидЦены_Key === IDS.priceTypes.wholesale)
    expect(offer?.data.prices[IDS.priceTypes.wholesale]?.amountMinor).toBe(Number(latest?.Цена))
  }, 60_000)

  it('pulls every source of the ut11 profile from the emulated OData interface', async () => {
    await pullAll()
    const customer = async (key: string) =>
      (await t.app.inject({ method: 'GET', url: `/api/v1/customers/${partnerOf(key)}`, headers: storefrontHeaders })).json() as Record<string, unknown>
    expect(await customer('lavka')).toMatchObject({ inn: '7805678901', priceTypeId: IDS.priceTypes.wholesale, legalForm: 'company', b2b: true })
    expect(await customer('vostok-coffee')).toMatchObject({ headId: partnerOf('vostok'), priceTypeId: IDS.priceTypes.large })
    expect(await customer('smirnova')).toMatchObject({ legalForm: 'entrepreneur', kpp: null })
    expect(await customer('petrov')).toMatchObject({ legalForm: 'person', b2b: false, priceTypeId: IDS.priceTypes.retail })
    // At now: the accrual that activates in ten days and the write-off due in twenty are not in it.
    expect((await bonusOf('ostozhenka')).balanceMinor).toBe(1_250_000)
    expect((await bonusOf('lavka')).balanceMinor).toBe(750_000)
    const offers = (await t.app.inject({ method: 'GET', url: `/api/v1/offers?customerId=${partnerOf('ostozhenka')}&limit=1000`, headers: storefrontHeaders })).json() as {
      offers: Array<{ forCustomer: { bonus: { eligible: boolean; capPercent: number; capSource: string | null; reason: string | null } } }>
    }
    const tally = new Map<string, number>()
    for (const offer of offers.offers) {
      const bonus = offer.forCustomer.bonus
      const key = bonus.eligible ? `${bonus.capPercent}% ${bonus.capSource}` : String(bonus.reason)
      tally.set(key, (tally.get(key) ?? 0) + 1)
    }
    expect(Object.fromEntries(tally)).toEqual({ '10% price_group': 70, '50% price_group': 82, '30% programme': 120, outside_segment: 40 })
  }, 60_000)

  it('brings an order through 1C’s order exchange: taken, posted with its bonuses, and the next pull shows the write-off', async () => {
    const before = await bonusOf('ostozhenka')
    const quote = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/bonus/quote',
        headers: storefrontHeaders,
        payload: {
          customerId: partnerOf('ostozhenka'),
          lines: [
            { offerId: await offerOf(50), quantity: 3 },
            { offerId: await offerOf(10), quantity: 2 },
          ],
        },
      })
    ).json() as { maxRedeemableMinor: number; lines: Array<{ offerId: string; quantity: number }> }
    expect(quote.maxRedeemableMinor).toBeGreaterThan(0)
    const placed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { ...storefrontHeaders, 'idempotency-key': 'contract-order-1' },
      payload: {
        externalId: 'C-1',
        number: 'C-0001',
        customerId: partnerOf('ostozhenka'),
        lines: quote.lines.map(({ offerId, quantity }) => ({ offerId, quantity })),
        bonusMinor: quote.maxRedeemableMinor,
      },
    })
    expect(placed.statusCode).toBe(201)
    const id = (placed.json() as { id: string }).id

    const exchange = await emulator.runOrderExchange()
    expect(exchange).toMatchObject({ taken: ['C-0001'], posted: ['C-0001'], reported: ['C-0001'] })
    const order = (await t.app.inject({ method: 'GET', url: `/api/v1/orders/${id}`, headers: storefrontHeaders })).json() as {
      status: string
      oneC: { number?: string; posted?: boolean }
    }
    expect(order).toMatchObject({ status: 'confirmed', oneC: { number: 'ОП00-000001', posted: true } })
    const document = emulator.base.state.documents['Document_ЗаказКлиента']?.[0] as { Товары: Array<{ СуммаБонусныхБалловКСписанию: number }> }
    expect(document.Товары.reduce((sum, line) => sum + line.СуммаБонусныхБалловКСписанию, 0)).toBe(quote.maxRedeemableMinor)
    // Nothing more to take or report: the next exchange is empty.
    expect(await emulator.runOrderExchange()).toEqual({ taken: [], posted: [], reported: [] })

    await pullSource(t.db, client(), t.profile.odata!, 'bonus-accounts', { owners: t.profile.owners })
    const after = await bonusOf('ostozhenka')
    expect(after).toMatchObject({ balanceMinor: before.balanceMinor - quote.maxRedeemableMinor, heldMinor: 0, availableMinor: before.balanceMinor - quote.maxRedeemableMinor })
    // Every sale-mode answer went out once (a thenable reply once made the handler answer twice).
    expect(log.text()).not.toContain('Reply was already sent')
  }, 60_000)

  it('creates and posts an order over OData (orders.forward odata) with the lookups of the ut11 profile', async () => {
    const forwarder = createOrderForwarder({
      db: t.db,
      jobs: t.jobs,
      client: client(),
      profile: t.profile.orders.odata!,
      logger: createLogger('silent'),
      maxAttempts: 3,
      minorDigits: 2,
    })
    const before = await bonusOf('smirnova')
    const placed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { ...storefrontHeaders, 'idempotency-key': 'contract-order-2' },
      payload: { externalId: 'C-2', number: 'C-0002', customerId: partnerOf('smirnova'), lines: [{ offerId: await offerOf(30), quantity: 1 }], bonusMinor: 10_000 },
    })
    expect(placed.statusCode).toBe(201)
    const id = (placed.json() as { id: string }).id
    const outcome = await forwarder.forward(id)
    const [failure] = await t.db.query<{ last_error: string | null }>('select last_error from orders where id = $1', [id])
    expect({ outcome, error: failure?.last_error ?? null }).toEqual({ outcome: 'posted', error: null })
    const document = emulator.base.state.documents['Document_ЗаказКлиента']?.find((row) => row.НомерПоДаннымКлиента === 'C-0002') as Record<string, unknown> & {
      Товары: Array<Record<string, unknown>>
    }
    const smirnova = CUSTOMERS.find((customer) => customer.key === 'smirnova')
    expect(document).toMatchObject({
      Posted: true,
      Партнер_Key: partnerOf('smirnova'),
      Соглашение_Key: expect.any(String),
      Организация_Key: IDS.organisation,
      Статус: 'КОбеспечению',
    })
    expect(document.Товары[0]).toMatchObject({ ВидЦены_Key: smirnova?.priceType, СуммаБонусныхБалловКСписанию: 10_000 })
    await pullSource(t.db, client(), t.profile.odata!, 'bonus-accounts', { owners: t.profile.owners })
    expect((await bonusOf('smirnova')).balanceMinor).toBe(before.balanceMinor - 10_000)
  }, 60_000)
})

/** An offer the ut11 programme caps at `percent` for ostozhenka. */
async function offerOf(percent: number): Promise<string> {
  const page = (await t.app.inject({ method: 'GET', url: `/api/v1/offers?customerId=${partnerOf('ostozhenka')}&limit=1000`, headers: storefrontHeaders })).json() as {
    offers: Array<{ id: string; stock: { total: number | null }; forCustomer: { bonus: { eligible: boolean; capPercent: number } } }>
  }
  const found = page.offers.find((offer) => offer.forCustomer.bonus.eligible && offer.forCustomer.bonus.capPercent === percent && (offer.stock.total ?? 0) > 5)
  if (!found) throw new Error(`no offer capped at ${percent}%`)
  return found.id
}
