-- Measured on PGlite: the foreign keys from entity_state and events to sync_runs (a trigger per
-- row) and the (kind, updated_at) index doubled the cost of writing a changed entity. Runs are
-- never deleted, so the references stay valid; the index comes back with the API that needs it.
alter table entity_state drop constraint if exists entity_state_run_id_fkey;
alter table events drop constraint if exists events_run_id_fkey;
drop index if exists entity_state_updated_idx;
