#!/bin/bash
# 6PN tests: the static server in network namespaces this script creates
# (veth pairs, addresses inside and outside fdaa::/16), driven by OpenSSH
# ssh with a certificate.  Needs root (ip netns, mount).
#
# What -p does with bearpass (see glue.c, bp_listen_addresses):
#   ListenAddress lines in the config decide (default 6pn) and -p is
#   ignored; without a ListenAddress line, -p decides, but only with
#   numeric, non-wildcard addresses; otherwise the server exits 1.
set -u
. "$(dirname "$0")/../lib.sh"
bp_tmpdir sixpn

NS_PREFIX=bp6-$$-
cleanup() {
	local ns
	stop_all_servers
	# every namespace this run made (mkns runs in command substitutions)
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
		case $ns in "$NS_PREFIX"*) ip netns del "$ns" ;; esac
	done
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"
}
trap cleanup EXIT

if [ "$(id -u)" != 0 ] || ! ip netns add "${NS_PREFIX}probe" 2>/dev/null; then
	fail "network namespaces (needs root and ip netns)"
	finish sixpn
	exit 1
fi
ip netns del "${NS_PREFIX}probe"

SIX_A=fdaa:0:1:a7b:1::2     # server's 6PN address
SIX_C=fdaa:0:1:a7b:1::3     # client's 6PN address
OUT_A=fd00::2               # server, outside the prefix
OUT_C=fd00::3               # client, outside the prefix

# mkns NAME: a namespace with lo up; prints its full name
mkns() {
	local ns=$NS_PREFIX$1
	ip netns add "$ns" || return 1
	ip -n "$ns" link set lo up
	echo "$ns"
}

# addr NS ADDR/LEN [DEV]: an IPv6 address without duplicate detection
addr() {
	ip -n "$1" -6 addr add "$2" dev "${3:-lo}" nodad
}

# A server namespace and a client namespace joined by a veth pair, both
# with an address inside and one outside the prefix.
NS_S=$(mkns srv) && NS_C=$(mkns cli) || { fail "create namespaces"; finish sixpn; exit 1; }
ip link add "bp6s$$" netns "$NS_S" type veth peer name "bp6c$$" netns "$NS_C"
ip -n "$NS_S" link set "bp6s$$" up
ip -n "$NS_C" link set "bp6c$$" up
addr "$NS_S" "$SIX_A/64" "bp6s$$"
addr "$NS_S" "$OUT_A/64" "bp6s$$"
addr "$NS_C" "$SIX_C/64" "bp6c$$"
addr "$NS_C" "$OUT_C/64" "bp6c$$"

# keys: a CA, a user key with a certificate for root
make_key "$TMP/ca"
make_key "$TMP/user"
ssh-keygen -q -s "$TMP/ca" -I "user@sixpn" -n root -z 7 -V -5m:+1h "$TMP/user.pub"
make_hostkey "$TMP/hostkey"

# conf NAME LINES...: a bearpass.conf; prints its path
conf() {
	local f=$TMP/$1.conf
	shift
	{
		echo "TrustedUserCAKeys $TMP/ca.pub"
		echo "AuditLog stderr"
		printf '%s\n' "$@"
	} > "$f"
	echo "$f"
}

# serve NAME NS CONF [HOSTS] [-- DROPBEAR ARGS...]: starts the static
# server in NS (with HOSTS bind-mounted over /etc/hosts in a private mount
# namespace, if given, "" for none); does not wait.  Sets SERVER_PID and
# SERVER_LOG.
serve() {
	local name=$1 ns=$2 cf=$3 hosts=${4:-}
	shift 4 2>/dev/null || shift $#
	[ "${1:-}" = "--" ] && shift
	SERVER_LOG=$TMP/$name.log
	: > "$SERVER_LOG"
	if [ -n "$hosts" ]; then
		ip netns exec "$ns" unshare -m sh -c 'mount --bind "$0" /etc/hosts && exec "$@"' "$hosts" \
			"$STATIC" -F -E -r "$TMP/hostkey" -P "$TMP/$name.pid" -A "bearpass,$cf" "$@" \
			2>>"$SERVER_LOG" &
	else
		ip netns exec "$ns" "$STATIC" -F -E -r "$TMP/hostkey" -P "$TMP/$name.pid" \
			-A "bearpass,$cf" "$@" 2>>"$SERVER_LOG" &
	fi
	SERVER_PID=$!
	SERVER_PIDS+=("$SERVER_PID")
}

# started: wait until the server listens (or exited); 0 if it runs
started() {
	wait_for "${1:-20}" server_ready "$SERVER_PID" "$SERVER_LOG" &&
		kill -0 "$SERVER_PID" 2>/dev/null ||
		{ echo "    server log:"; sed 's/^/    /' "$SERVER_LOG" | tail -n 10; return 1; }
}

# listeners NS: the sorted local addresses of listening TCP sockets
listeners() {
	ip netns exec "$1" ss -ltnH | awk '{print $4}' | sort | tr '\n' ' ' | sed 's/ $//'
}

