/** `npm run bench [name]`: runs one benchmark, or all of them. */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const BENCHES = {
  'change-detection': './change-detection.ts',
  'commerceml-import': './commerceml-import/run.ts',
  'catalogue-import': './catalogue-import/run.ts',
  'odata-pull': './odata-pull/run.ts',
  webhooks: './webhooks/run.ts',
  orders: './orders/run.ts',
  scale: './scale/run.ts',
} as const
const wanted = process.argv[2]
const names = wanted ? [wanted] : Object.keys(BENCHES)
for (const name of names) {
  const file = BENCHES[name as keyof typeof BENCHES]
  if (!file) {
    console.error(`unknown bench ${name}; benches: ${Object.keys(BENCHES).join(', ')}`)
    process.exit(2)
  }
  const result = spawnSync(process.execPath, [fileURLToPath(new URL(file, import.meta.url)), ...process.argv.slice(3)], { stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}
