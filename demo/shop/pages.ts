/**
 * The demo shop's pages: server-rendered HTML in Russian, a few lines of script for the live
 * parts (the cart's quote as quantities change, the order page following webhooks).
 */
import type { paths, Schemas } from '../../kits/ts/src/index.ts'

type Offer = Schemas['Offer']
type Product = Schemas['Product']
type Quote = Schemas['Quote']
type Order = Schemas['Order']
type Customer = Schemas['Customer']

export interface ShopView {
  customer: Customer
  cartCount: number
}

interface CatalogueData {
  products: Map<string, Product>
  groups: Array<{ id: string; name: string }>
  warehouses: Array<{ id: string; name: string }>
}

const escape = (text: unknown) => String(text ?? '').replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string)

const MONEY = new Intl.NumberFormat('ru-RU', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
const POINTS = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 2 })
const PLURAL = new Intl.PluralRules('ru-RU')
export const money = (minor: number) => `${MONEY.format(minor / 100)} ₽`
export function points(minor: number): string {
  const value = minor / 100
  const word = !Number.isInteger(value) ? 'балла' : { one: 'балл', few: 'балла', many: 'баллов', other: 'баллов' }[PLURAL.select(value) as 'one' | 'few' | 'many' | 'other']
  return `${POINTS.format(value)} ${word}`
}

