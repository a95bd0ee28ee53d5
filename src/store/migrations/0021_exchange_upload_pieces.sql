-- Uploads of «Обмен с сайтом» in the store (issue 18), when the service runs on a PostgreSQL server
-- and several instances share it: any instance takes any call of a session. A file is its pieces
-- in `seq` order (at most 1 MiB each); they go with their session when it expires.
create table exchange_upload_pieces (
  session_id text not null references exchange_sessions (id) on delete cascade,
  name       text not null,
  seq        integer not null,
  data       bytea not null,
  primary key (session_id, name, seq)
);
-- Pieces are written once and read once or twice: no compression of already-zipped data.
alter table exchange_upload_pieces alter column data set storage external;
