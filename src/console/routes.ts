/**
 * /console: the support console, server-rendered (no front-end build), Russian first. Every view is
 * a real link with its filters in the URL; every role is checked here on the server; every write
 * carries the session's form token and is recorded in the audit log.
 */
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Owners } from '../domain/index.ts'
import { quoteCart, QuoteCache, type QuoteRules, type RetryOutcome } from '../orders/index.ts'
import type { Db } from '../store/index.ts'
import type { Webhooks } from '../storefront/webhooks/index.ts'
import { listAudit, recordAudit } from './audit.ts'
import { readHealth, type SourceSpec } from './health.ts'
import { checkedZone, w, zonedInstant } from './i18n.ts'
import type { PageContext } from './layout.ts'
import { DELIVERIES, deliveriesPage, deliveryPage, recoverPage } from './pages/deliveries.ts'
import { entityPage } from './pages/entity.ts'
import { healthPage } from './pages/health.ts'
import { auditPage, hitHref, loginPage, searchPage, usersPage } from './pages/misc.ts'
import { churnPage } from './pages/churn.ts'
import { customersAtRisk } from '../loyalty/index.ts'
import { orderPage, ordersPage } from './pages/orders.ts'
import { runPage, runsPage, type RunsQuery } from './pages/runs.ts'
import { plural } from './i18n.ts'
import { deliveryExists, search, storefrontIds } from './read.ts'
import { csrfOf, identify, langOf, LANG_COOKIE, refusal, requireRole, safeNext, signIn, signOut } from './session.ts'
import { disableUser, isRole, listUsers, saveUser, UserError, type Actor } from './users.ts'

export interface ConsoleOptions {
  db: Db
  adminToken: string
  /** 1C's time zone (its dates carry none). */
  oneCZone: string
  healthSources: SourceSpec[]
  holdTtlHours: number
  shareBonusAtHead: boolean
  owners: Owners
  quoteRules: QuoteRules
  webhooks: Webhooks
  pull?: ((name: string) => Promise<string | null>) | undefined
  retryOrder: (orderId: string) => Promise<RetryOutcome | null>
  /** The profile's silent-churn rule (its zones' percentages), for the churn page's words. */
  churnRule: { minPurchases: number; warningPercent: number; redPercent: number }
}

type Query = Record<string, string | undefined>
type Body = Record<string, string | undefined>

function contextOf(request: FastifyRequest, oneCZone: string): PageContext {
  const user = request.consoleUser
  if (!user) throw new Error('a console page rendered without a signed-in user')
  return {
    lang: langOf(request),
    zone: checkedZone(request.cookies.ob_tz, oneCZone),
    oneCZone,
    user: { login: user.login, role: user.role },
    csrf: csrfOf(user),
    url: request.url,
    now: new Date(),
  }
}

const actorOf = (request: FastifyRequest): Actor => ({ login: request.consoleUser?.login ?? 'unknown', role: request.consoleUser?.role ?? 'viewer', via: 'console' })

