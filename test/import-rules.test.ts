/**
 * The import rule of src/ is enforced by lint (eslint.config.js): imports that break it fail
 * `npm run lint`; the ones the design allows pass.
 */
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname })

async function problems(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: file })
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports' || message.ruleId === 'no-restricted-syntax').map((message) => message.message)
}

describe('the import rule', () => {
  it.each([
    ['src/onec/commerceml/x.ts', "import { takeOrder } from '../../orders/intake.ts'\nexport const x = takeOrder\n", /onec\/ speaks 1C/],
    ['src/state/x.ts', "import { importHere } from '../catalog/commerceml-import.ts'\nexport const x = importHere\n", /state\/ is below every feature/],
    ['src/orders/x.ts', "import { storefrontApi } from '../storefront/index.ts'\nexport const x = storefrontApi\n", /orders\/ builds on state\//],
    ['src/orders/x.ts', "import { pullSource } from '../catalog/odata-pull.ts'\nexport const x = pullSource\n", /orders\/ builds on state\//],
    ['src/catalog/x.ts', "import { takeOrder } from '../orders/intake.ts'\nexport const x = takeOrder\n", /only orders\/holds\.ts/],
    ['src/storefront/webhooks/x.ts', "import { adminApi } from '../../console/admin-api.ts'\nexport const x = adminApi\n", /nothing below imports it/],
    ['src/domain/x.ts', "import type { Db } from '../store/index.ts'\nexport type X = Db\n", /domain\/ is pure/],
    ['src/orders/x.ts', "import { buildApp } from '../app.ts'\nexport const x = buildApp\n", /top-level files/],
    ['src/state/index.ts', "export { canonicalJson } from '../domain/index.ts'\n", /no barrel/],
  ])('refuses %s: %s', async (file, source, why) => {
    const found = await problems(file, source)
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(why)
  })

  it.each([
    ['src/catalog/x.ts', "import { settleConfirmedHolds } from '../orders/holds.ts'\nexport const x = settleConfirmedHolds\n"],
    ['src/storefront/routes/x.ts', "import { takeOrder } from '../../orders/index.ts'\nimport { readAll } from '../../state/index.ts'\nexport const x = [takeOrder, readAll]\n"],
    ['src/console/x.ts', "import { createWebhooks } from '../storefront/webhooks/index.ts'\nexport const x = createWebhooks\n"],
    ['src/orders/x.ts', "import { notice } from '../state/index.ts'\nimport { quote } from '../onec/odata/index.ts'\nexport const x = [notice, quote]\n"],
    ['src/jobs.ts', "import { startPullWorker } from './catalog/odata-pull.ts'\nexport const x = startPullWorker\n"],
  ])('allows %s', async (file, source) => {
    expect(await problems(file, source)).toEqual([])
  })
})
