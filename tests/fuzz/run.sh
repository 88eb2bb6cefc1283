#!/bin/bash
# Run every libFuzzer target for FUZZ_SECONDS (default 60) each, seeded
# from the test fixtures; report executions and findings per target.
# FUZZ_JOBS (default 1) targets run at once; FUZZ_TARGETS (default all)
# picks targets by name patterns, e.g. 'fuzz_cert fuzzer-*'.
# Targets: the plugin's (fuzz_*, tests/fuzz/fuzz_*.c) and Dropbear's own
# harnesses built from the patched tree with the plugin linked in
# (fuzzer-*, its fuzz/ directory; see the Makefile).
# A crash leaves its input under $B/work/fuzz/findings/TARGET/: turn it
# into a regression test (a unit test of the cause, and the input under
# tests/fuzz/regress/TARGET/, which every run replays first).
set -u
. "$(dirname "$0")/../lib.sh"
SECS=${FUZZ_SECONDS:-60}
JOBS=${FUZZ_JOBS:-1}
TARGETS=${FUZZ_TARGETS:-fuzz_* fuzzer-*}
FUZZ=$B/work/fuzz
FIX=$B/work/fixtures

# seed corpora (only added to, so that longer runs build on earlier ones)
seed() { # seed TARGET FILES...
	local dir=$FUZZ/corpus/$1 f
	shift
	mkdir -p "$dir"
	for f in "$@"; do
		[ -f "$f" ] && cp "$f" "$dir/seed-$(basename "$f")"
	done
}
seed_certs() {
	local dir=$FUZZ/corpus/fuzz_cert f
	mkdir -p "$dir"
	for f in "$FIX"/*-cert.pub; do
		[ -f "$f" ] || continue
		awk '{print $2}' "$f" | base64 -d > "$dir/seed-$(basename "$f" .pub)" 2>/dev/null
	done
}
seed fuzz_config "$ROOT"/tests/conf/good/*.conf "$ROOT"/tests/conf/bad/*.conf
seed_certs
seed fuzz_krl "$FIX"/*.pub
seed fuzz_passwd /etc/passwd /etc/group
mkdir -p "$FUZZ/seeds"
printf 'PATH=/app/bin:/usr/bin:/bin\0APP_SECRET=s3cr3t\0HOME=/root\0' > "$FUZZ/seeds/environ"
seed fuzz_environ "$FUZZ/seeds/environ"
seed fuzz_sixpn /etc/hosts /proc/net/if_inet6

# Dropbear's harnesses: certificates and keys of the fixtures in each
# harness's input format, and the plugin's configuration
python3 "$ROOT/tests/fuzz/dbseeds.py" "$FIX" "$FUZZ/corpus"
DB=$(cd "$FUZZ" && pwd)/dbfuzz
mkdir -p "$DB"
printf 'root:x:0:0:root:/root:/bin/sh\nfly:x:1000:1000::/home/fly:/bin/sh\n' > "$DB/passwd"
printf 'root:x:0:\nfly:x:1000:\n' > "$DB/group"
cat > "$DB/bearpass.conf" <<EOF
TrustedUserCAKeys $(cd "$FIX" && pwd)/trusted.pub
PasswdFile $DB/passwd
GroupFile $DB/group
AuditLog /dev/null
ListenAddress 127.0.0.1
InheritEnvironment no
EOF
export DROPBEAR_FUZZ_PLUGIN=bearpass,$DB/bearpass.conf

# run_target NAME: one run, its exit status in $FUZZ/NAME.rc
run_target() {
	local name=$1 rc
	rm -f "$FUZZ/$name.rc"
	mkdir -p "$FUZZ/corpus/$name" "$FUZZ/findings/$name"
	"$FUZZ/$name" -max_total_time="$SECS" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$FUZZ/findings/$name/" -print_final_stats=1 \
		"$FUZZ/corpus/$name" > "$FUZZ/$name.log" 2>&1
	rc=$?
	echo $rc > "$FUZZ/$name.rc"
}

names=()
read -ra patterns <<< "$TARGETS"
for pattern in "${patterns[@]}"; do
	for bin in "$FUZZ"/$pattern; do
		[ -x "$bin" ] || continue
		names+=("$(basename "$bin")")
	done
done
[ ${#names[@]} -gt 0 ] || fail "no fuzz target matches '$TARGETS' in $FUZZ (make fuzz-build)"

# Dropbear's harnesses really run userauth through the plugin: the seed
# sessions of fuzzer-preauth_nomaths leave the audit record of a
# certificate the plugin parsed, verified and refused (wrong principal)
plugin_reached() {
	local conf=$DB/reached.conf
	sed "s|^AuditLog .*|AuditLog $DB/reached.json|" "$DB/bearpass.conf" > "$conf"
	rm -f "$DB/reached.json"
	DROPBEAR_FUZZ_PLUGIN=bearpass,$conf "$FUZZ/fuzzer-preauth_nomaths" \
		"$FUZZ"/corpus/fuzzer-preauth_nomaths/seed-alice-* > "$DB/reached.log" 2>&1 || return 1
	grep '"key_id":"alice"' "$DB/reached.json" | grep -q '"reason":"principal not allowed"'
}
if [ -x "$FUZZ/fuzzer-preauth_nomaths" ]; then
	check "fuzzer-preauth_nomaths: seed sessions reach the plugin's certificate check" plugin_reached
fi

# inputs that once failed (tests/fuzz/regress/TARGET/NAME): each runs
# cleanly, and seeds the corpus
regress() { # regress TARGET FILE
	"$FUZZ/$1" -runs=1 "$2" > "$FUZZ/regress-$1.log" 2>&1 \
		|| { grep -E "ERROR|SUMMARY|runtime error" "$FUZZ/regress-$1.log" | head -n 5; return 1; }
}
for name in "${names[@]}"; do
	for f in "$ROOT/tests/fuzz/regress/$name"/*; do
		[ -f "$f" ] || continue
		check "$name: regression input $(basename "$f")" regress "$name" "$f"
		cp "$f" "$FUZZ/corpus/$name/regress-$(basename "$f")"
	done
done

for name in "${names[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
		wait -n
	done
	run_target "$name" &
done
wait

for name in "${names[@]}"; do
	log=$FUZZ/$name.log
	rc=$(cat "$FUZZ/$name.rc" 2>/dev/null || echo "?")
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	findings=$(find "$FUZZ/findings/$name" -type f | wc -l)
	if [ "$rc" = 0 ] && [ "$findings" -eq 0 ]; then
		pass "$name: ${execs:-?} executions in ${SECS}s, no findings"
	else
		fail "$name: exit $rc, $findings finding(s) in $FUZZ/findings/$name"
		grep -E "ERROR|SUMMARY|runtime error" "$log" | head -n 5
	fi
done

finish fuzz
