/** Customers going quiet: the warning (+10 %) and red (+30 %) zones of the silent-churn signal, with their numbers. */
import type { CustomerAtRisk } from '../../loyalty/index.ts'
import { html } from '../html.ts'
import { plural, w } from '../i18n.ts'
import { entityHref, page, type PageContext } from '../layout.ts'

const DAYS = { ru: { one: 'день', few: 'дня', many: 'дней', other: 'дня' }, en: { one: 'day', other: 'days' } }
const days = (ctx: PageContext, count: number) =>
  plural(ctx.lang, count, DAYS, new Intl.NumberFormat(ctx.lang === 'ru' ? 'ru-RU' : 'en-US', { maximumFractionDigits: 1 }).format(count))

/** A purchase day (the signal counts whole days): the date alone. */
const purchaseDay = (ctx: PageContext, day: Date) =>
  new Intl.DateTimeFormat(ctx.lang === 'ru' ? 'ru-RU' : 'en-GB', { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' }).format(day)

export function churnPage(ctx: PageContext, customers: readonly CustomerAtRisk[], rule: { warningPercent: number; redPercent: number; minPurchases: number }): string {
  const { lang } = ctx
  const zone = (item: CustomerAtRisk) =>
    html`<span class="chip ${item.zone === 'red' ? 'bad' : 'warn'}" data-status="${item.zone}"
      >${item.zone === 'red' ? w(lang, `красная зона (+${rule.redPercent} %)`, `red zone (+${rule.redPercent} %)`) : w(lang, `внимание (+${rule.warningPercent} %)`, `warning (+${rule.warningPercent} %)`)}</span
    >`
  const body = html`<h1>${w(lang, 'Клиенты на грани ухода', 'Customers going quiet')}</h1>
    <p class="muted">
      ${w(
        lang,
        `Обычный цикл покупок клиента — медиана промежутков между его покупками (реализации из 1С и заказы здесь; не меньше ${rule.minPurchases} дней с покупками). Пауза длиннее цикла на ${rule.warningPercent} % — внимание, на ${rule.redPercent} % — красная зона. Оценка — по расписанию профиля (по умолчанию раз в сутки).`,
        `A customer's usual cycle is the median gap between its purchases (1C's sales and the orders taken here; at least ${rule.minPurchases} purchase days). A quiet spell ${rule.warningPercent} % over it is a warning, ${rule.redPercent} % the red zone. Assessed on the profile's schedule (daily by default).`,
      )}
    </p>
    ${
      customers.length === 0
        ? html`<p data-testid="churn-empty">${w(lang, 'Сейчас никто не молчит дольше обычного.', 'Nobody is quieter than usual now.')}</p>`
        : html`<table>
            <caption>
              ${w(lang, `Клиентов в зонах: ${customers.length}`, `Customers in the zones: ${customers.length}`)}
            </caption>
            <thead>
              <tr>
                <th scope="col">${w(lang, 'Клиент', 'Customer')}</th>
                <th scope="col">${w(lang, 'Зона', 'Zone')}</th>
                <th scope="col" class="num">${w(lang, 'Обычный цикл', 'Usual cycle')}</th>
                <th scope="col" class="num">${w(lang, 'Без покупок', 'Quiet for')}</th>
                <th scope="col" class="num">${w(lang, 'Просрочка', 'Overdue')}</th>
                <th scope="col">${w(lang, 'Последняя покупка', 'Last purchase')}</th>
                <th scope="col">${w(lang, 'Уровень', 'Level')}</th>
              </tr>
            </thead>
            <tbody>
              ${customers.map(
                (item) =>
                  html`<tr data-testid="churn-row" data-zone="${item.zone}">
                    <td><a href="${entityHref('customer', item.customerId)}">${item.name ?? item.customerId}</a></td>
                    <td>${zone(item)}</td>
                    <td class="num">${days(ctx, item.cycleDays)}</td>
                    <td class="num">${days(ctx, item.gapDays)}</td>
                    <td class="num">${days(ctx, item.daysOverdue)}</td>
                    <td>${purchaseDay(ctx, item.lastPurchaseAt)}</td>
                    <td>${item.level ?? '—'}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }`
  return page(ctx, { title: w(lang, 'Отток', 'Churn'), active: '/console/churn', body })
}
