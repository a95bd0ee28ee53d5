/**
 * S5 Deliveries: per storefront with status filters, each with its attempts; resend one (operator);
 * recover everything that failed since a time, after the count is shown (Convoy's rule: the count
 * first, then a button that names it).
 */
import type { Db } from '../../store/index.ts'
import { auditOf } from '../audit.ts'
import { html, href, type Markup } from '../html.ts'
import { formatDuration, plural, w, zonedInstant } from '../i18n.ts'
import { chip, csrfField, entityHref, page, when, type PageContext } from '../layout.ts'
import { deliveryDetail, findDeliveries, type DeliveryRow } from '../read.ts'
import { mayAct } from '../users.ts'
import { auditList } from './shared.ts'

export interface DeliveriesQuery {
  storefront?: string | undefined
  status?: string | undefined
  key?: string | undefined
  since?: string | undefined
  before?: number | undefined
}

const STATUSES = ['pending', 'failing', 'delivered', 'dead', 'superseded']
const PAGE = 50
export const DELIVERIES = { ru: { one: 'доставка', few: 'доставки', many: 'доставок', other: 'доставки' }, en: { one: 'delivery', other: 'deliveries' } }

function row(ctx: PageContext, delivery: DeliveryRow): Markup {
  return html`<tr data-testid="delivery-row" data-status="${delivery.status}">
    <td><a href="/console/deliveries/${delivery.id}">${delivery.id}</a></td>
    <td>${when(ctx, delivery.createdAt)}</td>
    <td>${delivery.storefrontId}</td>
    <td>${delivery.type}</td>
    <td>
      <a class="mono" href="${delivery.kind === 'order' ? `/console/orders/${encodeURIComponent(delivery.key)}` : entityHref(delivery.kind, delivery.key)}">${delivery.key}</a>
      v${delivery.version}
    </td>
    <td>${chip(ctx, delivery.status === 'pending' && delivery.attempts > 0 ? 'failing' : delivery.status)}</td>
    <td>${delivery.attempts}</td>
    <td>${delivery.lastStatus ?? ''} ${delivery.lastError ? html`<span class="bad">${delivery.lastError}</span>` : ''}</td>
    <td>${when(ctx, delivery.nextAttemptAt)}</td>
  </tr>`
}

export async function deliveriesPage(db: Db, ctx: PageContext, query: DeliveriesQuery, storefronts: readonly string[]): Promise<string> {
  const { lang } = ctx
  const since = query.since ? (zonedInstant(query.since, ctx.zone) ?? undefined) : undefined
  const rows = await findDeliveries(db, {
    storefront: query.storefront || undefined,
    status: query.status || undefined,
    key: query.key || undefined,
    since,
    before: query.before,
    limit: PAGE,
  })
  const last = rows.at(-1)
  const option = (value: string, current: string | undefined, label: string) => html`<option value="${value}" ${value === (current ?? '') ? html`selected` : ''}>${label}</option>`
  const body = html`<h1>${w(lang, 'Доставки на витрины', 'Deliveries to storefronts')}</h1>
    <form class="filters" method="get" action="/console/deliveries">
      <label
        >${w(lang, 'Витрина', 'Storefront')}<select name="storefront">
          ${option('', query.storefront, w(lang, 'все', 'all'))}${storefronts.map((id) => option(id, query.storefront, id))}
        </select></label
      >
      <label
        >${w(lang, 'Состояние', 'Status')}<select name="status">
          ${option('', query.status, w(lang, 'любое', 'any'))}${STATUSES.map((status) => option(status, query.status, status))}
        </select></label
      >
      <label>${w(lang, 'Ключ объекта или webhook-id', 'Entity key or webhook-id')}<input name="key" value="${query.key ?? ''}" /></label>
      <label>${w(lang, 'С момента', 'Since')}<input name="since" type="datetime-local" value="${query.since ?? ''}" /></label>
      <button type="submit">${w(lang, 'Показать', 'Apply')}</button> <a href="/console/deliveries">${w(lang, 'Сбросить', 'Clear all')}</a>
    </form>
    ${mayAct(ctx.user.role, 'operator') && query.storefront ? html`<p><a href="${href('/console/deliveries/recover', { storefront: query.storefront, since: query.since })}">${w(lang, 'Повторить недоставленные с момента…', 'Recover failed since…')}</a></p>` : ''}
    <table>
      <caption>
        ${w(lang, `Показано ${rows.length}, новые сверху`, `${rows.length} shown, newest first`)}
      </caption>
      <thead>
        <tr>
          <th scope="col">№</th>
          <th scope="col">${w(lang, 'Создана', 'Created')}</th>
          <th scope="col">${w(lang, 'Витрина', 'Storefront')}</th>
          <th scope="col">${w(lang, 'Тип', 'Type')}</th>
          <th scope="col">${w(lang, 'Объект', 'Entity')}</th>
          <th scope="col">${w(lang, 'Состояние', 'Status')}</th>
          <th scope="col">${w(lang, 'Попыток', 'Attempts')}</th>
          <th scope="col">${w(lang, 'Последний ответ', 'Last answer')}</th>
          <th scope="col">${w(lang, 'Следующая попытка', 'Next attempt')}</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map((delivery) => row(ctx, delivery))}
      </tbody>
    </table>
    ${rows.length === PAGE && last ? html`<p><a href="${href('/console/deliveries', { ...query, before: last.id })}">${w(lang, 'Раньше →', 'Older →')}</a></p>` : ''}`
  return page(ctx, { title: w(lang, 'Доставки', 'Deliveries'), active: '/console/deliveries', body })
}

