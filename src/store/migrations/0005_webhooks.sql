-- Storefronts that receive webhooks (seeded from the config file, updatable through the admin API).
create table storefronts (
  id              text primary key,
  url             text not null,
  secrets         jsonb not null default '[]'::jsonb,
  event_types     jsonb not null default '["*"]'::jsonb,
  enabled         boolean not null default true,
  local           boolean not null default false,
  api_key_hashes  jsonb not null default '[]'::jsonb,
  disabled_reason text,
  failing_since   timestamptz,
  cursor          bigint not null default 0,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);

-- One webhook message per event and storefront; `msg_id` is the `webhook-id`, stable across retries.
create table deliveries (
  id              bigserial primary key,
  storefront_id   text not null references storefronts (id) on delete cascade,
  event_seq       bigint not null,
  msg_id          text not null unique,
  type            text not null,
  kind            text not null,
  key             text not null,
  version         integer not null,
  status          text not null check (status in ('pending', 'delivered', 'dead', 'superseded')),
  attempts        integer not null default 0,
  next_attempt_at timestamptz,
  last_status     integer,
  last_error      text,
  created_at      timestamptz not null default now(),
  delivered_at    timestamptz,
  unique (storefront_id, event_seq)
);
create index deliveries_entity_idx on deliveries (storefront_id, kind, key, version);
create index deliveries_status_idx on deliveries (storefront_id, status, created_at);

-- Every attempt, for operators: what was sent, what came back, when the next one is.
create table delivery_attempts (
  id              bigserial primary key,
  delivery_id     bigint not null references deliveries (id) on delete cascade,
  at              timestamptz not null default now(),
  duration_ms     integer not null,
  response_status integer,
  response_body   text,
  error           text,
  next_attempt_at timestamptz,
  manual          boolean not null default false
);
create index delivery_attempts_delivery_idx on delivery_attempts (delivery_id, id);
