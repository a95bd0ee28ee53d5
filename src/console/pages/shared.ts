/** Pieces several screens show: the audit trail of what they show, actions a user may not take. */
import type { AuditEntry } from '../audit.ts'
import { html, type Markup } from '../html.ts'
import { w } from '../i18n.ts'
import { roleName, when, type PageContext } from '../layout.ts'
import { isRole } from '../users.ts'

const ACTIONS: Record<string, [string, string]> = {
  replayDelivery: ['повторная отправка доставки', 'delivery resent'],
  recoverDeliveries: ['повтор недоставленных', 'dead letters recovered'],
  pullSource: ['загрузка OData запущена вручную', 'OData pull started by hand'],
  retryOrder: ['заказ отправлен в 1С повторно', 'order sent to 1C again'],
  changeStorefront: ['настройки витрины изменены', 'storefront settings changed'],
  issueApiKey: ['выпущен ключ API', 'API key issued'],
  createStorefront: ['витрина создана', 'storefront created'],
  rotateSecret: ['секрет подписи заменён', 'signing secret rotated'],
  retireSecrets: ['старые секреты отозваны', 'old secrets retired'],
  revokeApiKey: ['ключ API отозван', 'API key revoked'],
  backfillStorefront: ['полная выгрузка на витрину', 'storefront backfilled'],
  saveUser: ['пользователь сохранён', 'user saved'],
  disableUser: ['пользователь отключён', 'user disabled'],
}

export const actionName = (ctx: PageContext, action: string) => {
  const known = ACTIONS[action]
  return known ? w(ctx.lang, ...known) : action
}

/** Who did what here: the audit rows of this screen's target, newest first. */
export function auditList(ctx: PageContext, entries: readonly AuditEntry[]): Markup {
  if (entries.length === 0) return html``
  return html`<h2>${w(ctx.lang, 'Действия людей', 'Actions taken')}</h2>
    <ul class="timeline" data-testid="audit">
      ${entries.map(
        (entry) =>
          html`<li>
            ${when(ctx, entry.at)} — <strong>${entry.actor}</strong> (${isRole(entry.role) ? roleName(ctx.lang, entry.role) : entry.role}, ${entry.via}):
            ${actionName(ctx, entry.action)}${entry.count !== null ? html` · ${w(ctx.lang, 'затронуто', 'affected')}: ${entry.count}` : ''}
          </li>`,
      )}
    </ul>`
}
