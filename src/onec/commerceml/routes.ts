/**
 * The site side of 1C's «Обмен с сайтом»: `/1c/exchange` (and `/bitrix/admin/1c_exchange.php`,
 * the address many 1C bases are configured with). One URL; `type` and `mode` say what 1C wants.
 *
 * Every answer is `text/plain; charset=utf-8`, no BOM, and its first line is exactly `success`,
 * `progress` or `failure`: UT 11 trims and lower-cases line 1 and treats anything else as an
 * unknown status.
 */
import cookie from '@fastify/cookie'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from '../../store/index.ts'
import {
  createSession,
  expireSessions,
  findSession,
  isOpen,
  presented,
  recordUpload,
  sessidOf,
  setSessionVersion,
  touchSession,
  type ExchangeSession,
  type Presented,
  type SessionLimits,
} from './sessions.ts'
import { sanitizeFileName, UnsafeFileNameError, UploadTooLargeError } from './spool.ts'
import type { UploadStore } from './uploads.ts'
import { explain, said, type Language } from '../texts.ts'
import { createHash, timingSafeEqual } from 'node:crypto'

export const EXCHANGE_COOKIE = 'onec_bridge_exchange'
/** The newest CommerceML version we read; answered to `init&version=`. */
const SUPPORTED_VERSION = '3.1'

export interface ExchangeAnswer {
  status: 'progress' | 'success' | 'failure'
  message: string
}

/** What the routes need from the import side (implemented in catalog/exchange-imports.ts). */
export interface ExchangeImportPort {
  /** A file (or chunk) arrived: import on our own if 1C never asks to. */
  uploaded(session: ExchangeSession): Promise<void>
  poll(session: ExchangeSession, fileName: string): Promise<ExchangeAnswer>
  deactivate(since: Date): Promise<ExchangeAnswer>
  complete(session: ExchangeSession): Promise<ExchangeAnswer>
}

export interface ExchangeRoutesOptions {
  db: Db
  exchange: {
    user: string
    password: string
    zip: boolean
    fileLimit: number
    maxFileBytes: number
    sessionTtlHours: number
    sessionIdleMinutes: number
    /** The language of the answers 1C's operator reads (default Russian). */
    language?: Language
  }
  /** Where uploads wait for their import (DATA_DIR, or the store shared by several instances). */
  uploads: UploadStore
  imports: ExchangeImportPort
  /** The order exchange (type=sale); absent when orders do not go to 1C this way. */
  sale?: SaleExchangePort | undefined
}

/** What the routes need from the order side (implemented in orders/sale-exchange.ts). */
export interface SaleExchangePort {
  contentType: string
  /** `version`: what `init&version=` agreed in this session (the 1C-Bitrix module's 3.1), if anything. */
  query(sessionId: string, version: string | null): Promise<{ body: Buffer; count: number }>
  success(sessionId: string): Promise<number>
}

const digest = (value: string) => createHash('sha256').update(value).digest()
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b))

type Credentials = { user: string; password: string }

/** `Authorization: Basic …` → credentials; null when absent; 'malformed' when unreadable. */
function basicCredentials(header: string | undefined): Credentials | null | 'malformed' {
  if (!header) return null
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header)
  if (!match?.[1]) return 'malformed'
  // 1C sends UTF-8 user names (Cyrillic logins are common).
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return 'malformed'
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

function sendLines(reply: FastifyReply, lines: string[], code = 200): FastifyReply {
  // Line breaks inside a message would become lines of the protocol.
  const body = lines.map((line) => line.replace(/\r?\n/g, ' ')).join('\n')
  return reply.code(code).header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store').send(body)
}

function answer(reply: FastifyReply, status: ExchangeAnswer['status'], lines: string[] = [], code = 200): FastifyReply {
  return sendLines(reply, [status, ...lines], code)
}

/**
 * Sessions this instance has seen, so that `import` polls answer without touching the store:
 * on the embedded store an import holds it in one transaction for as long as the file takes,
 * and 1C must still get its `progress` within a second. Uploads re-read the session from the
 * store (another instance may have taken the previous chunk).
 */
function sessionCache(db: Db, limits: SessionLimits) {
  // By the hash of the secret presented: the map holds no secret either.
  const known = new Map<string, ExchangeSession>()
  const keyOf = (by: Presented) => (by.tokenHash ? `token:${by.tokenHash}` : `sessid:${by.sessidHash}`)
  const remember = (by: Presented, session: ExchangeSession) => {
    known.set(keyOf(by), session)
    if (known.size > 2000) known.delete(known.keys().next().value as string)
    return session
  }
  async function lookup(by: Presented, fresh: boolean): Promise<ExchangeSession | null> {
    if (!by.tokenHash && !by.sessidHash) return null
    const cached = known.get(keyOf(by))
    // Idle in this instance's memory may still be alive in the store (another instance served it): ask the store then.
    if (cached && !fresh && isOpen(cached, limits)) {
      cached.lastSeenAt = new Date()
      touchSession(db, cached.id).catch(() => {})
      return cached
    }
    const found = await findSession(db, by, limits)
    if (!found) known.delete(keyOf(by))
    return found ? remember(by, found) : null
  }
  return { remember, lookup }
}

