/**
 * The real app on a port beside the УТ 11.5 emulator: 1C's OData interface first (the app's
 * ODATA_URL points at it), then the app, then the emulator again with the app as the site it
 * exchanges with. `prime` runs a full catalogue exchange and every pull of the profile.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DestinationStream } from 'pino'
import { startEmulator, type Emulator } from '../../emulator/index.ts'
import { pullSource, type PullResult } from '../../src/catalog/odata-pull.ts'
import { createODataClient, type ODataClient } from '../../src/onec/odata/index.ts'
import { buildTestApp, EXCHANGE_PASSWORD, EXCHANGE_USER, STOREFRONT_KEY, type TestApp } from './app.ts'

export const EMULATOR_ODATA = { user: 'Сайт', password: 'пароль' }

export interface EmulatedBase {
  t: TestApp
  emulator: Emulator
  client(): ODataClient
  pull(name: string): Promise<PullResult>
  pullAll(): Promise<void>
  /** Message payloads of `type` for storefronts, in the order they were written (the outbox, then waiting notices). */
  messages(type: string): Promise<Array<Record<string, unknown>>>
  close(): Promise<void>
}

export async function startEmulatedBase(options: { env?: Record<string, string>; logTo?: DestinationStream; postAfterMs?: number; prime?: boolean } = {}): Promise<EmulatedBase> {
  const folder = await mkdtemp(join(tmpdir(), 'onec-bridge-emulated-'))
  const first = await startEmulator({ dataDir: folder, reset: true, odata: EMULATOR_ODATA })
  const odataPort = Number(new URL(first.odata.url).port)
  const t = await buildTestApp(
    { MAPPING_PROFILE: 'ut11', ODATA_URL: first.odata.url, ODATA_USER: EMULATOR_ODATA.user, ODATA_PASSWORD: EMULATOR_ODATA.password, ...options.env },
    {
      configFile: {
        odata: { schedule: false },
        storefronts: [{ id: 'shop', url: 'https://shop.example/hooks', secrets: ['whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0'], enabled: false, apiKeys: [STOREFRONT_KEY] }],
      },
      ...(options.logTo && { logTo: options.logTo }),
    },
  )
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  const address = t.app.server.address()
  await first.stop()
  const emulator = await startEmulator({
    dataDir: folder,
    odata: { ...EMULATOR_ODATA, port: odataPort },
    site: { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/1c/exchange`, user: EXCHANGE_USER, password: EXCHANGE_PASSWORD },
    ...(options.postAfterMs !== undefined && { postAfterMs: options.postAfterMs }),
  })
  const client = () => createODataClient({ baseUrl: emulator.odata.url, user: EMULATOR_ODATA.user, password: EMULATOR_ODATA.password, timeZone: 'Europe/Moscow', retries: 0 })
  const pull = (name: string) => pullSource(t.db, client(), t.profile.odata!, name, { owners: t.profile.owners })
  const pullAll = async () => {
    for (const source of t.profile.odata?.sources ?? []) await pull(source.name)
  }
  if (options.prime) {
    await emulator.runCatalogExchange(true)
    await pullAll()
  }
  return {
    t,
    emulator,
    client,
    pull,
    pullAll,
    async messages(type) {
      const rows = await t.db.query<{ payload: Record<string, unknown> }>(
        `select payload from (select payload, 1 as part, seq as n from events where message_type = $1 union all select payload, 2, id from event_notices where message_type = $1) x order by part, n`,
        [type],
      )
      return rows.map((row) => row.payload)
    },
    async close() {
      await emulator.stop()
      await t.close()
      await rm(folder, { recursive: true, force: true })
    },
  }
}
