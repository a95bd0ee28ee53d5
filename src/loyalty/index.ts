export { announceMovements, noticeExpiring, reconcile, mismatchWarning, movementsOf, messageOf, type LedgerMessage, type LedgerMismatch, type HistoryPage } from './ledger.ts'
