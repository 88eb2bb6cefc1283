#!/bin/bash
# Dropbear's own pytest suite (test/ in the upstream tarball) against the
# patched dynamic build, with Dropbear's own client.
#
# The suite logs in as the current user (root) with ~/.ssh/id_dropbear and
# ~/.ssh/authorized_keys, as upstream's CI sets up.  To leave the machine's
# /root untouched, it runs in a private mount namespace where a scratch
# directory is mounted over /root, and in a private network namespace so
# that its fixed forwarding ports (3344, 7788) meet nothing else.
set -u
. "$(dirname "$0")/../lib.sh"
bp_tmpdir upstream
trap 'rm -rf "$TMP"' EXIT

SRC=$(ls -d "$B"/src/dropbear-*/ | head -n 1)
SRC=${SRC%/}
PORT=$(free_port)

# Exclusions, one line each with the reason:
DESELECT=(
)

"$DROPBEARKEY" -t ecdsa -f "$TMP/fakekey" >/dev/null

cat > "$TMP/inner.sh" <<EOF
set -e
ip link set lo up
mount -t tmpfs -o mode=700 tmpfs /root
mkdir -m 700 /root/.ssh
cd /root/.ssh
k() { "$DROPBEARKEY" -t ecdsa -f "\$1" | grep ^ecdsa | sed "s/[^ ]*\$/\$2/"; }
{
	k id_dropbear upstream-test
	k id_dropbear_key2 key2
	k id_dropbear_key3 'key3%char'
	k id_dropbear_key4 'key4,char'
	# asyncssh (test_concurrent) uses the OpenSSH default key files
	ssh-keygen -q -t ed25519 -N '' -f id_ed25519 && cat id_ed25519.pub
} > authorized_keys
chmod 600 authorized_keys
cd "$SRC/test"
export DBTEST_IN_ACTION=1 PYTHONDONTWRITEBYTECODE=1
run() {
	/usr/bin/python3 -m pytest -o cache_dir="$TMP/cache" -q -rfEsx \
		--hostkey="$TMP/fakekey" --port="$PORT" \
		--dropbear="$DYN" --dbclient="$OUT/dyn/dbclient" \
		--dropbearkey="$DROPBEARKEY" --dropbearconvert="$OUT/dyn/dropbearconvert" \
		${DESELECT[@]+"${DESELECT[@]}"} -W ignore::DeprecationWarning "\$@" .
}
# test_tcpflushout gives its forwarding listener a fixed 0.1 s to start,
# which a loaded 2-core machine sometimes misses: a test that fails is run
# once more, alone, and counts as failed only if it fails again.
run --junitxml="$TMP/junit.xml" || run --lf --junitxml="$TMP/junit-rerun.xml"
EOF

timeout 900 unshare --mount --net --propagation private bash "$TMP/inner.sh"
rc=$?

# Count from the JUnit report: xfail (expected failure) counts as passed.
read -r npass nfail nskip < <(/usr/bin/python3 - "$TMP/junit.xml" "$TMP/junit-rerun.xml" <<'EOF'
import os, sys, xml.etree.ElementTree as ET
results = {}
for path in sys.argv[1:]:
    if not os.path.exists(path):
        continue
    try:
        root = ET.parse(path).getroot()
    except Exception:
        print(0, 1, 0); sys.exit()
    for tc in root.iter("testcase"):
        # a rerun replaces the first result of the same test
        results[(tc.get("classname"), tc.get("name"))] = tc
if not results:
    print(0, 1, 0); sys.exit()
p = f = s = 0
for tc in results.values():
    kids = [c.tag for c in tc]
    if "failure" in kids or "error" in kids:
        f += 1
    elif "skipped" in kids:
        msg = [c for c in tc if c.tag == "skipped"][0].get("type", "")
        if "xfail" in msg:
            p += 1
        else:
            s += 1
    else:
        p += 1
print(p, f, s)
EOF
)
[ $rc -eq 0 ] || [ "$nfail" -gt 0 ] || nfail=1
echo "upstream: $npass passed, $nfail failed, $nskip skipped"
[ "$nfail" -eq 0 ]
