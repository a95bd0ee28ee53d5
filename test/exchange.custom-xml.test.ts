import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadProfile } from '../src/onec/mapping/profile.ts'
import { adminHeaders, buildTestApp, STOREFRONT_KEY, storefrontHeaders, type TestApp } from './helpers/app.ts'
import { ExchangeClient } from './helpers/exchange-client.ts'
import { zipOf } from './helpers/zip.ts'
import { catalogXml, OFFER_2, offersXml, PRICE_TYPE } from './samples/ut11.ts'

const CLIENT = '2c3d4e5f-0000-4000-8000-000000000001'
const CLIENT_2 = '2c3d4e5f-0000-4000-8000-000000000002'
const bonuses = (balance: string) => `<?xml version="1.0" encoding="windows-1251"?>
<Бонусы Дата="2026-11-20T10:00:00">
  <Клиент Ид="${CLIENT}" Наименование="ООО «Ромашка»" ИНН="7701234567" КПП="770101001" ИдТипаЦены="${PRICE_TYPE}" ЮрФизЛицо="ЮрЛицо"><Баланс>${balance}</Баланс><Зарезервировано>0</Зарезервировано><МаксПроцент>30</МаксПроцент></Клиент>
  <Клиент Ид="${CLIENT_2}"><Баланс>0</Баланс><МаксПроцент>25,5</МаксПроцент></Клиент>
</Бонусы>`

let t: TestApp
beforeAll(async () => {
  t = await buildTestApp(
    {},
    {
      profile: await loadProfile('custom-bonus-xml'),
      configFile: {
        storefronts: [{ id: 'shop', url: 'https://shop.example/hooks', secrets: [`whsec_${Buffer.alloc(32, 3).toString('base64')}`], enabled: false, apiKeys: [STOREFRONT_KEY] }],
      },
    },
  )
})
afterAll(async () => {
  await t.close()
})

async function account(id: string) {
  const response = await t.app.inject({ method: 'GET', url: `/admin/api/entities/bonus_account/${id}`, headers: adminHeaders })
  return response.json().data
}

describe('bonus balances in the integrator’s own XML, through the exchange', () => {
  it('reads a matching file (windows-1251) as the profile says, next to CommerceML in the same zip', async () => {
    const client = new ExchangeClient(t.app)
    await client.checkauth()
    await client.init()
    await client.upload('v8_77_1.zip', await zipOf({ 'import0_1.xml': catalogXml(), 'bonuses_20261120.xml': iconv.encode(bonuses('1500.50'), 'win1251') }))
    expect((await client.import('import0_1.xml')).status).toBe('success')
    const outcome = await client.import('bonuses_20261120.xml')
    expect(outcome).toMatchObject({
      status: 'success',
      message: expect.stringMatching(
        /^bonuses_20261120\.xml: bonus-customers; записей 2, принято 2: новых 2.*; bonuses_20261120\.xml: bonus-accounts; записей 2, принято 2: новых 2/,
      ),
    })
    expect(await account(CLIENT)).toEqual({
      customerId: CLIENT,
      programId: null,
      balanceMinor: 150_050,
      reservedMinor: 0,
      currency: 'RUB',
      maxRedeemPercent: 30,
      priceGroupCaps: {},
    })
    expect(await account(CLIENT_2)).toMatchObject({ balanceMinor: 0, maxRedeemPercent: 25.5 })
  })

  it('the file’s customers come with it: a quote and an order work with no OData at all', async () => {
    expect((await new ExchangeClient(t.app).portion('offers0_1.xml', offersXml())).status).toBe('success')
    const customer = await t.app.inject({ method: 'GET', url: `/api/v1/customers/${CLIENT}`, headers: storefrontHeaders })
    expect(customer.json()).toMatchObject({ id: CLIENT, name: 'ООО «Ромашка»', inn: '7701234567', kpp: '770101001', priceTypeId: PRICE_TYPE, legalForm: 'company', b2b: true })
    const quote = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bonus/quote',
      headers: storefrontHeaders,
      payload: { customerId: CLIENT, lines: [{ offerId: OFFER_2, quantity: 1 }] },
    })
    expect(quote.statusCode).toBe(200)
    // 89.90 at the file's price type, 30 % of it.
    expect(quote.json()).toMatchObject({ priceTypeId: PRICE_TYPE, totalMinor: 8_990, maxRedeemableMinor: 2_697, availableMinor: 150_050 })
    const order = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { ...storefrontHeaders, 'idempotency-key': 'xml-only-order-1' },
      payload: { externalId: 'x-1', number: 'X-1', customerId: CLIENT, lines: [{ offerId: OFFER_2, quantity: 1 }], bonusMinor: 2_697 },
    })
    expect(order.statusCode).toBe(201)
    // A customer the file names without a price type has none (and no fallback is set): 422 naming it.
    const noType = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bonus/quote',
      headers: storefrontHeaders,
      payload: { customerId: CLIENT_2, lines: [{ offerId: OFFER_2, quantity: 1 }] },
    })
    expect(noType.statusCode).toBe(422)
    expect(noType.json().error.details.lines[0].reason).toBe('no_price_type')
  })

  it('a bad value fails the file naming record and field, and changes nothing', async () => {
    const outcome = await new ExchangeClient(t.app).portion('bonuses.xml', iconv.encode(bonuses('много'), 'win1251'))
    expect(outcome.status).toBe('failure')
    expect(outcome.message).toContain('field balanceMinor: not a decimal number: "много"')
    expect(await account(CLIENT)).toMatchObject({ balanceMinor: 150_050 })
    // The customers part of the same file is not applied either.
    const customerRuns = await t.app.inject({ method: 'GET', url: '/admin/api/runs?source=xml:bonus-customers', headers: adminHeaders })
    expect(customerRuns.json().runs.filter((run: { details?: { file?: string } }) => run.details?.file === 'bonuses.xml')).toEqual([])
    const runs = await t.app.inject({ method: 'GET', url: '/admin/api/runs?source=xml:bonus-accounts&status=failed', headers: adminHeaders })
    expect(runs.json().runs[0]).toMatchObject({ error: { file: 'bonuses.xml', reason: expect.stringContaining('balanceMinor') } })
  })

  it('refuses a DOCTYPE in a custom file too', async () => {
    const outcome = await new ExchangeClient(t.app).portion(
      'bonuses.xml',
      Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Бонусы><Клиент Ид="&e;"/></Бонусы>'),
    )
    expect(outcome).toMatchObject({ status: 'failure', message: expect.stringContaining('<!DOCTYPE> is not allowed') })
  })
})
