-- A server now starts bound to no practice: the first workstation that
-- enrols naming its practice binds it (syncserver.Store.Enroll). Stores made
-- before this minted a random practice id that no workstation knows; drop it
-- where no workstation enrolled yet, so such a server can still be bound.
DELETE FROM meta WHERE key = 'practice_id' AND NOT EXISTS (SELECT 1 FROM devices);
