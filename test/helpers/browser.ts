/**
 * Browser tests drive Debian's Chromium through playwright-core (no browser download): where it is,
 * how to start it here (as root, on a closed network), and the accessibility check every screen gets.
 */
import { execFileSync } from 'node:child_process'
import { AxeBuilder } from '@axe-core/playwright'
import { chromium, type Browser, type Page } from 'playwright-core'
import { expect } from 'vitest'

export function chromiumPath(): string | null {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || null
    } catch {
      // not this name
    }
  }
  return null
}

/** Debian's Chromium, or null where it is not installed (an error under CI_REQUIRE_CHROMIUM). */
export function requiredChromium(): string | null {
  const path = chromiumPath()
  if (!path && process.env.CI_REQUIRE_CHROMIUM) throw new Error('CI_REQUIRE_CHROMIUM is set but Debian chromium is not installed (apt-get install -y chromium)')
  return path
}

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** No serious or critical WCAG 2.2 AA violations on the page as it stands. */
export async function accessible(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze()
  const serious = result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([])
}
