/**
 * Who is using the console: a session cookie (HttpOnly, SameSite=Strict, path /console) names a
 * signed-in user; every page checks the user's role on the server, and every form that writes
 * carries the session's form token (CSRF). The admin API's bearer token signs in as an admin too,
 * so the first admin needs no CLI.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { secretsEqual } from '../http/auth.ts'
import type { Db } from '../store/index.ts'
import { html } from './html.ts'
import { chooseLang, w, type Lang } from './i18n.ts'
import { checkLogin, closeSession, csrfMatches, csrfTokenOf, findSession, mayAct, openSession, SESSION_HOURS, type Role } from './users.ts'

export const SESSION_COOKIE = 'ob_session'
export const LANG_COOKIE = 'ob_lang'
/** The login that stands for the admin API's token when it signs in to the console. */
export const TOKEN_LOGIN = 'admin-token'

export interface ConsoleUser {
  login: string
  role: Role
  token: string
}

declare module 'fastify' {
  interface FastifyRequest {
    consoleUser?: ConsoleUser | undefined
  }
}

export const langOf = (request: FastifyRequest): Lang => chooseLang(request.cookies[LANG_COOKIE], request.headers['accept-language'])

/** Reads the session cookie into `request.consoleUser` (absent: nobody is signed in). */
export function identify(db: Db) {
  return async (request: FastifyRequest): Promise<void> => {
    const token = request.cookies[SESSION_COOKIE]
    if (!token) return
    const session = await findSession(db, token)
    if (session) request.consoleUser = { ...session, token }
  }
}

/** A page refused: its reason in the reader's language (a real 401/403, not a redirect, for a form). */
export function refusal(request: FastifyRequest, reply: FastifyReply, status: 401 | 403, needed?: Role): FastifyReply {
  const lang = langOf(request)
  const text =
    status === 401
      ? w(lang, 'Нужно войти в консоль.', 'Sign in to the console first.')
      : w(lang, `Недостаточно прав: нужна роль «${needed}» или выше.`, `Not allowed: this needs the ${needed} role or higher.`)
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html>${html`<html lang="${lang}">
        <head>
          <meta charset="utf-8" />
          <title>${status}</title>
        </head>
        <body>
          <main>
            <h1>${status}</h1>
            <p role="alert">${text}</p>
            <p><a href="/console">${w(lang, 'На главную', 'Home')}</a> · <a href="/console/login">${w(lang, 'Войти', 'Sign in')}</a></p>
          </main>
        </body>
      </html>`}`,
    )
}

/**
 * A preHandler: lets a signed-in user with at least `role` through. A page read by someone not
 * signed in goes to the login form and back; a write gets 401. A write also needs the form token.
 */
export function requireRole(role: Role) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const user = request.consoleUser
    const writes = request.method !== 'GET' && request.method !== 'HEAD'
    if (!user) {
      if (writes) return refusal(request, reply, 401)
      return reply.redirect(`/console/login?next=${encodeURIComponent(request.url)}`, 303)
    }
    if (!mayAct(user.role, role)) return refusal(request, reply, 403, role)
    if (writes && !csrfMatches(user.token, (request.body as Record<string, string> | undefined)?._csrf)) {
      return reply
        .status(403)
        .type('text/plain; charset=utf-8')
        .send(
          w(
            langOf(request),
            'Форма устарела или пришла не со страницы консоли (CSRF). Обновите страницу и повторите.',
            'The form is stale or did not come from a console page (CSRF). Reload and try again.',
          ),
        )
    }
    return undefined
  }
}

export const csrfOf = (user: ConsoleUser) => csrfTokenOf(user.token)

/** Where to go after signing in: a console page only (no open redirect). */
export const safeNext = (next: unknown) => (typeof next === 'string' && /^\/console(\/|\?|$)/.test(next) && !next.startsWith('//') ? next : '/console')

/** Signs in with a user's password, or as admin with the admin API's token; sets the cookie. False: refused. */
export async function signIn(db: Db, adminToken: string, request: FastifyRequest, reply: FastifyReply, login: string, password: string): Promise<boolean> {
  const byToken = login === 'admin' && secretsEqual(password, adminToken) ? { login: TOKEN_LOGIN, role: 'admin' as const } : null
  const user = byToken ?? (await checkLogin(db, login, password))
  if (!user) return false
  const token = await openSession(db, user)
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/console',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    maxAge: SESSION_HOURS * 3600,
  })
  return true
}

export async function signOut(db: Db, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const token = request.cookies[SESSION_COOKIE]
  if (token) await closeSession(db, token)
  reply.clearCookie(SESSION_COOKIE, { path: '/console' })
}
