-- Guest rows no longer carry the boot command as recorded (`lastBoot`: no answer read it, and it was a fifth of
-- every row). Emptied here, the catalogue is replayed from the log when the store opens, so the rows written
-- before this change agree with a rebuild.
DELETE FROM catalogue_guests;
DELETE FROM catalogue_hosts;
DELETE FROM projection_checkpoints WHERE name = 'catalogue';
