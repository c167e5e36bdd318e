-- Imports (docs/FHIR.md): an incoming patient whose match to a chart was
-- uncertain waits here for a person to decide. Local to this workstation:
-- the batch is sealed whole (the incoming records, their attachments and
-- the candidates), so nothing about the person is in clear.
CREATE TABLE held_imports (
	id      TEXT PRIMARY KEY,
	held_at TEXT NOT NULL,
	sealed  BLOB NOT NULL
);
