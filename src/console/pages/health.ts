/** S1 Health: a card per source and per storefront, open alerts, holds past their TTL. */
import { reconcile } from '../../loyalty/index.ts'
import { openAlerts } from '../alerts.ts'
import type { HealthReport, SourceHealth, StorefrontHealth } from '../health.ts'
import { html, href, type Markup } from '../html.ts'
import { formatPoints, plural, w } from '../i18n.ts'
import { chip, csrfField, entityHref, page, statusWord, when, type PageContext } from '../layout.ts'
import { mayAct } from '../users.ts'
import { LOCKS, type Db } from '../../store/index.ts'

export function sourceLabel(ctx: PageContext, name: string): string {
  if (name === 'commerceml') return w(ctx.lang, 'Обмен с сайтом: каталог и предложения (CommerceML)', 'Site exchange: catalogue and offers (CommerceML)')
  if (name === 'exchange:sale') return w(ctx.lang, 'Обмен заказами с 1С', "1C's order exchange")
  if (name.startsWith('odata:')) return `OData: ${name.slice(6)}`
  if (name.startsWith('xml:')) return w(ctx.lang, `Файл XML: ${name.slice(4)}`, `XML file: ${name.slice(4)}`)
  return name
}

const RUNS = { ru: { one: 'загрузка', few: 'загрузки', many: 'загрузок', other: 'загрузки' }, en: { one: 'run', other: 'runs' } }
const MESSAGES = { ru: { one: 'сообщение', few: 'сообщения', many: 'сообщений', other: 'сообщения' }, en: { one: 'message', other: 'messages' } }

function sourceCard(ctx: PageContext, source: SourceHealth, pullable: boolean): Markup {
  const { lang } = ctx
  return html`<section class="card" aria-labelledby="src-${source.name}" data-testid="source-card" data-source="${source.name}">
    <h3 id="src-${source.name}">${sourceLabel(ctx, source.name)}</h3>
    <p>
      ${chip(ctx, source.freshness)}
      <span class="muted"
        >${w(lang, 'по расписанию каждые', 'expected every')}
        ${plural(lang, source.everyMinutes, {
          ru: { one: 'минуту', few: 'минуты', many: 'минут', other: 'минуты' },
          en: { one: 'minute', other: 'minutes' },
        })}</span
      >
    </p>
    <dl class="kv">
      <dt>${w(lang, 'Последний успех', 'Last success')}</dt>
      <dd>${when(ctx, source.lastSuccessAt, { oneC: true, relative: true })}</dd>
      <dt>${w(lang, 'Станет устаревшим', 'Stale at')}</dt>
      <dd>${when(ctx, source.staleAt)}</dd>
      ${
        source.failedSinceSuccess > 0
          ? html`<dt>${w(lang, 'Ошибок подряд', 'Failures since')}</dt>
              <dd class="bad">${plural(lang, source.failedSinceSuccess, RUNS)}</dd>`
          : ''
      }
    </dl>
    <div class="bars" role="group" aria-label="${w(lang, 'Последние загрузки', 'Last runs')}">
      ${source.lastRuns.map(
        (run) =>
          html`<a
            class="${run.status}"
            href="/console/runs/${run.id}"
            title="#${run.id} ${statusWord(lang, run.status)}"
            aria-label="${w(lang, 'Загрузка', 'Run')} #${run.id}: ${statusWord(lang, run.status)}"
            >${run.status === 'failed' ? '✖' : run.status === 'running' ? '…' : '✔'}</a
          >`,
      )}
    </div>
    <p><a href="${href('/console/runs', { source: source.name })}">${w(lang, 'Все загрузки источника', 'All runs of this source')}</a></p>
    ${
      pullable && source.name.startsWith('odata:') && mayAct(ctx.user.role, 'operator')
        ? html`<form method="post" action="/console/sources/${source.name.slice(6)}/pull">
            ${csrfField(ctx)}<button type="submit">${w(lang, 'Загрузить сейчас', 'Pull now')}</button>
          </form>`
        : ''
    }
  </section>`
}

