#!/usr/bin/env bash
# `npm run lint`: formatting (Prettier) and lint rules (typescript-eslint, no import cycles).
# `npm run format` rewrites the files Prettier would change.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x tools/lint/node_modules/.bin/eslint ] || npm ci --prefix tools/lint --no-audit --no-fund --silent
files=("src/**/*.ts" "test/**/*.{ts,js,mjs}" "seeds/**/*.{ts,mjs}" "web/**/*.{ts,mjs}" "sdk/**/*.ts" "*.{ts,js,mjs}")
if [ "${1:-}" = "--write" ]; then
  tools/lint/node_modules/.bin/prettier --log-level warn --write "${files[@]}"
  exit 0
fi
tools/lint/node_modules/.bin/prettier --log-level warn --check "${files[@]}"
tools/lint/node_modules/.bin/eslint -c tools/lint/eslint.config.mjs --max-warnings 0 .
