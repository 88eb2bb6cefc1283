#!/bin/bash
# Smoke run of make bench with tiny sizes, so that the harness cannot rot.
# Figures are never asserted; only that every server produced them.
set -u
. "$(dirname "$0")/../lib.sh"
R=$B/work/bench-smoke
rm -rf "$R"
BENCH_LOGINS=2 BENCH_MB=2 BENCH_SESSIONS=2 BENCH_OUT=$R \
	bash "$ROOT/bench/run.sh" > "$B/work/bench-smoke.log" 2>&1
rc=$?
check "bench: exits 0" test $rc -eq 0
check "bench: results.md written" test -s "$R/results.md"
figures() { # every server has latency, CPU, memory and a transfer figure
	/usr/bin/python3 - "$R/results.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for s in ("sshd", "bearpass", "stock"):
    d = r[s]
    for k in ("lat_med", "cpu_ms", "pss_kb", "listener_rss_kb", "size_kb"):
        assert isinstance(d[k], (int, float)), (s, k)
    assert isinstance(d["down.chacha20-poly1305@openssh.com"], (int, float)), s
    assert "kex=" in d["negotiated"], s
    # SFTP: bearpass's own server and sshd's sftp-server always; stock
    # Dropbear only when the sftp-server it execs is installed
    if s != "stock" or not d["sftp_server"].endswith("(missing)"):
        for k in ("sftp.down", "sftp.up", "sftp.down_cpu_s", "sftp.up_cpu_s"):
            assert isinstance(d[k], (int, float)), (s, k)
        assert "cipher=" in d["sftp_negotiated"], s
    else:
        assert d["sftp.down"] == d["sftp.up"] == "n/a", s
PY
}
check "bench: results.json has every figure for sshd, bearpass, stock (SFTP too)" figures
[ $T_FAILED -eq 0 ] || tail -n 30 "$B/work/bench-smoke.log"
finish bench