function storefrontCard(ctx: PageContext, shop: StorefrontHealth): Markup {
  const { lang } = ctx
  return html`<section class="card" aria-labelledby="shop-${shop.id}" data-testid="storefront-card" data-storefront="${shop.id}">
    <h3 id="shop-${shop.id}">${w(lang, 'Витрина', 'Storefront')} ${shop.id}</h3>
    <p>${chip(ctx, shop.state)}</p>
    <dl class="kv">
      <dt>${w(lang, 'Адрес', 'URL')}</dt>
      <dd class="mono">${shop.url}</dd>
      <dt>${w(lang, 'Последняя доставка', 'Last delivered')}</dt>
      <dd>${when(ctx, shop.lastDeliveredAt, { relative: true })}</dd>
      <dt>${w(lang, 'Ждут отправки', 'Pending')}</dt>
      <dd><a href="${href('/console/deliveries', { storefront: shop.id, status: 'pending' })}">${plural(lang, shop.pending, MESSAGES)}</a></dd>
      <dt>${w(lang, 'Не доставлены', 'Dead letters')}</dt>
      <dd><a class="${shop.dead > 0 ? 'bad' : ''}" href="${href('/console/deliveries', { storefront: shop.id, status: 'dead' })}">${plural(lang, shop.dead, MESSAGES)}</a></dd>
      ${
        shop.failingSince
          ? html`<dt>${w(lang, 'Сбои с', 'Failing since')}</dt>
              <dd>${when(ctx, shop.failingSince, { relative: true })}</dd>`
          : ''
      }
      ${
        shop.disabledReason
          ? html`<dt>${w(lang, 'Причина', 'Reason')}</dt>
              <dd>${shop.disabledReason}</dd>`
          : ''
      }
    </dl>
  </section>`
}

