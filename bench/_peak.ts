let max = 0
let at = ''
const t0 = performance.now()
setInterval(() => {
  const r = process.memoryUsage()
  if (r.rss > max) {
    max = r.rss
    at = `${Math.round(performance.now() - t0)}ms rss=${Math.round(r.rss / 1e6)} ext=${Math.round(r.external / 1e6)} heap=${Math.round(r.heapUsed / 1e6)} ab=${Math.round(r.arrayBuffers / 1e6)}`
  }
}, 5).unref()
process.on('exit', () => console.error('PEAK', at))
await import('./commerceml-import/import-file.ts')
