import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createJobEngine } from '../src/store/index.ts'
import { openTestDb, type TestDb } from './helpers/db.ts'

let t: TestDb
beforeAll(async () => {
  t = await openTestDb()
})
afterAll(async () => {
  await t.close()
})

const engine = () => createJobEngine(t.db, { schema: t.jobSchema, maintenance: false })

describe('durable jobs', () => {
  it('survives its connections being cut (a PostgreSQL restart, a dropped link): reported, not fatal, and working after', async () => {
    const errors: Error[] = []
    const jobs = createJobEngine(t.db, { schema: t.jobSchema, maintenance: false, onError: (error) => errors.push(error) })
    await jobs.start()
    try {
      await jobs.boss.createQueue('cut-test')
      await jobs.boss.send('cut-test', { n: 1 })
      // Every connection pg-boss holds, ended by the server as a restart or an administrator would.
      const cut = await t.db.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1`, [`onec-bridge jobs ${process.pid}`])
      expect(cut.length).toBeGreaterThan(0)
      // Each idle connection reports its end (one in use at that moment fails its statement instead).
      await expect.poll(() => errors.length, { timeout: 5_000 }).toBeGreaterThan(0)
      expect(errors[0]?.message).toMatch(/terminating connection/)
      // Working after: a send that meets a connection the pool has not yet let go of fails once, as a caller's would.
      const sendAgain = async (attempt: number): Promise<string | null> =>
        jobs.boss.send('cut-test', { n: 2 }).catch((error: unknown) => (attempt < 3 ? sendAgain(attempt + 1) : Promise.reject(error)))
      expect(await sendAgain(1)).toEqual(expect.any(String))
    } finally {
      await jobs.stop({ graceful: false })
    }
  })

  it('keeps a job queued while no engine runs and hands it to the next one', async () => {
    const first = engine()
    await first.start()
    await first.boss.createQueue('durable-test')
    const id = await first.boss.send('durable-test', { offer: 'a' })
    await first.stop({ graceful: true })

    const second = engine()
    await second.start()
    try {
      const seen = new Promise<unknown>((resolve) => {
        void second.boss.work('durable-test', { pollingIntervalSeconds: 0.5 }, async ([job]) => {
          resolve({ id: job?.id, data: job?.data })
        })
      })
      expect(await seen).toEqual({ id, data: { offer: 'a' } })
    } finally {
      await second.stop({ graceful: true })
    }
  })

  it('lets a running job finish on a graceful stop', async () => {
    const jobs = engine()
    await jobs.start()
    await jobs.boss.createQueue('graceful-test')
    let finished = false
    let started!: () => void
    const running = new Promise<void>((resolve) => (started = resolve))
    await jobs.boss.work('graceful-test', { pollingIntervalSeconds: 0.5 }, async () => {
      started()
      await new Promise((resolve) => setTimeout(resolve, 700))
      finished = true
    })
    const id = await jobs.boss.send('graceful-test', {})
    await running
    await jobs.stop({ graceful: true, timeoutMs: 10_000 })
    expect(finished).toBe(true)

    const check = engine()
    await check.start()
    try {
      const job = await check.boss.getJobById('graceful-test', id!)
      expect(job?.state).toBe('completed')
    } finally {
      await check.stop()
    }
  })
})
