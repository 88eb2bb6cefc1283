# bearpass test library: sourced by the suite scripts under tests/.
#
# Servers run on 127.0.0.1 (or in namespaces a test makes), on a free
# port, are waited for until they listen, and are stopped by PID.

B=${B:-build}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
B=$(cd "$ROOT" && mkdir -p "$B" && cd "$B" && pwd)
OUT=$B/out
STATIC=$OUT/dropbear
DYN=$OUT/dyn/dropbear
DYN_SO=$OUT/dyn/bearpass.so
ASAN=$OUT/asan/dropbear
ASAN_SO=$OUT/asan/bearpass.so
DROPBEARKEY=$OUT/dyn/dropbearkey

T_PASSED=0
T_FAILED=0
T_SKIPPED=0
SERVER_PIDS=()

# A fresh scratch directory for this suite, removed at exit.
bp_tmpdir() {
	mkdir -p "$B/work/tmp"
	TMP=$(mktemp -d "$B/work/tmp/${1:-t}.XXXXXX")
	chmod 755 "$TMP"
}

pass() { T_PASSED=$((T_PASSED + 1)); echo "ok   $*"; }
fail() { T_FAILED=$((T_FAILED + 1)); echo "FAIL $*"; }
skip() { T_SKIPPED=$((T_SKIPPED + 1)); echo "skip $*"; }

# check NAME COMMAND...: pass if the command succeeds
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

# The suite's closing line.
finish() {
	stop_all_servers
	echo "$1: $T_PASSED passed, $T_FAILED failed, $T_SKIPPED skipped"
	[ "$T_FAILED" -eq 0 ]
}

free_port() {
	/usr/bin/python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# wait_for SECONDS COMMAND...: poll until the command succeeds
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	while ! "$@"; do
		if [ $SECONDS -ge $deadline ]; then
			return 1
		fi
		sleep 0.05
	done
}

# --- keys --------------------------------------------------------------

# make_hostkey FILE: an ed25519 host key in Dropbear's format
make_hostkey() {
	[ -f "$1" ] || "$DROPBEARKEY" -t ed25519 -f "$1" >/dev/null 2>&1
}

# make_key FILE [TYPE]: an OpenSSH key pair without passphrase
make_key() {
	[ -f "$1" ] || ssh-keygen -q -t "${2:-ed25519}" -N '' -C "test" -f "$1"
}

# --- servers -------------------------------------------------------------

# start_server NAME BINARY PLUGIN CONFIG [EXTRA ARGS...]
# Starts BINARY in the foreground mode on 127.0.0.1:$PORT (a free port,
# chosen unless PORT is set) with the host key $TMP/hostkey, logging to
# $TMP/NAME.log; waits until it listens.  Sets SERVER_PID and PORT.
# Returns 1 if it exited instead.
start_server() {
	make_hostkey "$TMP/hostkey"
	start_server_keys "$@" -r "$TMP/hostkey"
}

# start_server_keys NAME BINARY PLUGIN CONFIG [EXTRA ARGS...]: the same
# without -r: the host keys come from HostKeyDir, or from EXTRA ARGS.
start_server_keys() {
	local name=$1 bin=$2 plugin=$3 conf=$4
	shift 4
	[ -n "${PORT:-}" ] || PORT=$(free_port)
	SERVER_LOG=$TMP/$name.log
	: > "$SERVER_LOG"
	"$bin" -F -E -p "127.0.0.1:$PORT" -P "$TMP/$name.pid" \
		-A "$plugin,$conf" "$@" 2>>"$SERVER_LOG" &
	SERVER_PID=$!
	SERVER_PIDS+=("$SERVER_PID")
	if ! wait_for 20 server_ready "$SERVER_PID" "$SERVER_LOG"; then
		echo "server $name did not start; log:" >&2
		tail -n 20 "$SERVER_LOG" >&2
		return 1
	fi
	kill -0 "$SERVER_PID" 2>/dev/null
}

server_ready() {
	kill -0 "$1" 2>/dev/null || return 0
	grep -q "Not backgrounding" "$2"
}

stop_server() {
	local pid=${1:-$SERVER_PID}
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

stop_all_servers() {
	local pid
	for pid in "${SERVER_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	SERVER_PIDS=()
}

# --- clients -------------------------------------------------------------

SSH_OPTS=(-F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
	-o BatchMode=yes -o IdentitiesOnly=yes -o ConnectTimeout=10
	-o LogLevel=ERROR -o ServerAliveInterval=5 -o ServerAliveCountMax=2)

# ssh_as USER KEY [SSH OPTIONS...] -- COMMAND...
ssh_as() {
	local user=$1 key=$2
	shift 2
	local opts=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		opts+=("$1")
		shift
	done
	[ "${1:-}" = "--" ] && shift
	timeout 30 ssh "${SSH_OPTS[@]}" -i "$key" "${opts[@]}" -p "$PORT" "$user@127.0.0.1" "$@"
}