# listens NS EXPECTED: exactly these listeners (space-separated, sorted)
listens() {
	local got
	got=$(listeners "$1")
	[ "$got" = "$2" ] || { echo "    listeners: '$got', expected '$2'"; return 1; }
}

# exits_with STATUS MESSAGE [SECONDS]: the server exits by itself with
# STATUS, having logged MESSAGE
exits_with() {
	local rc
	wait_for "${3:-20}" eval '! kill -0 '"$SERVER_PID"' 2>/dev/null' ||
		{ echo "    still running"; return 1; }
	wait "$SERVER_PID"
	rc=$?
	[ "$rc" -eq "$1" ] && grep -qF -- "$2" "$SERVER_LOG" ||
		{ echo "    exit status $rc; log:"; sed 's/^/    /' "$SERVER_LOG" | tail -n 5; return 1; }
}

# login NS ADDR [SSH OPTIONS...]: a certificate login from NS; must run id
login() {
	local ns=$1 a=$2 out rc
	shift 2
	out=$(ip netns exec "$ns" timeout 30 ssh "${SSH_OPTS[@]}" -i "$TMP/user" \
		-o CertificateFile="$TMP/user-cert.pub" "$@" -p 22 "root@$a" id 2>&1)
	rc=$?
	[ $rc -eq 0 ] && [[ $out == *"uid=0"* ]] || { echo "    rc=$rc: $out" | head -n 5; return 1; }
}

# no_banner NS SRC DST: a TCP connection from SRC is closed by the server
# before it sends anything (no "SSH-2.0" banner)
no_banner() {
	ip netns exec "$1" /usr/bin/python3 - "$2" "$3" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.settimeout(10)
s.bind((sys.argv[1], 0))
s.connect((sys.argv[2], 22))
try:
    data = s.recv(100)
except ConnectionResetError:
    data = b""
if data:
    print("    received %r" % data)
sys.exit(1 if data else 0)
EOF
}

# banner NS SRC DST: the server sends its SSH banner to SRC
banner() {
	ip netns exec "$1" /usr/bin/python3 - "$2" "$3" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.settimeout(10)
s.bind((sys.argv[1], 0))
s.connect((sys.argv[2], 22))
sys.exit(0 if s.recv(100).startswith(b"SSH-2.0-") else 1)
EOF
}

logged() { grep -qF -- "$1" "$SERVER_LOG" || { echo "    not logged: $1"; return 1; }; }

# --- the default: ListenAddress 6pn ------------------------------------

CF_DEFAULT=$(conf default)
serve default "$NS_S" "$CF_DEFAULT" ""
check "6pn: starts"                              started
check "6pn: listens on exactly the 6PN address"  listens "$NS_S" "[$SIX_A]:22"
check "6pn: certificate login over 6PN"          login "$NS_C" "$SIX_A"
check "6pn: client outside AllowFrom gets no banner" no_banner "$NS_C" "$OUT_C" "$SIX_A"
check "6pn: conn_reject audited with the peer"   logged "\"event\":\"conn_reject\",\"pid\":"
check "6pn: conn_reject names [$OUT_C]"          logged "\"peer\":\"[$OUT_C]:"
check "6pn: conn_reject reason"                  logged "\"reason\":\"peer address not allowed\""
check "6pn: ssh from outside AllowFrom refused"  eval '! login "$NS_C" "$SIX_A" -b "$OUT_C" >/dev/null'
check "6pn: client inside still logs in"         login "$NS_C" "$SIX_A" -b "$SIX_C"
stop_server

# AllowFrom set explicitly: the outside prefix only
CF_ALLOW=$(conf allow "AllowFrom fd00::/64")
serve allow "$NS_S" "$CF_ALLOW" ""
check "AllowFrom: starts"                        started
check "AllowFrom: listed outside peer served"    banner "$NS_C" "$OUT_C" "$SIX_A"
check "AllowFrom: unlisted 6PN peer refused"     no_banner "$NS_C" "$SIX_C" "$SIX_A"
check "AllowFrom: refusal audited"               logged "\"peer\":\"[$SIX_C]:"
stop_server

# --- waiting for the address ------------------------------------------

NS_W=$(mkns wait)
CF_WAIT=$(conf wait "SixPNWait 15")
serve wait "$NS_W" "$CF_WAIT" ""
wait_before() {
	wait_for 5 grep -q "waiting up to 15 s" "$SERVER_LOG" &&
		kill -0 "$SERVER_PID" && listens "$NS_W" ""
}
check "wait: waits for a 6PN address, not listening" wait_before
sleep 3     # the network comes up 3 s after the server starts
addr "$NS_W" fdaa:0:2::2/128
check "wait: listens once the address appears"   started 15
check "wait: on exactly that address"            listens "$NS_W" "[fdaa:0:2::2]:22"
stop_server

NS_N=$(mkns none)
addr "$NS_N" "$OUT_A/64"
CF_NONE=$(conf none "SixPNWait 2")
serve none "$NS_N" "$CF_NONE" ""
check "no 6PN address: exit 1 with the message"  exits_with 1 "no 6PN address in fdaa::/16 after 2 s" 15
check "no 6PN address: never listened"           listens "$NS_N" ""

