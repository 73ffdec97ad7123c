-- accord store schema, version 1. Described in docs/store-schema.md.
--
-- Only public data and ciphertext live here: entry headers and signatures (public to the
-- pact's devices), sealed bodies, and keys wrapped under the storage key, which is kept
-- only in the key file. Nothing in this file may ever hold plaintext.
--
-- Tables are STRICT so a wrong type is an error, not a silent conversion. Integers that are
-- uint64 in the entry header (seq, lamport, epoch) are stored as their int64 bit pattern;
-- the header bytes stay the authority.

-- Small named values: the pact id, this device's public key, and the like. Public data only.
CREATE TABLE meta (
  key   TEXT NOT NULL PRIMARY KEY,
  value BLOB NOT NULL
) STRICT, WITHOUT ROWID;

-- Every entry held, own and received, exactly as its author signed it.
-- `arrival` is the rowid: rows are never deleted (erasing a body sets sealed_body to NULL),
-- so it only grows and gives the arrival order used to refold the state at start-up; every
-- entry arrives after its author's previous one, so that order is causal per author.
-- UNIQUE (author, seq) serves range reads of one feed; UNIQUE entry_id serves lookups and
-- id-prefix scans. Each author's seqs are contiguous from 1 (checked at open).
CREATE TABLE entries (
  arrival     INTEGER PRIMARY KEY,
  author      BLOB    NOT NULL CHECK (length(author) = 32),
  seq         INTEGER NOT NULL CHECK (seq >= 1),
  entry_id    BLOB    NOT NULL UNIQUE CHECK (length(entry_id) = 32),
  lamport     INTEGER NOT NULL,
  scope       INTEGER NOT NULL CHECK (scope IN (1, 2, 3)),
  header      BLOB    NOT NULL CHECK (length(header) = 178),
  signature   BLOB    NOT NULL CHECK (length(signature) = 64),
  sealed_body BLOB,  -- XChaCha20-Poly1305 ciphertext; NULL once erased
  UNIQUE (author, seq)
) STRICT;

-- Fork proofs (SECURITY §5.5): two validly signed headers by one author at one seq. Both
-- headers and signatures are copied here so a proof can be shown and passed on by itself.
CREATE TABLE forks (
  author                BLOB    NOT NULL CHECK (length(author) = 32),
  seq                   INTEGER NOT NULL CHECK (seq >= 1),
  existing_id           BLOB    NOT NULL CHECK (length(existing_id) = 32),
  existing_header       BLOB    NOT NULL CHECK (length(existing_header) = 178),
  existing_signature    BLOB    NOT NULL CHECK (length(existing_signature) = 64),
  conflicting_id        BLOB    NOT NULL CHECK (length(conflicting_id) = 32),
  conflicting_header    BLOB    NOT NULL CHECK (length(conflicting_header) = 178),
  conflicting_signature BLOB    NOT NULL CHECK (length(conflicting_signature) = 64),
  PRIMARY KEY (author, seq, conflicting_id)
) STRICT, WITHOUT ROWID;

-- Authors whose feed is frozen: nothing at or above from_seq (the first contested seq) is
-- accepted or folded. A frozen feed never thaws.
CREATE TABLE frozen (
  author   BLOB    NOT NULL PRIMARY KEY CHECK (length(author) = 32),
  from_seq INTEGER NOT NULL CHECK (from_seq >= 1)
) STRICT, WITHOUT ROWID;

-- Symmetric keys, each wrapped (crypto::WrapKey: nonce || ciphertext) under the storage
-- key. kind 1 = pact epoch key, generation = epoch; kind 2 = person key, its generation.
CREATE TABLE wrapped_keys (
  kind       INTEGER NOT NULL CHECK (kind IN (1, 2)),
  generation INTEGER NOT NULL CHECK (generation >= 0),
  wrapped    BLOB    NOT NULL,
  PRIMARY KEY (kind, generation)
) STRICT, WITHOUT ROWID;

-- Addresses at which a device was reached, for reconnecting where beacons do not work.
-- last_seen is unix milliseconds, local only: it is never sent (it would be a presence signal).
CREATE TABLE peers (
  device_key BLOB    NOT NULL CHECK (length(device_key) = 32),
  address    TEXT    NOT NULL,
  last_seen  INTEGER NOT NULL,
  PRIMARY KEY (device_key, address)
) STRICT, WITHOUT ROWID;
