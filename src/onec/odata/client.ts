/**
 * A client for 1C:Enterprise's standard OData interface (OData v3, JSON "light").
 *
 * What 1C does that a generic OData client gets wrong, and this one handles:
 *  - the default format is Atom: every request says `$format=json`; an HTML page (a web-server
 *    error, a login page), even with 200, is an error, not data;
 *  - no server-driven paging: `$top`/`$skip` until a short page, with a tie-breaker in `$orderby`;
 *  - virtual tables (`Balance`, `SliceLast`) take `Period` and `Condition` in the query string
 *    (path segments are cut at 260 characters by IIS); `Period` is the 1C server's wall-clock time;
 *  - no `in` operator: long `or` lists are split so that URLs stay short;
 *  - Int64 arrives as a JSON string, decimals as JSON numbers: every number is kept as its exact
 *    source text, so money never passes through a float;
 *  - errors come as `odata.error` with 1C's internal code: kept, and classified once.
 * Retries: network errors, 408, 429 and 5xx (honouring Retry-After); never other 4xx.
 */
import axios, { type AxiosInstance, type AxiosResponse } from 'axios'
import pRetry, { AbortError } from 'p-retry'
import { toNaive } from './time.ts'

export type ODataRow = Record<string, unknown>

export type ODataErrorKind = 'auth' | 'forbidden' | 'not_found' | 'bad_request' | 'business' | 'server' | 'not_json' | 'network' | 'timeout'

export class ODataError extends Error {
  readonly kind: ODataErrorKind
  readonly status: number | null
  /** 1C's internal error code (`odata.error.code`): "9" not found, "14" bad query, "-1" business error… */
  readonly code: string | null
  /** 1C's own message text, when it sent one. */
  readonly oneCMessage: string | null
  readonly url: string
  constructor(kind: ODataErrorKind, message: string, details: { status?: number | null; code?: string | null; oneCMessage?: string | null; url: string }) {
    super(message)
    this.name = 'ODataError'
    this.kind = kind
    this.status = details.status ?? null
    this.code = details.code ?? null
    this.oneCMessage = details.oneCMessage ?? null
    this.url = details.url
  }

  get retryable(): boolean {
    return this.kind === 'network' || this.kind === 'timeout' || this.status === 408 || this.status === 429 || (this.status !== null && this.status >= 500)
  }
}

export interface ODataClientOptions {
  /** `http://host/base/odata/standard.odata` */
  baseUrl: string
  user: string
  password: string
  /** The 1C server's IANA time zone (its dates are naive wall-clock times). */
  timeZone: string
  timeoutMs?: number
  /** Retries after the first attempt for retryable failures. */
  retries?: number
  /** Smallest wait between retries, ms (tests use a few ms). */
  minRetryDelayMs?: number
  pageSize?: number
  /** URLs longer than this are split (`or` lists); IIS refuses query strings over 2048 bytes. */
  maxUrlLength?: number
}

export interface ODataQuery {
  select?: string[]
  filter?: string
  orderby?: string
  top?: number
  skip?: number
  expand?: string
  /** Extra query parameters (virtual-table parameters), written as given after encoding. */
  params?: Record<string, string>
}

/** Quote a string for an OData literal: single quotes, doubled inside. */
export function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`
}

export function guidLiteral(id: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new Error(`not a 1C reference id: ${JSON.stringify(id)}`)
  return `guid'${id.toLowerCase()}'`
}

export function datetimeLiteral(naive: string): string {
  return `datetime'${naive}'`
}

function encodeSegment(segment: string): string {
  // encodeURIComponent keeps ' ( ) * ! ~, which OData literals need.
  return segment.split('/').map(encodeURIComponent).join('/')
}

function buildQuery(query: ODataQuery): string {
  const pairs: Array<[string, string]> = [['$format', 'json']]
  if (query.select?.length) pairs.push(['$select', query.select.join(',')])
  if (query.filter) pairs.push(['$filter', query.filter])
  if (query.orderby) pairs.push(['$orderby', query.orderby])
  if (query.expand) pairs.push(['$expand', query.expand])
  if (query.top !== undefined) pairs.push(['$top', String(query.top)])
  if (query.skip) pairs.push(['$skip', String(query.skip)])
  for (const [key, value] of Object.entries(query.params ?? {})) pairs.push([key, value])
  return pairs.map(([key, value]) => `${key.startsWith('$') ? key : encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&')
}

/** JSON with every number kept as its exact source text (Int64 and decimals alike). */
export function parseLosslessJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) => (typeof value === 'number' && context?.source !== undefined ? context.source : value))
}

function retryAfterMs(response: AxiosResponse | undefined): number | null {
  const header = response?.headers?.['retry-after']
  if (typeof header !== 'string' || header === '') return null
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(header)
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now())
}

