import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadProfile } from '../src/onec/mapping/profile.ts'
import { adminHeaders, buildTestApp, type TestApp } from './helpers/app.ts'
import { ExchangeClient } from './helpers/exchange-client.ts'
import { zipOf } from './helpers/zip.ts'
import { catalogXml } from './samples/ut11.ts'

const CLIENT = '2c3d4e5f-0000-4000-8000-000000000001'
const CLIENT_2 = '2c3d4e5f-0000-4000-8000-000000000002'
const bonuses = (balance: string) => `<?xml version="1.0" encoding="windows-1251"?>
<Бонусы Дата="2026-11-20T10:00:00">
  <Клиент Ид="${CLIENT}" ИНН="7701234567"><Баланс>${balance}</Баланс><Зарезервировано>0</Зарезервировано><МаксПроцент>30</МаксПроцент></Клиент>
  <Клиент Ид="${CLIENT_2}"><Баланс>0</Баланс><МаксПроцент>25,5</МаксПроцент></Клиент>
</Бонусы>`

let t: TestApp
beforeAll(async () => {
  t = await buildTestApp({}, { profile: await loadProfile('custom-bonus-xml') })
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
    expect(outcome).toMatchObject({ status: 'success', message: expect.stringMatching(/^bonuses_20261120\.xml: bonus-accounts; 2 records, 2 seen, 2 new/) })
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

  it('a bad value fails the file naming record and field, and changes nothing', async () => {
    const outcome = await new ExchangeClient(t.app).portion('bonuses.xml', iconv.encode(bonuses('много'), 'win1251'))
    expect(outcome.status).toBe('failure')
    expect(outcome.message).toContain('field balanceMinor: not a decimal number: "много"')
    expect(await account(CLIENT)).toMatchObject({ balanceMinor: 150_050 })
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
