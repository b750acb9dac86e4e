#!/usr/bin/env bash
# When DATABASE_URL points to a PostgreSQL server on this machine, make sure it runs and that
# its role may create the test database. Otherwise (SQLite, or a remote server) do nothing.
set -euo pipefail
url="${DATABASE_URL:-}"
case "$url" in
  postgres://*|postgresql://*) ;;
  *) exit 0 ;;
esac

# postgres://user:password@host:port/name
rest="${url#*://}"
credentials="${rest%%@*}"
hostpart="${rest#*@}"
user="${credentials%%:*}"
password="${credentials#*:}"
hostport="${hostpart%%/*}"
host="${hostport%%:*}"
case "$host" in
  localhost|127.0.0.1|"") ;;
  *) exit 0 ;;
esac

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "Installing PostgreSQL..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version="$(ls /etc/postgresql | sort -V | tail -n 1)"
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
  pg_ctlcluster "$version" main start
fi
for _ in $(seq 1 30); do
  runuser -u postgres -- pg_isready -q && break
  sleep 1
done

runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q -d postgres <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${user}') THEN
    CREATE ROLE "${user}" LOGIN CREATEDB PASSWORD '${password}';
  ELSE
    ALTER ROLE "${user}" LOGIN CREATEDB PASSWORD '${password}';
  END IF;
  -- The application's role as PostgreSQL's row-level security sees it (not the tables' owner):
  -- the tests take it on to prove that one organisation's setting finds no other's rows.
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${user}_app') THEN
    CREATE ROLE "${user}_app" NOLOGIN;
  END IF;
END
\$\$;
GRANT "${user}_app" TO "${user}";
SQL
