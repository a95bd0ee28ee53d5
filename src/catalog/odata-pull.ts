/**
 * A pull of one OData source: read 1C, map through the profile, apply (apply-source.ts). The pull
 * queue runs one pull of a source at a time, whichever instance ticks.
 */
import { ownedElsewhere, type Owners } from '../domain/index.ts'
import type { Logger } from '../logger.ts'
import type { ODataProfile, ODataSource } from '../onec/mapping/odata-profile.ts'
import { mapRows, readRows, type ODataClient } from '../onec/odata/index.ts'
import { recordedJob } from '../state/index.ts'
import { RELIABLE, type Db, type JobEngine, ensureQueue } from '../store/index.ts'
import { applySource, type PullResult } from './apply-source.ts'

export type { PullResult } from './apply-source.ts'

export const PULL_QUEUE = 'odata-pull'

export function findSource(profile: ODataProfile | undefined, name: string): ODataSource {
  const source = profile?.sources.find((item) => item.name === name)
  if (!source) {
    const known = profile?.sources.map((item) => item.name).join(', ') || 'none: the mapping profile has no odata section'
    throw new Error(`no OData source ${JSON.stringify(name)} in the mapping profile (sources: ${known})`)
  }
  return source
}

export async function pullSource(
  db: Db,
  client: ODataClient,
  profile: ODataProfile,
  name: string,
  options: { dryRun?: boolean; logger?: Logger | undefined; owners?: Owners } = {},
): Promise<PullResult> {
  const source = findSource(profile, name)
  const runSource = `odata:${source.name}`
  const window = source.read.window ? await windowOf(db, runSource, source.read.window) : undefined
  return applySource(
    db,
    {
      ...source,
      keep: ownedElsewhere(options.owners ?? {}, source.entity, source.name),
      ...(window && { window: { from: window.from.toISOString(), to: window.to.toISOString(), initial: window.initial } }),
    },
    async () => {
      const contexts = await readRows(client, source, window)
      return { rows: contexts.length, pulled: mapRows(source, contexts, { minorDigits: profile.minorDigits, timeZone: client.timeZone }) }
    },
    {
      runSource,
      details: { set: source.read.set, ...(window && { window: { from: window.from.toISOString(), to: window.to.toISOString(), now: window.now.toISOString() } }) },
      dryRun: options.dryRun ?? false,
      logger: options.logger,
    },
  )
}

/**
 * The period a windowed source reads now: from where the last successful pull's "now" was, less the
 * overlap (back-dated documents), or `days` back the first time; to `aheadDays` after now.
 */
async function windowOf(db: Db, runSource: string, spec: NonNullable<ODataSource['read']['window']>): Promise<{ from: Date; to: Date; now: Date; initial: boolean }> {
  const day = 86_400_000
  const now = new Date()
  const [last] = await db.query<{ now: string | null }>(
    `select details->'window'->>'now' as now from sync_runs where source = $1 and status = 'succeeded' and details->'window' is not null order by id desc limit 1`,
    [runSource],
  )
  const previous = last?.now ? new Date(last.now) : null
  const from = previous ? new Date(previous.getTime() - spec.overlapDays * day) : new Date(now.getTime() - spec.days * day)
  return { from, to: new Date(now.getTime() + spec.aheadDays * day), now, initial: previous === null }
}

/** The pull queue: one job per source at a time, whichever instance ticks. */
export async function startPullWorker(deps: { db: Db; jobs: JobEngine; client: ODataClient; profile: ODataProfile; owners: Owners; logger: Logger }): Promise<Puller> {
  // stately: at most one pull of a source waiting and one running, whichever instances tick.
  // A pull whose worker died is retried once; one that failed is not: the next tick pulls again.
  await ensureQueue(deps.jobs.boss, PULL_QUEUE, { ...RELIABLE, policy: 'stately', retryLimit: 1 })
  await deps.jobs.boss.work<{ source: string }>(
    PULL_QUEUE,
    { pollingIntervalSeconds: 5, notifyPollingIntervalSeconds: 5, batchSize: 1 },
    recordedJob(
      deps.db,
      deps.logger,
      PULL_QUEUE,
      async ([job]) => {
        if (job) await pullSource(deps.db, deps.client, deps.profile, job.data.source, { logger: deps.logger, owners: deps.owners })
      },
      { rethrow: false },
    ),
  )
  return {
    pull(name) {
      findSource(deps.profile, name)
      return deps.jobs.boss.send(PULL_QUEUE, { source: name }, { singletonKey: name })
    },
    onSchedule(name, everyMs) {
      findSource(deps.profile, name)
      // Every instance ticks; one job per source per slot of `every` is accepted (pg-boss's singletonSeconds), so N instances pull once a period, not N times.
      return deps.jobs.boss.send(PULL_QUEUE, { source: name }, { singletonKey: name, singletonSeconds: Math.max(1, Math.floor(everyMs / 1000)) })
    },
  }
}

export interface Puller {
  /** A pull now (the console, the admin API, the CLI): queued unless one is already waiting. */
  pull(name: string): Promise<string | null>
  /** The schedule's pull: at most one per source in each period of `everyMs`, whichever instances ask. */
  onSchedule(name: string, everyMs: number): Promise<string | null>
}
