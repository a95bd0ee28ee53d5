/**
 * «Обмен с сайтом» sessions, kept in the store so a restart between two requests loses nothing.
 *
 * A session has a public id (in logs, runs, its upload folder, its jobs) and two secrets 1C is
 * given at checkauth: the cookie value and `sessid` (1C-Bitrix-style clients send it in the query).
 * The store keeps only their hashes; `sessid` is derived from the cookie, so `init` can answer it
 * again. A session lets 1C in until it has been idle for `idleMinutes` or is `ttlHours` old.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Queryable } from '../../store/index.ts'

export interface UploadedFile {
  bytes: number
  chunks: number
  zip: boolean
}

export interface SessionState {
  files: Record<string, UploadedFile>
  /** Zips already unpacked into the session directory. */
  unpacked: string[]
}

export interface ExchangeSession {
  /** Public: names the session in logs and runs, lets no one in. */
  id: string
  type: string
  login: string
  version: string | null
  createdAt: Date
  lastSeenAt: Date
  state: SessionState
}

interface SessionRow extends Record<string, unknown> {
  id: string
  type: string
  login: string
  version: string | null
  created_at: Date
  last_seen_at: Date
  state: Partial<SessionState>
}

function toSession(row: SessionRow): ExchangeSession {
  return {
    id: row.id,
    type: row.type,
    login: row.login,
    version: row.version,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    state: { files: row.state.files ?? {}, unpacked: row.state.unpacked ?? [] },
  }
}

/** The secrets of a session, as 1C is given them; never logged, stored only as hashes. */
export interface SessionSecrets {
  /** The cookie value. */
  token: string
  sessid: string
}

export interface SessionLimits {
  idleMinutes: number
  ttlHours: number
}

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex')
/** `sessid` from the cookie: init answers it again without the store keeping it. */
export const sessidOf = (token: string) => createHash('sha256').update(`sessid:${token}`).digest('hex').slice(0, 32)

export async function createSession(db: Queryable, type: string, login: string): Promise<{ session: ExchangeSession; secrets: SessionSecrets }> {
  const token = randomBytes(24).toString('base64url')
  const sessid = sessidOf(token)
  const [row] = await db.query<SessionRow>(`insert into exchange_sessions (id, token_hash, sessid_hash, type, login) values ($1, $2, $3, $4, $5) returning *`, [
    `x${randomBytes(9).toString('base64url')}`,
    hashOf(token),
    hashOf(sessid),
    type,
    login,
  ])
  if (!row) throw new Error('insert into exchange_sessions returned no row')
  return { session: toSession(row), secrets: { token, sessid } }
}

/** What a request presented: the cookie, else `sessid=`; hashed at once. */
export interface Presented {
  tokenHash: string | null
  sessidHash: string | null
}

export function presented(token: string | undefined, sessid: string | undefined): Presented {
  return { tokenHash: token ? hashOf(token) : null, sessidHash: !token && sessid ? hashOf(sessid) : null }
}

/** The session the presented secret opens, if it is neither idle too long nor too old; marks it seen. */
export async function findSession(db: Queryable, by: Presented, limits: SessionLimits): Promise<ExchangeSession | null> {
  if (!by.tokenHash && !by.sessidHash) return null
  const [row] = await db.query<SessionRow>(
    `update exchange_sessions set last_seen_at = now()
      where (($1::text is not null and token_hash = $1) or ($1::text is null and sessid_hash = $2))
        and last_seen_at > now() - make_interval(mins => $3) and created_at > now() - make_interval(hours => $4)
      returning *`,
    [by.tokenHash, by.sessidHash, limits.idleMinutes, limits.ttlHours],
  )
  return row ? toSession(row) : null
}

/** Whether a session known in memory still lets 1C in at `now`. */
export function isOpen(session: ExchangeSession, limits: SessionLimits, now = Date.now()): boolean {
  return now - session.lastSeenAt.getTime() < limits.idleMinutes * 60_000 && now - session.createdAt.getTime() < limits.ttlHours * 3_600_000
}

export async function touchSession(db: Queryable, id: string): Promise<void> {
  await db.query('update exchange_sessions set last_seen_at = now() where id = $1', [id])
}

export async function getSession(db: Queryable, id: string): Promise<ExchangeSession | null> {
  const [row] = await db.query<SessionRow>('select * from exchange_sessions where id = $1', [id])
  return row ? toSession(row) : null
}

export async function setSessionVersion(db: Queryable, id: string, version: string): Promise<void> {
  await db.query('update exchange_sessions set version = $2 where id = $1', [id, version])
}

/** Records the size of `name` after an uploaded chunk. */
export async function recordUpload(db: Queryable, id: string, name: string, file: UploadedFile): Promise<void> {
  await db.query(
    `update exchange_sessions
        set state = jsonb_set(state, '{files}', coalesce(state->'files', '{}'::jsonb) || jsonb_build_object($2::text, $3::jsonb), true)
      where id = $1`,
    [id, name, JSON.stringify(file)],
  )
}

export async function markUnpacked(db: Queryable, id: string, zip: string): Promise<void> {
  await db.query(`update exchange_sessions set state = jsonb_set(state, '{unpacked}', coalesce(state->'unpacked', '[]'::jsonb) || to_jsonb($2::text), true) where id = $1`, [
    id,
    zip,
  ])
}

/** Deletes sessions older than the TTL; returns the ids that remain. */
export async function expireSessions(db: Queryable, ttlHours: number): Promise<Set<string>> {
  await db.query(`delete from exchange_sessions where last_seen_at < now() - make_interval(hours => $1)`, [ttlHours])
  const rows = await db.query<{ id: string }>('select id from exchange_sessions')
  return new Set(rows.map((row) => row.id))
}
