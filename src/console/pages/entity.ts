/**
 * S4 Entity trace, the core: the current value, which run and 1C source changed which field and
 * when, what each storefront was last given; for a customer the bonus account as 1C reports it,
 * the holds behind the available amount, the group's account, and a cart's cap explained line by
 * line ("why can I spend only 1 234,56?").
 */
import { isEntityKind, type EntityKind } from '../../domain/index.ts'
import { bonusDetail, type QuoteAnswer } from '../../orders/index.ts'
import { getEntity, readEntity, type EntityView } from '../../state/index.ts'
import type { Db } from '../../store/index.ts'
import { auditOf } from '../audit.ts'
import { html, type Markup } from '../html.ts'
import { formatMoney, formatPoints, w } from '../i18n.ts'
import { chip, entityHref, json, page, when, type PageContext } from '../layout.ts'
import { entityAtStorefronts, ordersOfCustomer, type EntityAtStorefront } from '../read.ts'
import { changesCell } from './runs.ts'
import { auditList } from './shared.ts'
import { sourceLabel } from './health.ts'

export interface EntityDeps {
  db: Db
  shareBonusAtHead: boolean
  owners: Record<string, string>
  /** The storefront's own cart quote, as the service computes it. */
  quote: (customerId: string, lines: Array<{ offerId: string; quantity: number }>) => Promise<QuoteAnswer>
}

const KIND_NAMES: Record<EntityKind, [string, string]> = {
  price_type: ['Вид цен', 'Price type (Вид цен)'],
  warehouse: ['Склад', 'Warehouse (Склад)'],
  group: ['Группа номенклатуры', 'Product group'],
  property: ['Свойство', 'Property'],
  product: ['Номенклатура', 'Product (Номенклатура)'],
  offer: ['Предложение', 'Offer'],
  customer: ['Контрагент', 'Customer (Контрагент)'],
  bonus_account: ['Бонусный счёт', 'Bonus account'],
  bonus_programme: ['Бонусная программа', 'Bonus programme'],
  product_segment: ['Сегмент номенклатуры', 'Product segment'],
  bonus_movement: ['Движение бонусов', 'Bonus movement'],
  sale: ['Реализация', 'Sale (Реализация)'],
}
export const kindName = (ctx: PageContext, kind: string) => (isEntityKind(kind) ? w(ctx.lang, ...KIND_NAMES[kind]) : kind)

