-- Customer levels and the silent-churn signal (issue 17): the last assessment of each customer, so
-- a level change or a zone entered is announced once. Sales are entities of kind `sale`.
create table customer_signals (
  customer_id      text primary key,
  level            text,
  turnover_minor   bigint not null default 0,
  zone             text not null default 'none' check (zone in ('none', 'warning', 'red')),
  zone_since       timestamptz not null default now(),
  cycle_days       numeric,
  gap_days         integer,
  days_overdue     integer,
  last_purchase_at timestamptz,
  assessed_at      timestamptz not null default now()
);
create index customer_signals_zone_idx on customer_signals (zone) where zone <> 'none';
create index entity_state_sale_idx on entity_state ((data->>'customerId'), (data->>'at')) where kind = 'sale';