type Query = Record<string, string | undefined>

function askForCredentials(reply: FastifyReply, message: string): FastifyReply {
  reply.header('www-authenticate', 'Basic realm="onec-bridge exchange", charset="UTF-8"')
  return answer(reply, 'failure', [message], 401)
}

/** The protocol's own words to 1C's operator, both languages. */
const WORDS = {
  saleOff: said('обмен заказами здесь выключен (orders.forward не commerceml)', 'the order exchange is off here (orders.forward is not commerceml)'),
  deactivateIsCatalog: said('mode=deactivate относится к обмену каталогом (type=catalog)', 'mode=deactivate belongs to the catalog exchange (type=catalog)'),
  fileNeedsName: said('для mode=file нужен filename=', 'mode=file needs filename='),
  importNeedsName: said('для mode=import нужен filename=', 'mode=import needs filename='),
  deactivateNeedsTimestamp: said(
    'для mode=deactivate нужен timestamp= (значение, которое checkauth вернул в начале полного обмена)',
    'mode=deactivate needs timestamp= (the value checkauth returned at the start of the full exchange)',
  ),
  unknownMode: said('неизвестный режим (mode)', 'unknown mode'),
  basicRequired: said(
    'нужна HTTP Basic-авторизация (укажите пользователя и пароль в настройках обмена с сайтом в 1С)',
    'HTTP Basic authentication required (set the user and password in 1C exchange settings)',
  ),
  wrongLogin: said(
    'неверный логин или пароль обмена (проверьте пользователя и пароль в настройках обмена с сайтом в 1С)',
    'wrong login or password for the exchange (check the user and password in 1C exchange settings)',
  ),
  noSessionNoAuth: said('нужна авторизация: нет ни верного логина, ни сеанса обмена', 'authentication required: no valid credentials and no exchange session'),
  noSession: said(
    'нет сеанса обмена: 1С должна сначала вызвать mode=checkauth и передавать полученную cookie',
    'no exchange session: 1C must call mode=checkauth first and send its cookie',
  ),
}

/** The order exchange's own modes (type=sale); null for the modes it shares with the catalogue exchange. */
/**
 * A sent reply, as a plain marker: a FastifyReply is thenable, so an async function returning one
 * resolves to undefined once it is awaited — and the caller would answer the request a second time.
 */
const sent = (_reply: FastifyReply): 'sent' => 'sent'

async function saleMode(sale: SaleExchangePort | undefined, session: ExchangeSession, mode: string, reply: FastifyReply, language: Language): Promise<'sent' | null> {
  if (!sale && mode !== 'init') return sent(answer(reply, 'failure', [WORDS.saleOff[language]]))
  if (sale && mode === 'query') {
    // The body must start with `<?xml` (UT 11 checks) and say its charset in the header too.
    const result = await sale.query(session.id, session.version ?? null)
    return sent(reply.code(200).header('content-type', sale.contentType).header('cache-control', 'no-store').send(result.body))
  }
  if (sale && mode === 'success') {
    const confirmed = await sale.success(session.id)
    return sent(answer(reply, 'success', [language === 'ru' ? `подтверждено заказов: ${confirmed}` : `${confirmed} order(s) confirmed`]))
  }
  if (mode === 'deactivate') return sent(answer(reply, 'failure', [WORDS.deactivateIsCatalog[language]]))
  if (mode === 'complete') return sent(answer(reply, 'success'))
  return null
}

async function init(db: Db, exchange: ExchangeRoutesOptions['exchange'], session: ExchangeSession, sessid: string, query: Query, reply: FastifyReply): Promise<FastifyReply> {
  const lines = [`zip=${exchange.zip ? 'yes' : 'no'}`, `file_limit=${exchange.fileLimit}`]
  if (query.version !== undefined) {
    // The newer protocol (1C-Bitrix module) asks with version=; only then do more lines follow.
    const requested = Number.parseFloat(query.version)
    const version = Number.isFinite(requested) && requested <= Number(SUPPORTED_VERSION) ? query.version : SUPPORTED_VERSION
    await setSessionVersion(db, session.id, version)
    session.version = version
    lines.push(`sessid=${sessid}`, `version=${version}`)
  }
  return sendLines(reply, lines)
}

async function upload(options: ExchangeRoutesOptions, session: ExchangeSession, request: FastifyRequest, reply: FastifyReply, fileName: string): Promise<FastifyReply> {
  const name = sanitizeFileName(fileName)
  const previous = session.state.files[name]
  const bytes = await options.uploads.write(session.id, name, request.raw, { append: previous !== undefined, maxBytes: options.exchange.maxFileBytes })
  const zip = previous?.zip ?? (/\.zip$/i.test(name) || (await options.uploads.startsWithZip(session.id, name)))
  const uploaded = { bytes, chunks: (previous?.chunks ?? 0) + 1, zip }
  await recordUpload(options.db, session.id, name, uploaded)
  session.state.files[name] = uploaded
  await options.imports.uploaded(session)
  request.log.info({ session: session.id, file: name, bytes, chunk: uploaded.chunks }, 'exchange file received')
  return answer(reply, 'success')
}

