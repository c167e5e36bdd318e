-- The appointment book's day index (sqlite/appointments_index.go): which
-- day each booking is on, so a day or week view opens only that day's or
-- week's bookings, not the whole book. Local and derived: it never syncs.
-- The day is a keyed tag (HMAC under the practice's MRN key), so the file
-- says which bookings share a day but not which day. A row whose
-- head_change_id is not the record's current head is stale (the booking
-- changed by sync or a resolution) and is rebuilt on the next read.
CREATE TABLE appointment_days (
	record_id      TEXT PRIMARY KEY,
	head_change_id TEXT NOT NULL,
	day_tag        BLOB NOT NULL
);
CREATE INDEX appointment_days_tag ON appointment_days (day_tag);
