/** S2 Runs (filters in the URL, presets and jump to a date) and S3 Run detail (the failure as a sentence, then the changes). */
import type { FieldChange } from '../../domain/index.ts'
import { countRuns, getRun, listEvents, listRuns, type Run, type RunFailure, type RunStatus, type StoredEvent } from '../../state/index.ts'
import type { Db } from '../../store/index.ts'
import { auditOf } from '../audit.ts'
import { html, href, type Markup } from '../html.ts'
import { formatDuration, formatNumber, w, zonedInstant, type Lang } from '../i18n.ts'
import { chip, entityHref, json, page, when, type PageContext } from '../layout.ts'
import { runFacets } from '../read.ts'
import { auditList } from './shared.ts'
import { sourceLabel } from './health.ts'

export interface RunsQuery {
  preset?: string | undefined
  date?: string | undefined
  source?: string | undefined
  kind?: string | undefined
  status?: RunStatus | undefined
  errors?: string | undefined
  before?: number | undefined
}

const PRESETS: Record<string, { hours: number; ru: string; en: string }> = {
  '1h': { hours: 1, ru: 'за час', en: 'last hour' },
  '24h': { hours: 24, ru: 'за сутки', en: 'last 24 h' },
  '7d': { hours: 24 * 7, ru: 'за неделю', en: 'last week' },
  '30d': { hours: 24 * 30, ru: 'за месяц', en: 'last month' },
}
const PAGE = 50

/** The window a query names: a preset back from now, or one whole day (in the reader's zone) picked by date. */
export function runWindow(query: RunsQuery, zone: string, now: Date): { from?: Date; to?: Date } {
  if (query.date && /^\d{4}-\d{2}-\d{2}$/.test(query.date)) {
    const start = zonedInstant(`${query.date}T00:00`, zone) as Date
    return { from: start, to: new Date(start.getTime() + 86_400_000) }
  }
  const preset = query.preset ? PRESETS[query.preset] : undefined
  return preset ? { from: new Date(now.getTime() - preset.hours * 3_600_000) } : {}
}

/** The failure as support staff read it: file, line, element, then the reason. */
export function failureSentence(lang: Lang, failure: RunFailure): string {
  const where = [
    failure.file ? w(lang, `файл «${failure.file}»`, `file "${failure.file}"`) : null,
    failure.line ? w(lang, `строка ${failure.line}`, `line ${failure.line}`) : null,
    failure.path ? w(lang, `элемент ${failure.path}`, `element ${failure.path}`) : null,
  ].filter(Boolean)
  return `${where.length > 0 ? `${where.join(', ')}: ` : ''}${failure.reason}`
}

function runRow(ctx: PageContext, run: Run): Markup {
  return html`<tr data-testid="run-row" data-status="${run.status}">
    <td><a href="/console/runs/${run.id}">#${run.id}</a></td>
    <td>${when(ctx, run.startedAt, { oneC: true })}</td>
    <td>${sourceLabel(ctx, run.source)}<br /><span class="muted mono">${run.source}</span></td>
    <td>${run.kind}</td>
    <td>${chip(ctx, run.status)}</td>
    <td>${run.durationMs === null ? '—' : formatDuration(ctx.lang, run.durationMs)}</td>
    <td>${formatNumber(ctx.lang, run.seen)} / ${formatNumber(ctx.lang, run.changed)} / ${formatNumber(ctx.lang, run.unchanged)} / ${formatNumber(ctx.lang, run.removed)}</td>
    <td>${run.error ? html`<span class="bad">${failureSentence(ctx.lang, run.error)}</span>` : ''}</td>
  </tr>`
}