function storefrontsTable(ctx: PageContext, rows: readonly EntityAtStorefront[], version: number): Markup {
  const { lang } = ctx
  if (rows.length === 0) return html`<p class="muted">${w(lang, 'Витрин нет.', 'No storefronts.')}</p>`
  return html`<table data-testid="entity-storefronts">
    <caption>
      ${w(lang, `Что получила каждая витрина (текущая версия v${version})`, `What each storefront was given (current version v${version})`)}
    </caption>
    <thead>
      <tr>
        <th scope="col">${w(lang, 'Витрина', 'Storefront')}</th>
        <th scope="col">${w(lang, 'Состояние', 'State')}</th>
        <th scope="col">${w(lang, 'Доставленная версия', 'Delivered version')}</th>
        <th scope="col">${w(lang, 'Последняя доставка', 'Last delivery')}</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (row) =>
          html`<tr>
            <td>${row.storefront}</td>
            <td>${chip(ctx, row.state)}</td>
            <td>${row.deliveredVersion === null ? '—' : `v${row.deliveredVersion}`} ${when(ctx, row.deliveredAt)}</td>
            <td>
              ${row.latest ? html`<a href="/console/deliveries/${row.latest.id}">v${row.latest.version} · ${chip(ctx, row.latest.status)}</a>${row.latest.lastStatus ? ` HTTP ${row.latest.lastStatus}` : ''}${row.latest.lastError ? html` <span class="bad">${row.latest.lastError}</span>` : ''}` : '—'}
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`
}

function historyTable(ctx: PageContext, entity: EntityView): Markup {
  const { lang } = ctx
  return html`<table data-testid="entity-history">
    <caption>
      ${w(lang, 'История версий, новые сверху: какая загрузка какого источника что изменила', 'Version history, newest first: which run of which source changed what')}
    </caption>
    <thead>
      <tr>
        <th scope="col">${w(lang, 'Версия', 'Version')}</th>
        <th scope="col">${w(lang, 'Когда', 'When')}</th>
        <th scope="col">${w(lang, 'Загрузка и источник', 'Run and source')}</th>
        <th scope="col">${w(lang, 'Поля: было → стало', 'Fields: from → to')}</th>
      </tr>
    </thead>
    <tbody>
      ${entity.history.map(
        (entry) =>
          html`<tr>
            <td>v${entry.version} ${entry.type === 'removed' ? chip(ctx, 'cancelled') : ''}</td>
            <td>${when(ctx, entry.at, { oneC: true })}</td>
            <td>
              ${entry.run ? html`<a href="/console/runs/${entry.run.id}">#${entry.run.id}</a> ${sourceLabel(ctx, entry.run.source)} <span class="mono muted">${entry.run.source} · ${entry.run.kind}</span>` : '—'}
            </td>
            <td>${changesCell(entry.changes)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`
}

/**
 * The run that last changed the entity's data, as one phrase: "v3, run #12 (OData: bonus-balances),
 * 02.12 10:00". Messages without a run (a hold's bonus.updated) are passed over.
 */
async function lastChange(db: Db, ctx: PageContext, kind: EntityKind, key: string): Promise<Markup> {
  const entity = await getEntity(db, kind, key, 50)
  const entry = entity?.history.find((change) => change.run !== null)
  const run = entry?.run
  if (!entity || !entry || !run) return html`<span class="muted">—</span>`
  return html`<a href="${entityHref(kind, key)}">v${entry.version}</a>, ${w(ctx.lang, 'загрузка', 'run')}
    <a href="/console/runs/${run.id}">#${run.id}</a> (${sourceLabel(ctx, run.source)}), ${when(ctx, entry.at, { oneC: true })}`
}

async function bonusPanel(deps: EntityDeps, ctx: PageContext, customerId: string): Promise<Markup> {
  const { lang } = ctx
  const detail = await bonusDetail(deps.db, customerId, deps.shareBonusAtHead)
  const account = detail.effective
  if (!account)
    return html`<h2>${w(lang, 'Бонусы', 'Bonuses')}</h2>
      <p class="muted" data-testid="bonus">${w(lang, 'У контрагента нет бонусного счёта в данных из 1С.', 'This customer has no bonus account in the data from 1C.')}</p>`
  const source = await lastChange(deps.db, ctx, 'bonus_account', account.customerId)
  return html`<h2>${w(lang, 'Бонусы', 'Bonuses')}</h2>
    <dl class="kv" data-testid="bonus">
      <dt>${w(lang, 'Остаток по данным 1С', 'Balance as 1C reports it')}</dt>
      <dd data-testid="balance">${formatPoints(lang, account.balanceMinor)} — ${source}</dd>
      <dt>${w(lang, 'Удержано заказами с сайта', 'Held by orders taken here')}</dt>
      <dd data-testid="held">${formatPoints(lang, detail.heldMinor)}</dd>
      <dt>${w(lang, 'Доступно к списанию', 'Available to spend')}</dt>
      <dd data-testid="available">
        <strong>${formatPoints(lang, detail.availableMinor)}</strong> = ${formatPoints(lang, account.balanceMinor)} − ${formatPoints(lang, detail.heldMinor)}
      </dd>
      ${
        detail.sharedFrom
          ? html`<dt>${w(lang, 'Общий счёт группы компаний', "Group's shared account")}</dt>
              <dd>
                ${w(lang, 'списывается со счёта головной компании', 'spent from the head company')}
                <a href="${entityHref('customer', detail.sharedFrom)}" class="mono">${detail.sharedFrom}</a>
              </dd>`
          : ''
      }
      <dt>${w(lang, 'Программа', 'Programme')}</dt>
      <dd>${account.programId ? html`<a href="${entityHref('bonus_programme', account.programId)}" class="mono">${account.programId}</a>` : '—'}</dd>
    </dl>
    <table>
      <caption>
        ${w(lang, 'Удержания: заказы, ждущие списания бонусов в 1С', 'Holds: orders whose write-off 1C has not shown yet')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${w(lang, 'Заказ', 'Order')}</th>
          <th scope="col">${w(lang, 'Витрина', 'Storefront')}</th>
          <th scope="col">${w(lang, 'Сумма', 'Amount')}</th>
          <th scope="col">${w(lang, 'С', 'Since')}</th>
          <th scope="col">${w(lang, 'Проведён в 1С', 'Posted in 1C')}</th>
        </tr>
      </thead>
      <tbody>
        ${detail.holds.map(
          (hold) =>
            html`<tr>
              <td><a href="/console/orders/${encodeURIComponent(hold.orderId)}">№ ${hold.number}</a></td>
              <td>${hold.storefrontId}</td>
              <td>${formatPoints(lang, Number(hold.amountMinor))}</td>
              <td>${when(ctx, hold.createdAt)}</td>
              <td>${when(ctx, hold.confirmedAt)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`
}

/** "offer-id 2" per line (a tab, a space or ; between); a quantity may have a decimal point or comma. */
export function parseCart(text: string): Array<{ offerId: string; quantity: number }> {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const match = /^(\S+)[\s;]+([\d.,]+)$/.exec(line)
      return match ? { offerId: match[1] as string, quantity: Number((match[2] as string).replace(',', '.')) } : { offerId: line, quantity: 1 }
    })
}

const REASONS: Record<string, [string, string]> = {
  no_cap: ['для товара нет ограничения доли — баллами не оплачивается', 'no cap applies: points cannot pay for it'],
  outside_segment: ['товар вне сегмента программы', "outside the programme's segment"],
  not_bonus_eligible: ['товар не отмечен в 1С для оплаты баллами', 'not marked in 1C as payable with points'],
  discount_above_cap: ['скидка строки уже больше ограничения', "the line's discount already exceeds the cap"],
  unknown_offer: ['предложение неизвестно', 'unknown offer'],
}
const CAP_SOURCES: Record<string, [string, string]> = {
  price_group: ['ценовая группа', 'price group'],
  product: ['товар (свойство в 1С)', 'product (1C property)'],
  programme: ['бонусная программа', 'bonus programme'],
}

async function capWhere(deps: EntityDeps, offerId: string): Promise<string | null> {
  const offer = await readEntity(deps.db, 'offer', offerId)
  const product = offer ? await readEntity(deps.db, 'product', offer.productId) : null
  return product?.priceGroupId ?? null
}

async function quoteRows(deps: EntityDeps, ctx: PageContext, quote: QuoteAnswer): Promise<Markup[]> {
  const { lang } = ctx
  return Promise.all(
    quote.lines.map(async (line) => {
      const group = line.capSource === 'price_group' ? await capWhere(deps, line.offerId) : null
      const source = line.capSource ? CAP_SOURCES[line.capSource] : undefined
      return html`<tr data-testid="quote-line">
        <td><a href="${entityHref('offer', line.offerId)}" class="mono">${line.offerId}</a></td>
        <td>${line.quantity}</td>
        <td>${formatMoney(lang, line.unitPriceMinor)}</td>
        <td>${formatMoney(lang, line.sumMinor)}</td>
        <td>${source ? w(lang, ...source) : '—'}${group ? html` <span class="mono">${group}</span>` : ''}</td>
        <td>${line.capPercent}%</td>
        <td>${formatPoints(lang, line.capMinor)}</td>
        <td>${formatPoints(lang, line.allocatedMinor)}</td>
        <td>${line.reason ? w(lang, ...(REASONS[line.reason] ?? [line.reason, line.reason])) : ''}</td>
      </tr>`
    }),
  )
}

async function quotePanel(deps: EntityDeps, ctx: PageContext, customerId: string, cart: string | undefined): Promise<Markup> {
  const { lang } = ctx
  const form = html`<form method="get" action="${entityHref('customer', customerId)}" aria-label="${w(lang, 'Разбор корзины', 'Explain a cart')}">
    <label for="cart">${w(lang, 'Корзина: по строке «Ид предложения количество»', 'Cart: one "offer id quantity" per line')}</label><br />
    <textarea id="cart" name="cart" rows="4" cols="70">${cart ?? ''}</textarea><br /><button type="submit">${w(lang, 'Разобрать', 'Explain')}</button>
  </form>`
  const lines = cart ? parseCart(cart) : []
  if (lines.length === 0)
    return html`<h2>${w(lang, 'Сколько баллов можно списать с корзины', 'How many points a cart can take')}</h2>
      ${form}`
  let quote: QuoteAnswer
  try {
    quote = await deps.quote(customerId, lines)
  } catch (error) {
    return html`<h2>${w(lang, 'Сколько баллов можно списать с корзины', 'How many points a cart can take')}</h2>
      ${form}
      <p class="sentence" role="alert">${(error as Error).message}</p>`
  }
  const caps = quote.lines.reduce((sum, line) => sum + line.capMinor, 0)
  return html`<h2>${w(lang, 'Сколько баллов можно списать с корзины', 'How many points a cart can take')}</h2>
    ${form}
    <p class="notice" data-testid="quote-summary">
      ${w(lang, 'Можно списать не больше', 'At most')} <strong>${formatPoints(lang, quote.maxRedeemableMinor)}</strong>:
      ${w(lang, 'это меньшее из доступного остатка', 'the lesser of the available balance')} (${formatPoints(lang, quote.availableMinor)})
      ${w(lang, 'и суммы ограничений по строкам', 'and the sum of the line caps')} (${formatPoints(lang, caps)}). ${w(lang, 'Цены — по виду цен', 'Prices at price type')}
      <span class="mono">${quote.priceTypeId ?? '—'}</span>.
    </p>
    <table>
      <caption>
        ${w(lang, 'Строки корзины: откуда ограничение, процент, распределение', 'Cart lines: where the cap comes from, percent, allocation')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${w(lang, 'Предложение', 'Offer')}</th>
          <th scope="col">${w(lang, 'Кол-во', 'Qty')}</th>
          <th scope="col">${w(lang, 'Цена', 'Price')}</th>
          <th scope="col">${w(lang, 'Сумма', 'Sum')}</th>
          <th scope="col">${w(lang, 'Ограничение из', 'Cap from')}</th>
          <th scope="col">%</th>
          <th scope="col">${w(lang, 'Не больше', 'Cap')}</th>
          <th scope="col">${w(lang, 'Распределено', 'Allocated')}</th>
          <th scope="col">${w(lang, 'Почему', 'Why')}</th>
        </tr>
      </thead>
      <tbody>
        ${await quoteRows(deps, ctx, quote)}
      </tbody>
    </table>`
}

async function customerPanels(deps: EntityDeps, ctx: PageContext, key: string, cart: string | undefined): Promise<Markup> {
  const orders = await ordersOfCustomer(deps.db, key)
  const { lang } = ctx
  return html`${await bonusPanel(deps, ctx, key)}${await quotePanel(deps, ctx, key, cart)}
    <h2>${w(lang, 'Последние заказы', 'Recent orders')}</h2>
    <ul>
      ${orders.map(
        (order) =>
          html`<li>
            <a href="/console/orders/${encodeURIComponent(order.id)}">№ ${order.number}</a> ${chip(ctx, order.status)} ${when(ctx, order.createdAt)} · ${order.storefrontId}
          </li>`,
      )}
    </ul>`
}

function offerPanel(ctx: PageContext, data: Record<string, unknown>): Markup {
  const { lang } = ctx
  const prices = Object.entries((data.prices ?? {}) as Record<string, { amountMinor?: number; currency?: string }>)
  const stock = (data.stock ?? {}) as { total?: number | null; totalFrom?: string; warehouses?: Record<string, number> }
  return html`<h2>${w(lang, 'Цены и остатки', 'Prices and stock')}</h2>
    <table>
      <caption>
        ${w(lang, 'Цены по видам цен', 'Prices per price type')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${w(lang, 'Вид цен', 'Price type')}</th>
          <th scope="col">${w(lang, 'Цена', 'Price')}</th>
        </tr>
      </thead>
      <tbody>
        ${prices.map(
          ([type, price]) =>
            html`<tr>
              <td><a class="mono" href="${entityHref('price_type', type)}">${type}</a></td>
              <td>${price.amountMinor === undefined ? '—' : formatMoney(lang, price.amountMinor, price.currency ?? 'RUB')}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <table>
      <caption>
        ${w(lang, 'Остатки по складам', 'Stock per warehouse')}: ${w(lang, 'всего', 'total')} ${stock.total ?? '—'}
        (${stock.totalFrom === 'warehouses' ? w(lang, 'сумма по складам', 'sum of warehouses') : w(lang, 'как прислала 1С', 'as 1C sent it')})
      </caption>
      <thead>
        <tr>
          <th scope="col">${w(lang, 'Склад', 'Warehouse')}</th>
          <th scope="col">${w(lang, 'Остаток', 'Stock')}</th>
        </tr>
      </thead>
      <tbody>
        ${Object.entries(stock.warehouses ?? {}).map(
          ([id, quantity]) =>
            html`<tr>
              <td><a class="mono" href="${entityHref('warehouse', id)}">${id}</a></td>
              <td>${quantity}</td>
            </tr>`,
        )}
      </tbody>
    </table>`
}

export async function entityPage(deps: EntityDeps, ctx: PageContext, kind: string, key: string, cart: string | undefined): Promise<string | null> {
  if (!isEntityKind(kind)) return null
  const entity = await getEntity(deps.db, kind, key, 100)
  if (!entity) return null
  const { lang } = ctx
  const [storefronts, audit] = await Promise.all([entityAtStorefronts(deps.db, kind, key, entity.version, entity.removed), auditOf(deps.db, [{ kind, key }])])
  const name = typeof entity.data.name === 'string' ? entity.data.name : key
  const owned = Object.entries(deps.owners).filter(([ref]) => ref.startsWith(`${kind}.`))
  const body = html`<h1>${kindName(ctx, kind)}: ${name}</h1>
    <dl class="kv" data-testid="entity-summary">
      <dt>${w(lang, 'Ключ (Ид / Ref_Key 1С)', 'Key (1C Ид / Ref_Key)')}</dt>
      <dd class="mono">${key}</dd>
      ${
        kind === 'customer' && entity.data.inn
          ? html`<dt>ИНН / КПП</dt>
              <dd>${String(entity.data.inn)}${entity.data.kpp ? ` / ${String(entity.data.kpp)}` : ''}</dd>`
          : ''
      }
      <dt>${w(lang, 'Версия', 'Version')}</dt>
      <dd>v${entity.version}${entity.removed ? html` ${chip(ctx, 'cancelled')} ${w(lang, 'удалён', 'removed')}` : ''}</dd>
      <dt>${w(lang, 'Изменён', 'Changed')}</dt>
      <dd>${when(ctx, entity.updatedAt, { oneC: true, relative: true })}${entity.runId ? html` — <a href="/console/runs/${entity.runId}">#${entity.runId}</a>` : ''}</dd>
      ${
        owned.length > 0
          ? html`<dt>${w(lang, 'Поля одного источника', 'Fields one source owns')}</dt>
              <dd>${owned.map(([ref, source]) => html`<span class="mono">${ref.slice(kind.length + 1)} ← ${source}</span> `)}</dd>`
          : ''
      }
    </dl>
    ${kind === 'customer' ? await customerPanels(deps, ctx, key, cart) : ''}${kind === 'offer' ? offerPanel(ctx, entity.data) : ''}
    <h2>${w(lang, 'Витрины', 'Storefronts')}</h2>
    ${storefrontsTable(ctx, storefronts, entity.version)}
    <h2>${w(lang, 'История', 'History')}</h2>
    ${historyTable(ctx, entity)}
    <details>
      <summary>${w(lang, 'Текущее значение целиком (JSON)', 'Current value (JSON)')}</summary>
      ${json(entity.data)}
    </details>
    ${auditList(ctx, audit)}`
  return page(ctx, { title: `${kindName(ctx, kind)} ${name}`, body })
}
