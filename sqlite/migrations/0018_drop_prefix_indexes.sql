-- Disk (issue #12): three indexes on records held nothing another index
-- does not hold first. Each is a leftmost prefix of a wider index made
-- later for the sign-in index and the chart summary (0015, 0016), so every
-- lookup they served (by kind; by patient; by patient and kind, in id
-- order) is served by the wider one, and in the same order:
--   records_by_kind         (kind)                 < records_heads_by_kind    (kind, id, version, head_change_id)
--   records_by_patient      (patient_id)           < records_heads_by_patient (patient_id, kind, id, version, head_change_id)
--   records_by_patient_kind (patient_id, kind, id) < records_heads_by_patient
-- Together they were 7% of a workstation's file after its initial push.
-- TestNoIndexIsAPrefixOfAnother keeps it so; TestRecordQueriesStillUseAnIndex
-- checks the queries that used them.
DROP INDEX IF EXISTS records_by_kind;
DROP INDEX IF EXISTS records_by_patient;
DROP INDEX IF EXISTS records_by_patient_kind;
