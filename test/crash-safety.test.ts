import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { INSTANCE_SETTING, openInstance, openPostgres, type Db } from '../src/store/index.ts'
import { applyChanges, failInterruptedRuns, getEntity, getRun, startRun } from '../src/state/index.ts'
import { offer } from './fixtures.ts'
import { engine, openTestDb } from './helpers/db.ts'

const CHILD = fileURLToPath(new URL('./helpers/apply-and-hang.ts', import.meta.url))

/** Starts the child, waits until it is inside applyChanges' transaction, then kills it with SIGKILL. */
async function killMidApply(args: string[]): Promise<void> {
  const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += chunk))
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('IN_TRANSACTION')) resolve()
    })
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before reaching the transaction: ${stderr}`)))
  })
  const exited = new Promise((resolve) => child.on('exit', resolve))
  child.kill('SIGKILL')
  await exited
}

async function expectPreviousState(db: Db): Promise<void> {
  const a = await getEntity(db, 'offer', 'a')
  expect(a).toMatchObject({ version: 1, removed: false })
  expect(await getEntity(db, 'offer', 'b')).toBeNull()
  const [counts] = await db.query<{ events: number; states: number }>('select (select count(*)::int from events) as events, (select count(*)::int from entity_state) as states')
  expect(counts).toEqual({ events: 1, states: 1 })
}

describe('a process killed in the middle of applyChanges', () => {
  it(`leaves the previous state and no events (${engine} store)`, async () => {
    const t = await openTestDb()
    try {
      await applyChanges(t.db, await startRun(t.db, 'test', 'offers'), [offer('a')])
      await killMidApply(t.schema ? [t.connectionString, t.schema] : [t.connectionString])
      // The server rolls the dead session back; its advisory lock goes with it.
      await expectPreviousState(t.db)
      const result = await applyChanges(t.db, await startRun(t.db, 'test', 'offers'), [offer('b')])
      expect(result.created).toBe(1)
    } finally {
      await t.close()
    }
  })
})

describe('a run cut off by a crash', () => {
  it('is marked failed as interrupted once the process that started it is gone, and not before', async () => {
    const t = await openTestDb()
    const instance = await openInstance(t.connectionString, { schema: t.schema, applicationName: 'onec-bridge test-instance' })
    const stamped = await openPostgres({ connectionString: t.connectionString, schema: t.schema, settings: { [INSTANCE_SETTING]: String(instance.id) } })
    try {
      const alive = await startRun(stamped, 'commerceml', 'offers')
      const legacy = await startRun(t.db, 'commerceml', 'offers')
      // A run without an instance (from before instance ids) counts as cut off; the live one is left alone.
      expect(await failInterruptedRuns(t.db)).toBe(1)
      expect(await getRun(t.db, alive.id)).toMatchObject({ status: 'running' })
      expect(await getRun(t.db, legacy.id)).toMatchObject({ status: 'failed' })

      await instance.close()
      expect(await failInterruptedRuns(t.db)).toBe(1)
      const run = await getRun(t.db, alive.id)
      expect(run).toMatchObject({ status: 'failed', error: { reason: expect.stringMatching(/^interrupted/) } })
      expect(run?.finishedAt).not.toBeNull()
    } finally {
      await instance.close()
      await stamped.close()
      await t.close()
    }
  })
})
