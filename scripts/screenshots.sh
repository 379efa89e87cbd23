#!/usr/bin/env bash
# Regenerates docs/screenshots/*.png (phone and laptop width) by running the browser journeys.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_browser.sh
LOKET_SCREENSHOTS=1 .venv/bin/python -m pytest -q -p no:cacheprovider -m browser tests/browser
