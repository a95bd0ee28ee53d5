/**
 * A test hook: with ONEC_BRIDGE_CRASH_AT=<point> the process kills itself with SIGKILL when it
 * reaches that point, so tests can show that nothing is lost between a commit and what follows
 * it. Points: `after-fan-out-commit` (deliveries and their jobs committed), `after-order-commit`
 * (an order and its forwarding job committed). Never set in production.
 */
export function crashPoint(point: 'after-fan-out-commit' | 'after-order-commit'): void {
  if (process.env.ONEC_BRIDGE_CRASH_AT === point) process.kill(process.pid, 'SIGKILL')
}