/** The modes of a session (all but checkauth). */
async function sessionMode(options: ExchangeRoutesOptions, session: ExchangeSession, mode: string, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const query = request.query as Query
  const language = options.exchange.language ?? 'ru'
  switch (mode) {
    case 'init': {
      const token = request.cookies[EXCHANGE_COOKIE]
      return init(options.db, options.exchange, session, token ? sessidOf(token) : (query.sessid ?? ''), query, reply)
    }
    case 'file':
      return query.filename ? upload(options, session, request, reply, query.filename) : answer(reply, 'failure', [WORDS.fileNeedsName[language]])
    case 'import': {
      if (!query.filename) return answer(reply, 'failure', [WORDS.importNeedsName[language]])
      const result = await options.imports.poll(session, query.filename)
      return answer(reply, result.status, [result.message])
    }
    case 'deactivate': {
      const timestamp = Number(query.timestamp)
      if (!query.timestamp || !Number.isInteger(timestamp) || timestamp <= 0) {
        return answer(reply, 'failure', [WORDS.deactivateNeedsTimestamp[language]])
      }
      const result = await options.imports.deactivate(new Date(timestamp * 1000))
      return answer(reply, result.status, [result.message])
    }
    case 'complete': {
      const result = await options.imports.complete(session)
      return answer(reply, result.status, [result.message])
    }
    default:
      return answer(reply, 'failure', [WORDS.unknownMode[language]])
  }
}

export const exchangeRoutes: FastifyPluginAsync<ExchangeRoutesOptions> = async (app, options) => {
  const { db, exchange } = options
  const language = exchange.language ?? 'ru'
  await app.register(cookie)
  // 1C posts files as raw bodies with whatever content type; the handler streams them itself.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', (_request, _payload, done) => done(null))
  const credentialsValid = (credentials: Credentials) => same(credentials.user, exchange.user) && same(credentials.password, exchange.password)
  const sessions = sessionCache(db, { idleMinutes: exchange.sessionIdleMinutes, ttlHours: exchange.sessionTtlHours })

  async function checkauth(type: string, credentials: Credentials | null, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    if (!credentials) return askForCredentials(reply, WORDS.basicRequired[language])
    const sweep = async () => options.uploads.sweep(await expireSessions(db, exchange.sessionTtlHours))
    await sweep().catch((error: unknown) => request.log.warn({ err: error }, 'could not clean old exchange sessions'))
    const { session, secrets } = await createSession(db, type, credentials.user)
    sessions.remember(presented(secrets.token, undefined), session)
    reply.setCookie(EXCHANGE_COOKIE, secrets.token, { path: '/', httpOnly: true, sameSite: 'lax' })
    request.log.info({ session: session.id, type }, 'exchange session started')
    return answer(reply, 'success', [EXCHANGE_COOKIE, secrets.token, `sessid=${secrets.sessid}`, `timestamp=${Math.floor(session.createdAt.getTime() / 1000)}`])
  }

  async function handle(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const query = request.query as Query
    const type = (query.type ?? '').toLowerCase()
    const mode = (query.mode ?? '').toLowerCase()
    const credentials = basicCredentials(request.headers.authorization)
    if (credentials === 'malformed' || (credentials && !credentialsValid(credentials))) {
      return askForCredentials(reply, WORDS.wrongLogin[language])
    }
    if (type !== 'catalog' && type !== 'sale')
      return answer(reply, 'failure', [language === 'ru' ? `неизвестный тип обмена «${query.type ?? ''}»` : `unknown type ${JSON.stringify(query.type ?? '')}`])
    if (mode === 'checkauth') return checkauth(type, credentials, request, reply)
    // A proxy in front may strip Authorization (PHP-CGI setups do): a valid session cookie suffices then.
    const session = await sessions.lookup(presented(request.cookies[EXCHANGE_COOKIE], query.sessid), mode === 'file')
    if (!session) {
      if (!credentials) return askForCredentials(reply, WORDS.noSessionNoAuth[language])
      return answer(reply, 'failure', [WORDS.noSession[language]])
    }
    if (type === 'sale' && (await saleMode(options.sale, session, mode, reply, language)) === 'sent') return reply
    return sessionMode(options, session, mode, request, reply)
  }

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      return await handle(request, reply)
    } catch (error) {
      if (error instanceof UnsafeFileNameError || error instanceof UploadTooLargeError) return answer(reply, 'failure', [explain(error, language)])
      request.log.error({ err: error }, 'exchange request failed')
      return answer(reply, 'failure', [language === 'ru' ? `внутренняя ошибка сервиса: ${(error as Error).message}` : `internal error: ${(error as Error).message}`], 500)
    }
  }
  for (const url of ['/1c/exchange', '/bitrix/admin/1c_exchange.php']) {
    app.route({ method: ['GET', 'POST'], url, handler, schema: { hide: true } })
  }
}
