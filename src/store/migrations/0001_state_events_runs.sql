-- Sync runs: one row per import or pull, kept for support staff.
create table sync_runs (
  id           bigserial primary key,
  source       text not null,
  kind         text not null,
  status       text not null check (status in ('running', 'succeeded', 'failed')),
  started_at   timestamptz not null default now(),
  finished_at  timestamptz,
  seen         integer not null default 0,
  changed      integer not null default 0,
  unchanged    integer not null default 0,
  removed      integer not null default 0,
  bytes        bigint not null default 0,
  error_file   text,
  error_path   text,
  error_line   integer,
  error_reason text,
  details      jsonb not null default '{}'::jsonb
);
create index sync_runs_started_idx on sync_runs (started_at desc, id desc);

-- Current state of every normalized entity: content hash for change detection, version for receivers.
create table entity_state (
  kind       text not null,
  key        text not null,
  version    integer not null check (version > 0),
  hash       text not null,
  data       jsonb not null,
  removed    boolean not null default false,
  run_id     bigint references sync_runs (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (kind, key)
);
create index entity_state_updated_idx on entity_state (kind, updated_at, key);

-- The outbox: one row per change, written in the same transaction as the state it describes.
create table events (
  seq        bigserial primary key,
  kind       text not null,
  key        text not null,
  version    integer not null,
  type       text not null check (type in ('created', 'updated', 'removed')),
  run_id     bigint references sync_runs (id),
  changes    jsonb not null default '[]'::jsonb,
  created_at timestamptz not null default now()
);
create index events_entity_idx on events (kind, key, seq);
create index events_run_idx on events (run_id, seq);
