/**
 * Every advisory-lock key the service uses, in one table, so no two features pick the same one.
 * Two-int keys are (namespace, id); the namespace says what the lock protects.
 */
export const LOCKS = {
  /** Migrations: applied once even when several instances start together (transaction lock). */
  migrations: 726_001,
  /** Held for a process's life by its instance session: its runs are alive while it is held. */
  instanceNamespace: 726_010,
  /** Held by the one service that owns the embedded server of a DATA_DIR. */
  embeddedOwner: 726_011,
} as const
