-- Entity bodies are written and read whole, never queried inside: `json` stores the text as
-- given (validated, not rebuilt), which measured ~30 % cheaper per row than jsonb on PGlite.
-- Change detection compares the `hash` column, never the body.
alter table entity_state alter column data type json using data::json;
