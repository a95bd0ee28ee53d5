/**
 * The console in a real browser: Debian's Chromium driven by playwright-core (no browser download)
 * against the real app listening on a port, with data seeded as production is fed. Each P0
 * screen's main path, the roles as the server enforces them, recover-after-count, and an axe
 * check on every screen. With UPDATE_SCREENSHOTS=1 it writes the README's pictures to docs/.
 */
import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accessible, launchChromium, requiredChromium } from './helpers/browser.ts'
import { buildConsoleWorld, INN, ORDER_NUMBER, PASSWORDS, type ConsoleWorld } from './helpers/console-seed.ts'

const executablePath = requiredChromium()
const SHOTS = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : null

let world: ConsoleWorld
let browser: Browser
let base = ''

beforeAll(async () => {
  if (!executablePath) return
  world = await buildConsoleWorld()
  await world.t.app.listen({ port: 0, host: '127.0.0.1' })
  const address = world.t.app.server.address()
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  browser = await launchChromium(executablePath)
  if (SHOTS) mkdirSync(SHOTS, { recursive: true })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await world?.close()
})

async function signedIn(login: string, password: string, locale = 'ru-RU'): Promise<Page> {
  const context = await browser.newContext({ locale, timezoneId: 'Europe/Moscow', viewport: { width: 1360, height: 900 } })
  const page = await context.newPage()
  await page.goto(`${base}/console`)
  await expect.poll(() => page.url()).toContain('/console/login')
  await page.getByLabel(locale.startsWith('ru') ? 'Логин' : 'Login').fill(login)
  await page.getByLabel(locale.startsWith('ru') ? 'Пароль' : 'Password').fill(password)
  await page.getByRole('button', { name: locale.startsWith('ru') ? 'Войти' : 'Sign in' }).click()
  await page.waitForURL(`${base}/console`)
  return page
}

const shot = async (page: Page, name: string) => {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true })
}

describe.skipIf(!executablePath)('the support console in Chromium', () => {
  it('a viewer finds a customer by ИНН: balance from 1C, holds, the cart cap explained line by line, and the run that set the balance', async () => {
    const page = await signedIn('viewer', PASSWORDS.viewer)
    await accessible(page)
    await shot(page, 'health')
    await page.getByRole('searchbox').fill(INN)
    await page.getByRole('button', { name: 'Найти' }).click()
    await page.waitForURL(/\/console\/entities\/customer\/buyer-1/)
    await expect.poll(() => page.getByTestId('balance').innerText()).toMatch(/5\s000 баллов/)
    expect(await page.getByTestId('available').innerText()).toMatch(/4\s900 баллов/)
    expect(
      await page
        .getByTestId('balance')
        .getByRole('link', { name: `#${world.balanceRuns[1]}` })
        .count(),
    ).toBe(1)
    await page.getByLabel('Корзина: по строке «Ид предложения количество»').fill('prod-1 2')
    await page.getByRole('button', { name: 'Разобрать' }).click()
    await expect.poll(() => page.getByTestId('quote-summary').innerText()).toContain('246,9 балла')
    expect(await page.getByTestId('quote-line').innerText()).toContain('ценовая группа')
    expect(page.url()).toContain('cart=prod-1+2')
    await accessible(page)
    await shot(page, 'customer')
    await page
      .getByTestId('balance')
      .getByRole('link', { name: `#${world.balanceRuns[1]}` })
      .click()
    await page.waitForURL(`${base}/console/runs/${world.balanceRuns[1]}`)
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain('OData: bonus-balances')
    await accessible(page)
  })

  it('a viewer finds an order by number and reads its way to 1C; the resend button is absent and the server refuses it', async () => {
    const page = await signedIn('viewer', PASSWORDS.viewer)
    await page.getByRole('searchbox').fill(ORDER_NUMBER)
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/console\/orders\//)
    expect(await page.getByTestId('order-in-1c').innerText()).toContain('1С ещё не приняла этот заказ')
    expect(await page.getByTestId('order-timeline').innerText()).toContain('Удержаны бонусы')
    await accessible(page)
    await shot(page, 'order')
    await page.goto(`${base}/console/deliveries`)
    await page.getByTestId('delivery-row').first().getByRole('link').first().click()
    await page.waitForURL(/\/console\/deliveries\/\d+/)
    expect(await page.getByRole('button', { name: 'Отправить ещё раз' }).count()).toBe(0)
    await accessible(page)
    const id = page.url().split('/').at(-1)
    const csrf = await page.locator('input[name=_csrf]').first().inputValue()
    const refused = await page.request.post(`${base}/console/deliveries/${id}/resend`, { form: { _csrf: csrf } })
    expect(refused.status()).toBe(403)
  })

  it('an operator sees how many deliveries recover-since will requeue before acting, then requeues them', async () => {
    await world.t.db.query(`update deliveries set status = 'dead' where storefront_id = 'shop'`)
    const [{ dead } = { dead: 0 }] = await world.t.db.query<{ dead: number }>(`select count(*)::int as dead from deliveries where status = 'dead'`)
    const page = await signedIn('operator', PASSWORDS.operator)
    await page.goto(`${base}/console/deliveries?storefront=shop`)
    await page.getByRole('link', { name: 'Повторить недоставленные с момента…' }).click()
    await page.getByLabel('Не доставленные с').fill('2000-01-01T00:00')
    await page.getByRole('button', { name: 'Посчитать' }).click()
    await expect.poll(() => page.getByTestId('recover-count').innerText()).toContain(String(dead))
    expect(await world.t.db.query(`select 1 from deliveries where status = 'dead'`)).toHaveLength(dead)
    await accessible(page)
    await shot(page, 'recover')
    await page.getByRole('button', { name: new RegExp(`^Повторить ${dead} `) }).click()
    await page.waitForURL(/status=pending/)
    expect(await world.t.db.query(`select 1 from deliveries where status = 'dead'`)).toHaveLength(0)
  })

  it('the runs list keeps its filters in the URL across a reload, in English too', async () => {
    const page = await signedIn('viewer', PASSWORDS.viewer, 'en-US')
    await page.goto(`${base}/console/runs`)
    await page.getByLabel('Source').selectOption('odata:bonus-balances')
    await page.getByRole('button', { name: 'Apply' }).click()
    await page.waitForURL(/source=odata%3Abonus-balances/)
    await page.reload()
    expect(await page.getByTestId('run-row').count()).toBe(2)
    expect(await page.getByLabel('Source').inputValue()).toBe('odata:bonus-balances')
    await accessible(page)
    await shot(page, 'runs')
  })
})
