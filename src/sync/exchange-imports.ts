/**
 * Imports requested by 1C's `mode=import`: the first call queues a durable job and every call
 * answers at once from what the job last reported (in memory on this instance, else the store),
 * so 1C never waits on a 100 MB file.
 */
import { access, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from '../logger.ts'
import {
  getSession,
  markUnpacked,
  sanitizeFileName,
  sessionDir,
  unpackZip,
  type ExchangeAnswer,
  type ExchangeSession,
  type ZipLimits,
} from '../onec/commerceml/index.ts'
import type { CommerceMlProfile } from '../onec/mapping/profile.ts'
import type { XmlProfile } from '../onec/mapping/odata-profile.ts'
import { importCustomXml, summarizeXml, xmlSourceFor } from './xml-import.ts'
import type { Db, JobEngine } from '../store/index.ts'
import { importCommerceMlFile, type CmlImportResult } from './commerceml-import.ts'
import { removeUnseen, type RemovalResult } from './commerceml-removal.ts'

export const IMPORT_QUEUE = 'commerceml-import'
export const WINDOW_QUEUE = 'commerceml-full-window'
export const AUTO_IMPORT_QUEUE = 'commerceml-auto-import'
/** Quiet seconds after an order-changes upload before it is imported unasked. */
const SALE_QUIET_SECONDS = 10

// 1C sends the classifier and catalogue first, then offers, prices and stock.
const FILE_ORDER = ['import', 'offers', 'prices', 'rests']
export function fileRank(path: string): number {
  const name = path.split('/').pop() ?? ''
  const index = FILE_ORDER.findIndex((prefix) => name.startsWith(prefix))
  return index === -1 ? FILE_ORDER.length : index
}


export interface ExchangeImportsDeps {
  db: Db
  jobs: JobEngine
  profile: CommerceMlProfile
  uploadRoot: string
  zipLimits: ZipLimits
  /** Custom XML files (bonus balances…) recognised by name and read through the profile's xml sources. */
  xml?: XmlProfile | undefined
  /** Import uploads 1C never asked to import after this many idle seconds; 0 = never. */
  autoImportSeconds: number
  /** Order-changes files of the order exchange (type=sale). */
  sale?: { importChanges(path: string, fileName: string, sessionId: string): Promise<{ message: string; runId: number }> } | undefined
  logger: Logger
}

/** How long `import` may wait for the store before it answers `progress` anyway. */
const ANSWER_DEADLINE_MS = 800

const TIMEOUT = Symbol('timeout')
function deadline<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([promise, new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), ms)))]).finally(() => clearTimeout(timer))
}

export function summarize(fileName: string, result: CmlImportResult): string {
  const { totals } = result
  return `${fileName}: ${result.kind}; ${totals.seen} seen, ${totals.created} new, ${totals.updated} changed, ${totals.removed} removed, ${totals.unchanged} unchanged${result.run ? ` (run ${result.run.id})` : ''}`
}

function describeRemoval(result: RemovalResult): string {
  const skipped = result.skipped.length > 0 ? `; not sent in this exchange, so kept: ${result.skipped.join(', ')}` : ''
  return `removed ${result.removed.product} products and ${result.removed.offer} offers (run ${result.run.id})${skipped}`
}

export type ExchangeImports = ReturnType<typeof createExchangeImports>

