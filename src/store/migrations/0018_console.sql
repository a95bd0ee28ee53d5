-- Support console users (console/users.ts): passwords kept as scrypt hashes only, one role each.
create table console_users (
  login         text primary key,
  password_hash text not null,
  role          text not null check (role in ('viewer', 'operator', 'admin')),
  disabled      boolean not null default false,
  created_at    timestamptz not null default now(),
  created_by    text not null
);

-- Console sessions: the cookie's token is kept as a hash only (the form token derives from it).
create table console_sessions (
  token_hash text primary key,
  login      text not null,
  role       text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index console_sessions_expires_idx on console_sessions (expires_at);

-- Every write from the console or the admin API: who, what, on which target, how many rows it touched.
create table audit_log (
  id          bigserial primary key,
  at          timestamptz not null default now(),
  actor       text not null,
  role        text not null,
  via         text not null check (via in ('console', 'api', 'cli')),
  action      text not null,
  target_kind text,
  target_key  text,
  count       integer,
  details     jsonb not null default '{}'::jsonb
);
create index audit_log_target_idx on audit_log (target_kind, target_key, id);

-- Operational alerts (console/alerts.ts): one row per open or resolved condition, so that several
-- instances send each `bridge.alert` once, when it is raised and when it clears.
create table bridge_alerts (
  key         text primary key,
  kind        text not null,
  subject     text not null,
  open        boolean not null,
  raised_at   timestamptz not null,
  resolved_at timestamptz,
  sent_at     timestamptz,
  details     jsonb not null default '{}'::jsonb
);

-- When a source that leaves no run of its own last answered (1C's order exchange asking for
-- orders): what the health page and the staleness alert measure it by.
create table source_heartbeats (
  source  text primary key,
  last_at timestamptz not null
);