function classify(response: AxiosResponse<string>, url: string): ODataError | null {
  const contentType = String(response.headers['content-type'] ?? '')
  const body = typeof response.data === 'string' ? response.data : ''
  let parsed: unknown = null
  if (/json/i.test(contentType) || /^\s*[{[]/.test(body)) {
    try {
      parsed = parseLosslessJson(body)
    } catch {
      parsed = null
    }
  }
  const odataError = (parsed as { 'odata.error'?: { code?: unknown; message?: { value?: unknown } | string } } | null)?.['odata.error']
  const status = response.status
  if (status >= 200 && status < 300) {
    if (parsed === null || typeof parsed !== 'object') {
      const kind = /<html/i.test(body) ? 'an HTML page' : `${contentType || 'no content type'}`
      return new ODataError(
        'not_json',
        `1C answered ${status} with ${kind} instead of OData JSON (check the publication address, the OData user and that the web server does not show a login or error page)`,
        { status, url },
      )
    }
    return null
  }
  const code = odataError?.code !== undefined ? String(odataError.code) : null
  const message = typeof odataError?.message === 'string' ? odataError.message : odataError?.message?.value !== undefined ? String(odataError.message.value) : null
  const suffix = message ? `: ${message}` : ''
  const codeText = code !== null ? ` (1C code ${code})` : ''
  if (status === 401) return new ODataError('auth', `1C refused the credentials of the OData user${codeText}${suffix}`, { status, code, oneCMessage: message, url })
  if (status === 403) return new ODataError('forbidden', `1C forbids this to the OData user${codeText}${suffix}`, { status, code, oneCMessage: message, url })
  if (status === 404) {
    const what =
      code === '9'
        ? 'no such object'
        : code === '8' || code === null
          ? 'no such entity set: add it to the OData interface composition ("Настройка стандартного интерфейса OData")'
          : 'not found'
    return new ODataError('not_found', `1C answered 404, ${what}${codeText}${suffix}`, { status, code, oneCMessage: message, url })
  }
  if (status >= 500) {
    const kind = code === '-1' ? 'business' : 'server'
    return new ODataError(kind, `1C answered ${status}${codeText}${suffix || (odataError ? '' : ' (no OData error body)')}`, { status, code, oneCMessage: message, url })
  }
  return new ODataError('bad_request', `1C answered ${status}${codeText}${suffix}`, { status, code, oneCMessage: message, url })
}

export interface ODataClient {
  /** One GET of a resource path (with its query); the parsed JSON body. */
  get(resource: string, query?: ODataQuery): Promise<ODataRow>
  /** Every row of an entity set, page by page until a short page. */
  list(resource: string, query?: Omit<ODataQuery, 'top' | 'skip'>, options?: { pageSize?: number }): Promise<ODataRow[]>
  /**
   * A virtual table of a register (`Balance`, `SliceLast`, `SliceFirst`, `Turnovers`). `Period`
   * defaults to now on the 1C server's clock (future-dated movements exist). Not paged.
   */
  virtualTable(register: string, fn: string, options?: { period?: Date | null; condition?: string; query?: Omit<ODataQuery, 'top' | 'skip' | 'params'> }): Promise<ODataRow[]>
  /** Rows whose `field` is one of `values`, in as many requests as URL length allows. */
  listWhereIn(
    resource: string,
    field: string,
    values: string[],
    literal: (value: string) => string,
    query?: Omit<ODataQuery, 'top' | 'skip' | 'filter'> & { filter?: string },
  ): Promise<ODataRow[]>
  /** `$metadata` (XML). */
  metadata(): Promise<string>
  /**
   * Creates an object (`POST <set>`): the stored object back, with its new `Ref_Key`. Never
   * retried here — 1C has no idempotency, so a caller searches before creating again.
   */
  create(resource: string, body: Record<string, unknown>): Promise<ODataRow>
  /** Calls a method of an object (`POST Document_X(guid'…')/Post`), retried like reads. */
  invoke(resource: string, params?: Record<string, string>): Promise<void>
  readonly timeZone: string
}

// Long on purpose: the client's four verbs share one axios instance, one retry policy and one
// error reading, which this closure holds; each verb itself is a few lines.
// eslint-disable-next-line max-lines-per-function
export function createODataClient(options: ODataClientOptions): ODataClient {
  const base = options.baseUrl.replace(/\/+$/, '')
  const http: AxiosInstance = axios.create({
    timeout: options.timeoutMs ?? 60_000,
    // Basic auth with a UTF-8 user name: 1C users are often Cyrillic.
    headers: { authorization: `Basic ${Buffer.from(`${options.user}:${options.password}`, 'utf8').toString('base64')}`, accept: 'application/json' },
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    maxRedirects: 0,
  })
  const retries = options.retries ?? 4
  const minDelay = options.minRetryDelayMs ?? 1000
  const maxUrl = options.maxUrlLength ?? 1800

  async function request(url: string, expect: 'json' | 'xml' = 'json', write?: { body: string | null; retry: boolean }): Promise<AxiosResponse<string>> {
    const accept = expect === 'json' ? 'application/json' : 'application/xml'
    return pRetry(
      async () => {
        let response: AxiosResponse<string>
        try {
          response = write
            ? write.body === null
              ? // No body: Node sends Content-Length: 0 (IIS answers 411 without it).
                await http.post<string>(url, null, { headers: { accept } })
              : await http.post<string>(url, write.body, { headers: { accept, 'content-type': 'application/json; charset=utf-8' } })
            : await http.get<string>(url, { headers: { accept } })
        } catch (error) {
          const code = (error as { code?: string }).code
          const timeout = code === 'ECONNABORTED' || code === 'ETIMEDOUT'
          throw new ODataError(timeout ? 'timeout' : 'network', `${timeout ? 'timed out' : 'could not reach'} 1C (${(error as Error).message})`, { url })
        }
        const ok = response.status >= 200 && response.status < 300
        // XML ($metadata) and method calls (empty answers) are not OData JSON when they succeed.
        const failure = ok && (expect === 'xml' || (write && write.body === null)) ? null : classify(response, url)
        if (!failure) return response
        ;(failure as ODataError & { retryAfter?: number | null }).retryAfter = retryAfterMs(response)
        // A read may meet a passing 500 (-1 "Недостаточно памяти"); a write refused by 1C's checks is refused again.
        throw failure.retryable && !(write && failure.kind === 'business') ? failure : new AbortError(failure)
      },
      {
        retries: write && !write.retry ? 0 : retries,
        minTimeout: minDelay,
        factor: 2,
        randomize: true,
        onFailedAttempt: async ({ error }) => {
          const wait = (error as { retryAfter?: number | null }).retryAfter
          if (wait) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 120_000)))
        },
      },
    )
  }

  async function get(resource: string, query: ODataQuery = {}): Promise<ODataRow> {
    const url = `${base}/${encodeSegment(resource)}?${buildQuery(query)}`
    const response = await request(url)
    return parseLosslessJson(response.data) as ODataRow
  }

  const rowsOf = (body: ODataRow): ODataRow[] => (Array.isArray(body.value) ? (body.value as ODataRow[]) : [body])

  return {
    timeZone: options.timeZone,
    get,
    async list(resource, query = {}, listOptions = {}) {
      const pageSize = listOptions.pageSize ?? options.pageSize ?? 1000
      const rows: ODataRow[] = []
      for (let skip = 0; ; skip += pageSize) {
        const page = rowsOf(await get(resource, { ...query, top: pageSize, skip }))
        rows.push(...page)
        if (page.length < pageSize) return rows
      }
    },
    async virtualTable(register, fn, vtOptions = {}) {
      const params: Record<string, string> = {}
      if (vtOptions.period !== null) params.Period = datetimeLiteral(toNaive(vtOptions.period ?? new Date(), options.timeZone))
      if (vtOptions.condition) params.Condition = quote(vtOptions.condition)
      return rowsOf(await get(`${register}/${fn}()`, { ...vtOptions.query, params }))
    },
    async listWhereIn(resource, field, values, literal, query = {}) {
      const rows: ODataRow[] = []
      const unique = [...new Set(values)]
      const build = (chunk: string[]) => {
        const anyOf = chunk.map((value) => `${field} eq ${literal(value)}`).join(' or ')
        return query.filter ? `(${query.filter}) and (${anyOf})` : anyOf
      }
      let chunk: string[] = []
      const flush = async () => {
        if (chunk.length === 0) return
        rows.push(...(await this.list(resource, { ...query, filter: build(chunk) })))
        chunk = []
      }
      for (const value of unique) {
        const candidate = [...chunk, value]
        const length = `${base}/${encodeSegment(resource)}?${buildQuery({ ...query, filter: build(candidate), top: 1000, skip: 1000000 })}`.length
        if (length > maxUrl && chunk.length > 0) await flush()
        chunk.push(value)
      }
      await flush()
      return rows
    },
    async metadata() {
      const response = await request(`${base}/$metadata`, 'xml')
      return response.data
    },
    async create(resource, body) {
      const response = await request(`${base}/${encodeSegment(resource)}?${buildQuery({})}`, 'json', { body: JSON.stringify(body), retry: false })
      return parseLosslessJson(response.data) as ODataRow
    },
    async invoke(resource, params = {}) {
      await request(`${base}/${encodeSegment(resource)}?${buildQuery({ params })}`, 'json', { body: null, retry: true })
    },
  }
}
