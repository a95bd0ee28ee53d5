-- Orders taken from storefronts; the body is kept as received, the quote as computed here.
create table orders (
  id              text primary key,
  storefront_id   text not null,
  idempotency_key text not null,
  request_hash    text not null,
  external_id     text not null,
  number          text not null,
  customer_id     text not null,
  status          text not null,
  bonus_minor     bigint not null default 0,
  body            jsonb not null,
  quote           jsonb not null,
  onec_number     text,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  unique (storefront_id, idempotency_key)
);
create index orders_customer_idx on orders (customer_id, created_at);

create table order_status_history (
  id       bigserial primary key,
  order_id text not null references orders (id) on delete cascade,
  status   text not null,
  note     text,
  at       timestamptz not null default now()
);

-- Bonuses an order has taken until 1C confirms the write-off or the order is cancelled.
-- `account_id` is the account spent from (a head company's when bonuses are shared).
create table bonus_holds (
  id           bigserial primary key,
  order_id     text not null references orders (id) on delete cascade,
  account_id   text not null,
  amount_minor bigint not null check (amount_minor > 0),
  status       text not null check (status in ('active', 'released', 'settled')),
  created_at   timestamptz not null default now(),
  ended_at     timestamptz
);
create index bonus_holds_active_idx on bonus_holds (account_id) where status = 'active';
