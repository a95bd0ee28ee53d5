/**
 * A pull of one OData source: read 1C, map through the profile, apply (apply-source.ts). The pull
 * queue runs one pull of a source at a time, whichever instance ticks.
 */
import { ownedElsewhere, type Owners } from '../domain/index.ts'
import type { Logger } from '../logger.ts'
import type { ODataProfile, ODataSource } from '../onec/mapping/odata-profile.ts'
import { mapRows, readRows, type ODataClient } from '../onec/odata/index.ts'
import { recordedJob } from '../state/index.ts'
import { RELIABLE, type Db, type JobEngine } from '../store/index.ts'
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
  return applySource(
    db,
    { ...source, keep: ownedElsewhere(options.owners ?? {}, source.entity, source.name) },
    async () => {
      const contexts = await readRows(client, source)
      return { rows: contexts.length, pulled: mapRows(source, contexts, { minorDigits: profile.minorDigits, timeZone: client.timeZone }) }
    },
    { runSource: `odata:${source.name}`, details: { set: source.read.set }, dryRun: options.dryRun ?? false, logger: options.logger },
  )
}

/** The pull queue: one job per source at a time, whichever instance ticks. */
export async function startPullWorker(deps: {
  db: Db
  jobs: JobEngine
  client: ODataClient
  profile: ODataProfile
  owners: Owners
  logger: Logger
}): Promise<(name: string) => Promise<string | null>> {
  // stately: at most one pull of a source waiting and one running, whichever instances tick.
  // A pull whose worker died is retried once; one that failed is not: the next tick pulls again.
  await deps.jobs.boss.createQueue(PULL_QUEUE, { ...RELIABLE, policy: 'stately', retryLimit: 1 })
  await deps.jobs.boss.work<{ source: string }>(
    PULL_QUEUE,
    { pollingIntervalSeconds: 5, batchSize: 1 },
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
  return (name: string) => {
    findSource(deps.profile, name)
    return deps.jobs.boss.send(PULL_QUEUE, { source: name }, { singletonKey: name })
  }
}
