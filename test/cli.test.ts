import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { catalogXml, offersXml } from './samples/ut11.ts'
import { clusterDir } from './helpers/service-process.ts'

const CLI = fileURLToPath(new URL('../bin/onec-bridge.js', import.meta.url))
const run = promisify(execFile)

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onec-bridge-cli-'))
  await writeFile(join(dir, 'import0_1.xml'), catalogXml())
  await writeFile(join(dir, 'offers0_1.xml'), offersXml())
  await writeFile(join(dir, 'broken.xml'), '<КоммерческаяИнформация><Каталог>')
})
afterAll(async () => {
  // As root the embedded cluster may live outside DATA_DIR (DATA_DIR/pg.location).
  await rm(await clusterDir(join(dir, 'data')), { recursive: true, force: true })
  await rm(dir, { recursive: true, force: true })
})

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return cliWith({}, ...args)
}

async function cliWith(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', DATA_DIR: join(dir, 'data'), ...env } })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

describe('onec-bridge import', () => {
  it('--dry-run lists what would change and changes nothing', async () => {
    const dry = await cli('import', join(dir, 'import0_1.xml'), '--dry-run', '--show', '1')
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain('[пробный прогон] import0_1.xml: каталог; принято 5: новых 5')
    expect(dry.stdout).toMatch(/первые 1 из 5 изменений:\n {2}created group \S+ v1/)
    const real = await cli('import', join(dir, 'import0_1.xml'), join(dir, 'offers0_1.xml'))
    expect(real.code).toBe(0)
    expect(real.stdout).toMatch(/import0_1\.xml: каталог; принято 5: новых 5, изменено 0, удалено 0, без изменений 0; группы 1, свойства 2, товары 2 \(прогон \d+\)/)
    expect(real.stdout).toMatch(/offer: принято 2: новых 2/)
    // English when the integrator asks for it.
    const english = await cliWith({ EXCHANGE_LANGUAGE: 'en' }, 'import', join(dir, 'offers0_1.xml'), '--dry-run')
    expect(english.stdout).toMatch(/\[dry run\] offers0_1\.xml: offers; \d+ seen, 0 new, 0 changed, 0 removed, \d+ unchanged; .*offers 2/)
  })

  it('a file that fails exits 1, names it and applies nothing', async () => {
    const failed = await cli('import', join(dir, 'broken.xml'))
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain('broken.xml: загрузка не удалась, из файла ничего не применено: файл broken.xml, строка 1')
  })

  it('prints usage for an unknown command', async () => {
    const unknown = await cli('frobnicate')
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('unknown command "frobnicate"')
  })
})

describe('onec-bridge mapping check', () => {
  it('reads $metadata from the base and lists what the profile needs and the base hides', async () => {
    const { createServer } = await import('node:http')
    const { readFile } = await import('node:fs/promises')
    const xml = await readFile(new URL('./samples/ut11-metadata.xml', import.meta.url), 'utf8')
    const server = createServer((request, response) => {
      if (request.url?.endsWith('/$metadata') && request.headers.authorization === `Basic ${Buffer.from('odata:secret').toString('base64')}`) {
        response.writeHead(200, { 'content-type': 'application/xml' }).end(xml)
      } else response.writeHead(401).end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/trade/odata/standard.odata`
    try {
      const checked = await cli('mapping', 'check', 'ut11', '--url', url, '--user', 'odata', '--password', 'secret')
      expect(checked.code).toBe(1)
      expect(checked.stdout).toContain('ut11: проблем 10 в')
      expect(checked.stdout).toContain('stock: набор AccumulationRegister_ТоварыНаСкладах не опубликован: добавьте его в состав стандартного интерфейса OData')
      const refused = await cli('mapping', 'check', 'ut11', '--url', url, '--user', 'odata', '--password', 'wrong')
      // A refused login is a configuration problem: exit 2 and one line, like a bad setting.
      expect(refused.code).toBe(2)
      expect(refused.stderr.trim()).toBe('onec-bridge: 1C refused the credentials of the OData user')
    } finally {
      server.close()
    }
  })
})
