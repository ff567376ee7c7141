#!/usr/bin/env bash
# The npm package as a user gets it: packed, installed into an empty directory, and its CLI run against the
# reference server. Catches a `files` list that leaves out what the CLI needs, a bundle that still imports a
# dependency, and a bin entry that does not start.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

npm pack --silent --pack-destination "$scratch" >/dev/null
tarball=$(ls "$scratch"/mcp-preflight-*.tgz)
mkdir "$scratch/app"
cd "$scratch/app"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "$tarball"

cli=./node_modules/.bin/mcp-preflight
expected=$(node -p "require('$root/package.json').version")
actual=$("$cli" --version)
[ "$actual" = "$expected" ] || {
  echo "packed CLI reports version '$actual', package.json says $expected" >&2
  exit 1
}
"$cli" --report report.json -- node "$root/node_modules/@modelcontextprotocol/server-everything/dist/index.js" stdio >console.txt || {
  cat console.txt >&2
  echo "the packed CLI did not pass the reference server" >&2
  exit 1
}
node -e "const r=require('./report.json'); if (r.verdict !== 'pass') { console.error('report.json verdict:', r.verdict); process.exit(1); }"
echo "packed CLI $actual verified the reference server from an empty directory ($(du -h "$tarball" | cut -f1) tarball)"
