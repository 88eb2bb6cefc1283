#!/bin/bash
# make bench: bearpass (static), stock Dropbear (static, same tarball, no
# patches) and Debian's OpenSSH sshd, side by side on 127.0.0.1, measured
# in one run with the same OpenSSH client, alternating servers.
#
# Writes $B/out/bench/results.json and results.md (ratios against sshd).
# Nothing here is asserted: regressions are caught by reading the table.
#
# SFTP: a $BENCH_MB MiB file up and down through each server's SFTP
# server with OpenSSH's sftp and the client's default cipher: bearpass's
# built-in one, OpenSSH's sftp-server under sshd, and for stock Dropbear
# the sftp-server it execs (SFTPSERVER_PATH, as Debian's package sets it),
# n/a when that is missing.  Files are in /dev/shm, so disks do not count.
#
# Every session runs root's login shell, and bash sources ~/.bashrc when
# an SSH server starts it: on a developer machine that can take seconds
# (pyenv init) and would be counted as server time.  So the run happens in
# a private mount namespace where root's home is an empty tmpfs.
#
# Environment:
#   BENCH_LOGINS    logins per server for latency and CPU (default 30)
#   BENCH_MB        MiB per transfer (default 1024)
#   BENCH_ROUNDS    rounds of every transfer, alternating servers; the
#                   table gives the median (default 5)
#   BENCH_SESSIONS  idle sessions for the memory figure (default 10)
#   BENCH_OUT       output directory (default $B/out/bench)
set -u
if [ -z "${BENCH_NS:-}" ] && unshare -m true 2>/dev/null; then
	BENCH_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/../tests/lib.sh"
ROOT_HOME=$(getent passwd root | cut -d: -f6)
if [ -n "${BENCH_NS:-}" ] && mount -t tmpfs -o mode=0700,size=1m bench-home "${ROOT_HOME:-/root}"; then
	HOME_NOTE="Sessions ran with an empty home for root (private mount namespace): no shell startup files."
else
	HOME_NOTE="No private mount namespace: root's shell startup files (~/.bashrc) count in every figure that runs a program."
fi
LOGINS=${BENCH_LOGINS:-30}
MB=${BENCH_MB:-1024}
ROUNDS=${BENCH_ROUNDS:-5}
NSESS=${BENCH_SESSIONS:-10}
RESULTS=${BENCH_OUT:-$OUT/bench}
STOCK_BIN=$B/work/stock/dropbear
SSHD=/usr/sbin/sshd
SSHD_SFTP=/usr/lib/openssh/sftp-server
# what stock Dropbear execs for the sftp subsystem (its build's option)
STOCK_SFTP=$(sed -n 's/^#define SFTPSERVER_PATH "\(.*\)"$/\1/p' "$ROOT/build/stock-localoptions.h")
mkdir -p "$RESULTS"
bp_tmpdir bench
CLEAN_PIDS=()
cleanup() {
	local p
	for p in "${CLEAN_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	stop_all_servers
	rm -rf "$TMP" "${AUTHKEYS:-}" "${SHM:-}"
}
trap cleanup EXIT

# --- keys and servers ---------------------------------------------------
make_key "$TMP/ca"
make_key "$TMP/user"
ssh-keygen -q -s "$TMP/ca" -I bench -n root -V -5m:+1h -z 1 "$TMP/user.pub"
make_hostkey "$TMP/hostkey"
ssh-keygen -q -t ed25519 -N '' -f "$TMP/sshd_host" <<< y >/dev/null 2>&1
# stock Dropbear reads authorized_keys (-D); kept under /run because it
# refuses one below a world-writable directory such as /tmp
AUTHKEYS=$(mktemp -d /run/bearpass-bench.XXXXXX)
cp "$TMP/user.pub" "$AUTHKEYS/authorized_keys"
chmod 600 "$AUTHKEYS/authorized_keys"
printf 'TrustedUserCAKeys %s\nAuditLog %s/audit.log\n' "$TMP/ca.pub" "$TMP" > "$TMP/bearpass.conf"