function filtersForm(ctx: PageContext, query: RunsQuery, facets: { sources: string[]; kinds: string[] }): Markup {
  const { lang } = ctx
  const option = (value: string, current: string | undefined, label: string) => html`<option value="${value}" ${value === (current ?? '') ? html`selected` : ''}>${label}</option>`
  return html`<form class="filters" method="get" action="/console/runs" aria-label="${w(lang, 'Фильтры', 'Filters')}">
    <label
      >${w(lang, 'Период', 'Window')}<select name="preset">
        ${option('', query.preset, w(lang, 'всё время', 'all time'))}${Object.entries(PRESETS).map(([key, preset]) => option(key, query.preset, w(lang, preset.ru, preset.en)))}
      </select></label
    >
    <label>${w(lang, 'Перейти к дате', 'Jump to date')}<input type="date" name="date" value="${query.date ?? ''}" /></label>
    <label
      >${w(lang, 'Источник', 'Source')}<select name="source">
        ${option('', query.source, w(lang, 'все', 'all'))}${facets.sources.map((source) => option(source, query.source, source))}
      </select></label
    >
    <label
      >${w(lang, 'Вид', 'Kind')}<select name="kind">
        ${option('', query.kind, w(lang, 'все', 'all'))}${facets.kinds.map((kind) => option(kind, query.kind, kind))}
      </select></label
    >
    <label
      >${w(lang, 'Итог', 'Status')}<select name="status">
        ${option('', query.status, w(lang, 'любой', 'any'))}${option('succeeded', query.status, w(lang, 'успешно', 'succeeded'))}${option('failed', query.status, w(lang, 'ошибка', 'failed'))}${option('running', query.status, w(lang, 'выполняется', 'running'))}
      </select></label
    >
    <label
      ><span><input type="checkbox" name="errors" value="1" ${query.errors ? html`checked` : ''} /> ${w(lang, 'только с ошибками', 'with errors only')}</span></label
    >
    <button type="submit">${w(lang, 'Показать', 'Apply')}</button> <a href="/console/runs">${w(lang, 'Сбросить', 'Clear all')}</a>
  </form>`
}

export async function runsPage(db: Db, ctx: PageContext, query: RunsQuery): Promise<string> {
  const { lang } = ctx
  const window = runWindow(query, ctx.zone, ctx.now)
  const filter = { ...window, source: query.source || undefined, kind: query.kind || undefined, hasErrors: Boolean(query.errors) }
  const [runs, counts, facets] = await Promise.all([listRuns(db, { ...filter, status: query.status, before: query.before, limit: PAGE }), countRuns(db, filter), runFacets(db)])
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0)
  const last = runs.at(-1)
  const body = html`<h1>${w(lang, 'Загрузки', 'Runs')}</h1>
    ${filtersForm(ctx, query, facets)}
    <p data-testid="run-counts">
      ${w(lang, 'Найдено', 'Matching')}: ${formatNumber(lang, total)} — ${w(lang, 'успешно', 'succeeded')} ${counts.succeeded ?? 0}, ${w(lang, 'с ошибкой', 'failed')}
      ${counts.failed ?? 0}, ${w(lang, 'выполняется', 'running')} ${counts.running ?? 0}
    </p>
    <table>
      <caption>
        ${w(lang, `Показано ${runs.length}, новые сверху`, `${runs.length} shown, newest first`)}
      </caption>
      <thead>
        <tr>
          <th scope="col">№</th>
          <th scope="col">${w(lang, 'Начало', 'Started')}</th>
          <th scope="col">${w(lang, 'Источник', 'Source')}</th>
          <th scope="col">${w(lang, 'Вид', 'Kind')}</th>
          <th scope="col">${w(lang, 'Итог', 'Status')}</th>
          <th scope="col">${w(lang, 'Длительность', 'Duration')}</th>
          <th scope="col">${w(lang, 'Прочитано / изменено / без изменений / удалено', 'Seen / changed / unchanged / removed')}</th>
          <th scope="col">${w(lang, 'Ошибка', 'Error')}</th>
        </tr>
      </thead>
      <tbody>
        ${runs.map((run) => runRow(ctx, run))}
      </tbody>
    </table>
    ${runs.length === PAGE && last ? html`<p><a href="${href('/console/runs', { ...query, before: last.id })}">${w(lang, 'Раньше →', 'Older →')}</a></p>` : ''}`
  return page(ctx, { title: w(lang, 'Загрузки', 'Runs'), active: '/console/runs', body })
}

