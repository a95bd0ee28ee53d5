/**
 * The base's standard OData interface (v3, JSON "light"), as 1C answers it:
 *  - HTTP Basic as an infobase user (UTF-8 names); 401 otherwise;
 *  - `$format=json` or an Atom feed; collections `{ "odata.metadata", "value" }`, one object
 *    `…/@Element`; `$metadata` as EDMX XML; no server paging (`$top`/`$skip` only);
 *  - `$filter`, `$select`, `$orderby`; virtual tables `Balance` and `SliceLast` with `Period`
 *    and `Condition` in the query string — without `Period` a balance includes future movements;
 *  - numbers: money as JSON decimals, Int64 (`LineNumber`) as strings; empty refs all zeros;
 *  - errors as `odata.error` with 1C's internal codes (8 no such set, 9 no such object, 14 bad
 *    query, -1 business error on write or post);
 *  - `POST Document_ЗаказКлиента` writes an order, `…(guid'…')/Post` posts it.
 * Only the sets in its composition are published, as after «Настройка стандартного интерфейса OData».
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { amountOf } from './ids.ts'
import { dimensionsOf, MONEY_FIELDS, OneCError, resourcesOf, type Base } from './base.ts'
import { FilterError, parseFilter } from './odata-filter.ts'
import type { Row } from './seed.ts'

export interface ODataServerOptions {
  base: Base
  user: string
  password: string
  port?: number
  host?: string
  /** The publication's path: `/<publication>/odata/standard.odata`. */
  root?: string
}

export interface ODataRequestLog {
  method: string
  resource: string
  query: Record<string, string>
  status: number
}

export interface ODataServer {
  url: string
  server: Server
  requests: ODataRequestLog[]
  close(): Promise<void>
}

const CATALOGS = [
  'Catalog_Валюты',
  'Catalog_Организации',
  'Catalog_ВидыЦен',
  'Catalog_Склады',
  'Catalog_ЦеновыеГруппы',
  'Catalog_СегментыНоменклатуры',
  'Catalog_БонусныеПрограммыЛояльности',
  'Catalog_Номенклатура',
  'Catalog_ХарактеристикиНоменклатуры',
  'Catalog_Партнеры',
  'Catalog_Контрагенты',
  'Catalog_СоглашенияСКлиентами',
]
const REGISTERS = ['AccumulationRegister_БонусныеБаллы', 'AccumulationRegister_ТоварыНаСкладах', 'InformationRegister_ЦеныНоменклатуры', 'InformationRegister_НоменклатураСегмента']
/** Registers subordinate to a recorder: their records are read through `_RecordType`. */
const RECORDER_SUBORDINATE = new Set(['AccumulationRegister_БонусныеБаллы', 'AccumulationRegister_ТоварыНаСкладах', 'InformationRegister_ЦеныНоменклатуры'])
const DOCUMENTS = ['Document_ЗаказКлиента', 'Document_НачислениеИСписаниеБонусныхБаллов', 'Document_РеализацияТоваровУслуг']

/** A row as 1C writes it: money as decimals (also in tabular parts and `…Balance` resources). */
function toWire(row: Row): Row {
  const out: Row = {}
  for (const [field, value] of Object.entries(row)) {
    if (Array.isArray(value)) out[field] = value.map((line) => (line && typeof line === 'object' ? toWire(line as Row) : line))
    else if (typeof value === 'number' && (MONEY_FIELDS.has(field) || MONEY_FIELDS.has(field.replace(/Balance$/, '')))) out[field] = amountOf(value)
    else out[field] = value
  }
  return out
}

function odataError(status: number, code: string, message: string): OneCError {
  return new OneCError(status, code, message)
}

