-- One number that grows with every committed change of entity_state: in-process caches of
-- reference data (what a quote reads) stay valid while it is unchanged.
create table state_generation (
  id  integer primary key check (id = 1),
  gen bigint not null
);
insert into state_generation (id, gen) values (1, 0);
