export { applyChanges, InvalidEntityError, EVENTS_LOCK, type ApplyResult, type ApplyOptions, type ChangeType } from './state.ts'
export { startRun, finishRun, failRun, failInterruptedRuns, getRun, listRuns, type Run, type RunFailure, type RunStatus, type RunOutcome } from './runs.ts'
export { listEvents, getEntity, type StoredEvent, type EntityView } from './read.ts'
export { canonicalJson, contentHash, diffFields, type FieldChange } from '../domain/index.ts'
