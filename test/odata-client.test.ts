import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import { createODataClient, guidLiteral, ODataError, type ODataClientOptions } from '../src/onec/odata/client.ts'
import { fromNaive, toNaive } from '../src/onec/odata/time.ts'

const HOST = 'http://1c.example'
const ROOT = '/ut11/odata/standard.odata'
const options: ODataClientOptions = { baseUrl: `${HOST}${ROOT}`, user: 'Интеграция', password: 'пароль', timeZone: 'Europe/Moscow', minRetryDelayMs: 5, retries: 2, timeoutMs: 500 }
const client = () => createODataClient(options)
const json = { 'content-type': 'application/json;charset=utf-8' }

afterEach(() => {
  nock.cleanAll()
})

function path(resource: string) {
  return `${ROOT}/${resource.split('/').map(encodeURIComponent).join('/')}`
}

describe('reading', () => {
  it('pages with $top/$skip until a short page, always asking for JSON, with a UTF-8 Basic login', async () => {
    const auth = `Basic ${Buffer.from('Интеграция:пароль', 'utf8').toString('base64')}`
    const scope = nock(HOST, { reqheaders: { authorization: auth } })
      .get(path('Catalog_Партнеры'))
      .query({ $format: 'json', $select: 'Ref_Key,Description', $orderby: 'Ref_Key', $top: '2' })
      .reply(200, { 'odata.metadata': 'x', value: [{ Ref_Key: 'a' }, { Ref_Key: 'b' }] }, json)
      .get(path('Catalog_Партнеры'))
      .query({ $format: 'json', $select: 'Ref_Key,Description', $orderby: 'Ref_Key', $top: '2', $skip: '2' })
      .reply(200, { value: [{ Ref_Key: 'c' }, { Ref_Key: 'd' }] }, json)
      .get(path('Catalog_Партнеры'))
      .query({ $format: 'json', $select: 'Ref_Key,Description', $orderby: 'Ref_Key', $top: '2', $skip: '4' })
      .reply(200, { value: [{ Ref_Key: 'e' }] }, json)
    const rows = await client().list('Catalog_Партнеры', { select: ['Ref_Key', 'Description'], orderby: 'Ref_Key' }, { pageSize: 2 })
    expect(rows.map((row) => row.Ref_Key)).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(scope.isDone()).toBe(true)
  })

  it('reads a virtual table with Period on the 1C server clock and Condition in the query string', async () => {
    const now = new Date('2026-05-15T09:00:00Z')
    const partner = '0a1b2c3d-0000-4000-8000-000000000001'
    const scope = nock(HOST)
      .get(path('AccumulationRegister_БонусныеБаллы/Balance()'))
      .query({ $format: 'json', Period: "datetime'2026-05-15T12:00:00'", Condition: `'Партнер_Key eq guid''${partner}'''` })
      .reply(200, { value: [{ Партнер_Key: partner, НачисленоBalance: 1500.5, КСписаниюBalance: 0 }] }, json)
    const rows = await client().virtualTable('AccumulationRegister_БонусныеБаллы', 'Balance', { period: now, condition: `Партнер_Key eq ${guidLiteral(partner)}` })
    expect(rows).toEqual([{ Партнер_Key: partner, НачисленоBalance: '1500.5', КСписаниюBalance: '0' }])
    expect(scope.isDone()).toBe(true)
  })

  it('keeps Int64 strings and decimals exactly as sent', async () => {
    nock(HOST)
      .get(path('Document_ЗаказКлиента'))
      .query(true)
      .reply(200, '{"value":[{"LineNumber":"1","СуммаНДС":22729.17,"Сумма":12345678901234567890.12,"Количество":0.1}]}', json)
    const [row] = await client().list('Document_ЗаказКлиента')
    expect(row).toEqual({ LineNumber: '1', СуммаНДС: '22729.17', Сумма: '12345678901234567890.12', Количество: '0.1' })
  })

  it('splits a long "or" list so that every URL stays short', async () => {
    const ids = Array.from({ length: 60 }, (_, index) => `0a1b2c3d-0000-4000-8000-${String(index).padStart(12, '0')}`)
    const seen: string[] = []
    let last: string[] = []
    nock(HOST)
      .persist()
      .get(path('Catalog_Контрагенты'))
      .query((query) => {
        const filter = String(query.$filter ?? '')
        const url = `${HOST}${path('Catalog_Контрагенты')}?${new URLSearchParams(query as Record<string, string>).toString()}`
        expect(url.length).toBeLessThan(2100)
        last = [...filter.matchAll(/guid'([^']+)'/g)].map((match) => match[1] ?? '')
        seen.push(...last)
        return true
      })
      .reply(200, () => ({ value: last.map((id) => ({ Ref_Key: id })) }), json)
    const rows = await client().listWhereIn('Catalog_Контрагенты', 'Ref_Key', ids, guidLiteral)
    expect(rows).toHaveLength(60)
    expect(new Set(seen)).toEqual(new Set(ids))
    expect(seen.length).toBe(60)
  })
})

