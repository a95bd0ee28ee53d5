/**
 * Imports requested by 1C's `mode=import`: the first call queues a durable job and every call
 * answers at once from what the job last reported (in memory on this instance, else the store),
 * so 1C never waits on a 100 MB file.
 *
 * The job is queued in the transaction that writes the import's row; an import whose worker died
 * is retried by pg-boss, and the sweep queues again any import still open whose job is gone
 * (store/job-engine.ts). An import that starts again starts from the file: the cut-off attempt
 * rolled back with its transaction.
 */
import { access, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from '../logger.ts'
import { getSession, sanitizeFileName, unpackZipOnThread, type ExchangeAnswer, type ExchangeSession, type UploadStore, type ZipLimits } from '../onec/commerceml/index.ts'
import type { XmlProfile } from '../onec/mapping/odata-profile.ts'
import type { CommerceMlProfile } from '../onec/mapping/profile.ts'
import type { Owners } from '../domain/index.ts'
import { countsText, explain, kindsText, packageText, runText, said, SaidError, type Language } from '../onec/texts.ts'
import { recordedJob } from '../state/index.ts'
import { jobGoneSql, queueInTx, RELIABLE, type Db, type JobEngine, type Queryable, ensureQueue } from '../store/index.ts'
import { importCommerceMlFile, type CmlImportResult } from './commerceml-import.ts'
import { closeWindow, describeRemoval, trackWindow } from './full-exchange-window.ts'
import { removeUnseen } from './removal.ts'
import { importCustomXml, summarizeXml, xmlSourcesFor } from './xml-import.ts'

/** One import of each exchange type at a time across the instances (`singleton` by type); `commerceml-import` before issue 18. */
export const IMPORT_QUEUE = 'commerceml-imports'
export const WINDOW_QUEUE = 'commerceml-full-window'
export const AUTO_IMPORT_QUEUE = 'commerceml-auto-import'
/** Quiet seconds after an order-changes upload before it is imported unasked. */
const SALE_QUIET_SECONDS = 10
/** How long `import` may wait for the store before it answers `progress` anyway. */
const ANSWER_DEADLINE_MS = 800

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
  /** Where the sessions' uploads wait (DATA_DIR, or the store when instances share it). */
  uploads: UploadStore
  zipLimits: ZipLimits
  /** Custom XML files (bonus balances…) recognised by name and read through the profile's xml sources. */
  xml?: XmlProfile | undefined
  /** The profile's `owners`: what the exchange leaves to other sources. */
  owners: Owners
  /** The language of the answers 1C's operator reads in the exchange log. */
  language: Language
  /** Import uploads 1C never asked to import after this many idle seconds; 0 = never. */
  autoImportSeconds: number
  /** Order-changes files of the order exchange (type=sale). */
  sale?: { importChanges(path: string, fileName: string, sessionId: string): Promise<{ message: string; runId: number }> } | undefined
  logger: Logger
}

interface ImportsContext extends ExchangeImportsDeps {
  /**
   * What each import last reported, by `session:file`, kept an hour (1C asks only while it runs).
   * A `progress` answer counts only while the import runs in this process: another instance may
   * have taken the job, and then only the store knows how it goes.
   */
  answers: Map<string, ExchangeAnswer & { at: number }>
  /** Imports running in this process, by `session:file`. */
  running: Set<string>
  worker: string | null
}

/** How often a running import writes its progress message to its row, for polls that reach other instances. */
const PROGRESS_TO_STORE_MS = 2_000

const TIMEOUT = Symbol('timeout')
function deadline<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([promise, new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), ms)))]).finally(() => clearTimeout(timer))
}

/** One file's import as 1C's log and the CLI show it: the kind of file, the counts, what was seen of each kind, the pictures. */
export function summarize(fileName: string, result: CmlImportResult, language: Language = 'en'): string {
  const kinds = kindsText(result.byKind, language)
  const { pictures } = result
  let images = ''
  if (pictures.seen > 0) {
    images =
      language === 'ru'
        ? `; картинки: ${pictures.seen}, новых файлов ${pictures.stored}${pictures.missing > 0 ? `, не найдено ${pictures.missing} (${pictures.missingPaths.slice(0, 3).join(', ')})` : ''}`
        : `; pictures: ${pictures.seen}, ${pictures.stored} new files${pictures.missing > 0 ? `, ${pictures.missing} missing (${pictures.missingPaths.slice(0, 3).join(', ')})` : ''}`
  }
  return `${fileName}: ${packageText(result.kind, language)}; ${countsText(result.totals, language)}${kinds ? `; ${kinds}` : ''}${images}${runText(result.run?.id, language)}`
}

