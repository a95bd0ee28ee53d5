/** S6 Orders: the list with "not in 1C after N minutes", and one order's way from intake to 1C and back. */
import { getOrder, listOrders, OrderStatus } from '../../orders/index.ts'
import type { Db } from '../../store/index.ts'
import { auditOf } from '../audit.ts'
import { html, type Markup } from '../html.ts'
import { formatPoints, w } from '../i18n.ts'
import { chip, csrfField, entityHref, json, page, when, type PageContext } from '../layout.ts'
import { findDeliveries, orderExchangeSteps } from '../read.ts'
import { mayAct } from '../users.ts'
import { auditList } from './shared.ts'

export interface OrdersQuery {
  status?: string | undefined
  number?: string | undefined
  customer?: string | undefined
  /** Only orders 1C has not taken this many minutes after intake. */
  notInOneCMinutes?: number | undefined
}

export async function ordersPage(db: Db, ctx: PageContext, query: OrdersQuery): Promise<string> {
  const { lang } = ctx
  const status = OrderStatus.safeParse(query.status).data
  const minutes = query.notInOneCMinutes
  const orders = (await listOrders(db, {
    status,
    number: query.number || undefined,
    customerId: query.customer || undefined,
    notInOneCSince: minutes ? new Date(ctx.now.getTime() - minutes * 60_000) : undefined,
    limit: 200,
  })) as Array<Record<string, unknown>>
  const body = html`<h1>${w(lang, 'Заказы', 'Orders')}</h1>
    <form class="filters" method="get" action="/console/orders">
      <label>${w(lang, 'Номер (сайта или 1С)', 'Number (storefront or 1C)')}<input name="number" value="${query.number ?? ''}" /></label>
      <label
        >${w(lang, 'Статус', 'Status')}<select name="status">
          <option value="">${w(lang, 'любой', 'any')}</option>
          ${OrderStatus.options.map((value) => html`<option value="${value}" ${value === status ? html`selected` : ''}>${value}</option>`)}
        </select></label
      >
      <label>${w(lang, 'Не в 1С дольше, мин', 'Not in 1C after, min')}<input name="notInOneCMinutes" type="number" min="1" value="${minutes ?? ''}" /></label>
      <button type="submit">${w(lang, 'Показать', 'Apply')}</button> <a href="/console/orders">${w(lang, 'Сбросить', 'Clear all')}</a>
    </form>
    <table>
      <caption>
        ${w(lang, `Заказов: ${orders.length}, новые сверху`, `${orders.length} orders, newest first`)}
      </caption>
      <thead>
        <tr>
          <th scope="col">№</th>
          <th scope="col">${w(lang, 'Витрина', 'Storefront')}</th>
          <th scope="col">${w(lang, 'Контрагент', 'Customer')}</th>
          <th scope="col">${w(lang, 'Статус', 'Status')}</th>
          <th scope="col">${w(lang, 'Бонусы', 'Bonuses')}</th>
          <th scope="col">${w(lang, '№ в 1С', '1C number')}</th>
          <th scope="col">${w(lang, 'Принят', 'Taken')}</th>
        </tr>
      </thead>
      <tbody>
        ${orders.map(
          (order) =>
            html`<tr data-testid="order-row">
              <td><a href="/console/orders/${encodeURIComponent(String(order.id))}">${String(order.number)}</a></td>
              <td>${String(order.storefrontId)}</td>
              <td><a class="mono" href="${entityHref('customer', String(order.customerId))}">${String(order.customerId)}</a></td>
              <td>${chip(ctx, String(order.status))}</td>
              <td>${formatPoints(lang, Number(order.bonusMinor))}</td>
              <td>${order.oneCNumber ? String(order.oneCNumber) : '—'}</td>
              <td>${when(ctx, order.createdAt as string)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`
  return page(ctx, { title: w(lang, 'Заказы', 'Orders'), active: '/console/orders', body })
}

interface Step {
  at: Date | string | null
  what: Markup
  oneC?: boolean
}

function timeline(ctx: PageContext, steps: Step[]): Markup {
  const sorted = [...steps].sort((a, b) => new Date(a.at ?? 0).getTime() - new Date(b.at ?? 0).getTime())
  return html`<ol class="timeline" data-testid="order-timeline">
    ${sorted.map((step) => html`<li>${when(ctx, step.at, { oneC: step.oneC ?? false })} — ${step.what}</li>`)}
  </ol>`
}

type OrderView = NonNullable<Awaited<ReturnType<typeof getOrder>>> & {
  id: string
  number?: string
  status?: string
  createdAt?: Date
  exportedAt?: Date | null
  oneC?: Record<string, unknown>
  error?: string | null
  customerId?: string
  storefrontId?: string
  bonusMinor?: number
  waitingForOrderExchange?: boolean
}

async function orderSteps(db: Db, ctx: PageContext, order: OrderView): Promise<Step[]> {
  const { lang } = ctx
  const id = String(order.id)
  const [sent, deliveries] = await Promise.all([orderExchangeSteps(db, id), findDeliveries(db, { key: id, limit: 100 })])
  const history = order.history as Array<{ status: string; note: string | null; at: Date }>
  const holds = order.holds as Array<{ accountId: string; amountMinor: number; status: string; createdAt: Date; endedAt: Date | null }>
  return [
    { at: order.createdAt ?? null, what: html`${w(lang, 'Заказ принят от витрины', 'Taken from the storefront')} ${order.storefrontId ?? ''}` },
    ...holds.map((hold) => ({
      at: hold.createdAt,
      what: html`${w(lang, 'Удержаны бонусы', 'Bonuses held')}: ${formatPoints(lang, Number(hold.amountMinor))} ${w(lang, 'со счёта', 'on account')}
        <a class="mono" href="${entityHref('bonus_account', hold.accountId)}">${hold.accountId}</a> ${chip(ctx, hold.status)}`,
    })),
    ...holds.filter((hold) => hold.endedAt).map((hold) => ({ at: hold.endedAt, what: html`${w(lang, 'Удержание закончено', 'Hold ended')}: ${chip(ctx, hold.status)}` })),
    ...sent.map((step) => ({
      at: step.sentAt,
      what: html`${w(lang, 'Отдан 1С в ответ на запрос заказов (ждём подтверждения success)', "Sent in answer to 1C's order query (waiting for success)")}`,
    })),
    ...history.map((entry) => ({ at: entry.at, what: html`${chip(ctx, entry.status)} ${entry.note ?? ''}`, oneC: true })),
    ...deliveries.map((delivery) => ({
      at: delivery.createdAt,
      what: html`${w(lang, 'Сообщение витрине', 'Message to the storefront')}
        <a href="/console/deliveries/${delivery.id}">${delivery.type}</a> ${chip(ctx, delivery.status)}${delivery.lastStatus ? ` HTTP ${delivery.lastStatus}` : ''}`,
    })),
  ]
}

export async function orderPage(db: Db, ctx: PageContext, id: string): Promise<string | null> {
  const order = (await getOrder(db, id, null)) as OrderView | null
  if (!order) return null
  const { lang } = ctx
  const [steps, audit] = await Promise.all([orderSteps(db, ctx, order), auditOf(db, [{ kind: 'order', key: id }])])
  const oneC = order.oneC ?? {}
  const inOneC = Boolean(order.exportedAt)
  const body = html`<h1>${w(lang, 'Заказ', 'Order')} № ${order.number ?? id}</h1>
    ${order.error ? html`<p class="sentence" role="alert" data-testid="order-error"><strong>${w(lang, 'Ошибка 1С', "1C's error")}:</strong> ${order.error}</p>` : ''}
    <p class="${inOneC ? 'notice' : 'sentence'}" data-testid="order-in-1c">
      ${
        inOneC
          ? html`${w(lang, '1С приняла заказ', '1C took the order')}
            ${when(ctx, order.exportedAt, { oneC: true })}${oneC.number ? html`; ${w(lang, 'номер в 1С', '1C number')} <strong>${String(oneC.number)}</strong>` : ''}${oneC.posted ? html`; ${w(lang, 'проведён', 'posted')}` : ''}`
          : w(lang, '1С ещё не приняла этот заказ.', '1C has not taken this order yet.')
      }
    </p>
    <dl class="kv">
      <dt>${w(lang, 'Статус', 'Status')}</dt>
      <dd>${chip(ctx, order.status ?? '')}</dd>
      <dt>${w(lang, 'Контрагент', 'Customer')}</dt>
      <dd><a class="mono" href="${entityHref('customer', order.customerId ?? '')}">${order.customerId ?? ''}</a></dd>
      <dt>${w(lang, 'Бонусы', 'Bonuses')}</dt>
      <dd>${formatPoints(lang, Number(order.bonusMinor ?? 0))}</dd>
      <dt>${w(lang, 'Ид заказа', 'Order id')}</dt>
      <dd class="mono">${id}</dd>
    </dl>
    ${mayAct(ctx.user.role, 'operator') && (order.status === 'accepted' || order.status === 'exported') ? html`<form method="post" action="/console/orders/${encodeURIComponent(id)}/retry">${csrfField(ctx)}<button type="submit">${w(lang, 'Отправить в 1С ещё раз', 'Send to 1C again')}</button></form>` : ''}
    <h2>${w(lang, 'Путь заказа', "The order's way")}</h2>
    ${timeline(ctx, steps)}
    <details>
      <summary>${w(lang, 'Что известно в 1С (как записано)', 'What 1C says (raw)')}</summary>
      ${json(oneC)}
    </details>
    ${auditList(ctx, audit)}`
  return page(ctx, { title: `${w(lang, 'Заказ', 'Order')} ${order.number ?? id}`, active: '/console/orders', body })
}
