/**
 * The full-exchange window (profile removal.fullExchangeWindow): 1C's full unload is several
 * sessions, and only the whole of it says what no longer exists. The first full catalogue or
 * offers file opens the window; `mode=complete`, or no exchange for `idleSeconds`, closes it and
 * removes what the window did not send.
 */
import type { Logger } from '../logger.ts'
import { runText, type Language } from '../onec/texts.ts'
import type { Db } from '../store/index.ts'
import type { CmlImportResult } from './commerceml-import.ts'
import { removeUnseen, type RemovalResult } from './removal.ts'

export function describeRemoval(result: RemovalResult, language: Language = 'en'): string {
  if (language === 'ru') {
    const kept = result.skipped.map((kind) => (kind === 'product' ? 'товары' : 'предложения')).join(', ')
    const skipped = result.skipped.length > 0 ? `; не выгружались в этом обмене и оставлены: ${kept}` : ''
    return `помечено удалёнными: товаров ${result.removed.product}, предложений ${result.removed.offer}${runText(result.run.id, language)}${skipped}`
  }
  const skipped = result.skipped.length > 0 ? `; not sent in this exchange, so kept: ${result.skipped.join(', ')}` : ''
  return `removed ${result.removed.product} products and ${result.removed.offer} offers (run ${result.run.id})${skipped}`
}

/** After an import of a session that started at `sessionStart`: keeps the open window alive, or opens one for a full file. */
export async function trackWindow(db: Db, logger: Logger, sessionStart: Date, result: Pick<CmlImportResult, 'full'>, sessionId: string): Promise<void> {
  const [open] = await db.query<{ id: number }>('update cml_full_window set last_activity_at = now() where closed_at is null returning id')
  if (!open && (result.full.catalog || result.full.offers)) {
    await db.query('insert into cml_full_window (opened_at, last_activity_at) values ($1, now())', [sessionStart])
    logger.info({ session: sessionId }, 'full exchange window opened: what the exchange does not send until it ends will be removed')
  }
}

/**
 * Closes the open window (`onlyIfIdle`: only when idle for `idleSeconds`) and removes what it did
 * not send; returns the message for 1C and the log, null when no window was closed.
 */
export async function closeWindow(db: Db, logger: Logger, reason: string, options: { onlyIfIdle: boolean; idleSeconds: number; language?: Language }): Promise<string | null> {
  const [window] = await db.query<{ id: number; opened_at: Date }>(
    `select id, opened_at from cml_full_window
      where closed_at is null and (not $1 or last_activity_at < now() - make_interval(secs => $2))
      order by id limit 1`,
    [options.onlyIfIdle, options.idleSeconds],
  )
  if (!window) return null
  const result = await removeUnseen(db, window.opened_at, reason)
  await db.query('update cml_full_window set closed_at = now() where id = $1', [window.id])
  const message = `full exchange since ${window.opened_at.toISOString()} ended (${reason}): ${describeRemoval(result)}`
  logger.info({ run: result.run.id, removed: result.removed }, message)
  return options.language === 'ru' ? `полный обмен с ${window.opened_at.toISOString()} завершён (${reason}): ${describeRemoval(result, 'ru')}` : message
}
