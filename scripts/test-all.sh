#!/usr/bin/env bash
# Every check this machine can run, from a fresh clone: installs what the tests need, then runs
# typecheck, lint, unit tests, the build and its package, the integration tests against real
# VictoriaMetrics and Prometheus, and the browser tests of the preview in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s ===\n' "$*"; }

step "System packages (victoria-metrics, prometheus, alertmanager, chromium, zip)"
missing=()
for pair in victoria-metrics:victoria-metrics prometheus:prometheus promtool:prometheus prometheus-alertmanager:prometheus-alertmanager chromium:chromium zip:zip unzip:unzip; do
  bin=${pair%%:*}; pkg=${pair##*:}
  command -v "$bin" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u)
  else
    echo "Missing: ${missing[*]}. Install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

step "npm packages"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

step "Typecheck";            npm run typecheck
step "Lint";                 npm run lint
step "Unit tests";           npm run test:ci
step "Build, bundle budget and package"; npm run build && npm run bundle-size && npm run package
step "Integration tests";    npm run test:integration
step "Browser tests";        npm run test:browser

echo
echo "All checks passed."
