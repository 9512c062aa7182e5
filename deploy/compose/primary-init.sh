#!/bin/sh
# Run once by the postgres image when it creates the primary's cluster: a replication role
# for the read replica (compose.scale.yaml) and its line in pg_hba.conf.
set -eu
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" \
  -c "CREATE ROLE replicator LOGIN REPLICATION PASSWORD '$REPLICATION_PASSWORD'"
echo "host replication replicator all scram-sha-256" >>"$PGDATA/pg_hba.conf"
