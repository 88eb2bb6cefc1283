#!/bin/bash
# Command-line tests: `dropbear -C -A bearpass,FILE` on every file under
# tests/conf/bad (expected errors in tests/conf/bad/EXPECT) and
# tests/conf/good, for the static and the dynamic build; a server started
# with a bad configuration exits 1 without listening.
set -u
. "$(dirname "$0")/../lib.sh"
bp_tmpdir cli
trap 'stop_all_servers; rm -rf "$TMP"' EXIT

CONFDIR=$ROOT/tests/conf
make_key "$TMP/ca"
CAFILE=$TMP/ca.pub

# instantiate FILE: a copy of a test configuration with @CAFILE@ replaced
instantiate() {
	local dst=$TMP/$(basename "$1")
	sed "s|@CAFILE@|$CAFILE|g" "$1" > "$dst"
	echo "$dst"
}

# check_bad BINARY PLUGIN FILE LINE MESSAGE
check_bad() {
	local bin=$1 plugin=$2 f=$3 line=$4 msg=$5 out rc
	out=$("$bin" -C -A "$plugin,$f" 2>&1)
	rc=$?
	if [ $rc -ne 1 ]; then
		echo "    exit status $rc, output: $out"
		return 1
	fi
	local where="$f:$line: "
	[ -n "$line" ] || where="$f: "
	if ! grep -F -- "$where" <<< "$out" | grep -qF -- "$msg"; then
		echo "    expected \"$where...$msg...\", got:"
		sed 's/^/    | /' <<< "$out"
		return 1
	fi
}

# exit 0 and no error about the file; a warning about the machine (e.g.
# PID 1's environment not readable for TrustedUserCAKeysEnv) is allowed
check_good() {
	local bin=$1 plugin=$2 f=$3 out rc
	out=$("$bin" -C -A "$plugin,$f" 2>&1)
	rc=$?
	[ $rc -eq 0 ] && ! grep -qF -- "$f:" <<< "$out" && ! grep -qi "error" <<< "$out" \
		|| { echo "    exit status $rc, output: $out"; return 1; }
}

nbad=0
if [ -f "$CONFDIR/bad/EXPECT" ]; then
	while IFS=$'\t' read -r name line msg; do
		case $name in ''|'#'*) continue ;; esac
		f=$(instantiate "$CONFDIR/bad/$name")
		nbad=$((nbad + 1))
		check "bad config $name (static)" check_bad "$STATIC" bearpass "$f" "$line" "$msg"
		check "bad config $name (dyn)" check_bad "$DYN" "$DYN_SO" "$f" "$line" "$msg"
	done < "$CONFDIR/bad/EXPECT"
fi
# every bad file has an expectation, and there are enough of them
unlisted() {
	local f missing=0
	for f in "$CONFDIR"/bad/*.conf; do
		if ! cut -f1 "$CONFDIR/bad/EXPECT" | grep -qx "$(basename "$f")"; then
			echo "    $f has no line in EXPECT"
			missing=1
		fi
	done
	[ $missing -eq 0 ] && [ $nbad -ge 20 ]
}
check "every bad config listed in EXPECT (at least 20)" unlisted

for g in "$CONFDIR"/good/*.conf; do
	[ -f "$g" ] || continue
	f=$(instantiate "$g")
	check "good config $(basename "$g") (static)" check_good "$STATIC" bearpass "$f"
	check "good config $(basename "$g") (dyn)" check_good "$DYN" "$DYN_SO" "$f"
done

# an unreadable or missing configuration file
check "missing config file" check_bad "$STATIC" bearpass "$TMP/nonexistent.conf" "" "cannot read"
missing_ca() {
	printf 'TrustedUserCAKeys %s\n' "$TMP/missing-ca.pub" > "$TMP/missing-ca.conf"
	check_bad "$STATIC" bearpass "$TMP/missing-ca.conf" 1 "cannot read"
}
check "missing CA file" missing_ca
# a named file is read up to its limit (16 MiB for PasswdFile) and no further
sized_passwd() { # sized_passwd BYTES: -C with a PasswdFile of that size
	truncate -s "$1" "$TMP/sized-passwd" || return 1
	printf 'TrustedUserCAKeys %s\nPasswdFile %s\n' "$CAFILE" "$TMP/sized-passwd" \
		> "$TMP/sized.conf"
}
passwd_at_limit() {
	sized_passwd 16777216 && check_good "$STATIC" bearpass "$TMP/sized.conf"
}
check "a PasswdFile of exactly 16 MiB is read" passwd_at_limit
passwd_over_limit() {
	sized_passwd 16777217 && check_bad "$STATIC" bearpass "$TMP/sized.conf" 2 "file too large"
}
check "a PasswdFile one byte over 16 MiB is refused" passwd_over_limit
no_options() {
	local out
	out=$("$STATIC" -C -A bearpass 2>&1)
	[ $? -eq 1 ] && [[ $out == *"no configuration file"* ]]
}
check "-A bearpass without a file" no_options
check "-C without -A exits 0" "$STATIC" -C
unknown_plugin() {
	local out
	out=$("$STATIC" -C -A /tmp/x.so,"$TMP/x.conf" 2>&1)
	[ $? -eq 1 ] && [[ $out == *"unknown pubkey plugin"* ]]
}
check "static build cannot dlopen" unknown_plugin

# A server with a bad configuration stops before it listens.
bad_server() {
	local bin=$1 plugin=$2 port rc log=$TMP/badserver.log
	printf 'TrustedUserCAKeys %s\nPort 99999\n' "$CAFILE" > "$TMP/badserver.conf"
	port=$(free_port)
	make_hostkey "$TMP/hostkey"
	timeout 20 "$bin" -F -E -p "127.0.0.1:$port" -r "$TMP/hostkey" -P "$TMP/bad.pid" \
		-A "$plugin,$TMP/badserver.conf" 2> "$log"
	rc=$?
	[ $rc -eq 1 ] || { echo "    exit status $rc"; cat "$log"; return 1; }
	grep -qF "$TMP/badserver.conf:2: " "$log" || { cat "$log"; return 1; }
	! grep -q "Not backgrounding" "$log"
}
check "static server with bad config exits 1 before listening" bad_server "$STATIC" bearpass
check "dyn server with bad config exits 1 before listening" bad_server "$DYN" "$DYN_SO"

finish cli
