-- What a run's record tells besides each step's status: how long a `confirm: true` step waited for its
-- confirmation (who confirmed is in decided_by; the wait is not part of the step's duration), whether a failed
-- step was passed over (on_failure continue or goto) so the run went on, and how a failed run's rollback ended
-- (succeeded, failed, incomplete; NULL when no rollback ran). Booleans are SMALLINT 0/1, as in V1.
ALTER TABLE runbook_step_run ADD COLUMN wait_ms BIGINT;
ALTER TABLE runbook_step_run ADD COLUMN continued SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE runbook_run ADD COLUMN rollback VARCHAR(20);
