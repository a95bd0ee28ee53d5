export { announceMovements, noticeExpiring, reconcile, mismatchWarning, movementsOf, messageOf, type LedgerMessage, type LedgerMismatch, type HistoryPage } from './ledger.ts'
export {
  assessCustomers,
  assessCustomersWhenDue,
  customersAtRisk,
  zoneCounts,
  levelsOf,
  signalRulesOf,
  type SignalRules,
  type SignalsOutcome,
  type CustomerAtRisk,
} from './signals.ts'
