/**
 * Where the files of an exchange session wait for their import.
 *
 * - `disk`: the session's folder under DATA_DIR (the embedded store, one service).
 * - `store`: PostgreSQL, as pieces of at most PIECE_BYTES in `exchange_upload_pieces`, so any
 *   instance behind a load balancer can take any call of a session: `file` chunks on one,
 *   `import` on another. 1C builds its `Cookie` header itself from checkauth's answer, so a
 *   balancer's affinity cookie never comes back (research/scale-out.md §2). A request's body goes
 *   in one transaction (a cut-off upload adds nothing) and is never held whole in memory; the
 *   pieces go with their session when it expires (on delete cascade).
 *
 * An import reads the files from a local folder either way (`prepare`): on `store`, the instance
 * running it copies the session's files from the store into DATA_DIR/exchange-cache/<session>,
 * piece by piece, and unpacks its zips there; a later import of the same session on the same
 * instance reuses that copy while the uploads are unchanged.
 */
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import type { Db } from '../../store/index.ts'
import type { ExchangeSession, UploadedFile } from './sessions.ts'
import { markUnpacked } from './sessions.ts'
import { removeSessionDirs, sessionDir, startsWithZipSignature, UploadTooLargeError, writeUpload, type ZipLimits } from './spool.ts'

/** Unpacks one zip of a session into a folder (on a thread of its own in the service). */
export type Unpack = (zipPath: string, dir: string, name: string, limits: ZipLimits) => Promise<string[]>

export interface UploadStore {
  readonly kind: 'disk' | 'store'
  /** Streams a request body into `name`: appended to what the session has of it when `append`. Returns the file's size after. */
  write(sessionId: string, name: string, body: Readable, options: { append: boolean; maxBytes: number }): Promise<number>
  /** Whether the file begins with a zip's local header (1C names zips `.zip`, but not always). */
  startsWithZip(sessionId: string, name: string): Promise<boolean>
  /** A local folder with the session's files as uploaded so far, its zips unpacked. */
  prepare(session: ExchangeSession, unpack: Unpack, limits: ZipLimits, log: (message: string, details: object) => void): Promise<string>
  /** Removes the local leftovers of sessions not in `keep` (the store's pieces go with their session). */
  sweep(keep: ReadonlySet<string>): Promise<number>
}

/** Unpacks the zips of a session not yet unpacked in `dir`; `done` says which are, `mark` records one. */
async function unpackZips(
  session: ExchangeSession,
  dir: string,
  done: readonly string[],
  mark: (zip: string) => Promise<void>,
  unpack: Unpack,
  limits: ZipLimits,
  log: (message: string, details: object) => void,
): Promise<void> {
  for (const [name, file] of Object.entries(session.state.files)) {
    if (!file.zip || done.includes(name)) continue
    const files = await unpack(join(dir, name), dir, name, limits)
    await mark(name)
    log(`unpacked ${name}: ${files.length} files`, { session: session.id, zip: name, files: files.length })
  }
}

export function diskUploads(db: Db, root: string): UploadStore {
  return {
    kind: 'disk',
    write: (sessionId, name, body, options) => writeUpload(sessionDir(root, sessionId), name, body, options),
    startsWithZip: (sessionId, name) => startsWithZipSignature(join(sessionDir(root, sessionId), name)),
    async prepare(session, unpack, limits, log) {
      const dir = sessionDir(root, session.id)
      await unpackZips(session, dir, session.state.unpacked, (zip) => markUnpacked(db, session.id, zip), unpack, limits, log)
      return dir
    },
    sweep: (keep) => removeSessionDirs(root, keep),
  }
}

/** A row of the store holds at most this much of a file; a request's body is read piece by piece. */
export const PIECE_BYTES = 1024 * 1024

/** What a local copy was made from: each file's size in the store, and the zips unpacked since. */
interface CopyMark {
  files: Record<string, number>
  unpacked: string[]
}
const MARK = '.onec-bridge-copy.json'

/** Reads `body` in pieces of at most `size` bytes, without holding more than one piece. */
async function* pieces(body: Readable, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = []
  let length = 0
  for await (const chunk of body as AsyncIterable<Buffer>) {
    let rest = chunk
    while (rest.length > 0) {
      const take = Math.min(size - length, rest.length)
      parts.push(rest.subarray(0, take))
      length += take
      rest = rest.subarray(take)
      if (length === size) {
        yield Buffer.concat(parts, length)
        parts = []
        length = 0
      }
    }
  }
  if (length > 0) yield Buffer.concat(parts, length)
}

