-- Replicas sharing the targets (README, "Replicas"; design in docs/cluster.md). PostgreSQL only:
-- ClusterTablesMigration runs this as migration 3 there and does nothing on SQLite.
-- IF NOT EXISTS: the crash loop once found these tables in place with migration 3 still
-- pending after repeated kills inside Flyway, and the store must reopen whatever a kill
-- left; the statements create exactly these tables or nothing.

-- The partition count is fixed when the cluster is created: a replica configured with
-- another count refuses to start.
CREATE TABLE IF NOT EXISTS cluster_meta (
    k  TEXT PRIMARY KEY,
    v  TEXT NOT NULL
);

-- One row per replica (JVM). heartbeat_at is the database's clock, the one clock every
-- replica agrees on.
CREATE TABLE IF NOT EXISTS cluster_member (
    member_id     TEXT        PRIMARY KEY,
    incarnation   UUID        NOT NULL,
    address       TEXT,
    started_at    TIMESTAMPTZ NOT NULL,
    heartbeat_at  TIMESTAMPTZ NOT NULL,
    ready         BOOLEAN     NOT NULL DEFAULT FALSE,
    leaving       BOOLEAN     NOT NULL DEFAULT FALSE
);

-- One row per partition, created at first start. epoch is the fencing token: +1 on every
-- change of owner. hw is the high-water mark of target_health.version in the partition.
CREATE TABLE IF NOT EXISTS partition_lease (
    p            INT         PRIMARY KEY,
    owner        TEXT,
    incarnation  UUID,
    epoch        BIGINT      NOT NULL DEFAULT 0,
    expires_at   TIMESTAMPTZ,
    acquired_at  TIMESTAMPTZ,
    hw           BIGINT      NOT NULL DEFAULT 0
);

-- A target's health summary, written only by the holder of its partition's lease, with
-- the lease's epoch: every replica routes from these rows.
CREATE TABLE IF NOT EXISTS target_health (
    name        TEXT        PRIMARY KEY,
    p           INT         NOT NULL,
    version     BIGINT      NOT NULL,
    epoch       BIGINT      NOT NULL,
    summary     TEXT        NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS target_health_p_version ON target_health (p, version);
