import { defineConfig } from 'vitest/config'

/** `npm run test:cluster`: several service processes on the machine's PostgreSQL behind nginx (test/cluster). */
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    maxWorkers: 1,
  },
})
