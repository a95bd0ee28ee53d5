-- Reference data a CommerceML file may use without containing it (split files, later portions):
-- price types (Ид → name, currency) and property definitions (Ид → name, Справочник values).
create table cml_refs (
  kind       text not null check (kind in ('price_type', 'property')),
  id         text not null,
  data       jsonb not null,
  updated_at timestamptz not null default now(),
  primary key (kind, id)
);

-- Which products and offers each imported file contained: what a full exchange is checked against.
create table cml_seen (
  run_id     bigint not null references sync_runs (id) on delete cascade,
  kind       text not null,
  keys       jsonb not null,
  created_at timestamptz not null default now(),
  primary key (run_id, kind)
);
create index cml_seen_created_idx on cml_seen (kind, created_at);

-- «Обмен с сайтом» sessions: one per checkauth, each with its own upload directory.
create table exchange_sessions (
  id           text primary key,
  sessid       text not null unique,
  type         text not null,
  login        text not null,
  version      text,
  created_at   timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  state        jsonb not null default '{}'::jsonb
);
create index exchange_sessions_created_idx on exchange_sessions (created_at);

-- One row per file 1C asked to import in a session: what the `import` answers are read from.
create table exchange_imports (
  session_id text not null references exchange_sessions (id) on delete cascade,
  filename   text not null,
  status     text not null check (status in ('queued', 'running', 'succeeded', 'failed')),
  message    text not null default '',
  run_id     bigint references sync_runs (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (session_id, filename)
);

-- The optional full-exchange window (profile removal.fullExchangeWindow).
create table cml_full_window (
  id               bigserial primary key,
  opened_at        timestamptz not null,
  last_activity_at timestamptz not null,
  closed_at        timestamptz
);
