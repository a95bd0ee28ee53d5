/**
 * The frame of every console page (navigation, the search box, the language switch, who is signed
 * in) and the pieces pages share: times in two clocks, status chips that say their status in words
 * and a symbol (never colour alone), JSON shown as text.
 */
import { html, href, Markup } from './html.ts'
import { formatDate, formatRelative, w, type Lang } from './i18n.ts'
import type { Role } from './users.ts'

export interface PageContext {
  lang: Lang
  /** The reader's time zone (the browser's, remembered in a cookie), else 1C's. */
  zone: string
  /** 1C's time zone: its CommerceML and OData dates carry none. */
  oneCZone: string
  user: { login: string; role: Role }
  /** The form token of this session. */
  csrf: string
  /** This page's path and query, to come back to after the language switch. */
  url: string
  now: Date
}

const STYLE = `
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#fff;--accent:#0a5bd3;--ok:#116329;--warn:#7d4e00;--bad:#a40e26;--info:#0a3069}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f0a000;outline-offset:1px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px}
header{display:flex;flex-wrap:wrap;gap:12px;align-items:center;padding:8px 16px;border-bottom:1px solid var(--line);background:#f6f8fa}
header nav ul{display:flex;flex-wrap:wrap;gap:14px;list-style:none;margin:0;padding:0}header nav a[aria-current=page]{font-weight:700;text-decoration:none;color:var(--fg)}
header form.search{display:flex;gap:6px;flex:1;min-width:260px}header form.search input{flex:1;padding:5px 8px}
.who{display:flex;gap:8px;align-items:center;color:var(--muted)}
main{padding:16px;max-width:1400px}h1{font-size:1.5rem;margin:0 0 12px}h2{font-size:1.15rem;margin:20px 0 8px}
table{border-collapse:collapse;width:100%;margin:8px 0}caption{text-align:left;color:var(--muted);padding:4px 0}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}th{background:#f6f8fa;font-weight:600}
.chip{display:inline-block;padding:0 8px;border-radius:10px;border:1px solid currentColor;white-space:nowrap;font-size:.9em}
.ok{color:var(--ok)}.warn{color:var(--warn)}.bad{color:var(--bad)}.info{color:var(--info)}.muted{color:var(--muted)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 12px}.card h3{margin:0 0 6px;font-size:1.05rem}
.bars{display:flex;gap:3px;align-items:flex-end;margin-top:6px}.bars a{display:inline-block;width:24px;height:24px;line-height:24px;border-radius:2px;text-align:center;font-size:11px;text-decoration:none;color:#fff}
.bars a.succeeded{background:#1a7f37}.bars a.failed{background:#cf222e}.bars a.running{background:#6e7781}
.sentence{border-left:4px solid var(--bad);background:#fff5f5;padding:8px 12px;margin:8px 0}
.notice{border-left:4px solid var(--info);background:#f1f8ff;padding:8px 12px;margin:8px 0}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;word-break:break-all}
pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:420px;white-space:pre-wrap}
form.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-end;margin:8px 0}form.filters label{display:flex;flex-direction:column;font-size:.9em}
button{padding:5px 12px;cursor:pointer}button.danger{color:var(--bad)}dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px}dl.kv dt{color:var(--muted)}dl.kv dd{margin:0}
.timeline{list-style:none;padding:0;border-left:2px solid var(--line);margin-left:6px}.timeline li{padding:4px 0 8px 14px;position:relative}
.timeline li::before{content:"";position:absolute;left:-6px;top:10px;width:10px;height:10px;border-radius:50%;background:var(--line)}
@media (prefers-reduced-motion:reduce){*{transition:none!important}}
`

/** Sets the reader's time zone cookie, so the next page shows their clock (the page reads fine without it). */
const ZONE_SCRIPT = `(function(){try{var z=Intl.DateTimeFormat().resolvedOptions().timeZone;if(z&&document.cookie.indexOf('ob_tz='+encodeURIComponent(z))<0){document.cookie='ob_tz='+encodeURIComponent(z)+';path=/console;max-age=31536000;samesite=strict';}}catch(e){}})();`