/** The bonus ledger against 1C's balances: every account whose movements do not add up, or a line that all do. */
async function ledgerSection(db: Db, ctx: PageContext): Promise<Markup> {
  const { lang } = ctx
  const [any] = await db.query<{ any: boolean }>(`select exists (select 1 from entity_state where kind = 'bonus_movement') as any`)
  if (!any?.any) return html``
  const mismatches = await reconcile(db)
  return html`<h2>${w(lang, 'Сверка бонусов с 1С', 'Bonus ledger against 1C')}</h2>
    ${
      mismatches.length === 0
        ? html`<p data-testid="ledger" data-status="ok">
            ${w(lang, 'Движения каждого счёта сходятся с остатком, который показывает 1С.', 'Every account’s movements add up to the balance 1C reports.')}
          </p>`
        : html`<p data-testid="ledger" data-status="mismatch" class="bad">
              ${w(lang, `Не сходится счетов: ${mismatches.length}. Движения и остаток из 1С расходятся — проверьте последние загрузки движений и остатков.`, `${mismatches.length} account(s) do not add up: check the latest movements and balance pulls.`)}
            </p>
            <table>
              <thead>
                <tr>
                  <th>${w(lang, 'Клиент', 'Customer')}</th>
                  <th class="num">${w(lang, 'Остаток в 1С', 'Balance in 1C')}</th>
                  <th class="num">${w(lang, 'Сумма движений', 'Movements add up to')}</th>
                </tr>
              </thead>
              <tbody>
                ${mismatches.slice(0, 50).map(
                  (item) =>
                    html`<tr data-testid="ledger-mismatch">
                      <td><a href="${entityHref('customer', item.customerId)}">${item.customerId}</a></td>
                      <td class="num">${formatPoints(lang, item.balanceMinor)}</td>
                      <td class="num">${formatPoints(lang, item.ledgerMinor)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
    }`
}

interface InstanceRow extends Record<string, unknown> {
  name: string
  host: string | null
  since: Date
  running: number
}

/**
 * The processes of the service on this store, as PostgreSQL knows them: each holds the lock on its
 * instance id for its life (store/instance.ts), so a killed one disappears from the list at once.
 */
async function instancesSection(db: Db, ctx: PageContext): Promise<Markup> {
  const { lang } = ctx
  const rows = await db.query<InstanceRow>(
    `select a.application_name as name, host(a.client_addr) as host, a.backend_start as since,
            (select count(*)::int from sync_runs r where r.status = 'running' and r.instance_id = l.objid::int) as running
       from pg_locks l join pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'advisory' and l.granted and l.classid = $1 and l.objsubid = 2
        and l.database = (select oid from pg_database where datname = current_database())
      order by a.backend_start`,
    [LOCKS.instanceNamespace],
  )
  if (rows.length === 0) return html``
  const what = (name: string) => {
    const [, role = '', pid = ''] = /^onec-bridge (\S+) (\d+)$/.exec(name) ?? []
    if (role === 'service') return w(lang, `сервис, процесс ${pid}`, `service, process ${pid}`)
    if (role === 'cli') return w(lang, `команда onec-bridge, процесс ${pid}`, `onec-bridge command, process ${pid}`)
    return name
  }
  return html`<h2>${w(lang, 'Экземпляры сервиса', 'Service instances')}</h2>
    <p class="muted">
      ${w(
        lang,
        'Процессы, работающие с этой базой сейчас. Задания (загрузки, доставки, отправка заказов) берёт любой из них; остановленный исчезает из списка сразу, его задания подхватят другие.',
        'The processes working on this store now. Any of them takes jobs (imports, deliveries, orders to 1C); one that stops leaves the list at once and the others take its jobs.',
      )}
    </p>
    <table data-testid="instances">
      <thead>
        <tr>
          <th>${w(lang, 'Процесс', 'Process')}</th>
          <th>${w(lang, 'Адрес', 'Host')}</th>
          <th>${w(lang, 'Работает с', 'Up since')}</th>
          <th class="num">${w(lang, 'Идущих загрузок', 'Runs in progress')}</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (row) =>
            html`<tr data-testid="instance">
              <td>${what(row.name)}</td>
              <td>${row.host ?? w(lang, 'этот сервер (сокет)', 'this server (socket)')}</td>
              <td>${when(ctx, row.since, { relative: true })}</td>
              <td class="num">${row.running}</td>
            </tr>`,
        )}
      </tbody>
    </table>`
}

export async function healthPage(db: Db, ctx: PageContext, report: HealthReport, pullable: boolean, holdTtlHours: number): Promise<string> {
  const { lang } = ctx
  const alerts = await openAlerts(db)
  const holds = report.holds
  const body = html`<h1>${w(lang, 'Состояние обмена', 'Exchange health')}</h1>
    <p class="muted">
      ${w(lang, 'Обновлено', 'As of')} ${when(ctx, report.at)}.
      ${w(lang, 'Вовремя — успех в пределах интервала расписания; опаздывает — до двух интервалов; устарело — дольше.', 'On time: a success within one schedule interval; late: within two; stale: longer.')}
    </p>
    ${
      alerts.length > 0
        ? html`<section aria-labelledby="alerts">
            <h2 id="alerts">${w(lang, 'Открытые тревоги', 'Open alerts')}</h2>
            <ul>
              ${alerts.map(
                (alert) => html`<li class="bad" data-testid="alert">${alert.details.message?.[lang] ?? alert.key} — ${when(ctx, alert.raisedAt, { relative: true })}</li>`,
              )}
            </ul>
          </section>`
        : ''
    }
    <h2>${w(lang, 'Источники данных 1С', '1C sources')}</h2>
    <div class="cards">${report.sources.map((source) => sourceCard(ctx, source, pullable))}</div>
    <h2>${w(lang, 'Витрины', 'Storefronts')}</h2>
    ${report.storefronts.length === 0 ? html`<p class="muted">${w(lang, 'Витрин пока нет.', 'No storefronts yet.')}</p>` : html`<div class="cards">${report.storefronts.map((shop) => storefrontCard(ctx, shop))}</div>`}
    <h2>${w(lang, 'Бонусы, удержанные заказами', 'Bonuses held by orders')}</h2>
    <p data-testid="holds">
      ${w(lang, 'Действующих удержаний', 'Active holds')}: ${holds.active}. ${w(lang, 'Старше срока', 'Older than their TTL')} (${holdTtlHours} ${w(lang, 'ч', 'h')}):
      <span class="${holds.overTtl > 0 ? 'bad' : ''}">${holds.overTtl}</span>. ${w(lang, 'Самое старое', 'Oldest')}: ${when(ctx, holds.oldestAt, { relative: true })}.
    </p>
    ${await ledgerSection(db, ctx)} ${await instancesSection(db, ctx)}`
  return page(ctx, { title: w(lang, 'Состояние', 'Health'), active: '/console', body })
}