declare -A PORTS PIDS KIND
start_bearpass() {
	PORT=""
	start_server bearpass "$STATIC" bearpass "$TMP/bearpass.conf" || return 1
	PORTS[bearpass]=$PORT PIDS[bearpass]=$SERVER_PID KIND[bearpass]=cert
}
start_stock() {
	local port log=$TMP/stock.log
	port=$(free_port)
	"$STOCK_BIN" -F -E -p "127.0.0.1:$port" -r "$TMP/hostkey" -P "$TMP/stock.pid" \
		-D "$AUTHKEYS" 2> "$log" &
	PIDS[stock]=$!
	SERVER_PIDS+=("${PIDS[stock]}")
	wait_for 20 server_ready "${PIDS[stock]}" "$log" || return 1
	PORTS[stock]=$port KIND[stock]=key
}
start_sshd() {
	local port
	port=$(free_port)
	mkdir -p /run/sshd && chmod 755 /run/sshd
	cat > "$TMP/sshd_config" <<EOF
ListenAddress 127.0.0.1:$port
HostKey $TMP/sshd_host
PidFile $TMP/sshd.pid
TrustedUserCAKeys $TMP/ca.pub
AuthorizedKeysFile none
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin yes
AcceptEnv LANG LC_*
Subsystem sftp $SSHD_SFTP
EOF
	"$SSHD" -D -e -f "$TMP/sshd_config" 2> "$TMP/sshd.log" &
	PIDS[sshd]=$!
	SERVER_PIDS+=("${PIDS[sshd]}")
	wait_for 20 bash -c "grep -q 'Server listening' '$TMP/sshd.log' || ! kill -0 ${PIDS[sshd]}" || return 1
	kill -0 "${PIDS[sshd]}" && PORTS[sshd]=$port KIND[sshd]=cert
}
SERVERS=()
start_sshd && SERVERS+=(sshd) || echo "bench: sshd did not start" >&2
start_bearpass && SERVERS+=(bearpass) || echo "bench: bearpass did not start" >&2
if [ -x "$STOCK_BIN" ]; then
	start_stock && SERVERS+=(stock) || echo "bench: stock dropbear did not start" >&2
fi

client() { # client SERVER [ssh options and command...]
	client_of ssh "$@"
}
client_of() { # client_of ssh|sftp SERVER [options and arguments...]
	local prog=$1 s=$2
	shift 2
	local id=(-i "$TMP/user" -o "Port=${PORTS[$s]}")
	[ "${KIND[$s]}" = cert ] && id+=(-o "CertificateFile=$TMP/user-cert.pub")
	"$prog" "${SSH_OPTS[@]}" "${id[@]}" "$@"
}

# server CPU (ticks) of a listener and everything it reaped
cpu_ticks() {
	awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat"
}
now_ns() { date +%s%N; }

# --- measurements ---------------------------------------------------------
declare -A R
nego_of() { # negotiated kex and ciphers in ssh -v output on stdin (the
	# first key exchange: a long transfer rekeys)
	sed -n 's/.*kex: algorithm: \(.*\)/kex=\1/p; s/.*kex: server->client cipher: \([^ ]*\) MAC: \([^ ]*\).*/cipher=\1 mac=\2/p' |
		head -n 2 | tr -s '\n\r\t' '   ' | tr -d '"\\'
}
nego() { # negotiated kex and ciphers of one login
	client "$1" -v root@127.0.0.1 true 2>&1 | nego_of
}

# login without running a program: authenticate, go to the background
# (-f -N), then close the master connection
login_noprog() {
	local s=$1 sock=$TMP/cm-$1
	client "$s" -f -N -o ControlMaster=yes -o ControlPath="$sock" root@127.0.0.1 || return 1
	ssh -o ControlPath="$sock" -O exit root@127.0.0.1 2>/dev/null
}
login_cmd() { client "$1" root@127.0.0.1 true; }

# stats over a list of milliseconds: median and (max-min)
stats() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f %.2f", m, a[NR]-a[1]}'; }

hz=$(getconf CLK_TCK)
for s in "${SERVERS[@]}"; do
	R[$s.nego]=$(nego "$s")
	login_noprog "$s" || echo "bench: $s: login failed" >&2
done

