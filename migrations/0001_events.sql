-- The append-only log. `position` is assigned by the appender as the next value after sqlite_sequence,
-- so a position is never reused even if a row were removed behind the database's back (verify names the gap).
CREATE TABLE events (
  position        INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id       TEXT    NOT NULL,
  stream_version  INTEGER NOT NULL,
  type            TEXT    NOT NULL,
  data            TEXT    NOT NULL,  -- canonical JSON
  metadata        TEXT    NOT NULL,  -- canonical JSON: commandId, idempotencyKey, actor, command
  recorded_at     TEXT    NOT NULL,  -- UTC ISO-8601
  prev_hash       TEXT    NOT NULL,
  hash            TEXT    NOT NULL,
  UNIQUE (stream_id, stream_version)
);

-- A repeated idempotency key returns the original result and records nothing.
CREATE TABLE idempotency_keys (
  key           TEXT    PRIMARY KEY,
  command_hash  TEXT    NOT NULL,
  result        TEXT    NOT NULL,
  position      INTEGER NOT NULL
);
