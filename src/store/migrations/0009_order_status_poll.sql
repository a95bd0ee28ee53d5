-- When 1C was last asked for a forwarded order's status: polls take the longest-unasked first.
alter table orders add column polled_at timestamptz;