const NAV: Array<{ path: string; ru: string; en: string; role?: Role }> = [
  { path: '/console', ru: 'Состояние', en: 'Health' },
  { path: '/console/runs', ru: 'Загрузки', en: 'Runs' },
  { path: '/console/orders', ru: 'Заказы', en: 'Orders' },
  { path: '/console/deliveries', ru: 'Доставки', en: 'Deliveries' },
  { path: '/console/churn', ru: 'Отток', en: 'Churn' },
  { path: '/console/audit', ru: 'Журнал действий', en: 'Audit log', role: 'admin' },
  { path: '/console/users', ru: 'Пользователи', en: 'Users', role: 'admin' },
]

const ROLE_NAMES: Record<Role, [string, string]> = { viewer: ['просмотр', 'viewer'], operator: ['оператор', 'operator'], admin: ['администратор', 'admin'] }
export const roleName = (lang: Lang, role: Role) => w(lang, ...ROLE_NAMES[role])

export function page(ctx: PageContext, options: { title: string; active?: string; body: Markup }): string {
  const { lang } = ctx
  const other: Lang = lang === 'ru' ? 'en' : 'ru'
  const nav = NAV.filter((item) => !item.role || ctx.user.role === item.role)
  return `<!doctype html>${html`<html lang="${lang}">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>${options.title} · onec-bridge</title>
      <style>
        ${new Markup(STYLE)}
      </style>
    </head>
    <body>
      <a class="skip" href="#main">${w(lang, 'К содержанию', 'Skip to content')}</a>
      <header>
        <strong>onec-bridge</strong>
        <nav aria-label="${w(lang, 'Разделы', 'Sections')}">
          <ul>
            ${nav.map((item) => html`<li><a href="${item.path}" ${options.active === item.path ? html`aria-current="page"` : ''}>${w(lang, item.ru, item.en)}</a></li>`)}
          </ul>
        </nav>
        <form class="search" role="search" method="get" action="/console/search">
          <label for="q" class="skip">${w(lang, 'Поиск', 'Search')}</label>
          <input
            id="q"
            name="q"
            type="search"
            placeholder="${w(lang, 'ИНН, название, Ид 1С, артикул, № заказа, № загрузки, webhook-id', 'ИНН, name, 1C Ид, article, order №, run id, webhook-id')}"
          />
          <button type="submit">${w(lang, 'Найти', 'Search')}</button>
        </form>
        <div class="who">
          <a href="${href('/console/lang', { to: other, back: ctx.url })}" lang="${other}" hreflang="${other}">${other === 'en' ? 'English' : 'Русский'}</a>
          <span>${ctx.user.login} (${roleName(lang, ctx.user.role)})</span>
          <form method="post" action="/console/logout"><input type="hidden" name="_csrf" value="${ctx.csrf}" /><button type="submit">${w(lang, 'Выйти', 'Sign out')}</button></form>
        </div>
      </header>
      <main id="main">${options.body}</main>
      <script>
        ${new Markup(ZONE_SCRIPT)}
      </script>
    </body>
  </html>`}`
}

/** A time in the reader's zone; with `oneC`, 1C's clock beside it when it differs. The exact instant is in `datetime`. */
export function when(ctx: PageContext, value: Date | string | null | undefined, options: { oneC?: boolean; relative?: boolean } = {}): Markup {
  if (value === null || value === undefined) return html`<span class="muted">—</span>`
  const date = new Date(value)
  const mine = formatDate(ctx.lang, date, ctx.zone)
  const theirs = options.oneC && ctx.oneCZone !== ctx.zone ? formatDate(ctx.lang, date, ctx.oneCZone) : null
  return html`<time datetime="${date.toISOString()}">${mine}</time>${theirs ? html` <span class="muted">(1С: ${theirs})</span>` : ''}${
      options.relative ? html` <span class="muted">· ${formatRelative(ctx.lang, date, ctx.now)}</span>` : ''
    }`
}

