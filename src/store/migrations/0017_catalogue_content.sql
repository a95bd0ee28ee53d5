-- The exchange's warehouses are kept with its price types: a full offer replaces the stock at the
-- warehouses the exchange declares and keeps what a pull brought for others.
alter table cml_refs drop constraint cml_refs_kind_check;
alter table cml_refs add constraint cml_refs_kind_check check (kind in ('price_type', 'property', 'warehouse'));

-- Pictures uploaded by the exchange (import_files/…), stored once per content (sha-256) and served
-- at /media/<hash>.<ext>. Kept in the store so that any instance serves them; removed when no
-- product refers to them after a full exchange.
create table media (
  hash         text primary key,
  ext          text not null,
  content_type text not null,
  size         integer not null,
  width        integer,
  height       integer,
  content      bytea not null,
  created_at   timestamptz not null default now()
);

-- A product's offers (GET /products/:id) and the products of a group (GET /products?groupId=)
-- without a scan of every offer or product.
create index entity_state_offer_product_idx on entity_state ((data->>'productId')) where kind = 'offer';
create index entity_state_product_groups_idx on entity_state using gin (((data->'groupIds')::jsonb)) where kind = 'product';

-- Offers another source than the exchange wrote (an OData or custom-XML pull of prices or stock):
-- only these can hold prices or stock the exchange does not send, so only these are read and
-- merged when a full offer of the exchange arrives; every other offer keeps the parser's fast path.
create table offers_fed_elsewhere (
  key text primary key
);
