#!/bin/bash
# `make package`: release artefacts under $B/out/pkg/
#
#   bearpass-VERSION-x86_64-linux-musl.tar.gz   static dropbear, example
#                                               config, docs, licences
#   bearpass_VERSION_amd64.deb                  the same for Debian
#   SHA256SUMS                                  of both
#
# Reproducible: every timestamp is SOURCE_DATE_EPOCH (default: the date of
# the last commit), entries are sorted, owners are 0:0, modes are fixed, and
# gzip stores no name or time.  Two runs from the same commit give
# byte-identical files.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
B=${B:-build}
case $B in /*) ;; *) B=$ROOT/$B ;; esac

VERSION=$(cat VERSION)
. build/upstream.env
BIN=$B/out/dropbear
TARBALL=$B/src/$DROPBEAR_TARBALL
SODIUM_TARBALL=$B/src/$LIBSODIUM_TARBALL
NAME=bearpass-$VERSION-x86_64-linux-musl
DEB=bearpass_${VERSION}_amd64.deb
PKG=$B/out/pkg
MUSL_COPYRIGHT=${MUSL_COPYRIGHT:-/usr/share/doc/musl/copyright}

for f in "$BIN" "$TARBALL" "$SODIUM_TARBALL" "$MUSL_COPYRIGHT"; do
	if [ ! -f "$f" ]; then
		echo "package.sh: missing $f (run make B=$B all first)" >&2
		exit 1
	fi
done

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH=$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || true)
fi
if [ -z "$SOURCE_DATE_EPOCH" ]; then
	echo "package.sh: not a git checkout: set SOURCE_DATE_EPOCH" >&2
	exit 1
fi
export SOURCE_DATE_EPOCH

# Our version check: the binary must name the version we package.
if ! "$BIN" -V 2>&1 | grep -qF "(bearpass $VERSION, "; then
	echo "package.sh: $BIN -V does not name bearpass $VERSION:" >&2
	"$BIN" -V >&2 || true
	exit 1
fi

WORK=$B/work/pkg
rm -rf "$WORK" "$PKG"
mkdir -p "$WORK" "$PKG"

# The licences shipped with Dropbear's tarball (Dropbear's own LICENSE
# points to libtomcrypt's and libtommath's), libsodium's and musl's (both
# are linked in), ours.
mkdir -p "$WORK/upstream" "$WORK/libsodium"
tar -xjf "$TARBALL" -C "$WORK/upstream" --strip-components=1 \
	"dropbear-$DROPBEAR_VERSION/LICENSE" \
	"dropbear-$DROPBEAR_VERSION/libtomcrypt/LICENSE" \
	"dropbear-$DROPBEAR_VERSION/libtommath/LICENSE"
tar -xzf "$SODIUM_TARBALL" -C "$WORK/libsodium" --strip-components=1 \
	"libsodium-$LIBSODIUM_VERSION/LICENSE"

# normalise DIR: fixed modes and times for everything under DIR
normalise() {
	find "$1" -type d -exec chmod 0755 {} +
	find "$1" -type f -exec chmod 0644 {} +
	find "$1" -type f -name '*dropbear' -exec chmod 0755 {} +
	find "$1" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
}

# --- tarball -------------------------------------------------------------
T=$WORK/$NAME
mkdir -p "$T/licenses" "$T/docs"
cp "$BIN" "$T/dropbear"
cp packaging/bearpass.conf.example "$T/"
cp packaging/Dockerfile.scratch "$T/"
cp README.md LICENSE VERSION "$T/"
cp docs/*.md "$T/docs/"
cp packaging/README.md "$T/docs/packaging.md"
cp "$WORK/upstream/LICENSE" "$T/licenses/dropbear.LICENSE"
cp "$WORK/upstream/libtomcrypt/LICENSE" "$T/licenses/libtomcrypt.LICENSE"
cp "$WORK/upstream/libtommath/LICENSE" "$T/licenses/libtommath.LICENSE"
cp "$WORK/libsodium/LICENSE" "$T/licenses/libsodium.LICENSE"
cp "$MUSL_COPYRIGHT" "$T/licenses/musl.copyright"
normalise "$T"

tar -C "$WORK" --sort=name --format=gnu --mtime="@$SOURCE_DATE_EPOCH" \
	--owner=0 --group=0 --numeric-owner -cf - "$NAME" \
	| gzip -n -9 > "$PKG/$NAME.tar.gz"

# --- .deb ----------------------------------------------------------------
# Installs /usr/sbin/bearpass-dropbear (Debian's dropbear packages own
# /usr/sbin/dropbear), docs under /usr/share/doc/bearpass.  No files in
# /etc (so no conffiles), no maintainer scripts, no service is started.
D=$WORK/deb
DOC=$D/usr/share/doc/bearpass
mkdir -p "$D/DEBIAN" "$D/usr/sbin" "$DOC"
cp "$BIN" "$D/usr/sbin/bearpass-dropbear"
cp README.md "$DOC/README.md"
cp docs/*.md "$DOC/"
cp packaging/bearpass.conf.example packaging/Dockerfile.scratch "$DOC/"
{
	cat <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: bearpass
Comment: bearpass is Dropbear $DROPBEAR_VERSION with the bearpass patches and
 plugin, statically linked with libsodium $LIBSODIUM_VERSION and musl libc.
 The licence texts follow.

Files: *
Copyright: bearpass developers
License: MIT
EOF
	echo
	echo "--- bearpass: LICENSE"
	cat LICENSE
	echo
	echo "--- Dropbear $DROPBEAR_VERSION: LICENSE"
	cat "$WORK/upstream/LICENSE"
	echo
	echo "--- libtomcrypt (bundled with Dropbear): LICENSE"
	cat "$WORK/upstream/libtomcrypt/LICENSE"
	echo
	echo "--- libtommath (bundled with Dropbear): LICENSE"
	cat "$WORK/upstream/libtommath/LICENSE"
	echo
	echo "--- libsodium $LIBSODIUM_VERSION (statically linked): LICENSE"
	cat "$WORK/libsodium/LICENSE"
	echo
	echo "--- musl libc (statically linked): Debian's copyright file"
	cat "$MUSL_COPYRIGHT"
} > "$DOC/copyright"
normalise "$D"
size=$(du -sk --apparent-size "$D/usr" | cut -f1)
cat > "$D/DEBIAN/control" <<EOF
Package: bearpass
Version: $VERSION
Architecture: amd64
Maintainer: bearpass developers <bearpass@localhost>
Installed-Size: $size
Section: net
Priority: optional
Description: SSH server for containers with OpenSSH certificate logins
 bearpass is Dropbear $DROPBEAR_VERSION with a small patch series and a
 plugin, built into one static (musl) binary, installed as
 /usr/sbin/bearpass-dropbear so that it cannot clash with Debian's dropbear
 packages.  Members log in with short-lived OpenSSH user certificates
 signed by the organisation's CA; the server listens on the private IPv6
 network, reads /etc/passwd without libc, and gives sessions the
 environment of PID 1.  Nothing is started on installation: see
 /usr/share/doc/bearpass/README.md.
EOF
normalise "$D"
dpkg-deb --root-owner-group -Zxz --build "$D" "$PKG/$DEB" >/dev/null

(cd "$PKG" && sha256sum "$NAME.tar.gz" "$DEB" > SHA256SUMS)
rm -rf "$WORK"
echo "package.sh: wrote $PKG/:"
(cd "$PKG" && cat SHA256SUMS)