# --- the hosts file -----------------------------------------------------

NS_H=$(mkns hosts)
addr "$NS_H" fdaa:0:3::2/128
addr "$NS_H" fdaa:0:3::9/128
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost\nfdaa:0:3::9\tmachine fly-local-6pn\n' > "$TMP/hosts.good"
serve hostsgood "$NS_H" "$CF_DEFAULT" "$TMP/hosts.good"
check "hosts: starts"                            started
check "hosts: fly-local-6pn wins over interfaces" listens "$NS_H" "[fdaa:0:3::9]:22"
stop_server

{
	printf 'garbage line without address\n\x01\x02\xff binary fly-local-6pn\n'
	printf 'fdaa::zz fly-local-6pn\n10.0.0.1 fly-local-6pn\nfd00::5 fly-local-6pn\n'
	printf 'fdaa:0:3::9'; head -c 3000 /dev/zero | tr '\0' ' '; printf 'fly-local-6pn\n'
	printf '::1 localhost'
} > "$TMP/hosts.bad"
serve hostsbad "$NS_H" "$CF_DEFAULT" "$TMP/hosts.bad"
check "malformed hosts: starts"                  started
check "malformed hosts: falls back to interfaces" listens "$NS_H" "[fdaa:0:3::2]:22 [fdaa:0:3::9]:22"
check "malformed hosts: outside entry ignored, logged" logged "fd00::5 is outside the 6PN prefix"
stop_server

# --- -p and ListenAddress -----------------------------------------------

NS_P=$(mkns port)
addr "$NS_P" fdaa:0:4::2/128
CF_LOOP=$(conf loop "ListenAddress 127.0.0.1" "Port 2200")
serve pcfg "$NS_P" "$CF_LOOP" "" -- -p 127.0.0.1:2201
check "-p: ignored when the config has ListenAddress" started
check "-p: config's ListenAddress and Port used" listens "$NS_P" "127.0.0.1:2200"
check "-p: the warning says so"                  logged "-p ignored"
stop_server

serve pexplicit "$NS_P" "$CF_DEFAULT" "" -- -p 127.0.0.1:2202 -p "[fdaa:0:4::2]:2203"
check "-p: explicit addresses used without ListenAddress" started
check "-p: exactly those"                        listens "$NS_P" "127.0.0.1:2202 [fdaa:0:4::2]:2203"
stop_server

serve pbare "$NS_P" "$CF_DEFAULT" "" -- -p 2204
check "-p PORT (every address) refused: exit 1"  exits_with 1 "would listen on every address"
serve pzero "$NS_P" "$CF_DEFAULT" "" -- -p "[::]:2205"
check "-p [::]:PORT refused: exit 1"             exits_with 1 "would listen on every address"

CF_ANY=$(conf any "ListenAddress any" "Port 2206")
serve any "$NS_P" "$CF_ANY" ""
check "ListenAddress any: the only way to a wildcard" started
check "ListenAddress any: listens on every address" listens "$NS_P" "0.0.0.0:2206 [::]:2206"
stop_server

# No configuration listens on a wildcard address unless it says "any":
# every ListenAddress form, with and without -p.
no_wildcard() { # no_wildcard NAME -p|nop CONFIG LINES...
	local name=$1 popt=() cf w
	[ "$2" = -p ] && popt=(-p 127.0.0.1:2210)
	shift 2
	cf=$(conf "nw-$name" "$@")
	serve "nw-$name" "$NS_P" "$cf" "" -- "${popt[@]}"
	wait_for 20 server_ready "$SERVER_PID" "$SERVER_LOG"
	w=$(listeners "$NS_P" | tr ' ' '\n' | grep -E '^(\*|0\.0\.0\.0|\[::\]):' )
	stop_server
	[ -z "$w" ] || { echo "    wildcard listener: $w"; return 1; }
}
for p in -p nop; do
	check "no wildcard ($p): default config"     no_wildcard "default$p" $p
	check "no wildcard ($p): ListenAddress 6pn"  no_wildcard "6pn$p" $p "ListenAddress 6pn" "Port 2211"
	check "no wildcard ($p): explicit addresses" no_wildcard "expl$p" $p "ListenAddress 127.0.0.1:2212" "ListenAddress [fdaa:0:4::2]"
	check "no wildcard ($p): AllowFrom any"      no_wildcard "allowany$p" $p "AllowFrom any"
	check "no wildcard ($p): Port only"          no_wildcard "port$p" $p "Port 2213"
done
check "no wildcard: the check sees ListenAddress any" eval '! no_wildcard any2 nop "ListenAddress any" "Port 2214" >/dev/null'
check "no wildcard: config refuses ListenAddress ::" eval '"$STATIC" -C -A "bearpass,$(conf nw-v6 "ListenAddress ::")" 2>&1 | grep -q "is every address"'
check "no wildcard: config refuses 0.0.0.0:22"   eval '"$STATIC" -C -A "bearpass,$(conf nw-v4 "ListenAddress 0.0.0.0:22")" 2>&1 | grep -q "is every address"'

finish sixpn
