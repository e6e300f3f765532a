#!/usr/bin/env bash
# Fails when schema.graphql or the drizzle migrations no longer match the code.
set -euo pipefail
cd "$(dirname "$0")/.."

npx tsx src/graphql/print.ts --check
npx tsx src/catalog/listing/print-models.ts --check
npx drizzle-kit check
before=$(git status --porcelain -- drizzle)
npx drizzle-kit generate --name pending >/dev/null
after=$(git status --porcelain -- drizzle)
if [ "$before" != "$after" ]; then
  echo "drizzle/ is out of date: run 'npm run db:generate' and commit the migration." >&2
  git status --porcelain -- drizzle >&2
  exit 1
fi
echo "drizzle/ is current"

generated="test/gql src/client/gql src/client/possible-types.ts"
before=$(git status --porcelain -- $generated)
npx graphql-codegen --config codegen.ts >/dev/null
after=$(git status --porcelain -- $generated)
if [ "$before" != "$after" ]; then
  echo "$generated: out of date: run 'npm run codegen' and commit them." >&2
  exit 1
fi
echo "$generated: current"