const keyOf = (sessionId: string, fileName: string) => `${sessionId}:${fileName}`

function remember(ctx: ImportsContext, key: string, answer: ExchangeAnswer): void {
  ctx.answers.set(key, { ...answer, at: Date.now() })
  for (const [other, value] of ctx.answers) if (Date.now() - value.at > 3_600_000) ctx.answers.delete(other)
}

/** Seconds without a request after which a session's uploads are imported unasked; order changes are small and should not wait. */
const quietSeconds = (ctx: ImportsContext, session: ExchangeSession) => (session.type === 'sale' ? Math.min(ctx.autoImportSeconds, SALE_QUIET_SECONDS) : ctx.autoImportSeconds)

async function setStatus(ctx: ImportsContext, sessionId: string, fileName: string, status: 'running' | 'succeeded' | 'failed', message: string, runId: number | null = null) {
  await ctx.db.query(`update exchange_imports set status = $3, message = $4, run_id = coalesce($5, run_id), updated_at = now() where session_id = $1 and filename = $2`, [
    sessionId,
    fileName,
    status,
    message,
    runId,
  ])
}

/** A local folder with the session's uploads, zips unpacked (copied from the store first when they are kept there). */
function prepareUploads(ctx: ImportsContext, session: ExchangeSession): Promise<string> {
  return ctx.uploads.prepare(session, unpackZipOnThread, ctx.zipLimits, (message, details) => ctx.logger.info(details, message))
}

/** The file's import by what it is (order changes, a custom XML source, CommerceML); its message and run. */
async function importFile(ctx: ImportsContext, session: ExchangeSession, dir: string, fileName: string, log: Logger): Promise<{ message: string; runId: number | null }> {
  const key = keyOf(session.id, fileName)
  const path = join(dir, fileName)
  let lastStored = Date.now()
  if (session.type === 'sale') {
    if (!ctx.sale) throw new SaidError(said('обмен заказами здесь выключен (orders.forward не commerceml)', 'the order exchange is not enabled (orders.forward is not commerceml)'))
    return ctx.sale.importChanges(path, fileName, session.id)
  }
  const xmlSources = xmlSourcesFor(ctx.xml, fileName)
  if (xmlSources.length > 0 && ctx.xml) {
    const pulled = await importCustomXml(ctx.db, path, fileName, ctx.xml, xmlSources, { logger: log, owners: ctx.owners })
    return { message: pulled.map(({ source, result }) => summarizeXml(fileName, source, result, ctx.language)).join('; '), runId: pulled.at(-1)?.result.run?.id ?? null }
  }
  const result = await importCommerceMlFile(ctx.db, path, {
    profile: ctx.profile,
    owners: ctx.owners,
    mediaRoot: dir,
    fileName,
    details: { session: session.id },
    onProgress: (message) => {
      remember(ctx, key, { status: 'progress', message })
      if (Date.now() - lastStored < PROGRESS_TO_STORE_MS) return
      lastStored = Date.now()
      setStatus(ctx, session.id, fileName, 'running', message).catch(() => {})
    },
  })
  if (ctx.profile.removal.fullExchangeWindow) await trackWindow(ctx.db, ctx.logger, session.createdAt, result, session.id)
  return { message: summarize(fileName, result, ctx.language), runId: result.run?.id ?? null }
}

/** The import job: what happened is the row's status and message, which 1C's next `import` reads. */
async function runImport(ctx: ImportsContext, sessionId: string, fileName: string): Promise<void> {
  const key = keyOf(sessionId, fileName)
  const starting = said(`${fileName}: загрузка начата`, `${fileName}: starting`)[ctx.language]
  ctx.running.add(key)
  remember(ctx, key, { status: 'progress', message: starting })
  await setStatus(ctx, sessionId, fileName, 'running', starting)
  const log = ctx.logger.child({ session: sessionId, file: fileName })
  try {
    const session = await getSession(ctx.db, sessionId)
    if (!session) throw new SaidError(said(`сеанс обмена ${sessionId} истёк`, `exchange session ${sessionId} has expired`))
    const dir = await prepareUploads(ctx, session)
    await access(join(dir, fileName)).catch(() => {
      throw new SaidError(said(`${fileName} не загружался в этом сеансе (сначала mode=file)`, `${fileName} was not uploaded in this session (mode=file first)`))
    })
    const { message, runId } = await importFile(ctx, session, dir, fileName, log)
    await setStatus(ctx, sessionId, fileName, 'succeeded', message, runId)
    remember(ctx, key, { status: 'success', message })
    log.info({ run: runId }, message)
  } catch (error) {
    const message = explain(error, ctx.language)
    await setStatus(ctx, sessionId, fileName, 'failed', message).catch(() => {})
    remember(ctx, key, { status: 'failure', message })
    log.warn({ err: error }, `import failed: ${message}`)
  } finally {
    ctx.running.delete(key)
  }
}