function orderRows(rows: Row[], orderby: string | undefined): Row[] {
  if (!orderby) return rows
  const keys = orderby.split(',').map((part) => {
    const [field = '', direction = 'asc'] = part.trim().split(/\s+/)
    return { field, sign: direction.toLowerCase() === 'desc' ? -1 : 1 }
  })
  return [...rows].sort((a, b) => {
    for (const { field, sign } of keys) {
      const left = a[field]
      const right = b[field]
      if (left === right) continue
      if (left === undefined || left === null) return -sign
      if (right === undefined || right === null) return sign
      return (typeof left === 'number' && typeof right === 'number' ? left - right : String(left) < String(right) ? -1 : 1) * sign
    }
    return 0
  })
}

function select(row: Row, fields: string[] | null): Row {
  if (!fields || fields.includes('*')) return row
  const out: Row = {}
  for (const field of fields) {
    if (field === '**') {
      for (const [key, value] of Object.entries(row)) if (!Array.isArray(value)) out[key] = value
    } else if (field in row) out[field] = row[field]
    else throw odataError(400, '10', `Не найдено свойство ${field}`)
  }
  return out
}

/** `'text with ''quotes'''` → text; `datetime'…'` → the naive time. */
function unquote(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  const datetime = /^datetime'([^']*)'$/.exec(text)
  if (datetime) return datetime[1]
  return /^'.*'$/s.test(text) ? text.slice(1, -1).replace(/''/g, "'") : text
}

