#!/bin/bash
# Run every libFuzzer target for FUZZ_SECONDS (default 60) each, seeded
# from the test fixtures; report executions and findings per target.
# A crash leaves its input under $B/work/fuzz/findings/TARGET/: turn it
# into a regression test.
set -u
. "$(dirname "$0")/../lib.sh"
SECS=${FUZZ_SECONDS:-60}
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

for bin in "$FUZZ"/fuzz_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	mkdir -p "$FUZZ/corpus/$name" "$FUZZ/findings/$name"
	log=$FUZZ/$name.log
	"$bin" -max_total_time="$SECS" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$FUZZ/findings/$name/" -print_final_stats=1 \
		"$FUZZ/corpus/$name" > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	findings=$(ls "$FUZZ/findings/$name" | wc -l)
	if [ $rc -eq 0 ] && [ "$findings" -eq 0 ]; then
		pass "$name: ${execs:-?} executions in ${SECS}s, no findings"
	else
		fail "$name: exit $rc, $findings finding(s) in $FUZZ/findings/$name"
		grep -E "ERROR|SUMMARY|runtime error" "$log" | head -n 5
	fi
done

finish fuzz