/**
 * Queues the import of one file in the caller's transaction, keeping the job's id on its row. The
 * queue runs one import of each exchange type at a time across every instance (its `singleton`
 * policy by `type`): files are imported in the order they were asked for, catalogue before offers,
 * as on one instance, whichever instance takes them.
 */
async function queueImportJob(ctx: ImportsContext, tx: Queryable, sessionId: string, fileName: string, type: string): Promise<void> {
  const [jobId] = await queueInTx(ctx.jobs, tx, IMPORT_QUEUE, [{ data: { sessionId, fileName }, singletonKey: type }])
  await tx.query('update exchange_imports set job_id = $3::uuid where session_id = $1 and filename = $2', [sessionId, fileName, jobId])
}

async function queue(ctx: ImportsContext, session: ExchangeSession, fileName: string): Promise<ExchangeAnswer> {
  const key = keyOf(session.id, fileName)
  const [row] = await ctx.db.query<{ status: string; message: string }>('select status, message from exchange_imports where session_id = $1 and filename = $2', [
    session.id,
    fileName,
  ])
  if (row) {
    const status = row.status === 'succeeded' ? 'success' : row.status === 'failed' ? 'failure' : 'progress'
    return { status, message: row.message || `${fileName}: ${row.status}` }
  }
  const queued = await ctx.db.transaction(async (tx) => {
    const inserted = await tx.query(`insert into exchange_imports (session_id, filename, status, message) values ($1, $2, 'queued', 'queued') on conflict do nothing returning 1`, [
      session.id,
      fileName,
    ])
    if (inserted.length > 0) await queueImportJob(ctx, tx, session.id, fileName, session.type)
    return inserted.length > 0
  })
  if (queued && ctx.worker) ctx.jobs.boss.notifyWorker(ctx.worker)
  const answer: ExchangeAnswer = { status: 'progress', message: said(`${fileName}: поставлен в очередь на загрузку`, `${fileName}: queued for import`)[ctx.language] }
  remember(ctx, key, answer)
  return answer
}

/**
 * 1C set not to wait for the site uploads and stops: nobody asks to import. Once the session
 * has been quiet for `autoImportSeconds`, import what it uploaded, catalogue first.
 */
async function autoImport(ctx: ImportsContext, sessionId: string): Promise<void> {
  const session = await getSession(ctx.db, sessionId)
  if (!session) return
  const wait = session.lastSeenAt.getTime() + quietSeconds(ctx, session) * 1000 - Date.now()
  if (wait > 0) {
    await ctx.jobs.boss.send(AUTO_IMPORT_QUEUE, { sessionId }, { singletonKey: sessionId, startAfter: Math.ceil(wait / 1000) })
    return
  }
  const [asked] = await ctx.db.query<{ n: number }>('select count(*)::int as n from exchange_imports where session_id = $1', [sessionId])
  if (asked?.n) return
  const dir = await prepareUploads(ctx, session)
  const files = (await readdir(dir, { recursive: true })).filter((file) => file.toLowerCase().endsWith('.xml')).sort((a, b) => fileRank(a) - fileRank(b) || a.localeCompare(b))
  if (files.length === 0)
    throw new Error(`1C uploaded no XML file in exchange session ${sessionId} (only: ${Object.keys(session.state.files).join(', ') || 'nothing'}); nothing to import`)
  ctx.logger.info({ session: sessionId, files }, `1C uploaded ${files.length} file(s) and did not ask to import them; importing them now`)
  for (const file of files) await queue(ctx, session, file)
}

/** Open imports whose job is gone, failed or finished without closing them: queued again. */
async function sweepImports(ctx: ImportsContext): Promise<number> {
  const count = await ctx.db.transaction(async (tx) => {
    const rows = await tx.query<{ session_id: string; filename: string; type: string }>(
      `select i.session_id, i.filename, s.type from exchange_imports i join exchange_sessions s on s.id = i.session_id
        where i.status in ('queued', 'running') and i.updated_at < now() - interval '10 seconds'
          and ${jobGoneSql(ctx.jobs, 'i.job_id', '$1')}
        for update of i skip locked`,
      [IMPORT_QUEUE],
    )
    for (const row of rows) await queueImportJob(ctx, tx, row.session_id, row.filename, row.type)
    return rows.length
  })
  if (count > 0) {
    ctx.logger.warn({ imports: count }, `${count} import(s) had lost their job (the process running them stopped): queued again`)
    if (ctx.worker) ctx.jobs.boss.notifyWorker(ctx.worker)
  }
  return count
}

