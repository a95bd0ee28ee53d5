/** The search results page, the login form, and the admin's users and audit log. */
import { html, href } from '../html.ts'
import { w, type Lang } from '../i18n.ts'
import { csrfField, entityHref, page, roleName, when, type PageContext } from '../layout.ts'
import type { SearchHit } from '../read.ts'
import { ROLES, type Role } from '../users.ts'
import type { AuditEntry } from '../audit.ts'
import { actionName } from './shared.ts'
import { kindName } from './entity.ts'

/** Where one search hit leads. */
export function hitHref(hit: SearchHit): string {
  if (hit.kind === 'customer') return entityHref('customer', hit.key)
  if (hit.kind === 'order') return `/console/orders/${encodeURIComponent(hit.key)}`
  if (hit.kind === 'run') return `/console/runs/${hit.key}`
  if (hit.kind === 'delivery') return `/console/deliveries/${hit.key}`
  return entityHref(hit.entityKind ?? 'product', hit.key)
}

export function searchPage(ctx: PageContext, q: string, hits: readonly SearchHit[]): string {
  const { lang } = ctx
  const kind = (hit: SearchHit) =>
    hit.kind === 'entity'
      ? kindName(ctx, hit.entityKind ?? '')
      : w(
          lang,
          ...({ customer: ['Контрагент', 'Customer'], order: ['Заказ', 'Order'], run: ['Загрузка', 'Run'], delivery: ['Доставка', 'Delivery'] }[hit.kind] as [string, string]),
        )
  const body = html`<h1>${w(lang, 'Поиск', 'Search')}: «${q}»</h1>
    ${hits.length === 0 ? html`<p data-testid="no-hits">${w(lang, 'Ничего не найдено. Ищите по ИНН, названию, Ид или Ref_Key из 1С, артикулу, номеру заказа (сайта или 1С), номеру загрузки, webhook-id.', 'Nothing found. Search by ИНН, name, 1C Ид or Ref_Key, article, order number (storefront or 1C), run id, webhook-id.')}</p>` : ''}
    <ul data-testid="hits">
      ${hits.map((hit) => html`<li><a href="${hitHref(hit)}">${hit.label}</a> <span class="muted">${kind(hit)}${hit.detail ? ` · ${hit.detail}` : ''}</span></li>`)}
    </ul>`
  return page(ctx, { title: w(lang, 'Поиск', 'Search'), body })
}

export function loginPage(lang: Lang, next: string, failed: boolean): string {
  const other: Lang = lang === 'ru' ? 'en' : 'ru'
  return `<!doctype html>${html`<html lang="${lang}">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>${w(lang, 'Вход', 'Sign in')} · onec-bridge</title>
      <style>
        body {
          font:
            16px system-ui,
            sans-serif;
          display: flex;
          justify-content: center;
          padding-top: 10vh;
          color: #1b1f24;
        }
        main {
          width: 340px;
        }
        label {
          display: block;
          margin: 10px 0 4px;
        }
        input {
          width: 100%;
          padding: 6px;
        }
        button {
          margin-top: 14px;
          padding: 6px 16px;
        }
        .bad {
          color: #a40e26;
        }
        a {
          color: #0a5bd3;
        }
      </style>
    </head>
    <body>
      <main>
        <h1>onec-bridge: ${w(lang, 'консоль поддержки', 'support console')}</h1>
        ${failed ? html`<p class="bad" role="alert">${w(lang, 'Неверный логин или пароль.', 'Wrong login or password.')}</p>` : ''}
        <form method="post" action="/console/login">
          <input type="hidden" name="next" value="${next}" /> <label for="login">${w(lang, 'Логин', 'Login')}</label
          ><input id="login" name="login" autocomplete="username" required /> <label for="password">${w(lang, 'Пароль', 'Password')}</label
          ><input id="password" name="password" type="password" autocomplete="current-password" required /> <button type="submit">${w(lang, 'Войти', 'Sign in')}</button>
        </form>
        <p>
          ${w(lang, 'Первый вход: логин admin и токен администратора (ADMIN_TOKEN) как пароль. Пользователей создаёт администратор или команда onec-bridge user add.', 'First sign-in: login admin with the admin token (ADMIN_TOKEN) as the password. Users are made by an admin or with onec-bridge user add.')}
        </p>
        <p>
          <a href="${href('/console/lang', { to: other, back: `/console/login?next=${encodeURIComponent(next)}` })}" lang="${other}">${other === 'en' ? 'English' : 'Русский'}</a>
        </p>
      </main>
    </body>
  </html>`}`
}

