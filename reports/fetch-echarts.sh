#!/bin/sh
# Fetches Apache ECharts from the npm registry into reports/assets so the
# HTML report can inline it and work with no network. The file is not
# committed; `make assets` runs this before build and test.
set -eu

version="${ECHARTS_VERSION:-6.1.0}"
here="$(cd "$(dirname "$0")" && pwd)"
dest="$here/assets/echarts.min.js"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT INT TERM

(cd "$tmp" && npm pack --silent "echarts@$version" >/dev/null)
tar -xzf "$tmp/echarts-$version.tgz" -C "$tmp" package/dist/echarts.min.js
if [ ! -s "$tmp/package/dist/echarts.min.js" ]; then
	echo "fetch-echarts: echarts@$version has no dist/echarts.min.js" >&2
	exit 1
fi
mkdir -p "$here/assets"
cp "$tmp/package/dist/echarts.min.js" "$dest.tmp"
mv "$dest.tmp" "$dest"
echo "fetch-echarts: echarts@$version -> $dest ($(wc -c <"$dest") bytes)"
