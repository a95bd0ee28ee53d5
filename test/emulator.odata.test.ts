/**
 * The emulator answers as 1C's OData interface does (the contract tests lean on it), read through
 * the service's own client: Basic auth, paging with $top/$skip, filters 1C accepts and the ones it
 * refuses, virtual tables at a Period (and without one, future movements counted), 1C's error
 * codes, and a $metadata the ut11 profile checks clean against.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IDS, partnerOf, startEmulator, type Emulator } from '../emulator/index.ts'
import { loadProfile } from '../src/onec/mapping/profile.ts'
import type { ODataError } from '../src/onec/odata/index.ts'
import { checkProfile, createODataClient, parseMetadata, type ODataClient } from '../src/onec/odata/index.ts'

let emulator: Emulator
let folder: string
let client: ODataClient
const BONUS = 'AccumulationRegister_БонусныеБаллы'

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'onec-bridge-emulator-odata-'))
  emulator = await startEmulator({ dataDir: folder, reset: true, odata: { user: 'Сайт', password: 'секрет' } })
  client = createODataClient({ baseUrl: emulator.odata.url, user: 'Сайт', password: 'секрет', timeZone: 'Europe/Moscow', retries: 0 })
})
afterAll(async () => {
  await emulator.stop()
  await rm(folder, { recursive: true, force: true })
})

const failure = async (promise: Promise<unknown>) => {
  try {
    await promise
  } catch (error) {
    return error as ODataError
  }
  throw new Error('expected a failure')
}

describe('the emulated OData interface', () => {
  it('lets in the OData user with a Cyrillic name over Basic, and no one else', async () => {
    const stranger = createODataClient({ baseUrl: emulator.odata.url, user: 'Сайт', password: 'wrong', timeZone: 'Europe/Moscow', retries: 0 })
    expect(await failure(stranger.get('Catalog_ВидыЦен'))).toMatchObject({ kind: 'auth', status: 401 })
    expect((await client.list('Catalog_ВидыЦен', { select: ['Ref_Key', 'Description'] })).map((row) => row.Description)).toEqual(['Оптовая', 'Крупный опт', 'Розничная'])
  })

  it('pages with $top/$skip until a short page, in the order asked for', async () => {
    const all = await client.list('Catalog_Номенклатура', { select: ['Ref_Key'], filter: 'IsFolder eq false', orderby: 'Ref_Key' }, { pageSize: 70 })
    expect(all).toHaveLength(300)
    expect(new Set(all.map((row) => row.Ref_Key)).size).toBe(300)
    expect(emulator.odata.requests.filter((request) => request.resource === 'Catalog_Номенклатура').map((request) => request.query.$skip ?? '0')).toEqual([
      '0',
      '70',
      '140',
      '210',
      '280',
    ])
  })

  it('reads Balance at Period: future movements count only when no Period is given, as 1C computes from the totals', async () => {
    const condition = `Партнер_Key eq guid'${partnerOf('ostozhenka')}'`
    const [now] = await client.virtualTable(BONUS, 'Balance', { condition })
    expect(now).toMatchObject({ НачисленоBalance: '12500', КСписаниюBalance: '0', БонуснаяПрограммаЛояльности_Key: IDS.programme })
    const [totals] = await client.virtualTable(BONUS, 'Balance', { period: null, condition })
    expect(totals?.НачисленоBalance).toBe('14500')
  })

  it('answers 1C’s error codes: no such set (8), no such object (9), a filter it cannot parse (14)', async () => {
    expect(await failure(client.get('Catalog_НетТакого'))).toMatchObject({ kind: 'not_found', code: '8' })
    expect(await failure(client.get(`Catalog_Партнеры(guid'${IDS.organisation}')`))).toMatchObject({ kind: 'not_found', code: '9' })
    const refused = await failure(client.get('Catalog_Партнеры', { filter: `Ref_Key in (guid'${IDS.organisation}')` }))
    expect(refused).toMatchObject({ kind: 'bad_request', status: 400, code: '14' })
  })

  it('refuses to post an order without enough points with a business error (500, -1), and leaves it unposted', async () => {
    const created = await client.create('Document_ЗаказКлиента', {
      Партнер_Key: partnerOf('petrov'),
      Контрагент_Key: emulator.base.state.catalogs['Catalog_Контрагенты']?.find((row) => row.Партнер_Key === partnerOf('petrov'))?.Ref_Key,
      Товары: [
        {
          LineNumber: '1',
          Номенклатура_Key: emulator.base.state.catalogs['Catalog_Номенклатура']?.find((row) => row.IsFolder === false)?.Ref_Key,
          Количество: 1,
          Цена: 100,
          Сумма: 100,
          СуммаБонусныхБалловКСписанию: 5000,
        },
      ],
    })
    const error = await failure(client.invoke(`Document_ЗаказКлиента(guid'${String(created.Ref_Key)}')/Post`, { PostingModeOperational: 'false' }))
    expect(error).toMatchObject({ kind: 'business', code: '-1' })
    expect(error.oneCMessage).toMatch(/Недостаточно бонусных баллов/)
    expect(await client.get(`Document_ЗаказКлиента(guid'${String(created.Ref_Key)}')`, { select: ['Posted'] })).toMatchObject({ Posted: false })
  })

  it('publishes a $metadata the ut11 profile checks clean against (mapping check)', async () => {
    const profile = await loadProfile('ut11')
    expect(checkProfile(profile.odata!, parseMetadata(await client.metadata()))).toEqual([])
  })
})