export function usersPage(
  ctx: PageContext,
  users: ReadonlyArray<{ login: string; role: Role; disabled: boolean; createdAt: Date; createdBy: string }>,
  message: string | null,
): string {
  const { lang } = ctx
  const body = html`<h1>${w(lang, 'Пользователи консоли', 'Console users')}</h1>
    ${message ? html`<p class="notice" role="status">${message}</p>` : ''}
    <table>
      <caption>
        ${w(lang, 'Роли: просмотр — читает всё, кроме секретов; оператор — ещё повторы, загрузка сейчас, повтор заказа; администратор — ещё витрины, ключи, пользователи', 'Roles: viewer reads everything but secrets; operator also resends, recovers, pulls now, retries orders; admin also storefronts, keys, users')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${w(lang, 'Логин', 'Login')}</th>
          <th scope="col">${w(lang, 'Роль', 'Role')}</th>
          <th scope="col">${w(lang, 'Создан', 'Created')}</th>
          <th scope="col"></th>
        </tr>
      </thead>
      <tbody>
        ${users.map(
          (user) =>
            html`<tr>
              <td>${user.login}</td>
              <td>${roleName(lang, user.role)}${user.disabled ? ` (${w(lang, 'отключён', 'disabled')})` : ''}</td>
              <td>${when(ctx, user.createdAt)} · ${user.createdBy}</td>
              <td>
                ${user.disabled ? '' : html`<form method="post" action="/console/users/${encodeURIComponent(user.login)}/disable">${csrfField(ctx)}<button type="submit" class="danger">${w(lang, 'Отключить', 'Disable')} ${user.login}</button></form>`}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
    <h2>${w(lang, 'Новый пользователь или новый пароль', 'New user or new password')}</h2>
    <form class="filters" method="post" action="/console/users">
      ${csrfField(ctx)}<label>${w(lang, 'Логин', 'Login')}<input name="login" required autocomplete="off" /></label>
      <label
        >${w(lang, 'Пароль (от 10 символов)', 'Password (10 characters or more)')}<input name="password" type="password" required minlength="10" autocomplete="new-password"
      /></label>
      <label
        >${w(lang, 'Роль', 'Role')}<select name="role">
          ${ROLES.map((role) => html`<option value="${role}">${roleName(lang, role)}</option>`)}
        </select></label
      ><button type="submit">${w(lang, 'Сохранить', 'Save')}</button>
    </form>`
  return page(ctx, { title: w(lang, 'Пользователи', 'Users'), active: '/console/users', body })
}

export function auditPage(ctx: PageContext, entries: readonly AuditEntry[]): string {
  const { lang } = ctx
  const last = entries.at(-1)
  const target = (entry: AuditEntry) => {
    if (!entry.targetKind || !entry.targetKey) return '—'
    const link =
      entry.targetKind === 'order'
        ? `/console/orders/${encodeURIComponent(entry.targetKey)}`
        : entry.targetKind === 'delivery'
          ? `/console/deliveries/${entry.targetKey}`
          : entry.targetKind === 'storefront'
            ? href('/console/deliveries', { storefront: entry.targetKey })
            : null
    return link ? html`<a href="${link}">${entry.targetKind} ${entry.targetKey}</a>` : html`${entry.targetKind} ${entry.targetKey}`
  }
  const body = html`<h1>${w(lang, 'Журнал действий', 'Audit log')}</h1>
    <table>
      <caption>
        ${w(lang, 'Каждое изменение из консоли и через API администратора, новые сверху', 'Every write from the console or the admin API, newest first')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${w(lang, 'Когда', 'When')}</th>
          <th scope="col">${w(lang, 'Кто', 'Who')}</th>
          <th scope="col">${w(lang, 'Что', 'What')}</th>
          <th scope="col">${w(lang, 'Над чем', 'Target')}</th>
          <th scope="col">${w(lang, 'Затронуто', 'Affected')}</th>
        </tr>
      </thead>
      <tbody>
        ${entries.map(
          (entry) =>
            html`<tr data-testid="audit-row">
              <td>${when(ctx, entry.at)}</td>
              <td>${entry.actor} <span class="muted">(${entry.role}, ${entry.via})</span></td>
              <td>${actionName(ctx, entry.action)}</td>
              <td>${target(entry)}</td>
              <td>${entry.count ?? '—'}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${last && entries.length >= 100 ? html`<p><a href="${href('/console/audit', { before: last.id })}">${w(lang, 'Раньше →', 'Older →')}</a></p>` : ''}`
  return page(ctx, { title: w(lang, 'Журнал действий', 'Audit log'), active: '/console/audit', body })
}
