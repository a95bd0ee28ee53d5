/**
 * A stand-in for a 1C base's OData interface, with nock: answers each entity set (or virtual
 * table) from fixture rows the way 1C does: `{ "odata.metadata", "value" }`, `$top`/`$skip`
 * paging, `Ref_Key eq guid'…' or …` filters on the joined sets. It records every request.
 */
import nock from 'nock'

export const HOST = 'http://ut11.example'
export const ROOT = '/trade/odata/standard.odata'
export const BASE_URL = `${HOST}${ROOT}`

export interface FakeRequest {
  resource: string
  query: Record<string, string>
}

export function fakeOData(sets: Record<string, Array<Record<string, unknown>>>): { requests: FakeRequest[]; scope: nock.Scope } {
  const requests: FakeRequest[] = []
  const scope = nock(HOST)
    .persist()
    .get((uri) => uri.startsWith(ROOT))
    .query(true)
    // nock 15 hands the reply function the fetch Request.
    .reply((request: { url: string }) => {
      const url = new URL(request.url)
      const resource = decodeURIComponent(url.pathname.slice(ROOT.length + 1))
      const query = Object.fromEntries(url.searchParams)
      requests.push({ resource, query })
      const rows = sets[resource]
      if (!rows) return [404, { 'odata.error': { code: '8', message: { lang: 'ru', value: `Не найден тип сущности ${resource}` } } }, { 'content-type': 'application/json' }]
      let selected = rows
      const filter = query.$filter ?? ''
      const keyFilter = [...filter.matchAll(/([^\s()]+) eq guid'([^']+)'/g)]
      if (keyFilter.length > 0) {
        selected = selected.filter((row) => keyFilter.some(([, field, value]) => row[field ?? ''] === value))
      }
      const skip = Number(query.$skip ?? 0)
      const top = query.$top === undefined ? selected.length : Number(query.$top)
      return [200, { 'odata.metadata': `${HOST}${ROOT}/$metadata#${resource}`, value: selected.slice(skip, skip + top) }, { 'content-type': 'application/json;charset=utf-8' }]
    })
  return { requests, scope }
}
