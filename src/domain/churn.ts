/**
 * The silent-churn signal: a regular customer who goes quiet. A customer's normal purchase cycle
 * is the median of the gaps between its purchase days (one purchase a day counts once; the median
 * ignores a single long holiday or a burst of orders). The gap since the last purchase is compared
 * with it: more than `warningPercent` over the cycle is the warning zone, more than `redPercent`
 * the red zone. Too little history (fewer than `minPurchases` purchase days) says nothing.
 */

export type ChurnZone = 'none' | 'warning' | 'red'

export interface ChurnRule {
  /** Purchase days needed before a cycle means anything. */
  minPurchases: number
  /** The warning zone: the gap exceeds the cycle by more than this many percent. */
  warningPercent: number
  /** The red zone: by more than this many percent. */
  redPercent: number
}

export interface ChurnAssessment {
  zone: ChurnZone
  /** The usual gap between purchases, days (a median: may be .5). */
  cycleDays: number
  /** Days since the last purchase. */
  gapDays: number
  /** Days past the cycle (0 while within it). */
  daysOverdue: number
  lastPurchaseAt: Date
}

const DAY = 86_400_000

/** Purchase instants → whole UTC days, once each, in order. */
function purchaseDays(purchases: readonly Date[]): number[] {
  return [...new Set(purchases.map((at) => Math.floor(at.getTime() / DAY)))].sort((a, b) => a - b)
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

/** null: too little history to say (or no purchase yet). */
export function assessChurn(purchases: readonly Date[], now: Date, rule: ChurnRule): ChurnAssessment | null {
  const days = purchaseDays(purchases.filter((at) => at.getTime() <= now.getTime()))
  if (days.length < Math.max(2, rule.minPurchases)) return null
  const gaps = days.slice(1).map((day, index) => day - (days[index] as number))
  const cycleDays = median(gaps)
  const last = days.at(-1) as number
  const gapDays = Math.floor(now.getTime() / DAY) - last
  // Percent arithmetic on whole numbers: gap/cycle > 1 + p/100  ⇔  100·gap > (100 + p)·cycle.
  const over = (percent: number) => 100 * gapDays > (100 + percent) * cycleDays
  const zone: ChurnZone = over(rule.redPercent) ? 'red' : over(rule.warningPercent) ? 'warning' : 'none'
  return { zone, cycleDays, gapDays, daysOverdue: Math.max(0, gapDays - Math.ceil(cycleDays)), lastPurchaseAt: new Date(last * DAY) }
}

/** Whether moving from `before` to `after` is news for the storefront: entering a worse zone, or leaving the zones. */
export function churnNews(before: ChurnZone, after: ChurnZone): boolean {
  const rank = { none: 0, warning: 1, red: 2 }
  return rank[after] > rank[before] || (after === 'none' && before !== 'none')
}

/** The level a turnover reaches: the highest threshold not above it (thresholds in any order). */
export function levelOf(turnoverMinor: number, thresholds: ReadonlyArray<{ level: string; minMinor: number }>): string | null {
  let best: { level: string; minMinor: number } | null = null
  for (const threshold of thresholds) if (turnoverMinor >= threshold.minMinor && (best === null || threshold.minMinor > best.minMinor)) best = threshold
  return best?.level ?? null
}
