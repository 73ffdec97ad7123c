-- accord store schema, version 2: bodies erased on purpose (`accord forget`, SPEC §3).
--
-- An erased entry keeps its header and signature (the chain still verifies: the header
-- commits to the body's hash only), its sealed_body is NULL, and it is not damage: it is
-- never asked of a peer and never repaired. Ids only; public to the member's own devices.
CREATE TABLE erased (
  entry_id BLOB NOT NULL PRIMARY KEY CHECK (length(entry_id) = 32)
) STRICT, WITHOUT ROWID;
