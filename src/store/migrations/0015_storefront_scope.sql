-- Which customers a storefront sees (storefront/scope.ts); null: all of them.
alter table storefronts add column customer_scope jsonb;