const send = (reply: FastifyReply, text: string | null, request: FastifyRequest) => {
  if (text === null)
    return reply
      .status(404)
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="${langOf(request)}"><title>404</title><h1>404</h1><p>${w(langOf(request), 'Не найдено.', 'Not found.')}</p><a href="/console">/console</a></html>`,
      )
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(text)
}

const entryRoutes: FastifyPluginAsync<ConsoleOptions> = async (app, { db, adminToken }) => {
  app.get('/login', async (request, reply) => reply.type('text/html; charset=utf-8').send(loginPage(langOf(request), safeNext((request.query as Query).next), false)))
  app.post('/login', async (request, reply) => {
    const body = (request.body ?? {}) as Body
    const next = safeNext(body.next)
    if (await signIn(db, adminToken, request, reply, body.login ?? '', body.password ?? '')) return reply.redirect(next, 303)
    return reply
      .status(401)
      .type('text/html; charset=utf-8')
      .send(loginPage(langOf(request), next, true))
  })
  app.post('/logout', { preHandler: requireRole('viewer') }, async (request, reply) => {
    await signOut(db, request, reply)
    return reply.redirect('/console/login', 303)
  })
  app.get('/lang', async (request, reply) => {
    const { to, back } = request.query as Query
    if (to === 'ru' || to === 'en') reply.setCookie(LANG_COOKIE, to, { path: '/console', sameSite: 'strict', maxAge: 365 * 86_400 })
    return reply.redirect(safeNext(back), 303)
  })
}

const readRoutes: FastifyPluginAsync<ConsoleOptions> = async (app, options) => {
  const { db, oneCZone } = options
  const viewer = { preHandler: requireRole('viewer') }
  const ctx = (request: FastifyRequest) => contextOf(request, oneCZone)
  app.get('/', viewer, async (request, reply) =>
    send(reply, await healthPage(db, ctx(request), await readHealth(db, options.healthSources, options.holdTtlHours), options.pull !== undefined, options.holdTtlHours), request),
  )
  app.get('/runs', viewer, async (request, reply) => {
    const q = request.query as Query
    const query: RunsQuery = {
      ...q,
      status: q.status === 'succeeded' || q.status === 'failed' || q.status === 'running' ? q.status : undefined,
      before: Number(q.before) || undefined,
    }
    return send(reply, await runsPage(db, ctx(request), query), request)
  })
  app.get('/runs/:id', viewer, async (request, reply) => {
    const id = Number((request.params as { id: string }).id)
    return send(reply, Number.isSafeInteger(id) && id > 0 ? await runPage(db, ctx(request), id, Number((request.query as Query).after) || 0) : null, request)
  })
  const quote = (customerId: string, lines: Array<{ offerId: string; quantity: number }>) => quoteCart(db, { customerId, lines }, options.quoteRules, new QuoteCache(1000))
  app.get('/entities/:kind/:key', viewer, async (request, reply) => {
    const { kind, key } = request.params as { kind: string; key: string }
    return send(
      reply,
      await entityPage({ db, shareBonusAtHead: options.shareBonusAtHead, owners: options.owners, quote }, ctx(request), kind, key, (request.query as Query).cart),
      request,
    )
  })
  app.get('/orders', viewer, async (request, reply) => {
    const q = request.query as Query
    return send(reply, await ordersPage(db, ctx(request), { ...q, notInOneCMinutes: Number(q.notInOneCMinutes) || undefined }), request)
  })
  app.get('/churn', viewer, async (request, reply) => send(reply, churnPage(ctx(request), await customersAtRisk(db), options.churnRule), request))
  app.get('/orders/:id', viewer, async (request, reply) => send(reply, await orderPage(db, ctx(request), (request.params as { id: string }).id), request))
  app.get('/search', viewer, async (request, reply) => {
    const q = ((request.query as Query).q ?? '').slice(0, 200)
    const hits = await search(db, q)
    const [only] = hits
    if (hits.length === 1 && only) return reply.redirect(hitHref(only), 303)
    return send(reply, searchPage(ctx(request), q, hits), request)
  })
}

const deliveryRoutes: FastifyPluginAsync<ConsoleOptions> = async (app, { db, oneCZone, webhooks }) => {
  const ctx = (request: FastifyRequest) => contextOf(request, oneCZone)
  const storefronts = () => storefrontIds(db)
  app.get('/deliveries', { preHandler: requireRole('viewer') }, async (request, reply) => {
    const q = request.query as Query
    return send(reply, await deliveriesPage(db, ctx(request), { ...q, before: Number(q.before) || undefined }, await storefronts()), request)
  })
  app.get('/deliveries/:id', { preHandler: requireRole('viewer') }, async (request, reply) =>
    send(reply, await deliveryPage(db, ctx(request), Number((request.params as { id: string }).id) || 0), request),
  )
  app.post('/deliveries/:id/resend', { preHandler: requireRole('operator') }, async (request, reply) => {
    const id = Number((request.params as { id: string }).id) || 0
    if (!(await deliveryExists(db, id))) return send(reply, null, request)
    await webhooks.replay(id)
    await recordAudit(db, actorOf(request), { action: 'replayDelivery', target: { kind: 'delivery', key: String(id) }, count: 1 })
    return reply.redirect(`/console/deliveries/${id}`, 303)
  })
  app.get('/deliveries/recover', { preHandler: requireRole('operator') }, async (request, reply) => {
    const q = request.query as Query
    const context = ctx(request)
    const since = q.since ? zonedInstant(q.since, context.zone) : null
    const count = q.storefront && since ? await webhooks.recover(q.storefront, since, true) : null
    return send(reply, recoverPage(context, q, await storefronts(), count), request)
  })
  app.post('/deliveries/recover', { preHandler: requireRole('operator') }, async (request, reply) => {
    const body = request.body as Body
    const context = ctx(request)
    const since = body.since ? zonedInstant(body.since, context.zone) : null
    if (!body.storefront || !since)
      return reply
        .status(400)
        .type('text/plain; charset=utf-8')
        .send(w(context.lang, 'Нужны витрина и время.', 'A storefront and a time are needed.'))
    const count = await webhooks.recover(body.storefront, since, false)
    await recordAudit(db, actorOf(request), {
      action: 'recoverDeliveries',
      target: { kind: 'storefront', key: body.storefront },
      count,
      details: { since: since.toISOString(), shownCount: Number(body.expected) },
    })
    request.log.info({ storefront: body.storefront, count }, `console: ${plural('en', count, DELIVERIES)} recovered by ${context.user.login}`)
    return reply.redirect(`/console/deliveries?storefront=${encodeURIComponent(body.storefront)}&status=pending`, 303)
  })
}

const actionRoutes: FastifyPluginAsync<ConsoleOptions> = async (app, { db, oneCZone, pull, retryOrder }) => {
  app.post('/sources/:name/pull', { preHandler: requireRole('operator') }, async (request, reply) => {
    const { name } = request.params as { name: string }
    if (!pull) return refusal(request, reply, 403)
    const jobId = await pull(name).catch(() => null)
    await recordAudit(db, actorOf(request), { action: 'pullSource', target: { kind: 'source', key: `odata:${name}` }, count: jobId ? 1 : 0 })
    return reply.redirect('/console', 303)
  })
  app.post('/orders/:id/retry', { preHandler: requireRole('operator') }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const outcome = await retryOrder(id)
    if (!outcome) return send(reply, null, request)
    await recordAudit(db, actorOf(request), { action: 'retryOrder', target: { kind: 'order', key: id }, count: outcome.retried ? 1 : 0, details: outcome })
    if (!outcome.retried) return reply.status(409).type('text/plain; charset=utf-8').send(outcome.reason[contextOf(request, oneCZone).lang])
    return reply.redirect(`/console/orders/${encodeURIComponent(id)}`, 303)
  })
}

const adminRoutes: FastifyPluginAsync<ConsoleOptions> = async (app, { db, oneCZone }) => {
  const admin = { preHandler: requireRole('admin') }
  app.get('/users', admin, async (request, reply) => send(reply, usersPage(contextOf(request, oneCZone), await listUsers(db), null), request))
  app.post('/users', admin, async (request, reply) => {
    const body = request.body as Body
    const ctx = contextOf(request, oneCZone)
    const role = body.role ?? ''
    try {
      if (!isRole(role)) throw new UserError(`role: viewer, operator or admin`)
      const done = await saveUser(db, { login: body.login ?? '', password: body.password ?? '', role, by: ctx.user.login, replace: true })
      await recordAudit(db, actorOf(request), { action: 'saveUser', target: { kind: 'user', key: body.login ?? '' }, count: 1, details: { role, done } })
      return send(
        reply,
        usersPage(
          ctx,
          await listUsers(db),
          `${body.login}: ${done === 'created' ? w(ctx.lang, 'создан', 'created') : w(ctx.lang, 'пароль и роль изменены', 'password and role changed')}`,
        ),
        request,
      )
    } catch (error) {
      if (!(error instanceof UserError)) throw error
      return send(reply.status(400), usersPage(ctx, await listUsers(db), error.message), request)
    }
  })
  app.post('/users/:login/disable', admin, async (request, reply) => {
    const { login } = request.params as { login: string }
    const done = await disableUser(db, login)
    await recordAudit(db, actorOf(request), { action: 'disableUser', target: { kind: 'user', key: login }, count: done ? 1 : 0 })
    return reply.redirect('/console/users', 303)
  })
  app.get('/audit', admin, async (request, reply) => {
    const before = Number((request.query as Query).before) || undefined
    return send(reply, auditPage(contextOf(request, oneCZone), await listAudit(db, { before, limit: 100 })), request)
  })
}

export const consoleRoutes: FastifyPluginAsync<ConsoleOptions> = async (app, options) => {
  // Pages for people, not operations for programs: kept out of the OpenAPI document.
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, hide: true }
  })
  await app.register(cookie)
  await app.register(formbody)
  app.addHook('onRequest', identify(options.db))
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-frame-options', 'DENY')
    reply.header('referrer-policy', 'same-origin')
  })
  // The groups get the options without the prefix, which would be applied twice.
  const { prefix: _prefix, ...shared } = options as ConsoleOptions & { prefix?: string }
  for (const routes of [entryRoutes, readRoutes, deliveryRoutes, actionRoutes, adminRoutes]) await app.register(routes, shared)
}
