-- A projection that has applied the whole log is marked in step (-1) instead of holding the head's position:
-- every unit of work applies its events to every projection in the transaction that appends them, so the mark
-- holds without a write per unit. Checkpoints below the head (a projection still to catch up) stay as they are.
UPDATE projection_checkpoints SET position = -1 WHERE position >= (SELECT coalesce(max(position), 0) FROM events);