# latency and CPU, alternating servers login by login
declare -A LAT_N LAT_C CPU0 CPU1
for s in "${SERVERS[@]}"; do LAT_N[$s]=""; LAT_C[$s]=""; CPU0[$s]=$(cpu_ticks "${PIDS[$s]}"); done
for ((i = 0; i < LOGINS; i++)); do
	for s in "${SERVERS[@]}"; do
		t0=$(now_ns); login_noprog "$s"; t1=$(now_ns)
		LAT_N[$s]+="$(( (t1 - t0) / 1000 ))"$'\n'
	done
done
for s in "${SERVERS[@]}"; do CPU1[$s]=$(cpu_ticks "${PIDS[$s]}"); done
for ((i = 0; i < LOGINS; i++)); do
	for s in "${SERVERS[@]}"; do
		t0=$(now_ns); login_cmd "$s"; t1=$(now_ns)
		LAT_C[$s]+="$(( (t1 - t0) / 1000 ))"$'\n'
	done
done
for s in "${SERVERS[@]}"; do
	read -r R[$s.lat_med] R[$s.lat_spread] < <(grep . <<< "${LAT_N[$s]}" | awk '{print $1/1000}' | stats)
	read -r R[$s.latcmd_med] R[$s.latcmd_spread] < <(grep . <<< "${LAT_C[$s]}" | awk '{print $1/1000}' | stats)
	R[$s.cpu_ms]=$(awk -v a="${CPU0[$s]}" -v b="${CPU1[$s]}" -v hz="$hz" -v n="$LOGINS" \
		'BEGIN {printf "%.2f", (b - a) * 1000 / hz / n}')
done

# transfers: download and upload of $MB MiB per cipher
CIPHERS=(chacha20-poly1305@openssh.com aes128-gcm@openssh.com aes256-gcm@openssh.com aes128-ctr)
xfer() { # xfer SERVER CIPHER down|up -> MB/s or "n/a"
	local s=$1 c=$2 dir=$3 t0 t1 rc
	t0=$(now_ns)
	if [ "$dir" = down ]; then
		client "$s" -c "$c" root@127.0.0.1 "head -c ${MB}M /dev/zero" > /dev/null 2>"$TMP/xfer.err"
	else
		head -c "${MB}M" /dev/zero | client "$s" -c "$c" root@127.0.0.1 "cat > /dev/null" 2>"$TMP/xfer.err"
	fi
	rc=$?
	t1=$(now_ns)
	if [ $rc -ne 0 ]; then echo "n/a"; return; fi
	awk -v mb="$MB" -v ns=$((t1 - t0)) 'BEGIN {printf "%.1f", mb * 1.048576 / (ns / 1e9)}'
}
# One transfer is a single sample, and on a small VM one server's figure
# moves by 20-40 % from run to run (sshd's aes256-gcm upload: 570 to 840
# MB/s on one machine over two days): every transfer runs $ROUNDS times, the
# servers alternating within each round, and the median counts (n/a if
# any round failed).  Three rounds still let one figure flip between
# runs; five take about two minutes more.  results.json keeps every round
# (KEY.rounds).
declare -A XR
for c in "${CIPHERS[@]}"; do
	for dir in down up; do
		for ((r = 0; r < ROUNDS; r++)); do
			for s in "${SERVERS[@]}"; do
				XR[$s.$dir.$c]+="$(xfer "$s" "$c" "$dir") "
			done
		done
		for s in "${SERVERS[@]}"; do
			R[$s.$dir.$c.rounds]=${XR[$s.$dir.$c]% }
			case " ${XR[$s.$dir.$c]}" in
			*" n/a "*) R[$s.$dir.$c]=n/a ;;
			*) R[$s.$dir.$c]=$(tr ' ' '\n' <<< "${XR[$s.$dir.$c]}" | grep . | stats | awk '{printf "%.1f", $1}') ;;
			esac
		done
	done
done

