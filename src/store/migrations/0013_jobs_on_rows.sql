-- One rule from state change to job (store/job-engine.ts): a row that needs a job keeps the id of
-- the job queued with it in one transaction, so a sweep can tell a row whose job is gone or failed
-- from one whose job waits or runs.
alter table deliveries add column job_id uuid;
alter table orders add column forward_job_id uuid;
alter table exchange_imports add column job_id uuid;
create index deliveries_pending_idx on deliveries (storefront_id, id) where status = 'pending';
create index exchange_imports_open_idx on exchange_imports (updated_at) where status in ('queued', 'running');
-- The admin API's last run of each source, whatever else ran since.
create index sync_runs_source_idx on sync_runs (source, id desc);
