-- Each event's hash already covers the hash of the event before it (hash-chain.ts), so a stored copy of that
-- previous hash repeated 64 bytes per event without adding a check: `verify` chains through the stored hashes.
-- DROP COLUMN rewrites the rows without an UPDATE, so the append-only triggers stand, and keeps sqlite_sequence.
ALTER TABLE events DROP COLUMN prev_hash;
