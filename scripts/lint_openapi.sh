#!/usr/bin/env bash
# Lint Loket's OpenAPI document against the NL GOV API Design Rules (Spectral ruleset in
# ../shared/adr/spectral.yml, beside the clone). Fails on errors; warnings are listed in
# docs/api.md. Installs @stoplight/spectral-cli from the npm registry into tools/spectral
# (pinned by its package-lock.json; install scripts are not run).
set -euo pipefail
ROOT="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
cd "$ROOT"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
RULESET="${SPECTRAL_RULESET:-$ROOT/../shared/adr/spectral.yml}"
TOOLS="$ROOT/tools/spectral"
SPECTRAL="$TOOLS/node_modules/.bin/spectral"

if [ ! -f "$RULESET" ]; then
  echo "lint_openapi: ruleset not found at $RULESET (set SPECTRAL_RULESET)" >&2
  exit 2
fi
if [ ! -x "$SPECTRAL" ]; then
  (cd "$TOOLS" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
LOKET_DEMO=1 "$PY" manage.py spectacular --format openapi-json --file "$OUT/openapi.json" \
  --fail-on-warn
"$SPECTRAL" lint --fail-severity=error -r "$RULESET" "$OUT/openapi.json"
