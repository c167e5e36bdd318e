-- Disk (issue #12): the two records indexes made to answer a sign-in's and
-- a chart's snapshot check from the index alone (0015, 0016) carried each
-- record's version and head change (~40 of their ~90 bytes an entry). Both
-- checks have since read the sealed blob too (sealStamp: a blob altered on
-- disk is opened, not trusted), so they step into the table row anyway and
-- nothing reads those two columns from the index any more. The narrower
-- indexes serve every lookup the wide ones did (by kind; by patient; by
-- patient and kind, in id order), in the same order: 4.2 MB of a
-- 2,000-patient workstation's file after its initial push.
-- TestRecordQueriesStillUseAnIndex reads the plans.
DROP INDEX IF EXISTS records_heads_by_kind;
DROP INDEX IF EXISTS records_heads_by_patient;
CREATE INDEX records_of_kind ON records (kind, id);
CREATE INDEX records_of_patient ON records (patient_id, kind, id);
