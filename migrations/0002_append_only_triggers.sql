-- The database itself refuses to edit or remove an event: history is corrected by new events, never rewritten.
CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: UPDATE refused');
END;

CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: DELETE refused');
END;

CREATE TRIGGER idempotency_keys_refuse_update BEFORE UPDATE ON idempotency_keys
BEGIN
  SELECT RAISE(ABORT, 'idempotency keys are append-only: UPDATE refused');
END;
