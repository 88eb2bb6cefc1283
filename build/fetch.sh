#!/bin/sh
# Fetch a pinned upstream tarball (Dropbear, libsodium) from Debian's source
# package and verify it against the pinned sha256 in upstream.env.
#
#   build/fetch.sh OUTDIR [PACKAGE]
#
# PACKAGE is dropbear (the default) or libsodium; upstream.env holds
# PACKAGE_TARBALL, PACKAGE_SHA256, PACKAGE_DEBIAN_VERSIONS and
# PACKAGE_SUITES (upper case).  Writes OUTDIR/$PACKAGE_TARBALL once it has
# verified it.
#
# The source-package entry is derived from this machine's own apt
# configuration: the URI of the Debian archive it already uses, with
# "deb-src" lines for the suites that carry the pinned version.  Those lines
# live in a private apt state directory under OUTDIR/apt, so the machine's
# own apt configuration and package lists are never touched.
#
# A tarball already in OUTDIR that matches the pin is reused without any
# network access; a mismatch is an error, never silently replaced.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/upstream.env"

out=${1:?usage: fetch.sh OUTDIR [PACKAGE]}
pkg=${2:-dropbear}
case "$pkg" in
dropbear|libsodium) ;;
*) echo "fetch.sh: unknown package $pkg" >&2; exit 2 ;;
esac
var=$(printf '%s' "$pkg" | tr a-z A-Z)
eval "TARBALL=\$${var}_TARBALL SHA256=\$${var}_SHA256"
eval "DEBIAN_VERSIONS=\$${var}_DEBIAN_VERSIONS SUITES=\$${var}_SUITES"
mkdir -p "$out"
out=$(cd "$out" && pwd)
tarball="$out/$TARBALL"

verify() {
	sum=$(sha256sum "$1" | cut -d' ' -f1)
	if [ "$sum" != "$SHA256" ]; then
		echo "fetch.sh: checksum mismatch for $1" >&2
		echo "fetch.sh:   expected $SHA256" >&2
		echo "fetch.sh:   got      $sum" >&2
		return 1
	fi
}

if [ -f "$tarball" ]; then
	verify "$tarball"
	exit 0
fi

# --- derive deb-src entries from the machine's apt sources -------------
# Print "URI<TAB>SIGNED-BY" for every Debian archive the machine uses
# (one-line and deb822 formats), skipping the security archive.
archives() {
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -n 's/^[[:space:]]*deb[[:space:]]\{1,\}//p' "$f" | while read -r a b c; do
			case "$a" in
			\[*) opts=$a; uri=$b; suite=$c ;;
			*) opts=""; uri=$a; suite=$b ;;
			esac
			case "$suite" in *-security|*/updates) continue ;; esac
			key=$(printf '%s' "$opts" | sed -n 's/.*signed-by=\([^] ]*\).*/\1/p')
			printf '%s\t%s\n' "$uri" "$key"
		done
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN { RS=""; FS="\n" }
		{
			uri = ""; key = ""; types = ""; suites = ""
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^#/) continue
				split($i, kv, ":[ \t]*")
				k = tolower(kv[1]); v = substr($i, length(kv[1]) + 2)
				sub(/^[ \t]+/, "", v)
				if (k == "uris") uri = v
				if (k == "signed-by") key = v
				if (k == "types") types = v
				if (k == "suites") suites = v
			}
			if (types !~ /deb/ || suites ~ /-security/) next
			n = split(uri, us, /[ \t]+/)
			for (j = 1; j <= n; j++) print us[j] "\t" key
		}' "$f"
	done
}

aptdir="$out/apt/$pkg"
mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial" "$out/dl"
: > "$aptdir/sources.list"
archives | sort -u | while IFS="$(printf '\t')" read -r uri key; do
	[ -n "$key" ] || key=/usr/share/keyrings/debian-archive-keyring.gpg
	for suite in $SUITES; do
		printf 'deb-src [signed-by=%s] %s %s main\n' "$key" "$uri" "$suite"
	done
done >> "$aptdir/sources.list"

if ! [ -s "$aptdir/sources.list" ]; then
	echo "fetch.sh: no Debian archive found in this machine's apt sources" >&2
	exit 1
fi

set -- -o Dir::Etc::SourceList="$aptdir/sources.list" \
	-o Dir::Etc::SourceParts=/dev/null \
	-o Dir::State::Lists="$aptdir/lists" \
	-o Dir::Cache="$aptdir/cache" \
	-o APT::Sandbox::User=root

# Some derived suites may not exist on a given mirror: that is not fatal as
# long as one of them carries the pinned version.
apt-get "$@" -q update >"$aptdir/update.log" 2>&1 || true

got=""
for v in $DEBIAN_VERSIONS; do
	if (cd "$out/dl" && apt-get "$@" -q source --download-only "$pkg=$v") \
		>"$aptdir/source.log" 2>&1; then
		got=$v
		break
	fi
done
if [ -z "$got" ]; then
	echo "fetch.sh: could not download the $pkg source package" >&2
	echo "fetch.sh: tried versions: $DEBIAN_VERSIONS" >&2
	echo "fetch.sh: apt sources used: $aptdir/sources.list; logs in $aptdir/" >&2
	tail -n 5 "$aptdir/update.log" "$aptdir/source.log" >&2 || true
	exit 1
fi

verify "$out/dl/$TARBALL"
mv "$out/dl/$TARBALL" "$tarball"
echo "fetch.sh: verified $TARBALL from source package $pkg $got"
