/**
 * Console users and their sessions. Passwords are kept as scrypt hashes (node:crypto), session
 * cookies and form (CSRF) tokens as SHA-256 hashes: nothing in the store lets anyone in.
 *
 * Roles, each including the one before it:
 *   viewer   reads everything but secrets (support staff)
 *   operator + resend, recover, pull now, retry an order
 *   admin    + storefront settings, keys, users
 */
import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { hashApiKey } from '../http/auth.ts'
import type { Queryable } from '../store/index.ts'

export const ROLES = ['viewer', 'operator', 'admin'] as const
export type Role = (typeof ROLES)[number]

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value)

/** Whether `role` may do what `needed` may. */
export const mayAct = (role: Role, needed: Role) => ROLES.indexOf(role) >= ROLES.indexOf(needed)

/** Who made a request: a console user, or the admin API's bearer token. */
export interface Actor {
  login: string
  role: Role
  via: 'console' | 'api' | 'cli'
}

// N = 2^15 costs ~60 ms and 32 MB here: slow enough against guessing, fast enough for a login form.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } satisfies ScryptOptions
const KEY_LENGTH = 32

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCallback(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))))
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url: the parameters travel with the hash. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scrypt(password, salt, SCRYPT)
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem })
  return key.length === expected.length && timingSafeEqual(key, expected)
}

export const MIN_PASSWORD_LENGTH = 10
const LOGIN = /^[\p{L}\p{N}._@-]{2,64}$/u

export class UserError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UserError'
  }
}

/** Creates a user, or changes an existing one's password and role (`replace`). */
export async function saveUser(db: Queryable, input: { login: string; password: string; role: Role; by: string; replace?: boolean }): Promise<'created' | 'updated'> {
  if (!LOGIN.test(input.login)) throw new UserError(`login ${JSON.stringify(input.login)}: 2–64 letters, digits, . _ @ -`)
  if (input.password.length < MIN_PASSWORD_LENGTH) throw new UserError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`)
  const hash = await hashPassword(input.password)
  const rows = await db.query<{ created: boolean }>(
    `insert into console_users (login, password_hash, role, created_by) values ($1, $2, $3, $4)
     on conflict (login) do update set password_hash = excluded.password_hash, role = excluded.role, disabled = false
       where $5::boolean
     returning (xmax = 0) as created`,
    [input.login, hash, input.role, input.by, input.replace ?? false],
  )
  const [row] = rows
  if (!row) throw new UserError(`user ${JSON.stringify(input.login)} exists`)
  // A changed password or role ends the user's sessions.
  if (!row.created) await db.query('delete from console_sessions where login = $1', [input.login])
  return row.created ? 'created' : 'updated'
}

export async function listUsers(db: Queryable) {
  return db.query<{ login: string; role: Role; disabled: boolean; createdAt: Date; createdBy: string }>(
    'select login, role, disabled, created_at as "createdAt", created_by as "createdBy" from console_users order by login',
  )
}

export async function disableUser(db: Queryable, login: string): Promise<boolean> {
  const rows = await db.query('update console_users set disabled = true where login = $1 returning login', [login])
  await db.query('delete from console_sessions where login = $1', [login])
  return rows.length > 0
}

export async function countUsers(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number }>('select count(*)::int as n from console_users where not disabled')
  return row?.n ?? 0
}

/** The user whose password this is; null for a wrong login or password (the same answer for both). */
export async function checkLogin(db: Queryable, login: string, password: string): Promise<{ login: string; role: Role } | null> {
  const [row] = await db.query<{ login: string; role: Role; password_hash: string }>('select login, role, password_hash from console_users where login = $1 and not disabled', [
    login,
  ])
  // A wrong login costs as long as a wrong password.
  const ok = await verifyPassword(password, row?.password_hash ?? `scrypt$${SCRYPT.N}$8$1$AAAAAAAAAAAAAAAAAAAAAA$${'A'.repeat(43)}`)
  return row && ok ? { login: row.login, role: row.role } : null
}

export const SESSION_HOURS = 12

export interface Session {
  login: string
  role: Role
}

/** A new session; its token (the cookie) is returned once. */
export async function openSession(db: Queryable, user: { login: string; role: Role }): Promise<string> {
  const token = randomBytes(32).toString('base64url')
  await db.query(`delete from console_sessions where expires_at < now()`)
  await db.query(`insert into console_sessions (token_hash, login, role, expires_at) values ($1, $2, $3, now() + make_interval(hours => $4))`, [
    hashApiKey(token),
    user.login,
    user.role,
    SESSION_HOURS,
  ])
  return token
}

export async function findSession(db: Queryable, token: string): Promise<Session | null> {
  const [row] = await db.query<Session & Record<string, unknown>>(
    `select s.login, s.role from console_sessions s
      where s.token_hash = $1 and s.expires_at > now()
        and (s.login = 'admin-token' or exists (select 1 from console_users u where u.login = s.login and not u.disabled))`,
    [hashApiKey(token)],
  )
  return row ?? null
}

export async function closeSession(db: Queryable, token: string): Promise<void> {
  await db.query('delete from console_sessions where token_hash = $1', [hashApiKey(token)])
}

/**
 * The form token of a session (synchronizer token): derived from the session's cookie, which
 * scripts cannot read (HttpOnly) and other sites cannot send (SameSite=Strict), so a page of
 * ours can carry it and a forged form cannot.
 */
export const csrfTokenOf = (sessionToken: string) => createHash('sha256').update(`csrf\0${sessionToken}`).digest('base64url')

export function csrfMatches(sessionToken: string, given: string | undefined): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(csrfTokenOf(sessionToken))
  return a.length === b.length && timingSafeEqual(a, b)
}
