#!/usr/bin/env bash
# A throwaway PostgreSQL server for the corpus on 127.0.0.1:$2, its data in $1/pg, trusting local
# connections, with one table to list as a resource. It runs until the corpus ends its process group.
# PostgreSQL refuses to run as root, so as root it runs as the postgres user of Debian's package.
set -euo pipefail
dir=$1/pg port=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
PATH="${bin:+$bin:}$PATH"
as_owner=()
mkdir -p "$dir"
if [ "$(id -u)" = 0 ]; then
  chmod 755 "$1"
  chown postgres "$dir"
  as_owner=(runuser -u postgres --)
fi
"${as_owner[@]}" initdb -D "$dir/data" -U corpus --auth=trust --no-sync >/dev/null
"${as_owner[@]}" postgres -D "$dir/data" -k "$dir" -h 127.0.0.1 -p "$port" -c fsync=off -c listen_addresses=127.0.0.1 &
until pg_isready -q -h 127.0.0.1 -p "$port"; do sleep 0.2; done
psql -q -h 127.0.0.1 -p "$port" -U corpus -d postgres -c 'CREATE TABLE corpus_notes (id serial PRIMARY KEY, body text NOT NULL)'
wait
