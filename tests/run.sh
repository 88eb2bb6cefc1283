#!/bin/bash
# Run every test suite and print one closing line "N passed, N failed".
#
# Each suite prints its own results and, as its last line,
# "SUITE: N passed, N failed[, N skipped]".  A skip is a failure unless the
# suite lists it as expected (none do today): a skipped test hides a
# missing feature.
#
#   tests/run.sh [SUITE...]     suites: unit build cli integration sixpn clients sftp upstream fuzz package
set -u
cd "$(dirname "$0")/.."
export B=${B:-build}
[ -n "${BASH_VERSION:-}" ] || exit 2

SUITES=("$@")
[ ${#SUITES[@]} -gt 0 ] || SUITES=(unit build cli integration sixpn certs clients sftp runtime upstream fuzz load package bench)

total_pass=0
total_fail=0
total_skip=0
summary=()

# run_suite NAME COMMAND...: runs it, parses its closing line
run_suite() {
	local name=$1 log line p f s rc
	shift
	log=$B/work/logs/$name.log
	mkdir -p "$(dirname "$log")"
	echo "=== $name"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	p=$(sed -n 's/.* \([0-9]\+\) passed.*/\1/p; s/^\([0-9]\+\) passed.*/\1/p' <<< "$line" | head -n 1)
	f=$(sed -n 's/.* \([0-9]\+\) failed.*/\1/p' <<< "$line")
	s=$(sed -n 's/.* \([0-9]\+\) skipped.*/\1/p' <<< "$line")
	p=${p:-0}; f=${f:-0}; s=${s:-0}
	if [ -z "$line" ] || { [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; }; then
		# crashed, or failed without saying so
		f=$((f + 1))
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f + s))
	total_skip=$((total_skip + s))
	summary+=("$(printf '%-12s %5d passed, %3d failed, %3d skipped' "$name" "$p" "$f" "$s")")
}

unit_suite() {
	local t p=0 f=0 line
	export BP_FIXTURES=$B/work/fixtures
	for t in "$B"/work/unit/test_* "$B"/work/unit/dbtest_*; do
		[ -x "$t" ] || continue
		line=$("$t" 2>&1 | tee /dev/stderr | tail -n 1)
		p=$((p + $(sed -n 's/.*: \([0-9]\+\) passed.*/\1/p' <<< "$line")))
		if [[ $line =~ ([0-9]+)\ failed ]]; then
			f=$((f + BASH_REMATCH[1]))
		else
			f=$((f + 1))
		fi
	done
	echo "unit: $p passed, $f failed, 0 skipped"
	[ $f -eq 0 ]
}

for s in "${SUITES[@]}"; do
	case $s in
	unit)        run_suite unit unit_suite ;;
	build)       run_suite build bash tests/build/run.sh ;;
	cli)         run_suite cli bash tests/cli/run.sh ;;
	integration) run_suite integration bash tests/integration/run.sh ;;
	sixpn)       run_suite sixpn bash tests/sixpn/run.sh ;;
	certs)       run_suite certs bash tests/certs/run.sh ;;
	clients)     run_suite clients bash tests/clients/run.sh ;;
	sftp)        run_suite sftp bash tests/sftp/run.sh ;;
	runtime)     run_suite runtime bash tests/runtime/run.sh ;;
	upstream)    run_suite upstream bash tests/upstream/run.sh ;;
	fuzz)        run_suite fuzz bash tests/fuzz/run.sh ;;
	bench)       run_suite bench bash tests/bench/run.sh ;;
	load)        run_suite load bash tests/load/run.sh ;;
	package)     run_suite package bash tests/package/run.sh ;;
	*) echo "unknown suite $s" >&2; exit 2 ;;
	esac
done

echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
