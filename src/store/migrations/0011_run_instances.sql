-- A run belongs to the process that started it: each process stamps its instance id on its
-- connections (session setting onec_bridge.instance) and holds an advisory lock on it for its
-- life. A run still `running` whose instance holds no lock was cut off; this works on every store
-- and with several instances on one server (the embedded store's "one process" rule is gone).
alter table sync_runs
  add column instance_id integer default nullif(current_setting('onec_bridge.instance', true), '')::integer;
