-- Storefronts managed at run time: who owns a storefront's settings (the config file, or the
-- admin API), and secrets replaced by a rotation that still sign until their overlap ends.
alter table storefronts add column origin text not null default 'config' check (origin in ('config', 'api'));
alter table storefronts add column retiring_secrets jsonb not null default '[]'::jsonb;
-- Hashes of keys revoked through the admin API: a key the config file still lists is not taken back on start.
alter table storefronts add column revoked_key_hashes jsonb not null default '[]'::jsonb;
