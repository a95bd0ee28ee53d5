/**
 * PGlite neither fsyncs nor locks its directory: two processes on one data directory silently
 * lose committed rows. The embedded store therefore holds an exclusive lock on DATA_DIR for
 * the life of the process (proper-lockfile: a lock directory refreshed every few seconds and
 * considered stale once its holder has stopped refreshing it).
 */
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import lockfile from 'proper-lockfile'

export const LOCK_STALE_MS = 10_000

export class DataDirLockedError extends Error {
  constructor(dataDir: string) {
    super(
      `DATA_DIR ${dataDir} is in use by another onec-bridge process. ` +
        `Stop that process first. The embedded store serves one process; to run several instances, ` +
        `set DATABASE_URL to a PostgreSQL server. (If the other process crashed, the lock frees itself within ${LOCK_STALE_MS / 1000} s.)`,
    )
    this.name = 'DataDirLockedError'
  }
}

export type ReleaseLock = () => Promise<void>

export async function lockDataDir(dataDir: string, onCompromised: (error: Error) => void): Promise<ReleaseLock> {
  const dir = resolve(dataDir)
  await mkdir(dir, { recursive: true })
  try {
    return await lockfile.lock(dir, {
      lockfilePath: join(dir, 'onec-bridge.lock'),
      stale: LOCK_STALE_MS,
      update: LOCK_STALE_MS / 2,
      retries: 0,
      realpath: false,
      onCompromised,
    })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataDirLockedError(dataDir)
    throw error
  }
}
