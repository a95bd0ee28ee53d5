import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/**
 * The import rule of src/ (README, "Design"): imports only run downward.
 *
 *   console/                  the admin API
 *   storefront/               storefront REST routes, webhooks/
 *   catalog/   orders/        features: 1C's data in, orders out
 *   state/                    apply changes, outbox, runs, read side
 *   onec/  store/  http/      1C's protocols; PostgreSQL and jobs; HTTP errors and auth
 *   domain/                   pure rules
 *
 * Each folder lists what it must not import. The top-level files (app.ts, jobs.ts, main.ts,
 * cli.ts, runtime.ts) wire everything and are imported by no folder. One cross-feature arrow is
 * allowed because the business needs it: catalog/ → orders/holds.ts (a balance pull settles the
 * holds 1C has written off).
 */
const FEATURES = ['state', 'catalog', 'orders', 'loyalty', 'storefront', 'console']
const WIRING = /^(\.\.\/)+(app|jobs|main|cli|runtime)\.ts$/.source
const folder = (name) => `^(\\.\\./)+${name}/`
const forbid = (names, why) => names.map((name) => ({ regex: folder(name), message: `${why} (the import rule: see eslint.config.js and the README's Design section)` }))

export const LAYERS = {
  domain: [...forbid([...FEATURES, 'onec', 'store', 'http'], 'domain/ is pure rules: it imports nothing of the service')],
  http: [...forbid([...FEATURES, 'onec', 'store'], 'http/ knows HTTP only')],
  store: [...forbid([...FEATURES, 'onec', 'http'], 'store/ knows PostgreSQL and jobs, no feature')],
  onec: [...forbid(FEATURES, 'onec/ speaks 1C and knows no feature')],
  state: [...forbid(['catalog', 'orders', 'loyalty', 'storefront', 'console'], 'state/ is below every feature')],
  catalog: [
    ...forbid(['storefront', 'console'], 'catalog/ is below storefront/ and console/'),
    {
      regex: '^(\\.\\./)+orders/(?!holds\\.ts$)',
      message: 'catalog/ may import only orders/holds.ts of orders/ (the one named cross-feature arrow: a balance pull settles holds)',
    },
    {
      regex: '^(\\.\\./)+loyalty/(?!ledger\\.ts$)',
      message: 'catalog/ may import only loyalty/ledger.ts of loyalty/ (the named arrow: a movements pull announces them and checks the ledger)',
    },
  ],
  loyalty: [...forbid(['catalog', 'orders', 'storefront', 'console'], 'loyalty/ builds on state/ and knows no other feature')],
  orders: [...forbid(['catalog', 'loyalty', 'storefront', 'console'], 'orders/ builds on state/ and knows no other feature')],
  storefront: [...forbid(['catalog', 'console'], 'storefront/ uses orders/ and state/; nothing below imports it')],
  console: [],
}

const layerRules = Object.entries(LAYERS).map(([name, patterns]) => ({
  files: [`src/${name}/**/*.ts`],
  rules: { 'no-restricted-imports': ['error', { patterns: [...patterns, { regex: WIRING, message: 'the top-level files wire the service; no folder imports them' }] }] },
}))

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', 'bench/out/', 'kits/ts/src/schema.ts', 'kits/ts/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Small named functions; a longer one says why above it (and turns the rule off for itself).
    files: ['emulator/**/*.ts', 'demo/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }] },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      // Small named functions; a longer one says why above it (and turns the rule off for itself).
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
      // A folder's index exports its own modules, never another folder's internals.
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration[source.value=/^\\.\\.\\//]', message: 'no barrel re-exports another folder: import from that folder itself' },
        { selector: 'ExportNamedDeclaration[source.value=/^\\.\\.\\//]', message: 'no barrel re-exports another folder: import from that folder itself' },
      ],
    },
  },
  ...layerRules,
  {
    // Tests, benches and the CLI talk to a terminal on purpose.
    files: ['test/**', 'bench/**', 'scripts/**', 'src/cli.ts', 'bin/**', '.ci/**'],
    rules: { 'no-console': 'off' },
  },
)
