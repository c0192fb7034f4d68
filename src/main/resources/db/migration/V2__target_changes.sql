-- One row per registered name: the version of its latest change, in commit order, and
-- whether that change deleted it. Replicas read the rows past the version they have seen
-- to apply other replicas' writes (README, "Replicas"); a single instance only writes them.
-- Writers are serialised (SQLite has one writer; PostgreSQL writers take a transaction
-- advisory lock), so a version is never committed after a higher one.
CREATE TABLE target_change (
    name        VARCHAR(63)  NOT NULL PRIMARY KEY,
    version     BIGINT       NOT NULL,
    deleted     SMALLINT     NOT NULL,
    changed_at  BIGINT       NOT NULL
);
CREATE INDEX target_change_version ON target_change (version);
-- Registrations stored before this migration count as version 1.
INSERT INTO target_change (name, version, deleted, changed_at)
    SELECT name, 1, 0, updated_at FROM target_registration;
