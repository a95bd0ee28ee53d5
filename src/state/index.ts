export { applyChanges, type ApplyResult, type ApplyOptions, type ChangeType } from './apply.ts'
export {
  startRun,
  finishRun,
  failRun,
  failInterruptedRuns,
  getRun,
  listRuns,
  countRuns,
  lastRunOf,
  recordFailure,
  failureOf,
  isRecorded,
  withRun,
  beat,
  recordedJob,
  type Run,
  type RunFailure,
  type RunStatus,
  type RunOutcome,
} from './runs.ts'
export {
  listEvents,
  getEntity,
  readEntity,
  readAll,
  readPage,
  offersOfProduct,
  readMedia,
  customersByInn,
  feedFor,
  type StoredEvent,
  type EntityView,
  type StateView,
  type FeedEvent,
} from './read.ts'
export { notice, noticeBonus, flushNotices } from './outbox.ts'
export { DryRunRollback } from './dry-run.ts'