export const isB2B = (customer: Customer) => customer.b2b === true || (customer.legalForm !== null && customer.legalForm !== undefined && customer.legalForm !== 'person')

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;background:#f5f3ef}
header{background:#3b2a20;color:#fff;padding:12px 24px;display:flex;gap:24px;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none}header .brand{font-weight:700;font-size:18px}header nav{display:flex;gap:16px}
header .who{margin-left:auto;font-size:14px;opacity:.9}main{max-width:1180px;margin:0 auto;padding:20px 24px}
h1{font-size:24px;margin:8px 0 16px}table{border-collapse:collapse;width:100%;background:#fff}th,td{padding:8px 10px;border-bottom:1px solid #e4ded6;text-align:left;vertical-align:middle}
th{background:#efe9e1;font-weight:600;font-size:13px}td.num,th.num{text-align:right;white-space:nowrap}.muted{color:#5f6b76;font-size:13px}
.label{display:inline-block;background:#e6f4ea;color:#14532d;border:1px solid #9bd3ae;border-radius:12px;padding:1px 9px;font-size:12px;white-space:nowrap}
.card{background:#fff;border:1px solid #e4ded6;border-radius:8px;padding:16px 20px;margin:0 0 16px}.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:16px}
button,.button{background:#8a5a2b;color:#fff;border:0;border-radius:6px;padding:7px 14px;font:inherit;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#fff;color:#3b2a20;border:1px solid #8a5a2b}input[type=number]{width:80px;padding:5px;font:inherit}
.layout{display:grid;grid-template-columns:220px 1fr;gap:20px}.groups a{display:block;padding:5px 8px;color:#3b2a20;text-decoration:none;border-radius:4px}.groups a[aria-current]{background:#e8ddd0;font-weight:600}
.summary{display:grid;grid-template-columns:1fr auto;gap:6px 24px;max-width:520px;margin-left:auto}.summary .big{font-size:18px;font-weight:700}
.status{display:inline-block;padding:2px 10px;border-radius:12px;background:#fff4d6;border:1px solid #e5c46b}.status[data-status=confirmed]{background:#e6f4ea;border-color:#9bd3ae}.status[data-status=failed],.status[data-status=cancelled]{background:#fde8e8;border-color:#f0a5a5}
.error{background:#fde8e8;border:1px solid #f0a5a5;padding:10px 14px;border-radius:6px}.notice{background:#e6f4ea;border:1px solid #9bd3ae;padding:8px 14px;border-radius:6px;margin-bottom:12px}
ol.timeline{padding-left:20px}ol.timeline li{margin:4px 0}
input[data-points]{width:130px}td form.add{display:flex;gap:8px;align-items:center;white-space:nowrap;margin:0}td form.add input{width:64px}
`

function frame(title: string, view: ShopView | null, body: string, script = ''): string {
  const nav = view
    ? `<nav aria-label="Разделы"><a href="/catalog">Каталог</a><a href="/cart">Корзина${view.cartCount ? ` (${view.cartCount})` : ''}</a>${isB2B(view.customer) ? '<a href="/bonus">Бонусы</a>' : ''}<a href="/orders">Заказы</a></nav>
      <div class="who">${escape(view.customer.name)}${view.customer.inn ? `, ИНН ${escape(view.customer.inn)}` : ''}${view.customer.level && isB2B(view.customer) ? ` · <span data-field="level">уровень ${escape(view.customer.level)}</span>` : ''} · <a href="/logout">выйти</a></div>`
    : ''
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(title)} — Оптовик</title><style>${STYLE}</style></head>
<body><header><a class="brand" href="/">Оптовик · кофе и чай для бизнеса</a>${nav}</header><main>${body}</main>${script ? `<script>${script}</script>` : ''}</body></html>`
}

export function loginPage(customers: Array<{ id: string; name: string; inn: string | null; found: Customer | null }>): string {
  const cards = customers
    .map(
      (customer) => `<form class="card" method="post" action="/login"><input type="hidden" name="customer" value="${escape(customer.id)}">
      <strong>${escape(customer.name)}</strong><div class="muted">${customer.inn ? `ИНН ${escape(customer.inn)}` : 'частное лицо'} · ${customer.found ? (isB2B(customer.found) ? 'оптовый покупатель' : 'розничный покупатель') : 'ещё не пришёл из 1С'}</div>
      <p><button ${customer.found ? '' : 'disabled'} aria-label="Войти как ${escape(customer.name)}">Войти</button></p></form>`,
    )
    .join('')
  return frame(
    'Вход',
    null,
    `<h1>Вход для покупателей</h1><p class="muted">Демо: покупатели магазина связаны с партнёрами в 1С. Выберите, кем войти.</p><div class="cards">${cards}</div>`,
  )
}

function stockCells(offer: Offer, warehouses: CatalogueData['warehouses']): string {
  return warehouses.map((warehouse) => `<td class="num">${escape(offer.stock.warehouses[warehouse.id] ?? 0)}</td>`).join('')
}

function bonusLabel(offer: Offer, b2b: boolean): string {
  const bonus = offer.forCustomer?.bonus
  if (!b2b || !bonus?.eligible) return ''
  return `<span class="label" title="Бонусами можно оплатить до ${escape(bonus.capPercent)} % цены">можно оплатить бонусами · до ${escape(bonus.capPercent)} %</span>`
}

export function catalogPage(view: ShopView, offers: Offer[], data: CatalogueData, filter: { group: string | null; q: string; added: string | null }): string {
  const b2b = isB2B(view.customer)
  const groupOf = (offer: Offer) => data.products.get(offer.productId)?.groupIds?.[0] ?? null
  const query = filter.q.trim().toLowerCase()
  const shown = offers
    .filter(
      (offer) =>
        (!filter.group || groupOf(offer) === filter.group) &&
        (!query ||
          String(offer.name ?? '')
            .toLowerCase()
            .includes(query) ||
          String(data.products.get(offer.productId)?.sku ?? '')
            .toLowerCase()
            .includes(query)),
    )
    .sort((a, b) => String(a.name).localeCompare(String(b.name), 'ru'))
  const groups = data.groups
    .map((group) => `<a href="/catalog?group=${encodeURIComponent(group.id)}"${filter.group === group.id ? ' aria-current="page"' : ''}>${escape(group.name)}</a>`)
    .join('')
  const rows = shown
    .map((offer) => {
      const product = data.products.get(offer.productId)
      const price = offer.forCustomer?.price
      return `<tr data-offer="${escape(offer.id)}"><td>${escape(offer.name ?? product?.name)}<div class="muted">${escape(product?.sku ?? '')}</div></td>
        <td>${bonusLabel(offer, b2b)}</td><td class="num">${price ? money(price.amountMinor) : '—'}</td>${stockCells(offer, data.warehouses)}
        <td><form class="add" method="post" action="/cart/add"><input type="hidden" name="offer" value="${escape(offer.id)}">${filter.group ? `<input type="hidden" name="group" value="${escape(filter.group)}">` : ''}
        <input type="number" name="quantity" value="1" min="1" aria-label="Количество: ${escape(offer.name)}"> <button aria-label="В корзину: ${escape(offer.name)}">В корзину</button></form></td></tr>`
    })
    .join('')
  const added = filter.added
    ? `<div class="notice" role="status">Добавлено в корзину: ${escape(offers.find((offer) => offer.id === filter.added)?.name ?? '')}. <a href="/cart">Перейти в корзину</a></div>`
    : ''
  const priceType = offers.find((offer) => offer.forCustomer?.price)?.forCustomer?.price?.priceTypeId
  return frame(
    'Каталог',
    view,
    `<h1>Каталог</h1>${added}<p class="muted">Цены — по вашему виду цен из 1С${priceType ? '' : ' (вид цен не назначен)'}; остатки — по складам, как их показывает 1С.</p>
    <div class="layout"><nav class="groups" aria-label="Группы"><a href="/catalog"${filter.group ? '' : ' aria-current="page"'}>Все товары</a>${groups}</nav>
    <section><form method="get" action="/catalog">${filter.group ? `<input type="hidden" name="group" value="${escape(filter.group)}">` : ''}<label>Поиск <input name="q" value="${escape(filter.q)}"></label> <button class="secondary">Найти</button></form>
    <p class="muted">${shown.length} товаров</p>
    <table><thead><tr><th>Товар</th><th>Бонусы</th><th class="num">Цена</th>${data.warehouses.map((warehouse) => `<th class="num">${escape(warehouse.name)}</th>`).join('')}<th></th></tr></thead><tbody>${rows}</tbody></table></section></div>`,
  )
}

const WHY: Record<string, string> = {
  no_cap: 'бонусами не оплачивается',
  outside_segment: 'не входит в бонусную программу',
  not_bonus_eligible: 'бонусами не оплачивается',
  unknown_offer: 'нет в каталоге',
}
const SOURCE: Record<string, string> = { price_group: 'ценовая группа', programme: 'программа', product: 'товар' }

export function cartPage(view: ShopView, cart: Map<string, number>, offers: Offer[], quote: Quote | null, bonus: Schemas['SpendableBonus'] | null, error: string | null): string {
  const b2b = isB2B(view.customer)
  if (cart.size === 0) return frame('Корзина', view, '<h1>Корзина</h1><p>Корзина пуста. <a href="/catalog">В каталог</a></p>')
  const byId = new Map(offers.map((offer) => [offer.id, offer]))
  const rows = [...cart]
    .map(([offerId, quantity]) => {
      const line = quote?.lines.find((candidate) => candidate.offerId === offerId)
      const offer = byId.get(offerId)
      const cap = line
        ? line.eligible
          ? `до ${points(line.capMinor)} <span class="muted">(${escape(line.capPercent)} %, ${escape(SOURCE[line.capSource ?? ''] ?? '')})</span>`
          : `<span class="muted">${escape(WHY[line.reason ?? ''] ?? line.reason)}</span>`
        : ''
      return `<tr data-offer="${escape(offerId)}"><td>${escape(offer?.name ?? offerId)}</td><td class="num"><input type="number" min="0" name="q:${escape(offerId)}" value="${quantity}" aria-label="Количество: ${escape(offer?.name ?? offerId)}" data-quantity="${escape(offerId)}"></td>
        <td class="num" data-field="price">${line ? money(line.unitPriceMinor) : ''}</td><td class="num" data-field="sum">${line ? money(line.sumMinor) : ''}</td>
        ${b2b ? `<td data-field="cap">${cap}</td><td class="num" data-field="allocated">${line ? points(line.allocatedMinor) : ''}</td>` : ''}</tr>`
    })
    .join('')
  const max = quote?.maxRedeemableMinor ?? 0
  const bonusBlock = b2b
    ? `<div>Доступно бонусов</div><div class="num" data-field="available">${points(quote?.availableMinor ?? bonus?.availableMinor ?? 0)}</div>
       <div><strong>Этот заказ может принять</strong></div><div class="num big" data-field="max">${points(max)}</div>
       <div><label for="points">Списать бонусов</label></div><div><input type="number" id="points" name="points" min="0" step="0.01" value="${(quote?.appliedMinor ?? max) / 100}" data-points> </div>
       <div>Оплата бонусами</div><div class="num" data-field="applied">${money(quote?.appliedMoneyMinor ?? 0)}</div>`
    : ''
  const body = `<h1>Корзина</h1>${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
  <form method="post" action="/cart/update" id="cart"><table><thead><tr><th>Товар</th><th class="num">Кол-во</th><th class="num">Цена</th><th class="num">Сумма</th>${b2b ? '<th>Бонусами можно</th><th class="num">Спишется</th>' : ''}</tr></thead><tbody>${rows}</tbody></table>
  <div class="card summary" aria-live="polite"><div>Сумма заказа</div><div class="num" data-field="total">${money(quote?.totalMinor ?? 0)}</div>${bonusBlock}
  <div><strong>К оплате</strong></div><div class="num big" data-field="payable">${money(quote?.payableMinor ?? 0)}</div></div>
  <p style="text-align:right"><button class="secondary" name="recalc">Пересчитать</button> <button name="checkout" value="1">Оформить заказ</button></p></form>
  <p class="muted">Сколько бонусов можно списать, считает сервис по данным 1С: доля по программе и ценовым группам, не больше доступного остатка.</p>`
  return frame('Корзина', view, body, b2b ? CART_SCRIPT : '')
}

// Re-quotes as the customer types: the service's numbers replace the page's, line by line.
const CART_SCRIPT = `
const money=m=>new Intl.NumberFormat('ru-RU',{minimumFractionDigits:2,maximumFractionDigits:2}).format(m/100)+' ₽';
const pr=new Intl.PluralRules('ru-RU');const points=m=>{const v=m/100;const w=!Number.isInteger(v)?'балла':({one:'балл',few:'балла',many:'баллов',other:'баллов'})[pr.select(v)];return new Intl.NumberFormat('ru-RU',{maximumFractionDigits:2}).format(v)+' '+w};
const why=${JSON.stringify(WHY)};const source=${JSON.stringify(SOURCE)};
let timer=null,touched=false;const form=document.getElementById('cart');
async function requote(){const quantities={};form.querySelectorAll('[data-quantity]').forEach(i=>quantities[i.dataset.quantity]=Number(i.value));
 const pointsInput=form.querySelector('[data-points]');const body={quantities};if(touched&&pointsInput.value!=='')body.points=Math.round(Number(pointsInput.value)*100);
 const r=await fetch('/cart/quote',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify(body)});if(!r.ok)return;const q=await r.json();if(!q)return;
 for(const line of q.lines){const row=form.querySelector('tr[data-offer="'+CSS.escape(line.offerId)+'"]');if(!row)continue;
  row.querySelector('[data-field=price]').textContent=money(line.unitPriceMinor);row.querySelector('[data-field=sum]').textContent=money(line.sumMinor);
  row.querySelector('[data-field=cap]').innerHTML=line.eligible?'до '+points(line.capMinor)+' <span class="muted">('+line.capPercent+' %, '+(source[line.capSource]||'')+')</span>':'<span class="muted">'+(why[line.reason]||line.reason)+'</span>';
  row.querySelector('[data-field=allocated]').textContent=points(line.allocatedMinor)}
 const set=(f,t)=>{const e=form.querySelector('[data-field='+f+']');if(e)e.textContent=t};
 set('total',money(q.totalMinor));set('available',points(q.availableMinor));set('max',points(q.maxRedeemableMinor));set('applied',money(q.appliedMoneyMinor));set('payable',money(q.payableMinor));
 if(!touched)pointsInput.value=q.appliedMinor/100;form.dataset.quoted=String(Date.now())}
form.addEventListener('input',e=>{if(e.target.matches('[data-points]'))touched=true;clearTimeout(timer);timer=setTimeout(requote,250)});
`

const STATUS: Record<string, string> = {
  accepted: 'Принят магазином, ждёт 1С',
  exported: 'Передан в 1С',
  confirmed: 'Проведён в 1С',
  cancelled: 'Отменён',
  failed: 'Не принят 1С',
}

export function ordersPage(view: ShopView, orders: Order[]): string {
  const rows = orders
    .map(
      (order) =>
        `<tr><td><a href="/orders/${encodeURIComponent(order.id)}">${escape(order.number)}</a></td><td>${new Date(order.createdAt).toLocaleString('ru-RU', { timeZone: 'Europe/Moscow' })}</td><td><span class="status" data-status="${escape(order.status)}">${escape(STATUS[order.status] ?? order.status)}</span></td><td class="num">${points(order.bonusMinor)}</td></tr>`,
    )
    .join('')
  return frame(
    'Заказы',
    view,
    `<h1>Мои заказы</h1>${orders.length ? `<table><thead><tr><th>Номер</th><th>Дата</th><th>Состояние</th><th class="num">Бонусы</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>Заказов пока нет.</p>'}`,
  )
}

export function orderPage(view: ShopView, order: Order, offers: Offer[], fragment: boolean): string {
  const byId = new Map(offers.map((offer) => [offer.id, offer]))
  const quote = order.quote as { lines: Array<{ offerId: string; allocatedMinor: number }>; appliedMoneyMinor: number }
  const oneC = order.oneC as { number?: string; posted?: boolean }
  // The lines as the service priced them at intake (1C's price of the customer's price type).
  const body = order.body as { lines?: Array<{ offerId: string; quantity: number; unitPriceMinor: number }> }
  const priced = (body.lines ?? []).map((line) => ({
    ...line,
    sumMinor: Math.round(line.unitPriceMinor * line.quantity),
    allocatedMinor: quote.lines.find((candidate) => candidate.offerId === line.offerId)?.allocatedMinor ?? 0,
  }))
  const totalMinor = priced.reduce((sum, line) => sum + line.sumMinor, 0)
  const lines = priced.map(
    (line) =>
      `<tr><td>${escape(byId.get(line.offerId)?.name ?? line.offerId)}</td><td class="num">${escape(line.quantity)}</td><td class="num">${money(line.sumMinor)}</td><td class="num">${points(line.allocatedMinor)}</td></tr>`,
  )
  // The service's notes are for support (English, technical): the customer sees the states and 1C's number.
  const history = order.history
    .map((entry) => `<li>${new Date(entry.at).toLocaleTimeString('ru-RU', { timeZone: 'Europe/Moscow' })} — ${escape(STATUS[entry.status] ?? entry.status)}</li>`)
    .join('')
  const inner = `<div id="order"><h1>Заказ ${escape(order.number)}</h1>
  <p>Состояние: <span class="status" data-status="${escape(order.status)}" id="order-status">${escape(STATUS[order.status] ?? order.status)}</span>${oneC.number ? ` · в 1С: <strong id="onec-number">${escape(oneC.number)}</strong>` : ''}</p>
  ${order.error ? `<p class="error" role="alert">${escape(order.error)}</p>` : ''}
  <table><thead><tr><th>Товар</th><th class="num">Кол-во</th><th class="num">Сумма</th><th class="num">Бонусами</th></tr></thead><tbody>${lines.join('')}</tbody></table>
  <div class="card summary"><div>Сумма</div><div class="num" data-field="total">${money(totalMinor)}</div><div>Оплачено бонусами</div><div class="num" data-field="bonus">${points(order.bonusMinor)}</div><div><strong>К оплате</strong></div><div class="num big">${money(totalMinor - quote.appliedMoneyMinor)}</div></div>
  <h2>Ход заказа</h2><ol class="timeline">${history}</ol></div>`
  if (fragment) return inner
  return frame(
    `Заказ ${order.number}`,
    view,
    `<div aria-live="polite">${inner}</div><p class="muted">Страница обновляется сама, когда 1С меняет заказ (вебхуки order.*).</p>`,
    ORDER_SCRIPT(order.id),
  )
}

const ORDER_SCRIPT = (id: string) => `
const live=new EventSource('/live?order=${encodeURIComponent(id)}');
live.addEventListener('order',async()=>{const r=await fetch(location.pathname+'?fragment=1');if(r.ok)document.getElementById('order').outerHTML=await r.text()});
`

type Movement = paths['/api/v1/customers/{id}/bonus/history']['get']['responses'][200]['content']['application/json']['movements'][number]

const MOVEMENT: Record<string, string> = { accrual: 'Начисление', write_off: 'Списание', expiry: 'Сгорание', reservation: 'Резерв', reversal: 'Сторно' }
const DOCUMENT: Record<string, string> = { ЗаказКлиента: 'заказ', РеализацияТоваровУслуг: 'отгрузка', НачислениеИСписаниеБонусныхБаллов: 'начисление баллов', ЧекККМ: 'чек' }

/** The ledger's rows: when, what, by which 1C document, how many points (signed). */
function movementRows(movements: Movement[], testId: string): string {
  return movements
    .map(
      (movement) =>
        `<tr data-testid="${testId}"><td>${new Date(movement.at).toLocaleDateString('ru-RU', { timeZone: 'Europe/Moscow' })}</td><td>${escape(MOVEMENT[movement.kind] ?? movement.kind)}</td>
        <td>${escape(DOCUMENT[movement.document.type ?? ''] ?? movement.document.type ?? '')}${movement.document.number ? ` № ${escape(movement.document.number)}` : ''}${movement.siteOrderNumber ? ` (заказ на сайте ${escape(movement.siteOrderNumber)})` : ''}</td>
        <td class="num" data-field="delta">${movement.amountMinor > 0 ? '+' : movement.amountMinor < 0 ? '−' : ''}${points(Math.abs(movement.amountMinor))}</td></tr>`,
    )
    .join('')
}

export function bonusPage(
  view: ShopView,
  bonus: Schemas['SpendableBonus'] | null,
  programme: Schemas['BonusConditions'] | null,
  eligible: Schemas['BonusOffersPage'] | null,
  data: CatalogueData,
  ledger: { history: Movement[]; upcoming: Movement[] } = { history: [], upcoming: [] },
): string {
  if (!isB2B(view.customer)) return frame('Бонусы', view, '<h1>Бонусы</h1><p>Бонусная программа — для оптовых покупателей.</p>')
  const holds = (bonus?.holds ?? [])
    .map(
      (hold) =>
        `<tr><td>${escape(hold.number)}</td><td class="num">${points(hold.amountMinor)}</td><td>${new Date(hold.createdAt).toLocaleString('ru-RU', { timeZone: 'Europe/Moscow' })}</td></tr>`,
    )
    .join('')
  const groupsOfPriceGroup = (priceGroupId: string) => {
    const names = new Set<string>()
    for (const product of data.products.values())
      if (product.priceGroupId === priceGroupId) for (const group of product.groupIds ?? []) names.add(data.groups.find((candidate) => candidate.id === group)?.name ?? group)
    return [...names].join(', ') || 'ценовая группа'
  }
  const caps = Object.entries(programme?.priceGroupCaps ?? {})
    .map(([priceGroup, percent]) => `<li>${escape(groupsOfPriceGroup(priceGroup))}: до ${escape(percent)} % цены</li>`)
    .join('')
  const count = (eligible as { offers?: unknown[] } | null)?.offers?.length ?? 0
  const body = `<h1>Бонусы</h1>
  <div class="cards"><div class="card"><div class="muted">Баланс в 1С</div><div class="big" data-field="balance" style="font-size:22px;font-weight:700">${points(bonus?.balanceMinor ?? 0)}</div>${bonus?.sharedFrom ? '<div class="muted">общий счёт группы компаний</div>' : ''}</div>
  <div class="card"><div class="muted">Заблокировано под заказы</div><div style="font-size:22px;font-weight:700" data-field="held">${points(bonus?.heldMinor ?? 0)}</div></div>
  <div class="card"><div class="muted">Можно потратить</div><div style="font-size:22px;font-weight:700" data-field="spendable">${points(bonus?.availableMinor ?? 0)}</div></div></div>
  ${holds ? `<h2>Под заказы, которые 1С ещё не списала</h2><table><thead><tr><th>Заказ</th><th class="num">Бонусов</th><th>С</th></tr></thead><tbody>${holds}</tbody></table>` : ''}
  <h2>Условия программы «${escape(programme?.name ?? '')}»</h2><div class="card"><ul><li>Бонусами можно оплатить до ${escape(programme?.maxRedeemPercent ?? 0)} % цены товара</li>${caps}
  <li>1 балл = ${escape(programme?.pointValue ?? '1')} ₽</li>${programme?.segmentId ? `<li>Только товары бонусного ассортимента: ${count} позиций в каталоге</li>` : ''}</ul></div>
  ${ledger.upcoming.length ? `<h2>Скоро</h2><table><thead><tr><th>Дата</th><th>Что</th><th>Документ 1С</th><th class="num">Баллы</th></tr></thead><tbody>${movementRows(ledger.upcoming, 'upcoming')}</tbody></table>` : ''}
  <h2>История баллов</h2>${ledger.history.length ? `<table><thead><tr><th>Дата</th><th>Что</th><th>Документ 1С</th><th class="num">Баллы</th></tr></thead><tbody>${movementRows(ledger.history, 'history')}</tbody></table>` : '<p class="muted">Движений пока нет.</p>'}`
  return frame('Бонусы', view, body, `const live=new EventSource('/live');live.addEventListener('bonus',()=>location.reload());`)
}