/** Writes a file of the store to `target`, piece by piece. */
async function copyFile(db: Db, sessionId: string, name: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true })
  const out = createWriteStream(target)
  try {
    const [range] = await db.query<{ last: number | null }>('select max(seq) as last from exchange_upload_pieces where session_id = $1 and name = $2', [sessionId, name])
    for (let seq = 0; range?.last !== null && range?.last !== undefined && seq <= range.last; seq += 1) {
      const [piece] = await db.query<{ data: Buffer }>('select data from exchange_upload_pieces where session_id = $1 and name = $2 and seq = $3', [sessionId, name, seq])
      if (!piece) throw new Error(`exchange session ${sessionId}: piece ${seq} of ${name} is missing from the store`)
      if (!out.write(piece.data)) await once(out, 'drain')
    }
  } finally {
    out.end()
    await finished(out)
  }
}

export function storeUploads(db: Db, cacheRoot: string): UploadStore {
  return {
    kind: 'store',
    async write(sessionId, name, body, { append, maxBytes }) {
      return db.transaction(async (tx) => {
        // One writer per file at a time, whichever instance took the request.
        await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`exchange-upload:${sessionId}:${name}`])
        if (!append) await tx.query('delete from exchange_upload_pieces where session_id = $1 and name = $2', [sessionId, name])
        const [before] = await tx.query<{ bytes: string; next: number }>(
          'select coalesce(sum(length(data)), 0) as bytes, coalesce(max(seq) + 1, 0) as next from exchange_upload_pieces where session_id = $1 and name = $2',
          [sessionId, name],
        )
        let written = Number(before?.bytes ?? 0)
        let seq = before?.next ?? 0
        for await (const piece of pieces(body, PIECE_BYTES)) {
          written += piece.length
          if (written > maxBytes) {
            body.destroy()
            throw new UploadTooLargeError(name, maxBytes)
          }
          await tx.query('insert into exchange_upload_pieces (session_id, name, seq, data) values ($1, $2, $3, $4)', [sessionId, name, seq, piece])
          seq += 1
        }
        return written
      })
    },
    async startsWithZip(sessionId, name) {
      const [row] = await db.query<{ head: Buffer | null }>(
        'select substring(data from 1 for 4) as head from exchange_upload_pieces where session_id = $1 and name = $2 and seq = 0',
        [sessionId, name],
      )
      return row?.head?.length === 4 && row.head.readUInt32LE(0) === 0x04034b50
    },
    async prepare(session, unpack, limits, log) {
      const dir = sessionDir(cacheRoot, session.id)
      const wanted = Object.fromEntries(Object.entries(session.state.files).map(([name, file]: [string, UploadedFile]) => [name, file.bytes]))
      const mark: CopyMark = await readFile(join(dir, MARK), 'utf8').then(
        (text) => JSON.parse(text) as CopyMark,
        () => ({ files: {}, unpacked: [] }),
      )
      const stale = Object.keys(wanted).filter((name) => mark.files[name] !== wanted[name])
      if (stale.length > 0) {
        // A file that grew or changed: copied again, and its zip unpacked again.
        for (const name of stale) await copyFile(db, session.id, name, join(dir, name))
        const copied = {
          files: { ...mark.files, ...Object.fromEntries(stale.map((name) => [name, wanted[name] ?? 0])) },
          unpacked: mark.unpacked.filter((zip) => !stale.includes(zip)),
        }
        await writeFile(join(dir, MARK), JSON.stringify(copied))
        Object.assign(mark, copied)
        log(`copied ${stale.length} file(s) of the session from the store`, { session: session.id, files: stale })
      }
      await unpackZips(
        session,
        dir,
        mark.unpacked,
        async (zip) => {
          mark.unpacked.push(zip)
          await writeFile(join(dir, MARK), JSON.stringify(mark))
        },
        unpack,
        limits,
        log,
      )
      return dir
    },
    sweep: (keep) => removeSessionDirs(cacheRoot, keep),
  }
}