function metadataXml(base: Base): string {
  const types: string[] = []
  const sets: string[] = []
  const property = (name: string, value: unknown) =>
    Array.isArray(value)
      ? `<Property Name="${name}" Type="Collection(StandardODATA.${name}_RowType)" Nullable="false"/>`
      : `<Property Name="${name}" Type="${typeof value === 'boolean' ? 'Edm.Boolean' : typeof value === 'number' ? 'Edm.Double' : /_Key$|^Ref_Key$/.test(name) ? 'Edm.Guid' : 'Edm.String'}" Nullable="true"/>`
  const entity = (name: string, sample: Row, key = 'Ref_Key') => {
    types.push(
      `<EntityType Name="${name}"><Key><PropertyRef Name="${key}"/></Key>${Object.entries(sample)
        .map(([field, value]) => property(field, value))
        .join('')}</EntityType>`,
    )
    sets.push(`<EntitySet Name="${name}" EntityType="StandardODATA.${name}"/>`)
  }
  const complex = (name: string, fields: string[]) =>
    types.push(`<ComplexType Name="${name}">${fields.map((field) => `<Property Name="${field}" Type="Edm.String" Nullable="true"/>`).join('')}</ComplexType>`)
  for (const name of CATALOGS) entity(name, Object.assign({}, ...(base.state.catalogs[name] ?? [{ Ref_Key: '' }])))
  for (const name of DOCUMENTS)
    entity(name, {
      Ref_Key: '',
      Number: '',
      Date: '',
      Posted: false,
      DeletionMark: false,
      ...(name === 'Document_ЗаказКлиента' && { НомерПоДаннымКлиента: '', Статус: '', Партнер_Key: '', Товары: [] }),
      ...Object.assign({}, ...(base.state.documents[name] ?? []).slice(0, 3)),
    })
  for (const name of REGISTERS) {
    const sample = Object.assign({}, ...base.records(name).slice(0, 5))
    entity(`${name}_RecordType`, sample, 'Recorder_Key')
    if (!RECORDER_SUBORDINATE.has(name)) entity(name, sample, 'Recorder_Key')
    else sets.push(`<EntitySet Name="${name}" EntityType="StandardODATA.${name}_RecordType"/>`)
    if (name.startsWith('AccumulationRegister_')) complex(`${name}_Balance`, [...dimensionsOf(name), ...resourcesOf(name).map((resource) => `${resource}Balance`)])
    else
      complex(
        `${name}_SliceLast`,
        Object.keys(sample).filter((field) => !['Recorder_Key', 'Recorder_Type', 'LineNumber', 'Active'].includes(field)),
      )
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<edmx:Edmx xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx" Version="1.0"><edmx:DataServices xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" m:DataServiceVersion="3.0"><Schema xmlns="http://schemas.microsoft.com/ado/2009/11/edm" Namespace="StandardODATA">${types.join('')}<EntityContainer Name="EnterpriseV8" m:IsDefaultEntityContainer="true">${sets.join('')}</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`
}

interface Answer {
  status: number
  body: unknown
  headers?: Record<string, string>
}

function rowsOf(base: Base, set: string): Row[] {
  if (CATALOGS.includes(set)) return base.state.catalogs[set] ?? []
  if (DOCUMENTS.includes(set)) return base.state.documents[set] ?? []
  const register = set.replace(/_RecordType$/, '')
  if (REGISTERS.includes(register)) {
    if (set.endsWith('_RecordType') || !RECORDER_SUBORDINATE.has(register)) return base.records(register)
    // A recorder-subordinate register's set: one record set per recorder.
    const sets = new Map<string, Row>()
    for (const record of base.records(register)) {
      const entry = sets.get(record.Recorder_Key) ?? { Recorder_Key: record.Recorder_Key, Recorder_Type: record.Recorder_Type, RecordSet: [] as Row[] }
      ;(entry.RecordSet as Row[]).push(record)
      sets.set(record.Recorder_Key, entry)
    }
    return [...sets.values()]
  }
  throw odataError(404, '8', `Не найден тип сущности ${set}`)
}

// One GET: a set, one object, or a virtual table; the query options applied as 1C applies them.
function read(base: Base, resource: string, query: URLSearchParams, metadataUrl: string): Answer {
  const match = /^([^/(]+)(?:\(([^)]*)\))?(?:\/([^/(]+)(?:\(([^)]*)\))?)?$/.exec(resource)
  if (!match) throw odataError(400, '6', `Неверный URL: ${resource}`)
  const [, set = '', key, fn] = match
  let rows: Row[]
  if (fn === 'Balance' || fn === 'SliceLast') {
    const register = set.replace(/_RecordType$/, '')
    if (!REGISTERS.includes(register)) throw odataError(404, '8', `Не найден тип сущности ${set}`)
    if (fn === 'SliceLast' && RECORDER_SUBORDINATE.has(register) && !set.endsWith('_RecordType'))
      throw odataError(400, '11', `Метод SliceLast не найден у ${set}: регистр подчинён регистратору, используйте ${register}_RecordType`)
    // Without Period 1C computes from the register's totals, future movements included.
    const period = unquote(query.get('Period') ?? undefined) ?? '9999-12-31T23:59:59'
    rows = fn === 'Balance' ? base.balance(register, period) : base.sliceLast(register, period)
  } else if (fn) {
    throw odataError(400, '11', `Метод ${fn} не найден`)
  } else {
    rows = rowsOf(base, set)
    if (key !== undefined) {
      const id = /^guid'([^']+)'$/.exec(key)?.[1]?.toLowerCase()
      const found = rows.find((row) => row.Ref_Key === id)
      if (!found) throw odataError(404, '9', `Не найден объект с ключом ${key}`)
      const fields =
        query
          .get('$select')
          ?.split(',')
          .map((field) => field.trim()) ?? null
      return { status: 200, body: { 'odata.metadata': `${metadataUrl}#${set}/@Element`, ...select(toWire(found), fields) } }
    }
  }
  let wire = rows.map(toWire)
  const condition = fn ? unquote(query.get('Condition') ?? undefined) : undefined
  if (condition) wire = wire.filter(parseFilter(condition))
  const filter = query.get('$filter')
  if (filter) wire = wire.filter(parseFilter(filter))
  wire = orderRows(wire, query.get('$orderby') ?? undefined)
  const skip = Number(query.get('$skip') ?? 0)
  const top = query.get('$top')
  wire = wire.slice(skip, top === null ? undefined : skip + Number(top))
  const fields =
    query
      .get('$select')
      ?.split(',')
      .map((field) => field.trim()) ?? null
  const name = fn ? `${set}_${fn}` : set
  return { status: 200, body: { 'odata.metadata': `${metadataUrl}#${name}`, value: wire.map((row) => select(row, fields)) } }
}

