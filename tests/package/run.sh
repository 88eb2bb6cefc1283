#!/bin/bash
# Packaging tests: the version string, `make package`'s artefacts (tarball
# contents, SHA256SUMS, reproducibility, the .deb installed into and removed
# from a root this test makes), the example configuration, and the scratch
# image of packaging/Dockerfile.scratch assembled into a directory, booted
# with chroot on 127.0.0.1 and logged into with a certificate.
set -u
. "$(dirname "$0")/../lib.sh"
bp_tmpdir package
trap 'stop_all_servers; [ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT
cd "$ROOT"

VERSION=$(cat VERSION)
. build/upstream.env
NAME=bearpass-$VERSION-x86_64-linux-musl
DEB=bearpass_${VERSION}_amd64.deb
PKG=$OUT/pkg
NPATCHES=$(grep -cv -e '^[[:space:]]*$' -e '^#' patches/series)

make_key "$TMP/ca"
make_key "$TMP/user"
ssh-keygen -q -s "$TMP/ca" -I "member@package-test" -n root,fly -V -5m:+1h -z 7 "$TMP/user.pub"

# --- version string ------------------------------------------------------

version_string() {
	local want="Dropbear v$DROPBEAR_VERSION (bearpass $VERSION, $NPATCHES patches)" got
	got=$("$STATIC" -V 2>&1)
	[ "$got" = "$want" ] || { echo "    got:  $got"; echo "    want: $want"; return 1; }
}
check "dropbear -V names Dropbear, bearpass and the patch count" version_string

# --- make package, twice -------------------------------------------------

package_run() { # package_run COPYDIR
	B=$B bash packaging/package.sh > "$TMP/package.log" 2>&1 || { cat "$TMP/package.log"; return 1; }
	rm -rf "$1" && cp -a "$PKG" "$1"
}
check "package.sh writes the artefacts" package_run "$TMP/pkg1"
check "package.sh again" package_run "$TMP/pkg2"

reproducible() {
	local f rc=0
	for f in "$NAME.tar.gz" "$DEB" SHA256SUMS; do
		cmp "$TMP/pkg1/$f" "$TMP/pkg2/$f" || rc=1
	done
	return $rc
}
check "two runs give byte-identical artefacts" reproducible

sums_ok() {
	(cd "$TMP/pkg1" && sha256sum --quiet -c SHA256SUMS) &&
	[ "$(awk '{print $2}' "$TMP/pkg1/SHA256SUMS" | LC_ALL=C sort | tr '\n' ' ')" = "$NAME.tar.gz $DEB " ] ||
	{ cat "$TMP/pkg1/SHA256SUMS"; return 1; }
}
check "SHA256SUMS lists and matches both artefacts" sums_ok

# --- tarball -------------------------------------------------------------