# SFTP: a file of $MB MiB (sparse: reading it costs no memory) downloaded
# and uploaded, alternating servers; every copy is checked for its size
# and removed at once
SHM=$(mktemp -d /dev/shm/bearpass-bench.XXXXXX 2>/dev/null || mktemp -d "$TMP/sftp.XXXXXX")
truncate -s "${MB}M" "$SHM/src"
declare -A SFTP_SERVER=([sshd]=$SSHD_SFTP [bearpass]=internal [stock]=$STOCK_SFTP)
# the listener has no session processes left (all reaped: their CPU time
# is in the listener's)
no_sessions() { [ -z "$(cat /proc/"$1"/task/*/children 2>/dev/null | tr -d ' \n')" ]; }
sftp_xfer() { # sftp_xfer SERVER down|up -> "MB/s CPU-seconds" or "n/a n/a"
	local s=$1 dir=$2 copy=$SHM/copy t0 t1 c0 c1 rc
	if [ "$dir" = down ]; then
		printf 'get %s %s\n' "$SHM/src" "$copy" > "$TMP/sftp.batch"
	else
		printf 'put %s %s\n' "$SHM/src" "$copy" > "$TMP/sftp.batch"
	fi
	wait_for 10 no_sessions "${PIDS[$s]}"
	c0=$(cpu_ticks "${PIDS[$s]}")
	t0=$(now_ns)
	client_of sftp "$s" -v -b "$TMP/sftp.batch" root@127.0.0.1 > /dev/null 2> "$TMP/sftp.err"
	rc=$?
	t1=$(now_ns)
	wait_for 10 no_sessions "${PIDS[$s]}" || rc=1
	c1=$(cpu_ticks "${PIDS[$s]}")
	[ "$(stat -c %s "$copy" 2>/dev/null)" = $((MB * 1048576)) ] || rc=1
	rm -f "$copy"
	if [ $rc -ne 0 ]; then echo "n/a n/a"; return; fi
	awk -v mb="$MB" -v ns=$((t1 - t0)) -v c=$((c1 - c0)) -v hz="$hz" \
		'BEGIN {printf "%.1f %.2f", mb * 1.048576 / (ns / 1e9), c / hz}'
}
for s in "${SERVERS[@]}"; do R[$s.sftp_server]=${SFTP_SERVER[$s]}; done
for dir in down up; do
	for s in "${SERVERS[@]}"; do
		if [ "${SFTP_SERVER[$s]}" != internal ] && [ ! -x "${SFTP_SERVER[$s]}" ]; then
			R[$s.sftp.$dir]="n/a" R[$s.sftp.${dir}_cpu_s]="n/a"
			R[$s.sftp_server]="${SFTP_SERVER[$s]} (missing)"
			continue
		fi
		read -r R[$s.sftp.$dir] R[$s.sftp.${dir}_cpu_s] < <(sftp_xfer "$s" "$dir")
		[ -n "${R[$s.sftp_nego]:-}" ] || R[$s.sftp_nego]=$(nego_of < "$TMP/sftp.err")
		[ "${R[$s.sftp.$dir]}" != n/a ] || { echo "bench: $s: sftp $dir failed:" >&2; tail -n 3 "$TMP/sftp.err" >&2; }
	done
done
rm -rf "$SHM"

# memory: PSS of NSESS idle sessions (server processes only), listener RSS
pss_kb() { awk '/^Pss:/ {s += $2} END {print s + 0}' "$@" 2>/dev/null; }
descendants() { # every process below PID
	local p=$1 c
	for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do
		echo "$c"
		descendants "$c"
	done
}
for s in "${SERVERS[@]}"; do
	for ((i = 0; i < NSESS; i++)); do
		client "$s" -f -N -o ControlMaster=yes -o ControlPath="$TMP/idle-$s-$i" root@127.0.0.1
	done
	files=()
	for p in $(descendants "${PIDS[$s]}"); do files+=("/proc/$p/smaps_rollup"); done
	total=$(pss_kb "${files[@]}")
	R[$s.pss_kb]=$(awk -v t="$total" -v n="$NSESS" 'BEGIN {printf "%.0f", t / n}')
	R[$s.listener_rss_kb]=$(awk '/^VmRSS:/ {print $2}' "/proc/${PIDS[$s]}/status")
	for ((i = 0; i < NSESS; i++)); do
		ssh -o ControlPath="$TMP/idle-$s-$i" -O exit root@127.0.0.1 2>/dev/null
	done
done

# binary sizes: bearpass and stock are static; sshd with its shared libraries
R[bearpass.size_kb]=$(( $(stat -c %s "$STATIC") / 1024 ))
[ -x "$STOCK_BIN" ] && R[stock.size_kb]=$(( $(stat -c %s "$STOCK_BIN") / 1024 ))
libs=$(ldd "$SSHD" 2>/dev/null | awk '/=>/ {print $3}')
R[sshd.size_kb]=$(( $(stat -c %s "$SSHD") / 1024 ))
R[sshd.libs_kb]=$(( $(stat -L -c %s $libs 2>/dev/null | awk '{s+=$1} END {print s+0}') / 1024 ))