export function changesCell(changes: readonly FieldChange[]): Markup {
  return html`<ul class="mono">
    ${changes
      .slice(0, 20)
      .map(
        (change) => html`<li>${change.path}: ${'from' in change || 'to' in change ? html`${JSON.stringify(change.from ?? null)} → ${JSON.stringify(change.to ?? null)}` : ''}</li>`,
      )}${changes.length > 20 ? html`<li>… +${changes.length - 20}</li>` : ''}
  </ul>`
}

function eventRow(ctx: PageContext, event: StoredEvent): Markup {
  return html`<tr>
    <td>
      <a href="${entityHref(event.kind, event.key)}">${event.kind} <span class="mono">${event.key}</span></a>
    </td>
    <td>${event.type}</td>
    <td>v${event.version}</td>
    <td>${changesCell(event.changes)}</td>
  </tr>`
}

export async function runPage(db: Db, ctx: PageContext, id: number, after: number): Promise<string | null> {
  const { lang } = ctx
  const run = await getRun(db, id)
  if (!run) return null
  const events = await listEvents(db, after, PAGE, run.id)
  const last = events.at(-1)
  const audit = await auditOf(db, [{ kind: 'run', key: String(run.id) }])
  const body = html`<h1>${w(lang, 'Загрузка', 'Run')} #${run.id}: ${sourceLabel(ctx, run.source)}</h1>
    ${run.error ? html`<p class="sentence" role="alert" data-testid="failure"><strong>${w(lang, 'Ошибка', 'Failed')}:</strong> ${failureSentence(lang, run.error)}</p>` : ''}
    <dl class="kv">
      <dt>${w(lang, 'Итог', 'Status')}</dt>
      <dd>${chip(ctx, run.status)}</dd>
      <dt>${w(lang, 'Источник', 'Source')}</dt>
      <dd class="mono">${run.source}</dd>
      <dt>${w(lang, 'Вид', 'Kind')}</dt>
      <dd>${run.kind}</dd>
      <dt>${w(lang, 'Начало', 'Started')}</dt>
      <dd>${when(ctx, run.startedAt, { oneC: true })}</dd>
      <dt>${w(lang, 'Конец', 'Finished')}</dt>
      <dd>${when(ctx, run.finishedAt, { oneC: true })}</dd>
      <dt>${w(lang, 'Длительность', 'Duration')}</dt>
      <dd>${run.durationMs === null ? '—' : formatDuration(lang, run.durationMs)}</dd>
      <dt>${w(lang, 'Байт', 'Bytes')}</dt>
      <dd>${formatNumber(lang, run.bytes)}</dd>
      <dt>${w(lang, 'Прочитано / изменено / без изменений / удалено', 'Seen / changed / unchanged / removed')}</dt>
      <dd>${run.seen} / ${run.changed} / ${run.unchanged} / ${run.removed}</dd>
    </dl>
    <details>
      <summary>${w(lang, 'Подробности (как записано)', 'Details (raw)')}</summary>
      ${json({ error: run.error, details: run.details })}
    </details>
    <h2>${w(lang, 'Что изменилось', 'What it changed')}</h2>
    ${events.length === 0 ? html`<p class="muted">${w(lang, 'Эта загрузка ничего не изменила.', 'This run changed nothing.')}</p>` : ''}
    <table>
      <caption>
        ${w(lang, `Изменения ${after > 0 ? 'дальше' : ''} (до ${PAGE} на странице)`, `Changes (up to ${PAGE} a page)`)}
      </caption>
      <thead>
        <tr>
          <th scope="col">${w(lang, 'Объект', 'Entity')}</th>
          <th scope="col">${w(lang, 'Событие', 'Change')}</th>
          <th scope="col">${w(lang, 'Версия', 'Version')}</th>
          <th scope="col">${w(lang, 'Поля: было → стало', 'Fields: from → to')}</th>
        </tr>
      </thead>
      <tbody>
        ${events.map((event) => eventRow(ctx, event))}
      </tbody>
    </table>
    ${events.length === PAGE && last ? html`<p><a href="${href(`/console/runs/${run.id}`, { after: last.seq })}">${w(lang, 'Дальше →', 'More →')}</a></p>` : ''}
    ${auditList(ctx, audit)}`
  return page(ctx, { title: `${w(lang, 'Загрузка', 'Run')} #${run.id}`, active: '/console/runs', body })
}
