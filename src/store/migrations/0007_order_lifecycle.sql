-- Events that are not entity changes (order.*, bonus.updated after a hold): the message type and
-- the body travel with the event; an order's events go to the storefront that placed it only.
alter table events add column message_type text;
alter table events add column payload jsonb;
alter table events add column storefront_id text;

-- The order's way to 1C and back.
alter table orders add column version integer not null default 1;
-- Whether it still has to be sent through the sale exchange: `export_rev` grows when the order
-- must be sent (again); 1C acknowledged every revision up to `acked_rev` with mode=success.
alter table orders add column export_rev integer not null default 1;
alter table orders add column acked_rev integer not null default 0;
alter table orders add column exported_at timestamptz;
-- What 1C says of it: Номер/Дата по 1С, Проведен, Отменен, ПометкаУдаления, payment, shipment, status.
alter table orders add column onec jsonb not null default '{}'::jsonb;
-- The document in 1C when forwarded over OData (Ref_Key).
alter table orders add column onec_ref text;
alter table orders add column forward_attempts integer not null default 0;
alter table orders add column last_error text;
create index orders_export_idx on orders (storefront_id, created_at) where acked_rev < export_rev;
create index orders_open_idx on orders (status) where status in ('accepted', 'exported', 'confirmed');

-- Orders sent in answer to one `type=sale&mode=query`, until 1C acknowledges them with mode=success.
create table sale_exports (
  session_id text not null,
  order_id   text not null references orders (id) on delete cascade,
  rev        integer not null,
  sent_at    timestamptz not null default now(),
  primary key (session_id, order_id)
);

-- A hold is confirmed when 1C posted the order (its own reservation from then on); it is settled
-- by the first balance pull that started after that, or by the TTL.
alter table bonus_holds add column confirmed_at timestamptz;
alter table bonus_holds add column end_reason text;

-- Messages waiting to become events. Order intake and status changes write here in their own
-- transaction (no wait for the outbox lock an import holds); the fan-out tick moves them into
-- `events` under that lock, so sequence numbers still appear in commit order.
create table event_notices (
  id            bigserial primary key,
  kind          text not null,
  key           text not null,
  message_type  text not null,
  storefront_id text,
  version       integer,
  payload       jsonb,
  created_at    timestamptz not null default now()
);
