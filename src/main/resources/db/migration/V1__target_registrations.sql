-- Targets registered over the API. Configured targets are never stored: configuration is
-- their source of truth. The definition is the target's JSON as it was accepted.
CREATE TABLE target_registration (
    name        VARCHAR(63)  NOT NULL PRIMARY KEY,
    definition  TEXT         NOT NULL,
    created_at  BIGINT       NOT NULL,
    updated_at  BIGINT       NOT NULL
);
