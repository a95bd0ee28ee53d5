-- Notices to the other instances (issue 18, store/changes.ts): a change to what their caches hold
-- is announced on channel `onec_bridge` when its transaction commits, whoever wrote it. The payload
-- names the schema (tests share a server, one schema each) and what changed.
create function onec_bridge_storefronts_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('onec_bridge', json_build_object('schema', current_schema(), 'topic', 'storefronts')::text);
  return null;
end $$;

create trigger storefronts_changed after insert or update or delete or truncate on storefronts
  for each statement execute function onec_bridge_storefronts_changed();

-- Holds: the accounts whose held sum moved; more than 200 at once (hold expiry) says "any".
create function onec_bridge_holds_changed() returns trigger language plpgsql as $$
declare
  accounts json;
  n integer;
begin
  select count(distinct account_id), json_agg(distinct account_id) into n, accounts from changed_holds;
  if n = 0 then return null; end if;
  perform pg_notify('onec_bridge', json_build_object('schema', current_schema(), 'topic', 'holds', 'accounts', case when n > 200 then null else accounts end)::text);
  return null;
end $$;

create trigger bonus_holds_inserted after insert on bonus_holds referencing new table as changed_holds
  for each statement execute function onec_bridge_holds_changed();
create trigger bonus_holds_updated after update on bonus_holds referencing new table as changed_holds
  for each statement execute function onec_bridge_holds_changed();
create trigger bonus_holds_deleted after delete on bonus_holds referencing old table as changed_holds
  for each statement execute function onec_bridge_holds_changed();
