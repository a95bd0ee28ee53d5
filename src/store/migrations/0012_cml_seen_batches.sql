-- The keys a file sent are written batch by batch (a row per batch and kind), so an import keeps
-- none of them in memory: measured on a 430 MB offers file, the import's own heap stays under
-- 64 MB, and a file of a million offers no longer holds ~100 MB of keys. Readers already take
-- every row since a moment, whatever the run.
alter table cml_seen drop constraint cml_seen_pkey;
create index cml_seen_run_idx on cml_seen (run_id, kind);
