/**
 * Speaks «Обмен с сайтом» the way UT 11's ОбменССайтом module does: Basic auth on every
 * request, the cookie from checkauth, files cut at file_limit and posted raw under the same
 * name, and `import` repeated while the answer is `progress`.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { Queryable } from '../../src/store/index.ts'
import { EXCHANGE_PASSWORD, EXCHANGE_USER } from './app.ts'

export interface ImportOutcome {
  status: string
  message: string
  polls: number
  /** The slowest single `import` answer, ms. */
  slowestMs: number
}

export class ExchangeClient {
  cookie = ''
  sessid = ''
  timestamp = 0
  fileLimit = 0
  zip = false
  readonly app: FastifyInstance
  readonly base: string
  readonly type: string
  readonly auth: string

  constructor(app: FastifyInstance, options: { base?: string; type?: string; user?: string; password?: string } = {}) {
    this.app = app
    this.base = options.base ?? '/1c/exchange'
    this.type = options.type ?? 'catalog'
    this.auth = `Basic ${Buffer.from(`${options.user ?? EXCHANGE_USER}:${options.password ?? EXCHANGE_PASSWORD}`).toString('base64')}`
  }

  /** The app the next request goes to (one instance; a subclass may spread them over several). */
  protected target(): FastifyInstance {
    return this.app
  }

  async request(query: string, options: { method?: 'GET' | 'POST'; body?: Buffer; auth?: boolean } = {}): Promise<LightMyRequestResponse> {
    return this.target().inject({
      method: options.method ?? 'GET',
      url: `${this.base}?type=${this.type}&${query}`,
      headers: {
        ...(options.auth === false ? {} : { authorization: this.auth }),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        'user-agent': '1C+Enterprise/8.3',
      },
      ...(options.body ? { payload: options.body } : {}),
    })
  }

  async checkauth(): Promise<string[]> {
    const response = await this.request('mode=checkauth')
    const lines = response.body.split('\n')
    if (lines[0] !== 'success') throw new Error(`checkauth failed: ${response.statusCode} ${response.body}`)
    this.cookie = `${lines[1]}=${lines[2]}`
    this.sessid = (lines[3] ?? '').replace(/^sessid=/, '')
    this.timestamp = Number((lines[4] ?? '').replace(/^timestamp=/, ''))
    return lines
  }

  async init(): Promise<string[]> {
    const response = await this.request('mode=init')
    const lines = response.body.split('\n')
    this.zip = lines[0] === 'zip=yes'
    this.fileLimit = Number((lines[1] ?? '').replace('file_limit=', ''))
    return lines
  }

  /** Posts `body` cut at file_limit, every chunk under the same name, as UT 11 does. */
  async upload(name: string, body: Buffer): Promise<number> {
    const limit = this.fileLimit > 0 ? this.fileLimit : body.length
    let chunks = 0
    for (let offset = 0; offset < body.length || chunks === 0; offset += limit) {
      const response = await this.request(`mode=file&filename=${encodeURIComponent(name)}`, { method: 'POST', body: body.subarray(offset, offset + limit) })
      if (response.body.split('\n')[0] !== 'success') throw new Error(`file ${name} failed: ${response.body}`)
      chunks += 1
    }
    return chunks
  }

  async import(name: string, timeoutMs = 60_000): Promise<ImportOutcome> {
    const until = Date.now() + timeoutMs
    let polls = 0
    let slowestMs = 0
    for (;;) {
      const started = performance.now()
      const response = await this.request(`mode=import&filename=${encodeURIComponent(name)}`)
      slowestMs = Math.max(slowestMs, performance.now() - started)
      polls += 1
      const [status = '', ...rest] = response.body.split('\n')
      if (status !== 'progress') return { status, message: rest.join('\n'), polls, slowestMs }
      if (Date.now() > until) throw new Error(`import of ${name} still in progress after ${timeoutMs} ms: ${rest.join(' ')}`)
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }

  /** One UT 11 portion: a new session, init, the file, the import loop (of `importName`: a file inside an uploaded zip). */
  async portion(name: string, body: Buffer, importName = name): Promise<ImportOutcome> {
    await this.checkauth()
    await this.init()
    await this.upload(name, body)
    return this.import(importName)
  }
}

/** The public id of the session a checkauth cookie (`name=token`) opens: the store keeps only the token's hash. */
export async function sessionIdOf(db: Queryable, cookie: string): Promise<string> {
  const token = cookie.slice(cookie.indexOf('=') + 1)
  const [row] = await db.query<{ id: string }>(`select id from exchange_sessions where token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`, [token])
  if (!row) throw new Error('no exchange session for this cookie')
  return row.id
}
