-- The bonus ledger (issue 17): movements are entities of kind bonus_movement; a customer's history
-- is read by customer and time, so both are indexed for that kind only.
create index entity_state_bonus_movement_idx on entity_state ((data->>'customerId'), (data->>'at'), key) where kind = 'bonus_movement';

-- Points due to expire are announced once per batch (a scheduled write-off), whichever instance sees them first.
create table bonus_expiry_notices (
  movement_key text primary key,
  noticed_at   timestamptz not null default now()
);
