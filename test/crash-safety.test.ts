import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { migrate, openPglite, type Db } from '../src/store/index.ts'
import { applyChanges, failInterruptedRuns, getEntity, getRun, startRun } from '../src/sync/index.ts'
import { offer } from './fixtures.ts'
import { openTestDb, TEST_DATABASE_URL } from './helpers/db.ts'

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
  const [counts] = await db.query<{ events: number; states: number }>(
    'select (select count(*)::int from events) as events, (select count(*)::int from entity_state) as states',
  )
  expect(counts).toEqual({ events: 1, states: 1 })
}

describe('a process killed in the middle of applyChanges', () => {
  it.skipIf(TEST_DATABASE_URL)('leaves the previous state and no events on the embedded store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'onec-bridge-crash-'))
    try {
      const setup = await openPglite({ dataDir: dir })
      await migrate(setup)
      await applyChanges(setup, await startRun(setup, 'test', 'offers'), [offer('a')])
      await setup.close()

      await killMidApply([dir])

      const reopened = await openPglite({ dataDir: dir })
      try {
        await expectPreviousState(reopened)
        // The store still takes writes after recovery.
        const result = await applyChanges(reopened, await startRun(reopened, 'test', 'offers'), [offer('b')])
        expect(result.created).toBe(1)
      } finally {
        await reopened.close()
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it.skipIf(!TEST_DATABASE_URL)('leaves the previous state and no events on a PostgreSQL server', async () => {
    const t = await openTestDb()
    try {
      await applyChanges(t.db, await startRun(t.db, 'test', 'offers'), [offer('a')])
      await killMidApply([TEST_DATABASE_URL!, t.schema!])
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
  it('is marked failed as interrupted at the next start of the embedded store', async () => {
    const t = await openTestDb()
    try {
      const cut = await startRun(t.db, 'commerceml', 'offers')
      expect(await failInterruptedRuns(t.db)).toBe(1)
      const run = await getRun(t.db, cut.id)
      expect(run).toMatchObject({ status: 'failed', error: { reason: expect.stringMatching(/^interrupted/) } })
      expect(run?.finishedAt).not.toBeNull()
    } finally {
      await t.close()
    }
  })
})
