/** «Обмен с сайтом» sessions, kept in the store so a restart between two requests loses nothing. */
import { randomBytes } from 'node:crypto'
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
  id: string
  sessid: string
  type: string
  login: string
  version: string | null
  createdAt: Date
  lastSeenAt: Date
  state: SessionState
}

interface SessionRow extends Record<string, unknown> {
  id: string
  sessid: string
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
    sessid: row.sessid,
    type: row.type,
    login: row.login,
    version: row.version,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    state: { files: row.state.files ?? {}, unpacked: row.state.unpacked ?? [] },
  }
}

export async function createSession(db: Queryable, type: string, login: string): Promise<ExchangeSession> {
  const [row] = await db.query<SessionRow>(`insert into exchange_sessions (id, sessid, type, login) values ($1, $2, $3, $4) returning *`, [
    randomBytes(18).toString('base64url'),
    randomBytes(16).toString('hex'),
    type,
    login,
  ])
  if (!row) throw new Error('insert into exchange_sessions returned no row')
  return toSession(row)
}

export async function findSession(db: Queryable, by: { id?: string | undefined; sessid?: string | undefined }): Promise<ExchangeSession | null> {
  if (!by.id && !by.sessid) return null
  const [row] = await db.query<SessionRow>(
    `update exchange_sessions set last_seen_at = now()
      where ($1::text is not null and id = $1) or ($1::text is null and sessid = $2)
      returning *`,
    [by.id ?? null, by.sessid ?? null],
  )
  return row ? toSession(row) : null
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