function write(base: Base, resource: string, body: string, metadataUrl: string): Answer {
  const post = /^(Document_[^/(]+)\(guid'([^']+)'\)\/Post$/.exec(resource)
  if (post) {
    if (!DOCUMENTS.includes(post[1] ?? '')) throw odataError(404, '8', `Не найден тип сущности ${post[1]}`)
    base.postOrder(String(post[2]).toLowerCase())
    return { status: 200, body: null }
  }
  if (resource === 'Document_ЗаказКлиента') {
    let parsed: Row
    try {
      parsed = JSON.parse(body) as Row
    } catch {
      throw odataError(400, '2', 'Неверный формат запроса: тело не является JSON')
    }
    const order = base.writeOrder(parsed)
    return {
      status: 201,
      body: { 'odata.metadata': `${metadataUrl}#Document_ЗаказКлиента/@Element`, ...toWire(order) },
      headers: { location: encodeURI(`${metadataUrl.replace(/\/$metadata$/, '')}/Document_ЗаказКлиента(guid'${String(order.Ref_Key)}')`) },
    }
  }
  throw odataError(405, '19', `Метод HTTP не разрешён для ${resource}`)
}

function authorized(request: IncomingMessage, user: string, password: string): boolean {
  const header = request.headers.authorization ?? ''
  if (!header.startsWith('Basic ')) return false
  return Buffer.from(header.slice(6), 'base64').toString('utf8') === `${user}:${password}`
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

export async function startODataServer(options: ODataServerOptions): Promise<ODataServer> {
  const root = options.root ?? '/ut11/odata/standard.odata'
  const requests: ODataRequestLog[] = []
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://1c.local')
    const send = (status: number, body: string, type: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers })
      response.end(body)
    }
    const resource = decodeURIComponent(url.pathname.slice(root.length + 1))
    const log = (status: number) => requests.push({ method: request.method ?? 'GET', resource, query: Object.fromEntries(url.searchParams), status })
    if (!url.pathname.startsWith(root)) return send(404, '<html><body><h1>404 Not Found</h1></body></html>', 'text/html')
    if (!authorized(request, options.user, options.password)) {
      log(401)
      return send(401, '', 'text/plain', { 'www-authenticate': 'Basic realm="1C:Enterprise"' })
    }
    const metadataUrl = `http://${request.headers.host ?? '1c.local'}${root}/$metadata`
    try {
      if (resource === '$metadata') {
        log(200)
        return send(200, metadataXml(options.base), 'application/xml;charset=utf-8')
      }
      const answer = request.method === 'POST' ? write(options.base, resource, await bodyOf(request), metadataUrl) : read(options.base, resource, url.searchParams, metadataUrl)
      log(answer.status)
      if (answer.body === null) return send(answer.status, '', 'text/plain', answer.headers)
      if (url.searchParams.get('$format') !== 'json' && !(request.headers.accept ?? '').includes('json'))
        return send(
          answer.status,
          `<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title type="text">${resource}</title></feed>`,
          'application/atom+xml;type=feed;charset=utf-8',
        )
      return send(answer.status, JSON.stringify(answer.body), 'application/json;charset=utf-8', answer.headers)
    } catch (error) {
      const failure =
        error instanceof OneCError
          ? error
          : error instanceof FilterError
            ? odataError(400, error.code, error.message)
            : odataError(500, '-1', `Произошла внутренняя ошибка OData сервиса. ${(error as Error).message}`)
      log(failure.status)
      return send(failure.status, JSON.stringify({ 'odata.error': { code: failure.code, message: { lang: 'ru', value: failure.message } } }), 'application/json;charset=utf-8')
    }
  }
  const server = createServer((request, response) => void handle(request, response))
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}${root}`,
    server,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
