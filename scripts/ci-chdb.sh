#!/usr/bin/env bash
# Installs chdb (the ClickHouse engine in-process, ~550 MB) for the ClickHouse store tests.
# It is kept out of package.json so that `npm install` stays small for users.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! node -e "require.resolve('chdb')" 2>/dev/null; then
  npm install --no-save --no-audit --no-fund chdb
fi