export async function deliveryPage(db: Db, ctx: PageContext, id: number): Promise<string | null> {
  const delivery = await deliveryDetail(db, id)
  if (!delivery) return null
  const { lang } = ctx
  const audit = await auditOf(db, [{ kind: 'delivery', key: String(id) }])
  const body = html`<h1>${w(lang, 'Доставка', 'Delivery')} ${id}: ${delivery.type}</h1>
    <dl class="kv">
      <dt>webhook-id</dt>
      <dd class="mono">${delivery.msgId}</dd>
      <dt>${w(lang, 'Витрина', 'Storefront')}</dt>
      <dd>${delivery.storefrontId}</dd>
      <dt>${w(lang, 'Объект', 'Entity')}</dt>
      <dd>
        <a class="mono" href="${delivery.kind === 'order' ? `/console/orders/${encodeURIComponent(delivery.key)}` : entityHref(delivery.kind, delivery.key)}"
          >${delivery.kind} ${delivery.key}</a
        >
        v${delivery.version}
      </dd>
      <dt>${w(lang, 'Состояние', 'Status')}</dt>
      <dd>${chip(ctx, delivery.status)}</dd>
      <dt>${w(lang, 'Доставлена', 'Delivered')}</dt>
      <dd>${when(ctx, delivery.deliveredAt)}</dd>
    </dl>
    ${mayAct(ctx.user.role, 'operator') ? html`<form method="post" action="/console/deliveries/${id}/resend">${csrfField(ctx)}<button type="submit">${w(lang, 'Отправить ещё раз', 'Resend')}</button></form>` : ''}
    <h2>${w(lang, 'Попытки, новые сверху', 'Attempts, newest first')}</h2>
    <table>
      <caption>
        ${plural(lang, delivery.attempts.length, { ru: { one: 'попытка', few: 'попытки', many: 'попыток', other: 'попытки' }, en: { one: 'attempt', other: 'attempts' } })}
      </caption>
      <thead>
        <tr>
          <th scope="col">${w(lang, 'Когда', 'When')}</th>
          <th scope="col">${w(lang, 'Код', 'Status code')}</th>
          <th scope="col">${w(lang, 'Ответ или ошибка', 'Answer or error')}</th>
          <th scope="col">${w(lang, 'Время', 'Took')}</th>
          <th scope="col">${w(lang, 'Следующая', 'Next')}</th>
          <th scope="col">${w(lang, 'Вручную', 'Manual')}</th>
        </tr>
      </thead>
      <tbody>
        ${delivery.attempts.map(
          (attempt) =>
            html`<tr data-testid="attempt">
              <td>${when(ctx, attempt.at)}</td>
              <td>${attempt.responseStatus ?? '—'}</td>
              <td>${attempt.error ? html`<span class="bad">${attempt.error}</span>` : html`<code>${(attempt.responseBody ?? '').slice(0, 2000)}</code>`}</td>
              <td>${formatDuration(lang, attempt.durationMs)}</td>
              <td>${when(ctx, attempt.nextAttemptAt)}</td>
              <td>${attempt.manual ? w(lang, 'да', 'yes') : ''}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${auditList(ctx, audit)}`
  return page(ctx, { title: `${w(lang, 'Доставка', 'Delivery')} ${id}`, active: '/console/deliveries', body })
}

/** The recover form: with a storefront and a time it shows how many deliveries it would requeue, and only then the button. */
export function recoverPage(
  ctx: PageContext,
  query: { storefront?: string | undefined; since?: string | undefined },
  storefronts: readonly string[],
  count: number | null,
): string {
  const { lang } = ctx
  const ready = count !== null && query.storefront && query.since
  const body = html`<h1>${w(lang, 'Повторить недоставленные сообщения', 'Recover failed deliveries')}</h1>
    <form class="filters" method="get" action="/console/deliveries/recover">
      <label
        >${w(lang, 'Витрина', 'Storefront')}<select name="storefront" required>
          ${storefronts.map((id) => html`<option value="${id}" ${id === query.storefront ? html`selected` : ''}>${id}</option>`)}
        </select></label
      >
      <label>${w(lang, 'Не доставленные с', 'Failed since')}<input name="since" type="datetime-local" required value="${query.since ?? ''}" /></label
      ><button type="submit">${w(lang, 'Посчитать', 'Count')}</button>
    </form>
    ${
      ready
        ? html`<section role="alertdialog" aria-labelledby="recover-title" aria-describedby="recover-count" class="notice">
            <h2 id="recover-title">${w(lang, 'Повтор для витрины', 'Recover for storefront')} ${query.storefront}</h2>
            <p id="recover-count" data-testid="recover-count">
              ${w(lang, 'Будет повторно поставлено в очередь', 'This puts back in the queue')}:
              <strong>${plural(lang, count, DELIVERIES)}</strong> (${w(lang, 'не доставлены, созданы с', 'dead, created since')} ${query.since}).
            </p>
            ${
              count > 0
                ? html`<form method="post" action="/console/deliveries/recover">
                    ${csrfField(ctx)}<input type="hidden" name="storefront" value="${query.storefront}" /><input type="hidden" name="since" value="${query.since}" /><input
                      type="hidden"
                      name="expected"
                      value="${count}"
                    />
                    <button type="submit">${w(lang, `Повторить ${plural(lang, count, DELIVERIES)}`, `Recover ${plural(lang, count, DELIVERIES)}`)}</button>
                    <a href="${href('/console/deliveries', { storefront: query.storefront })}">${w(lang, 'Отмена', 'Cancel')}</a>
                  </form>`
                : ''
            }
          </section>`
        : ''
    }`
  return page(ctx, { title: w(lang, 'Повтор доставок', 'Recover deliveries'), active: '/console/deliveries', body })
}