describe('failures', () => {
  it('401: says the credentials were refused, and does not retry', async () => {
    const scope = nock(HOST).get(path('Catalog_Партнеры')).query(true).reply(401, '')
    const error = await client()
      .list('Catalog_Партнеры')
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ODataError)
    expect(error).toMatchObject({ kind: 'auth', status: 401, message: expect.stringContaining('refused the credentials') })
    expect(scope.isDone()).toBe(true)
  })

  it('404 with code 9: not found, with 1C message kept', async () => {
    nock(HOST)
      .get(path("Catalog_Партнеры(guid'0a1b2c3d-0000-4000-8000-000000000001')"))
      .query(true)
      .reply(404, { 'odata.error': { code: '9', message: { lang: 'ru', value: 'Не найден экземпляр сущности' } } }, json)
    const error = await client()
      .get("Catalog_Партнеры(guid'0a1b2c3d-0000-4000-8000-000000000001')")
      .catch((caught: unknown) => caught)
    expect(error).toMatchObject({ kind: 'not_found', code: '9', oneCMessage: 'Не найден экземпляр сущности' })
  })

  it('404 without an OData body: names the composition of the OData interface', async () => {
    nock(HOST)
      .get(path('Catalog_Нет'))
      .query(true)
      .reply(404, { 'odata.error': { code: '8', message: { value: 'Не найден тип сущности' } } }, json)
    const error = await client()
      .get('Catalog_Нет')
      .catch((caught: unknown) => caught as Error)
    expect((error as Error).message).toContain('add it to the OData interface composition')
  })

  it('500 with code -1: a business error keeping 1C code and message, after retries', async () => {
    const scope = nock(HOST)
      .get(path('Catalog_Партнеры'))
      .query(true)
      .times(3)
      .reply(500, { 'odata.error': { code: '-1', message: { lang: 'ru', value: 'Недостаточно памяти' } } }, json)
    const error = await client()
      .get('Catalog_Партнеры')
      .catch((caught: unknown) => caught)
    expect(error).toMatchObject({ kind: 'business', code: '-1', oneCMessage: 'Недостаточно памяти', message: '1C answered 500 (1C code -1): Недостаточно памяти' })
    expect(scope.isDone()).toBe(true)
  })

  it('an HTML page with 200 is an error, not data', async () => {
    nock(HOST).get(path('Catalog_Партнеры')).query(true).reply(200, '<html><body>Вход в систему</body></html>', { 'content-type': 'text/html' })
    const error = await client()
      .get('Catalog_Партнеры')
      .catch((caught: unknown) => caught)
    expect(error).toMatchObject({ kind: 'not_json', message: expect.stringContaining('an HTML page instead of OData JSON') })
  })

  it('503 then success: retried, honouring Retry-After', async () => {
    const scope = nock(HOST)
      .get(path('Catalog_Партнеры'))
      .query(true)
      .reply(503, 'busy', { 'retry-after': '0' })
      .get(path('Catalog_Партнеры'))
      .query(true)
      .reply(200, { value: [{ Ref_Key: 'a' }] }, json)
    expect(await client().list('Catalog_Партнеры')).toEqual([{ Ref_Key: 'a' }])
    expect(scope.isDone()).toBe(true)
  })

  it('400 is not retried', async () => {
    const scope = nock(HOST)
      .get(path('Catalog_Партнеры'))
      .query(true)
      .once()
      .reply(400, { 'odata.error': { code: '14', message: { value: 'Ошибка разбора' } } }, json)
    await expect(client().get('Catalog_Партнеры', { filter: 'x in (1)' })).rejects.toMatchObject({ kind: 'bad_request', code: '14' })
    expect(scope.isDone()).toBe(true)
  })

  it('a timeout is retried and then reported as a timeout', async () => {
    nock(HOST).get(path('Catalog_Партнеры')).query(true).times(3).delay(800).reply(200, { value: [] }, json)
    await expect(client().get('Catalog_Партнеры')).rejects.toMatchObject({ kind: 'timeout' })
  })
})

describe('1C server time', () => {
  it('converts between instants and naive server times, the empty date being null', () => {
    expect(toNaive(new Date('2026-01-10T21:30:00Z'), 'Europe/Moscow')).toBe('2026-01-11T00:30:00')
    expect(fromNaive('2026-01-11T00:30:00', 'Europe/Moscow')?.toISOString()).toBe('2026-01-10T21:30:00.000Z')
    expect(fromNaive('2026-07-01T12:00:00', 'Europe/Berlin')?.toISOString()).toBe('2026-07-01T10:00:00.000Z')
    expect(fromNaive('0001-01-01T00:00:00', 'Europe/Moscow')).toBeNull()
    expect(() => fromNaive('1-01-01', 'Europe/Moscow')).toThrow('not a 1C date')
  })
})
