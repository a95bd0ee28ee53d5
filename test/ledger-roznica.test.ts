/**
 * Розница 2's bonus ledger (roznica2.yaml): points are kept per loyalty card, so each record of
 * БонусныеБаллы belongs to the card's owner; a receipt's write-off, an accrual, a scheduled
 * write-off ahead. 1C is played by nock here (the emulator plays УТ 11.5).
 */
import nock from 'nock'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pullSource } from '../src/catalog/odata-pull.ts'
import { movementsOf } from '../src/loyalty/index.ts'
import { loadProfile } from '../src/onec/mapping/profile.ts'
import { createODataClient } from '../src/onec/odata/index.ts'
import { BASE_URL, fakeOData } from './helpers/fake-odata.ts'
import { openTestDb, type TestDb } from './helpers/db.ts'

const OWNER = '7c1e0a10-1111-11ee-8000-000000000001'
const CARD_1 = '7c1e0a10-2222-11ee-8000-000000000002'
const CARD_2 = '7c1e0a10-3333-11ee-8000-000000000003'
const PROGRAMME = '7c1e0a10-4444-11ee-8000-000000000004'
const RECEIPT = '7c1e0a10-5555-11ee-8000-000000000005'
const ACCRUAL = '7c1e0a10-6666-11ee-8000-000000000006'

let t: TestDb
beforeAll(async () => {
  t = await openTestDb()
  nock.disableNetConnect()
})
afterAll(async () => {
  nock.cleanAll()
  nock.enableNetConnect()
  await t.close()
})

const record = (recorder: string, type: string, period: string, recordType: string, card: string, accrued: number, toWriteOff: number) => ({
  Recorder_Key: recorder,
  Recorder_Type: `StandardODATA.Document_${type}`,
  LineNumber: '1',
  Period: period,
  RecordType: recordType,
  Active: true,
  БонуснаяПрограммаЛояльности_Key: PROGRAMME,
  ДисконтнаяКарта_Key: card,
  Начислено: accrued,
  КСписанию: toWriteOff,
})

describe('the bonus ledger of Розница 2', () => {
  it('gives each card’s movements to its owner, with the receipt or the accrual document', async () => {
    const { requests } = fakeOData({
      AccumulationRegister_БонусныеБаллы_RecordType: [
        record(ACCRUAL, 'НачислениеИСписаниеБонусныхБаллов', '2026-10-01T10:00:00', 'Receipt', CARD_2, 1000, 0),
        record(RECEIPT, 'ЧекККМ', '2026-11-20T12:00:00', 'Expense', CARD_1, 150.5, 0),
        { ...record(ACCRUAL, 'НачислениеИСписаниеБонусныхБаллов', '2099-01-01T00:00:00', 'Receipt', CARD_2, 0, 200), LineNumber: '2' },
      ],
      Catalog_ИнформационныеКарты: [
        { Ref_Key: CARD_1, ВладелецКарты: OWNER, ВладелецКарты_Type: 'StandardODATA.Catalog_Контрагенты' },
        { Ref_Key: CARD_2, ВладелецКарты: OWNER, ВладелецКарты_Type: 'StandardODATA.Catalog_Контрагенты' },
      ],
      Document_ЧекККМ: [{ Ref_Key: RECEIPT, Number: 'ЧК-000017', Date: '2026-11-20T12:00:00' }],
      Document_НачислениеИСписаниеБонусныхБаллов: [{ Ref_Key: ACCRUAL, Number: 'НБ-000003', Date: '2026-10-01T10:00:00' }],
    })
    const profile = await loadProfile('roznica2')
    const client = createODataClient({ baseUrl: BASE_URL, user: 'odata', password: 'secret', timeZone: 'Europe/Moscow', retries: 0 })
    const result = await pullSource(t.db, client, profile.odata!, 'bonus-movements')
    expect(result.counts.changed).toBe(3)
    // Read by period: the filter carries the window.
    expect(requests.find((request) => request.resource === 'AccumulationRegister_БонусныеБаллы_RecordType')?.query.$filter).toMatch(
      /^Active eq true and Period ge datetime'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d' and Period lt datetime'/,
    )
    const history = await movementsOf(t.db, OWNER, { upcoming: false, limit: 10, now: new Date('2026-12-01T00:00:00Z') })
    expect(history.movements.map(({ amountMinor, kind, document }) => ({ amountMinor, kind, number: document.number, type: document.type }))).toEqual([
      { amountMinor: -15_050, kind: 'write_off', number: 'ЧК-000017', type: 'ЧекККМ' },
      { amountMinor: 100_000, kind: 'accrual', number: 'НБ-000003', type: 'НачислениеИСписаниеБонусныхБаллов' },
    ])
    const upcoming = await movementsOf(t.db, OWNER, { upcoming: true, limit: 10, now: new Date('2026-12-01T00:00:00Z') })
    expect(upcoming.movements).toMatchObject([{ amountMinor: -20_000, kind: 'expiry', customerId: OWNER }])
  })
})