export function createExchangeImports(deps: ExchangeImportsDeps) {
  const { db, jobs, profile, logger } = deps
  const answers = new Map<string, ExchangeAnswer & { at: number }>()
  let importWorker: string | null = null
  const keyOf = (sessionId: string, fileName: string) => `${sessionId}:${fileName}`

  const remember = (key: string, answer: ExchangeAnswer) => {
    answers.set(key, { ...answer, at: Date.now() })
    // Answers for finished imports are kept an hour: 1C asks again only while it is running.
    for (const [other, value] of answers) if (Date.now() - value.at > 3_600_000) answers.delete(other)
  }

  /** Seconds without a request after which a session's uploads are imported unasked; order changes are small and should not wait. */
  const quietSeconds = (session: ExchangeSession) => (session.type === 'sale' ? Math.min(deps.autoImportSeconds, SALE_QUIET_SECONDS) : deps.autoImportSeconds)

  async function setStatus(sessionId: string, fileName: string, status: 'running' | 'succeeded' | 'failed', message: string, runId: number | null = null) {
    await db.query(
      `update exchange_imports set status = $3, message = $4, run_id = coalesce($5, run_id), updated_at = now() where session_id = $1 and filename = $2`,
      [sessionId, fileName, status, message, runId],
    )
  }

  async function unpackPending(session: ExchangeSession, dir: string): Promise<void> {
    for (const [name, file] of Object.entries(session.state.files)) {
      if (!file.zip || session.state.unpacked.includes(name)) continue
      const files = await unpackZip(join(dir, name), dir, name, deps.zipLimits)
      await markUnpacked(db, session.id, name)
      logger.info({ session: session.id, zip: name, files: files.length }, `unpacked ${name}: ${files.length} files`)
    }
  }

  async function trackWindow(session: ExchangeSession, result: CmlImportResult): Promise<void> {
    if (!profile.removal.fullExchangeWindow) return
    const [open] = await db.query<{ id: number }>('update cml_full_window set last_activity_at = now() where closed_at is null returning id')
    if (!open && (result.full.catalog || result.full.offers)) {
      await db.query('insert into cml_full_window (opened_at, last_activity_at) values ($1, now())', [session.createdAt])
      logger.info({ session: session.id }, 'full exchange window opened: what the exchange does not send until it ends will be removed')
    }
  }

  async function runImport(sessionId: string, fileName: string): Promise<void> {
    const key = keyOf(sessionId, fileName)
    remember(key, { status: 'progress', message: `${fileName}: starting` })
    await setStatus(sessionId, fileName, 'running', 'starting')
    const log = logger.child({ session: sessionId, file: fileName })
    try {
      const session = await getSession(db, sessionId)
      if (!session) throw new Error(`exchange session ${sessionId} has expired`)
      const dir = sessionDir(deps.uploadRoot, sessionId)
      await unpackPending(session, dir)
      const path = join(dir, fileName)
      await access(path).catch(() => {
        throw new Error(`${fileName} was not uploaded in this session (mode=file first)`)
      })
      if (session.type === 'sale') {
        if (!deps.sale) throw new Error('the order exchange is not enabled (orders.forward is not commerceml)')
        const result = await deps.sale.importChanges(path, fileName, sessionId)
        await setStatus(sessionId, fileName, 'succeeded', result.message, result.runId)
        remember(key, { status: 'success', message: result.message })
        log.info({ run: result.runId }, result.message)
        return
      }
      const xmlSource = xmlSourceFor(deps.xml, fileName)
      if (xmlSource && deps.xml) {
        const pulled = await importCustomXml(db, path, fileName, deps.xml, xmlSource, { logger: log })
        const message = summarizeXml(fileName, xmlSource, pulled)
        await setStatus(sessionId, fileName, 'succeeded', message, pulled.run?.id ?? null)
        remember(key, { status: 'success', message })
        return
      }
      const result = await importCommerceMlFile(db, path, {
        profile,
        fileName,
        details: { session: sessionId },
        onProgress: (message) => remember(key, { status: 'progress', message }),
      })
      await trackWindow(session, result)
      const message = summarize(fileName, result)
      await setStatus(sessionId, fileName, 'succeeded', message, result.run?.id ?? null)
      remember(key, { status: 'success', message })
      log.info({ run: result.run?.id, counts: result.totals, bytes: result.bytes }, message)
    } catch (error) {
      const message = (error as Error).message
      await setStatus(sessionId, fileName, 'failed', message).catch(() => {})
      remember(key, { status: 'failure', message })
      log.warn({ err: error }, `import failed: ${message}`)
    }
  }

  async function queue(session: ExchangeSession, fileName: string): Promise<ExchangeAnswer> {
    const key = keyOf(session.id, fileName)
    const [row] = await db.query<{ status: string; message: string }>('select status, message from exchange_imports where session_id = $1 and filename = $2', [
      session.id,
      fileName,
    ])
    if (row) {
      const status = row.status === 'succeeded' ? 'success' : row.status === 'failed' ? 'failure' : 'progress'
      return { status, message: row.message || `${fileName}: ${row.status}` }
    }
    const inserted = await db.query(
      `insert into exchange_imports (session_id, filename, status, message) values ($1, $2, 'queued', 'queued') on conflict do nothing returning 1`,
      [session.id, fileName],
    )
    if (inserted.length > 0) {
      await jobs.boss.send(IMPORT_QUEUE, { sessionId: session.id, fileName }, { singletonKey: key, retryLimit: 0 })
      if (importWorker) jobs.boss.notifyWorker(importWorker)
    }
    const answer: ExchangeAnswer = { status: 'progress', message: `${fileName}: queued for import` }
    remember(key, answer)
    return answer
  }

  /**
   * 1C set not to wait for the site uploads and stops: nobody asks to import. Once the session
   * has been quiet for `autoImportSeconds`, import what it uploaded, catalogue first.
   */
  async function autoImport(sessionId: string): Promise<void> {
    const session = await getSession(db, sessionId)
    if (!session) return
    const quiet = quietSeconds(session)
    const wait = session.lastSeenAt.getTime() + quiet * 1000 - Date.now()
    if (wait > 0) {
      await jobs.boss.send(AUTO_IMPORT_QUEUE, { sessionId }, { singletonKey: sessionId, startAfter: Math.ceil(wait / 1000) })
      return
    }
    const [asked] = await db.query<{ n: number }>('select count(*)::int as n from exchange_imports where session_id = $1', [sessionId])
    if (asked?.n) return
    const dir = sessionDir(deps.uploadRoot, sessionId)
    await unpackPending(session, dir)
    const files = (await readdir(dir, { recursive: true }))
      .filter((file) => file.toLowerCase().endsWith('.xml'))
      .sort((a, b) => fileRank(a) - fileRank(b) || a.localeCompare(b))
    if (files.length === 0) return
    logger.info({ session: sessionId, files }, `1C uploaded ${files.length} file(s) and did not ask to import them; importing them now`)
    for (const file of files) await queue(session, file)
  }

  async function closeWindow(reason: string, onlyIfIdle: boolean): Promise<string | null> {
    const [window] = await db.query<{ id: number; opened_at: Date }>(
      `select id, opened_at from cml_full_window
        where closed_at is null and (not $1 or last_activity_at < now() - make_interval(secs => $2))
        order by id limit 1`,
      [onlyIfIdle, profile.removal.idleSeconds],
    )
    if (!window) return null
    const result = await removeUnseen(db, window.opened_at, reason)
    await db.query('update cml_full_window set closed_at = now() where id = $1', [window.id])
    const message = `full exchange since ${window.opened_at.toISOString()} ended (${reason}): ${describeRemoval(result)}`
    logger.info({ run: result.run.id, removed: result.removed }, message)
    return message
  }

  return {
    /** Creates the queues and starts this instance's workers. */
    async start(): Promise<void> {
      await jobs.boss.createQueue(IMPORT_QUEUE, { retryLimit: 0, expireInSeconds: 6 * 3600 })
      // Imports queued here wake the worker at once; the slow poll finds those of other instances.
      importWorker = await jobs.boss.work<{ sessionId: string; fileName: string }>(IMPORT_QUEUE, { pollingIntervalSeconds: 2, batchSize: 1 }, async ([job]) => {
        if (job) await runImport(job.data.sessionId, job.data.fileName)
      })
      await jobs.boss.createQueue(AUTO_IMPORT_QUEUE, { policy: 'stately', retryLimit: 0 })
      await jobs.boss.work<{ sessionId: string }>(AUTO_IMPORT_QUEUE, { pollingIntervalSeconds: 5, batchSize: 1 }, async ([job]) => {
        if (job) await autoImport(job.data.sessionId)
      })
      if (profile.removal.fullExchangeWindow) {
        await jobs.boss.createQueue(WINDOW_QUEUE, { retryLimit: 0 })
        await jobs.boss.schedule(WINDOW_QUEUE, '* * * * *')
        await jobs.boss.work(WINDOW_QUEUE, async () => {
          await closeWindow(`no exchange for ${profile.removal.idleSeconds} s`, true)
        })
      }
    },

    /** `mode=file`: schedules the check for uploads nobody asks to import. */
    async uploaded(session: ExchangeSession): Promise<void> {
      if (deps.autoImportSeconds <= 0) return
      await jobs.boss.send(AUTO_IMPORT_QUEUE, { sessionId: session.id }, { singletonKey: session.id, startAfter: quietSeconds(session) })
    },

    /** `mode=import`: the answer for this file now; queues the import on the first call. */
    async poll(session: ExchangeSession, rawName: string): Promise<ExchangeAnswer> {
      const fileName = sanitizeFileName(rawName)
      const known = answers.get(keyOf(session.id, fileName))
      if (known) return { status: known.status, message: known.message }
      const answer = await deadline(queue(session, fileName), ANSWER_DEADLINE_MS)
      return answer === TIMEOUT ? { status: 'progress', message: `${fileName}: waiting for the store` } : answer
    },

    /** `mode=deactivate&timestamp=`: remove what the exchange since `timestamp` did not send. */
    async deactivate(since: Date): Promise<ExchangeAnswer> {
      const result = await removeUnseen(db, since, 'mode=deactivate')
      return { status: 'success', message: describeRemoval(result) }
    },

    /** `mode=complete`: the end of an exchange; closes an open full-exchange window. */
    async complete(): Promise<ExchangeAnswer> {
      const message = profile.removal.fullExchangeWindow ? await closeWindow('mode=complete', false) : null
      return { status: 'success', message: message ?? 'exchange complete' }
    },

    /** Closes a full-exchange window idle for longer than the profile allows (the scheduled check). */
    closeIdleWindow: () => closeWindow(`no exchange for ${profile.removal.idleSeconds} s`, true),
  }
}
