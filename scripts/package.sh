#!/usr/bin/env bash
# Packs dist/ into the installable zip Grafana expects: <id>-<version>.zip holding a folder named <id>.
set -euo pipefail
cd "$(dirname "$0")/.."
id=$(node -p "require('./src/plugin.json').id")
version=$(node -p "require('./package.json').version")
[ -f dist/module.js ] && [ -f dist/plugin.json ] || { echo "dist/ is not built: run npm run build first" >&2; exit 1; }
rm -rf "artifacts/$id" && mkdir -p "artifacts/$id"
cp -r dist/. "artifacts/$id/"
(cd artifacts && rm -f "$id-$version.zip" && zip -qr "$id-$version.zip" "$id")
# The zip holds only what Grafana loads: the module and its chunks (with source maps), plugin.json, the included
# dashboards, images, and the README, LICENSE and CHANGELOG the catalog shows.
shipped='^[^/]+/([^/]+\.js(\.map)?|plugin\.json|README\.md|LICENSE|CHANGELOG\.md|img/[^/]+\.(svg|png)|dashboards/[^/]+\.json|(img|dashboards)/)$'
extra=$(unzip -Z1 "artifacts/$id-$version.zip" | grep -vE "$shipped" | grep -v "^$id/$" || true)
[ -z "$extra" ] || { echo "the zip holds files Grafana does not load:" >&2; echo "$extra" >&2; exit 1; }
rm -rf "artifacts/$id"
echo "artifacts/$id-$version.zip"
