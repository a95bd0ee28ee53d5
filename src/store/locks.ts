/**
 * Every advisory-lock key the service uses, in one table, so no two features pick the same one.
 * Two-int keys are (namespace, id); the namespace says what the lock protects.
 */
export const LOCKS = {
  /** Migrations: applied once even when several instances start together (transaction lock). */
  migrations: 726_001,
  /**
   * Writers of the outbox (`events`), transaction lock: sequence numbers become visible in commit
   * order, so a reader of `events after N` never skips a row that commits late. It also serializes
   * version increments of one entity across concurrent runs.
   */
  events: 726_002,
  /** (namespace, hashtext(storefront:Idempotency-Key)): one storefront retrying one key waits for its first request. */
  orderIntake: 726_003,
  /** (namespace, hashtext(account id)): orders spending from one bonus account take their holds one at a time. */
  bonusAccount: 726_004,
  /** The alert check (console/alerts.ts), transaction lock: one instance at a time decides and sends `bridge.alert`. */
  alerts: 726_005,
  /** The customer signals (loyalty/signals.ts), transaction lock: levels and churn zones assessed and announced once. */
  customerSignals: 726_006,
  /** Held for a process's life by its instance session: its runs are alive while it is held. */
  instanceNamespace: 726_010,
  /** Held by the one service that owns the embedded server of a DATA_DIR. */
  embeddedOwner: 726_011,
} as const