type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'muted'
const STATUSES: Record<string, { tone: Tone; icon: string; ru: string; en: string }> = {
  succeeded: { tone: 'ok', icon: '✔', ru: 'успешно', en: 'succeeded' },
  failed: { tone: 'bad', icon: '✖', ru: 'ошибка', en: 'failed' },
  running: { tone: 'info', icon: '…', ru: 'выполняется', en: 'running' },
  on_time: { tone: 'ok', icon: '✔', ru: 'вовремя', en: 'on time' },
  late: { tone: 'warn', icon: '⚠', ru: 'опаздывает', en: 'late' },
  stale: { tone: 'bad', icon: '✖', ru: 'устарело', en: 'stale' },
  never: { tone: 'muted', icon: '○', ru: 'ещё не было', en: 'never ran' },
  ok: { tone: 'ok', icon: '✔', ru: 'в порядке', en: 'ok' },
  paused: { tone: 'warn', icon: '⏸', ru: 'на паузе', en: 'paused' },
  disabled: { tone: 'bad', icon: '✖', ru: 'отключена', en: 'disabled' },
  failing: { tone: 'warn', icon: '↻', ru: 'повторы', en: 'retrying' },
  dead_letters: { tone: 'bad', icon: '✖', ru: 'есть недоставленные', en: 'dead letters' },
  pending: { tone: 'info', icon: '…', ru: 'ожидает', en: 'pending' },
  delivered: { tone: 'ok', icon: '✔', ru: 'доставлено', en: 'delivered' },
  dead: { tone: 'bad', icon: '✖', ru: 'не доставлено', en: 'dead' },
  superseded: { tone: 'muted', icon: '↷', ru: 'заменено новой версией', en: 'superseded' },
  up_to_date: { tone: 'ok', icon: '✔', ru: 'актуально', en: 'up to date' },
  not_subscribed: { tone: 'muted', icon: '○', ru: 'не подписана', en: 'not subscribed' },
  not_sent: { tone: 'muted', icon: '○', ru: 'не отправлялось', en: 'never sent' },
  accepted: { tone: 'info', icon: '…', ru: 'принят', en: 'accepted' },
  exported: { tone: 'info', icon: '→', ru: 'передан в 1С', en: 'sent to 1C' },
  confirmed: { tone: 'ok', icon: '✔', ru: 'проведён в 1С', en: 'posted in 1C' },
  cancelled: { tone: 'muted', icon: '✖', ru: 'отменён', en: 'cancelled' },
  active: { tone: 'info', icon: '●', ru: 'действует', en: 'active' },
  released: { tone: 'muted', icon: '○', ru: 'снят', en: 'released' },
  settled: { tone: 'ok', icon: '✔', ru: 'списан в 1С', en: 'settled' },
}

export function chip(ctx: PageContext, status: string): Markup {
  const known = STATUSES[status]
  if (!known) return html`<span class="chip muted" data-status="${status}">${status}</span>`
  return html`<span class="chip ${known.tone}" data-status="${status}"><span aria-hidden="true">${known.icon}</span> ${w(ctx.lang, known.ru, known.en)}</span>`
}

export const statusWord = (lang: Lang, status: string) => {
  const known = STATUSES[status]
  return known ? w(lang, known.ru, known.en) : status
}

export function json(value: unknown): Markup {
  return html`<pre class="mono">${JSON.stringify(value, null, 2)}</pre>`
}

/** A hidden form token field for a form that writes. */
export const csrfField = (ctx: PageContext) => html`<input type="hidden" name="_csrf" value="${ctx.csrf}" />`

export function entityHref(kind: string, key: string): string {
  return `/console/entities/${encodeURIComponent(kind)}/${encodeURIComponent(key)}`
}
