-- Projections: rebuildable from events alone; each keeps the last position it applied.
CREATE TABLE projection_checkpoints (
  name      TEXT    PRIMARY KEY,
  position  INTEGER NOT NULL
);

-- The catalogue: each host with its latest snapshot, each guest with its current host and configuration.
-- `state` is the JSON of the domain's HostState / GuestState; the other columns index it.
CREATE TABLE catalogue_hosts (
  host_id          TEXT    PRIMARY KEY,
  level            INTEGER NOT NULL,
  parent_guest_id  TEXT,
  retired_at       TEXT,
  version          INTEGER NOT NULL,
  state            TEXT    NOT NULL
);

CREATE TABLE catalogue_guests (
  guest_id  TEXT    PRIMARY KEY,
  host_id   TEXT    NOT NULL,
  status    TEXT    NOT NULL CHECK (status IN ('running', 'stopped')),
  version   INTEGER NOT NULL,
  state     TEXT    NOT NULL
);

CREATE INDEX catalogue_guests_running_by_host ON catalogue_guests (host_id) WHERE status = 'running';
CREATE INDEX catalogue_hosts_by_parent ON catalogue_hosts (parent_guest_id) WHERE parent_guest_id IS NOT NULL;