async function startWorkers(ctx: ImportsContext): Promise<void> {
  const { boss } = ctx.jobs
  await ensureQueue(boss, IMPORT_QUEUE, { ...RELIABLE, policy: 'singleton', expireInSeconds: 6 * 3600 })
  // An import queued on any instance wakes the workers of all (the queue's notify); this one's own also at once (notifyWorker), the poll is the floor.
  ctx.worker = await boss.work<{ sessionId: string; fileName: string }>(
    IMPORT_QUEUE,
    { pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 2, batchSize: 1 },
    recordedJob(ctx.db, ctx.logger, IMPORT_QUEUE, async ([job]) => {
      if (job) await runImport(ctx, job.data.sessionId, job.data.fileName)
    }),
  )
  await ensureQueue(boss, AUTO_IMPORT_QUEUE, { ...RELIABLE, policy: 'stately', retryLimit: 1 })
  await boss.work<{ sessionId: string }>(
    AUTO_IMPORT_QUEUE,
    { pollingIntervalSeconds: 5, notifyPollingIntervalSeconds: 5, batchSize: 1 },
    recordedJob(
      ctx.db,
      ctx.logger,
      AUTO_IMPORT_QUEUE,
      async ([job]) => {
        if (job) await autoImport(ctx, job.data.sessionId)
      },
      { rethrow: false },
    ),
  )
  if (!ctx.profile.removal.fullExchangeWindow) return
  const idleSeconds = ctx.profile.removal.idleSeconds
  await ensureQueue(boss, WINDOW_QUEUE, { ...RELIABLE, retryLimit: 0 })
  await boss.schedule(WINDOW_QUEUE, '* * * * *')
  await boss.work(
    WINDOW_QUEUE,
    recordedJob(
      ctx.db,
      ctx.logger,
      WINDOW_QUEUE,
      async () => {
        await closeWindow(ctx.db, ctx.logger, `no exchange for ${idleSeconds} s`, { onlyIfIdle: true, idleSeconds })
      },
      { rethrow: false },
    ),
  )
}

export function createExchangeImports(deps: ExchangeImportsDeps) {
  const ctx: ImportsContext = { ...deps, answers: new Map(), running: new Set(), worker: null }
  return {
    /** Creates the queues and starts this instance's workers. */
    start: () => startWorkers(ctx),
    /** Queues again imports whose job is gone (on start and by the scheduled sweep). */
    sweep: () => sweepImports(ctx),

    /** `mode=file`: schedules the check for uploads nobody asks to import. */
    async uploaded(session: ExchangeSession): Promise<void> {
      if (ctx.autoImportSeconds <= 0) return
      await ctx.jobs.boss.send(AUTO_IMPORT_QUEUE, { sessionId: session.id }, { singletonKey: session.id, startAfter: quietSeconds(ctx, session) })
    },

    /** `mode=import`: the answer for this file now; queues the import on the first call. */
    async poll(session: ExchangeSession, rawName: string): Promise<ExchangeAnswer> {
      const fileName = sanitizeFileName(rawName)
      const key = keyOf(session.id, fileName)
      const known = ctx.answers.get(key)
      if (known && (known.status !== 'progress' || ctx.running.has(key))) return { status: known.status, message: known.message }
      const answer = await deadline(queue(ctx, session, fileName), ANSWER_DEADLINE_MS)
      return answer === TIMEOUT ? { status: 'progress', message: said(`${fileName}: ждём хранилище`, `${fileName}: waiting for the store`)[ctx.language] } : answer
    },

    /** `mode=deactivate&timestamp=`: remove what the exchange since `timestamp` did not send. */
    async deactivate(since: Date): Promise<ExchangeAnswer> {
      const result = await removeUnseen(ctx.db, since, 'mode=deactivate')
      return { status: 'success', message: describeRemoval(result, ctx.language) }
    },

    /** `mode=complete`: the end of an exchange; closes an open full-exchange window. */
    async complete(): Promise<ExchangeAnswer> {
      const { removal } = ctx.profile
      const message = removal.fullExchangeWindow
        ? await closeWindow(ctx.db, ctx.logger, 'mode=complete', { onlyIfIdle: false, idleSeconds: removal.idleSeconds, language: ctx.language })
        : null
      return { status: 'success', message: message ?? said('обмен завершён', 'exchange complete')[ctx.language] }
    },
  }
}

export type ExchangeImports = ReturnType<typeof createExchangeImports>