# --- report ------------------------------------------------------------------
keys=(size_kb lat_med lat_spread latcmd_med latcmd_spread cpu_ms pss_kb listener_rss_kb)
for c in "${CIPHERS[@]}"; do keys+=("down.$c" "up.$c" "down.$c.rounds" "up.$c.rounds"); done
keys+=(sftp.down sftp.up sftp.down_cpu_s sftp.up_cpu_s sftp_server)
{
	echo "{"
	echo "  \"logins\": $LOGINS, \"transfer_mib\": $MB, \"transfer_rounds\": $ROUNDS, \"idle_sessions\": $NSESS,"
	first=1
	for s in "${SERVERS[@]}"; do
		[ $first -eq 1 ] || echo ","
		first=0
		printf '  "%s": {"negotiated": "%s", "sftp_negotiated": "%s"' "$s" "${R[$s.nego]% }" "${R[$s.sftp_nego]:-}"
		for k in "${keys[@]}" libs_kb; do
			v=${R[$s.$k]:-}
			[ -n "$v" ] || continue
			if [[ $v =~ ^[0-9.]+$ ]]; then printf ', "%s": %s' "$k" "$v"; else printf ', "%s": "%s"' "$k" "$v"; fi
		done
		printf '}'
	done
	echo
	echo "}"
} > "$RESULTS/results.json"

ratio() { # ratio A B -> A/B or n/a
	awk -v a="${1:-}" -v b="${2:-}" 'BEGIN {if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b; else print "n/a"}'
}
row() { # row LABEL KEY UNIT
	local label=$1 k=$2 u=$3
	printf '| %s | %s | %s | %s | %s | %s |\n' "$label" \
		"${R[sshd.$k]:-n/a} $u" "${R[bearpass.$k]:-n/a} $u" "${R[stock.$k]:-n/a} $u" \
		"$(ratio "${R[bearpass.$k]:-}" "${R[sshd.$k]:-}")" "$(ratio "${R[stock.$k]:-}" "${R[sshd.$k]:-}")"
}
{
	echo "# make bench: bearpass vs OpenSSH sshd (and stock Dropbear)"
	echo
	echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $LOGINS logins, $MB MiB transfers (median of $ROUNDS rounds), $NSESS idle sessions; client: $(ssh -V 2>&1)"
	echo
	for s in "${SERVERS[@]}"; do echo "- $s negotiated: ${R[$s.nego]}"; done
	for s in "${SERVERS[@]}"; do
		echo "- $s SFTP server: ${R[$s.sftp_server]}; negotiated: ${R[$s.sftp_nego]:-n/a}"
	done
	echo
	echo "| figure | sshd | bearpass | stock Dropbear | bearpass/sshd | stock/sshd |"
	echo "|---|---|---|---|---|---|"
	row "binary size (sshd: + ${R[sshd.libs_kb]} kB shared libs)" size_kb kB
	row "login latency, no program (median)" lat_med ms
	row "login latency, no program (max-min)" lat_spread ms
	row "login latency, with a command (median)" latcmd_med ms
	row "server CPU per login, no program" cpu_ms ms
	for c in "${CIPHERS[@]}"; do
		row "download $c" "down.$c" MB/s
		row "upload $c" "up.$c" MB/s
	done
	row "SFTP download, $MB MiB file" sftp.down MB/s
	row "SFTP upload, $MB MiB file" sftp.up MB/s
	row "server CPU, SFTP download (whole session)" sftp.down_cpu_s s
	row "server CPU, SFTP upload (whole session)" sftp.up_cpu_s s
	row "PSS per idle session" pss_kb kB
	row "listener RSS" listener_rss_kb kB
	echo
	echo "Stock Dropbear logs in with a plain key (it has no certificates); bearpass and sshd with a certificate."
	echo "$HOME_NOTE"
} > "$RESULTS/results.md"
cat "$RESULTS/results.md"
echo "bench: results in $RESULTS/results.json and $RESULTS/results.md"
