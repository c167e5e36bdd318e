-- The audit anchor (POST /v1/audit-anchor) reads a device's newest audit
-- change; without this index that is a scan back from the newest change.
CREATE INDEX changes_by_device_kind ON changes (device_id, kind, seq);
