-- Professional credentials printed on prescriptions: the licence number a
-- regulator gave the user and their National Provider Identifier. Staff
-- data, kept in clear beside the user's name; both may be empty.
ALTER TABLE users ADD COLUMN licence_number TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN npi TEXT NOT NULL DEFAULT '';