tar_contents() {
	local want got
	want=$(printf '%s\n' "" Dockerfile.scratch LICENSE README.md VERSION \
		bearpass.conf.example docs/ docs/packaging.md $(cd "$ROOT" && ls docs/*.md) dropbear \
		licenses/ licenses/dropbear.LICENSE licenses/libsodium.LICENSE \
		licenses/libtomcrypt.LICENSE licenses/libtommath.LICENSE licenses/musl.copyright | sed "s|^|$NAME/|" | LC_ALL=C sort)
	got=$(tar -tzf "$TMP/pkg1/$NAME.tar.gz" | LC_ALL=C sort)
	[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got"); return 1; }
}
check "tarball holds the binary, config example, docs and licences" tar_contents

tar_metadata() {
	local bad d
	# owner 0/0, one mtime (the last commit's), no group/other write
	d=$(date -u -d "@$(git log -1 --format=%ct)" '+%Y-%m-%d %H:%M')
	bad=$(TZ=UTC0 tar --numeric-owner -tvzf "$TMP/pkg1/$NAME.tar.gz" | awk -v d="$d" '
		$2 != "0/0" || ($4 " " $5) != d || substr($1, 6, 1) == "w" || substr($1, 9, 1) == "w"')
	[ -z "$bad" ] || { echo "$bad"; return 1; }
}
check "tarball entries owned by 0:0, dated by the last commit" tar_metadata

mkdir -p "$TMP/x"
tar -xzf "$TMP/pkg1/$NAME.tar.gz" -C "$TMP/x"
X=$TMP/x/$NAME

tar_binary() {
	cmp "$X/dropbear" "$STATIC" && [ -x "$X/dropbear" ] &&
	file "$X/dropbear" | grep -q "statically linked"
}
check "tarball's dropbear is the static build" tar_binary

tar_licences() {
	grep -q "Matt Johnston" "$X/licenses/dropbear.LICENSE" &&
	grep -q "LibTomCrypt" "$X/licenses/libtomcrypt.LICENSE" &&
	grep -q "LibTom" "$X/licenses/libtommath.LICENSE" &&
	grep -qi "musl" "$X/licenses/musl.copyright" &&
	grep -q "bearpass developers" "$X/LICENSE"
}
check "tarball's licence texts" tar_licences

# --- example configuration -----------------------------------------------

# Every keyword of plugin/config.c's table is in the example, commented or not.
example_keywords() {
	local kw missing=""
	for kw in $(sed -n 's/^[[:space:]]*{[[:space:]]*"\([A-Za-z]*\)",.*/\1/p' plugin/config.c); do
		grep -Eq "^#?$kw " "$X/bearpass.conf.example" || missing="$missing $kw"
	done
	[ -n "$(sed -n 's/^[[:space:]]*{[[:space:]]*"\([A-Za-z]*\)",.*/\1/p' plugin/config.c)" ] || { echo "    no keyword table found"; return 1; }
	[ -z "$missing" ] || { echo "    missing:$missing"; return 1; }
}
check "example config names every keyword" example_keywords

# The example as shipped, with the CA path pointing at a real file, checks.
example_as_shipped() {
	sed "s|^TrustedUserCAKeys .*|TrustedUserCAKeys $TMP/ca.pub|" "$X/bearpass.conf.example" > "$TMP/shipped.conf"
	"$STATIC" -C -A "bearpass,$TMP/shipped.conf" > "$TMP/shipped.log" 2>&1 || { cat "$TMP/shipped.log"; return 1; }
}
check "example config as shipped passes -C" example_as_shipped

# Every commented default, uncommented, is a valid value (files named by
# examples are made to exist).
example_defaults_valid() {
	ssh-keygen -q -k -f "$TMP/revoked.krl" 2>/dev/null
	sed -e 's|^#\([A-Z][A-Za-z]* \)|\1|' \
		-e "s|^TrustedUserCAKeys .*|TrustedUserCAKeys $TMP/ca.pub|" \
		-e "s|^RevokedKeys .*|RevokedKeys $TMP/revoked.krl|" \
		"$X/bearpass.conf.example" > "$TMP/defaults.conf"
	"$STATIC" -C -A "bearpass,$TMP/defaults.conf" > "$TMP/defaults.log" 2>&1 || { cat "$TMP/defaults.log"; return 1; }
}
check "example config's commented defaults are all valid" example_defaults_valid

# --- .deb ----------------------------------------------------------------

deb_info() {
	local info
	info=$(dpkg-deb --info "$TMP/pkg1/$DEB") || return 1
	grep -qx " Package: bearpass" <<< "$info" &&
	grep -qx " Version: $VERSION" <<< "$info" &&
	grep -qx " Architecture: amd64" <<< "$info" &&
	grep -q "^ Maintainer: ." <<< "$info" &&
	grep -q "^ Description: ." <<< "$info" &&
	! grep -Eq "^ Depends:|conffiles|postinst|prerm|preinst|postrm" <<< "$info" ||
	{ echo "$info"; return 1; }
}
check "dpkg-deb --info: control fields, no scripts, no conffiles" deb_info

deb_contents() {
	local want got
	want=$(printf '%s\n' ./ ./usr/ ./usr/sbin/ ./usr/sbin/bearpass-dropbear ./usr/share/ \
		./usr/share/doc/ ./usr/share/doc/bearpass/ ./usr/share/doc/bearpass/Dockerfile.scratch \
		./usr/share/doc/bearpass/README.md ./usr/share/doc/bearpass/bearpass.conf.example \
		./usr/share/doc/bearpass/copyright $(cd "$ROOT/docs" && ls *.md | sed 's|^|./usr/share/doc/bearpass/|') \
		| LC_ALL=C sort)
	got=$(dpkg-deb --contents "$TMP/pkg1/$DEB" | awk '{print $6}' | LC_ALL=C sort)
	[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got"); return 1; }
	# root:root, binary 0755
	got=$(dpkg-deb --contents "$TMP/pkg1/$DEB")
	! awk '$2 != "root/root"' <<< "$got" | grep . &&
	grep -q '^-rwxr-xr-x .* ./usr/sbin/bearpass-dropbear$' <<< "$got"
}
check "dpkg-deb --contents: binary, docs, no Debian dropbear paths" deb_contents

# Install into, and remove from, a root with its own dpkg database.
DR=$TMP/debroot
dpkg_r() {
	dpkg --root="$DR" --admindir="$DR/var/lib/dpkg" --log="$TMP/dpkg.log" \
		--force-script-chrootless --force-not-root "$@"
}
deb_install() {
	rm -rf "$DR"
	mkdir -p "$DR/var/lib/dpkg/info" "$DR/var/lib/dpkg/updates" "$DR/var/lib/dpkg/triggers"
	: > "$DR/var/lib/dpkg/status"
	dpkg_r -i "$TMP/pkg1/$DEB" > "$TMP/dpkg-i.log" 2>&1 || { cat "$TMP/dpkg-i.log"; return 1; }
	dpkg_r -s bearpass | grep -qx "Status: install ok installed" &&
	cmp "$DR/usr/sbin/bearpass-dropbear" "$STATIC" &&
	[ -f "$DR/usr/share/doc/bearpass/copyright" ] &&
	[ ! -e "$DR/etc" ] &&
	"$DR/usr/sbin/bearpass-dropbear" -V 2>&1 | grep -qF "(bearpass $VERSION,"
}
check ".deb installs into a fresh root" deb_install

deb_remove() {
	dpkg_r --purge bearpass > "$TMP/dpkg-r.log" 2>&1 || { cat "$TMP/dpkg-r.log"; return 1; }
	! dpkg_r -s bearpass > /dev/null 2>&1 &&
	[ -z "$(find "$DR" -path "$DR/var/lib/dpkg" -prune -o ! -type d -print)" ] ||
	{ find "$DR" -path "$DR/var/lib/dpkg" -prune -o -print; return 1; }
}
check ".deb removes cleanly, leaving no files" deb_remove

# --- the scratch image, assembled from packaging/Dockerfile.scratch ------

# assemble_root DOCKERFILE CONTEXT ROOT: build the final stage's root
# filesystem into ROOT; sets ENTRYPOINT.  Understood: FROM, COPY (from the
# context, or --from=busybox /bin/busybox = this machine's busybox-static),
# RUN and ENTRYPOINT in exec (JSON) form, EXPOSE.  Anything else fails, so
# the Dockerfile stays something this test checks.
json_words() { python3 -c 'import json, sys
w = json.loads(sys.argv[1])
assert isinstance(w, list) and all(isinstance(x, str) for x in w)
sys.stdout.write("\0".join(w) + "\0")' "$1"; }

assemble_root() {
	local df=$1 ctx=$2 root=$3 instr rest from src dst final=0 words
	rm -rf "$root" && mkdir -p "$root"
	ENTRYPOINT=()
	while read -r instr rest; do
		case $instr in ''|'#'*) continue ;; esac
		case ${instr^^} in
		FROM)
			if [ "${rest%% *}" = scratch ]; then final=1; else final=0; fi ;;
		COPY)
			[ $final = 1 ] || continue
			from=""
			if [[ $rest == --from=* ]]; then
				from=${rest%% *}; from=${from#--from=}; rest=${rest#* }
			fi
			read -r src dst <<< "$rest"
			if [ -n "$from" ]; then
				[ "$from $src" = "busybox /bin/busybox" ] || { echo "    cannot COPY --from=$from $src"; return 1; }
				src=$(command -v busybox)
				file -L "$src" | grep -q "statically linked" || { echo "    $src is not static"; return 1; }
			else
				src=$ctx/$src
			fi
			mkdir -p "$root$(dirname "$dst")" && cp -L "$src" "$root$dst" || return 1 ;;
		RUN)
			[ $final = 1 ] || { echo "    RUN in a build stage is not understood"; return 1; }
			mapfile -d '' words < <(json_words "$rest") && [ ${#words[@]} -gt 0 ] || { echo "    RUN not in exec form: $rest"; return 1; }
			chroot "$root" "${words[@]}" || return 1 ;;
		ENTRYPOINT)
			mapfile -d '' ENTRYPOINT < <(json_words "$rest") && [ ${#ENTRYPOINT[@]} -gt 0 ] || return 1 ;;
		EXPOSE) ;;
		*) echo "    instruction $instr not understood"; return 1 ;;
		esac
	done < "$df"
	[ ${#ENTRYPOINT[@]} -gt 0 ]
}

SR=$TMP/scratchroot
CTX=$TMP/context
SPORT=$(free_port)
SPID=""
scratch_assemble() {
	mkdir -p "$CTX"
	cp "$X/dropbear" "$CTX/dropbear"
	cp "$TMP/ca.pub" "$CTX/ca.pub"
	# the shipped example, listening on loopback for the test
	{ cat "$X/bearpass.conf.example"; printf 'ListenAddress 127.0.0.1\nPort %s\n' "$SPORT"; } > "$CTX/bearpass.conf"
	assemble_root "$X/Dockerfile.scratch" "$CTX" "$SR" || return 1
	[ -x "$SR/bin/sh" ] && [ -x "$SR/dropbear" ] && [ -f "$SR/etc/bearpass/ca.pub" ] &&
	[ ! -e "$SR/etc/passwd" ] && [ ! -e "$SR/lib" ]
}
check "Dockerfile.scratch assembled into a directory" scratch_assemble

scratch_boot() {
	[ -x "$SR/dropbear" ] || return 1
	# -p as well as the config's ListenAddress: the server listens on
	# 127.0.0.1 only, whichever of the two decides
	chroot "$SR" "${ENTRYPOINT[@]}" -p "127.0.0.1:$SPORT" -P /dropbear.pid 2> "$TMP/scratch.log" &
	SPID=$!
	SERVER_PIDS+=("$SPID")
	wait_for 20 server_ready "$SPID" "$TMP/scratch.log" && kill -0 "$SPID" 2>/dev/null ||
	{ cat "$TMP/scratch.log"; return 1; }
}
check "scratch root boots with the Dockerfile's ENTRYPOINT" scratch_boot

# scratch_login: log in as root with the certificate, run id in busybox sh
scratch_login() {
	local out
	PORT=$SPORT
	out=$(ssh_as root "$TMP/user" -o CertificateFile="$TMP/user-cert.pub" -- 'id; echo "shell=$SHELL"' 2>&1)
	[[ $out == *"uid=0"* && $out == *"shell=/bin/sh"* ]] || {
		echo "    $out"
		tail -n 3 "$TMP/scratch.log"
		if [[ $out == *"Permission denied"* ]] && grep -q "Login attempt for nonexistent user" "$TMP/scratch.log"; then
			echo "    (this build looks users up through libc: the image has no /etc/passwd)"
		fi
		return 1
	}
	# the host key was made in the image's /etc/dropbear (HostKeyDir)
	[ -s "$SR/etc/dropbear/dropbear_ed25519_host_key" ]
}
# As the Dockerfile describes it: no /etc/passwd, UnknownUser root.
check "certificate login into the scratch root runs id with busybox sh" scratch_login

# The same with a root entry in /etc/passwd, as many images have.
scratch_login_passwd() {
	printf 'root:x:0:0:root:/root:/bin/sh\n' > "$SR/etc/passwd"
	scratch_login
	local rc=$?
	rm -f "$SR/etc/passwd"
	return $rc
}
check "certificate login into the scratch root with an /etc/passwd" scratch_login_passwd

scratch_audit() {
	grep -q '"event":"auth_accept".*"key_id":"member@package-test"' "$TMP/scratch.log" ||
	{ tail -n 5 "$TMP/scratch.log"; return 1; }
}
check "scratch root audits the login on stderr" scratch_audit

scratch_plain_key_refused() {
	local out
	PORT=$SPORT
	cp "$TMP/user" "$TMP/plain"
	out=$(ssh_as root "$TMP/plain" -- id 2>&1)
	[ $? -eq 255 ] && [[ $out == *"Permission denied"* ]]
}
check "scratch root refuses the plain key" scratch_plain_key_refused

finish package
