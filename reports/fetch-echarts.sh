#!/bin/sh
# Fetches Apache ECharts from the npm registry into reports/assets so the
# HTML reports can inline it and work with no network, and checks the file
# against the SHA-256 pinned below; a mismatch fails loudly and installs
# nothing. The file is never committed; `make assets` runs this before
# build and test.
#
#   fetch-echarts.sh             make sure the pinned file is in place (needs npm to fetch it)
#   fetch-echarts.sh --check     exit 0 if it is in place, 1 if not; fetch nothing
#   fetch-echarts.sh --optional  as the first, but without npm say so and exit 0:
#                                recon then builds without charts
#
# To move to another ECharts release, change both lines below, taking the
# hash of package/dist/echarts.min.js from the tarball `npm pack
# echarts@VERSION` downloads (npm checks the tarball's own integrity).
set -eu

version=6.1.0
sha256=b66b25aeb4df84e33199dc21694014d336d222cbd9deb0e5a7c14bd6aa0d0fd0

mode="${1:-}"
case "$mode" in
"" | --check | --optional) ;;
*)
	echo "usage: $0 [--check|--optional]" >&2
	exit 2
	;;
esac

here="$(cd "$(dirname "$0")" && pwd)"
# ECHARTS_DEST lets the tests fetch elsewhere than the source tree.
dest="${ECHARTS_DEST:-$here/assets/echarts.min.js}"

if command -v sha256sum >/dev/null 2>&1; then
	hash_of() { sha256sum "$1" | cut -d' ' -f1; }
elif command -v shasum >/dev/null 2>&1; then
	hash_of() { shasum -a 256 "$1" | cut -d' ' -f1; }
else
	echo "fetch-echarts: neither sha256sum nor shasum is installed; cannot check ECharts" >&2
	exit 1
fi

if [ -s "$dest" ] && [ "$(hash_of "$dest")" = "$sha256" ]; then
	[ "$mode" = --check ] || echo "fetch-echarts: echarts@$version in place ($dest)"
	exit 0
fi
if [ "$mode" = --check ]; then
	exit 1
fi

if ! command -v npm >/dev/null 2>&1; then
	if [ "$mode" = --optional ]; then
		echo "fetch-echarts: npm not found: recon is built WITHOUT charts; its HTML reports show a notice"
		echo "  where each chart would be (the tables hold all the numbers). To include them, install npm"
		echo "  (apt-get install -y npm | dnf install -y npm | brew install node) and run make again."
		exit 0
	fi
	echo "fetch-echarts: npm not found; install it (apt-get install -y npm | dnf install -y npm | brew install node)" >&2
	exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT INT TERM

(cd "$tmp" && npm pack --silent "echarts@$version" >/dev/null)
tar -xzf "$tmp/echarts-$version.tgz" -C "$tmp" package/dist/echarts.min.js
got="$tmp/package/dist/echarts.min.js"
if [ ! -s "$got" ]; then
	echo "fetch-echarts: echarts@$version has no dist/echarts.min.js" >&2
	exit 1
fi
actual="$(hash_of "$got")"
if [ "$actual" != "$sha256" ]; then
	{
		echo "fetch-echarts: SHA-256 MISMATCH for echarts@$version dist/echarts.min.js"
		echo "  expected $sha256"
		echo "  got      $actual"
		echo "The file was NOT installed. The registry served something other than the pinned release:"
		echo "check the npm registry and your network before changing the pin in $0."
	} >&2
	exit 1
fi
mkdir -p "$(dirname "$dest")"
# A dot name: //go:embed skips it if the copy is interrupted.
part="$(dirname "$dest")/.echarts.min.js.part"
cp "$got" "$part"
mv "$part" "$dest"
echo "fetch-echarts: echarts@$version -> $dest ($(wc -c <"$dest") bytes, SHA-256 checked)"
