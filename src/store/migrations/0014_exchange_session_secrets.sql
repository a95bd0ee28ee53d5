-- The exchange session's id is no longer its key: the cookie and sessid 1C is given are secrets
-- kept only as hashes (onec/commerceml/sessions.ts), and the id — in logs, runs, upload folders
-- and jobs — lets no one in. Sessions open at the upgrade can no longer be used: 1C starts its
-- next exchange with checkauth and gets a new one.
alter table exchange_sessions drop column sessid;
alter table exchange_sessions add column token_hash text unique;
alter table exchange_sessions add column sessid_hash text unique;
