#!/bin/bash
# Certificate login (issue 4), end to end: certificates made by ssh-keygen
# with fixed serials and validity windows, offered by real clients
# (OpenSSH ssh with -i/CertificateFile and through ssh-agent, asyncssh,
# PuTTY's plink) to the static server, and every row also to OpenSSH's
# own sshd with the same TrustedUserCAKeys/RevokedKeys/
# AuthorizedPrincipalsFile: the decision and its effect must be the same.
# A subset also runs against the dynamic and the ASan+UBSan builds.
#
# One row = one line of the tables below:
#   t NAME CONF CRED EXPECT [VIA [EFFECT]]
#     CONF    which server configuration (main, krl, princ, rot)
#     CRED    a certificate made below ($C/CRED + $C/CRED-cert.pub), or
#             plain:KEY for a key offered without certificate
#     EXPECT  ok, or the reason the audit log must give for the refusal
#     VIA     id (ssh -i -o CertificateFile), agent, asyncssh, plink
#     EFFECT  what an accepted login must show (see effect() below)
# A refusal also checks that a good login still works afterwards.
set -u
. "$(dirname "$0")/../lib.sh"
bp_tmpdir certs
export TZ=UTC
PY=/usr/bin/python3
AGENT_PID=""
cleanup() {
	stop_all_servers
	[ -z "$AGENT_PID" ] || kill "$AGENT_PID" 2>/dev/null
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"
}
trap cleanup EXIT

K=$TMP/keys       # plain keys and CA keys
C=$TMP/creds      # one private key copy + its certificate per credential
mkdir -p "$K" "$C"

# --- keys and certificates ----------------------------------------------

VALID=20250101000000:20350101000000
EXPIRED=20000101000000:20010101000000
FUTURE=20900101000000:20910101000000

key() { # key NAME TYPE [BITS]
	ssh-keygen -q -t "$2" ${3:+-b "$3"} -N '' -C "$1" -f "$K/$1"
}
# cert NAME USERKEY CAKEY [ssh-keygen options]: key ID NAME, principal
# root and a valid window unless the options say otherwise (the last -I,
# -n, -V wins); NOPRINC=" ": no principals at all (ssh-keygen refuses -n "")
cert() {
	local name=$1 user=$2 ca=$3
	shift 3
	cp "$K/$user" "$C/$name"
	cp "$K/$user.pub" "$C/$name.pub"
	ssh-keygen -q -s "$K/$ca" -I "$name" ${NOPRINC:--n root} -V "$VALID" "$@" "$C/$name.pub" \
		|| { echo "ssh-keygen could not make $name" >&2; exit 1; }
}

key ca_ed ed25519
key ca_ec ecdsa 384
key ca_rsa rsa 2048
key ca_other ed25519
key u_ed ed25519
key u_p256 ecdsa 256
key u_p384 ecdsa 384
key u_p521 ecdsa 521
key u_rsa rsa 2048
key u_rk ed25519            # revoked in the KRL as a key

cat "$K/ca_ed.pub" "$K/ca_ec.pub" "$K/ca_rsa.pub" > "$TMP/trusted.pub"
cat "$K/ca_ed.pub" "$K/ca_ec.pub" > "$TMP/rotation.pub"

# key types: every user key type, every CA type and RSA signature hash
cert ed_ed        u_ed   ca_ed  -z 101
cert p256_ed      u_p256 ca_ed  -z 102
cert p384_ed      u_p384 ca_ed  -z 103
cert p521_ed      u_p521 ca_ed  -z 104
cert rsa_ed       u_rsa  ca_ed  -z 105
cert ed_ec        u_ed   ca_ec  -z 106
cert p521_ec      u_p521 ca_ec  -z 107
cert ed_rsa256    u_ed   ca_rsa -z 108 -t rsa-sha2-256
cert ed_rsa512    u_ed   ca_rsa -z 109 -t rsa-sha2-512
cert rsa_rsa512   u_rsa  ca_rsa -z 110 -t rsa-sha2-512
cert p256_rsa256  u_p256 ca_rsa -z 111 -t rsa-sha2-256
# refusals
cert expired      u_ed   ca_ed  -z 201 -V "$EXPIRED"
cert future       u_ed   ca_ed  -z 202 -V "$FUTURE"
cert host         u_ed   ca_ed  -z 203 -h
cert alice        u_ed   ca_ed  -z 204 -n alice
NOPRINC=" " cert noprinc u_ed ca_ed -z 205
cert untrusted    u_ed   ca_other -z 206
cert critfoo      u_ed   ca_ed  -z 207 -O critical:foo=bar
cert src_other    u_ed   ca_ed  -z 208 -O source-address=10.0.0.0/8
cert src_lo       u_ed   ca_ed  -z 209 -O source-address=127.0.0.1/32
cert sha1         u_ed   ca_rsa -z 210 -t ssh-rsa
cert many         u_ed   ca_ed  -z 211 -n alice,fly,root
# effects of options and extensions
printf '#!/bin/sh\necho "forced:$SSH_ORIGINAL_COMMAND"\n' > "$TMP/forced.sh"
chmod 755 "$TMP/forced.sh"
cert forced       u_ed   ca_ed  -z 301 -O force-command="$TMP/forced.sh"
cert nopty        u_ed   ca_ed  -z 302 -O no-pty
cert nofwd        u_ed   ca_ed  -z 303 -O no-port-forwarding
cert noagent      u_ed   ca_ed  -z 304 -O no-agent-forwarding
cert clear        u_ed   ca_ed  -z 305 -O clear
# revocation (RevokedKeys: a KRL made by ssh-keygen -k)
cert rev_serial   u_ed   ca_ed  -z 500
cert rev_id       u_ed   ca_ed  -z 501 -I revoked-id
cert rev_key      u_rk   ca_ed  -z 502
cert rev_ca       u_ed   ca_rsa -z 503 -t rsa-sha2-512
# AuthorizedPrincipalsFile: root's file lists ops and admins
cert pr_ops       u_ed   ca_ed  -z 600 -n ops
cert pr_both      u_ed   ca_ed  -z 601 -n nobody,admins
# audit: a key ID with quotes, a backslash, a newline, a tab, an escape
KEYID=$(printf 'q"uote\\back\nnewline\ttab\033[31mred')
cert keyid        u_ed   ca_ed  -z 18446744073709551615 -I "$KEYID"

{
	echo "serial: 500"
	echo "id: revoked-id"
	echo "key: $(cat "$K/u_rk.pub")"
} > "$TMP/krl.spec"
ssh-keygen -q -k -f "$TMP/revoked.krl" -s "$K/ca_ed.pub" "$TMP/krl.spec"
# a revoked CA: a second KRL section, made by updating the file (-u)
ssh-keygen -q -k -u -f "$TMP/revoked.krl" "$K/ca_rsa.pub"
cp "$TMP/revoked.krl" "$TMP/revoked-live.krl"

# Every server runs in a private mount namespace where /etc/passwd gives
# root the home $TMP/home: the machine's own root profile (pyenv, cargo,
# ...) would otherwise cost seconds in every login shell, of bearpass and
# sshd alike.  Nothing else changes; the clients run outside.
mkdir -p "$TMP/home"
sed "s#^root:[^:]*:0:0:[^:]*:[^:]*:#root:x:0:0:root:$TMP/home:#" /etc/passwd > "$TMP/passwd"
# in_ns BIN: a wrapper script that runs BIN in such a namespace (same PID)
in_ns() {
	local w=$TMP/ns-$(basename "$(dirname "$1")")-$(basename "$1")
	printf '#!/bin/sh\nexec unshare -m --propagation private sh -c %s %s "$@"\n' \
		"'mount --bind \"\$0\" /etc/passwd && exec \"\$@\"'" "'$TMP/passwd' '$1'" > "$w"
	chmod 755 "$w"
	echo "$w"
}

mkdir -p "$TMP/principals"
printf 'ops\nadmins\n' > "$TMP/principals/root"

# --- servers -------------------------------------------------------------

# conf_lines CONF: the policy lines of a configuration, in bearpass
# spelling; sshd gets the same keywords
conf_lines() {
	case $1 in
	main)  echo "TrustedUserCAKeys $TMP/trusted.pub" ;;
	krl)   echo "TrustedUserCAKeys $TMP/trusted.pub"
	       echo "RevokedKeys $TMP/revoked.krl" ;;
	live)  echo "TrustedUserCAKeys $TMP/trusted.pub"
	       echo "RevokedKeys $TMP/revoked-live.krl" ;;
	princ) echo "TrustedUserCAKeys $TMP/trusted.pub"
	       echo "AuthorizedPrincipalsFile $TMP/principals/%u" ;;
	rot)   echo "TrustedUserCAKeys $TMP/rotation.pub" ;;
	esac
}

declare -A SRV_PORT SRV_LOG SRV_HOSTFP
# bp NAME BIN PLUGIN CONF: a bearpass server named NAME-CONF
bp() {
	local name=$1 bin=$2 plugin=$3 conf=$4
	{ conf_lines "$conf"; echo "AuditLog stderr"; } > "$TMP/bp-$conf.conf"
	PORT=""
	if start_server "$name-$conf" "$(in_ns "$bin")" "$plugin" "$TMP/bp-$conf.conf"; then
		SRV_PORT[$name-$conf]=$PORT
	else
		SRV_PORT[$name-$conf]=0
	fi
	SRV_LOG[$name-$conf]=$SERVER_LOG
	SRV_HOSTFP[$name-$conf]=$("$DROPBEARKEY" -y -f "$TMP/hostkey" 2>/dev/null \
		| grep '^ssh-' | ssh-keygen -l -f - | awk '{print $2}')
}

# sshd CONF: OpenSSH's sshd with the same policy, named sshd-CONF
SSHD=/usr/sbin/sshd
sshd_start() {
	local conf=$1 name=sshd-$1 port
	[ -f "$TMP/sshd_hostkey" ] || ssh-keygen -q -t ed25519 -N '' -f "$TMP/sshd_hostkey"
	mkdir -p /run/sshd && chmod 755 /run/sshd
	port=$(free_port)
	{
		echo "ListenAddress 127.0.0.1:$port"
		echo "HostKey $TMP/sshd_hostkey"
		echo "PidFile $TMP/$name.pid"
		conf_lines "$conf"
		cat <<-EOF
		AuthorizedKeysFile none
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		UsePAM no
		StrictModes no
		PermitRootLogin yes
		PrintMotd no
		PrintLastLog no
		LogLevel VERBOSE
		EOF
	} > "$TMP/$name.conf"
	SRV_LOG[$name]=$TMP/$name.log
	SRV_PORT[$name]=0
	: > "${SRV_LOG[$name]}"
	"$(in_ns "$SSHD")" -D -e -f "$TMP/$name.conf" 2>>"${SRV_LOG[$name]}" &
	local pid=$!
	SERVER_PIDS+=("$pid")
	if wait_for 20 sshd_ready "$pid" "${SRV_LOG[$name]}" && kill -0 "$pid" 2>/dev/null; then
		SRV_PORT[$name]=$port
	else
		echo "sshd $name did not start; log:" >&2
		tail -n 20 "${SRV_LOG[$name]}" >&2
	fi
	SRV_HOSTFP[$name]=$(ssh-keygen -l -f "$TMP/sshd_hostkey.pub" | awk '{print $2}')
}
sshd_ready() {
	kill -0 "$1" 2>/dev/null || return 0
	grep -q "Server listening on" "$2"
}

for conf in main krl live princ rot; do
	bp static "$STATIC" bearpass "$conf"
	sshd_start "$conf"
done
bp dyn "$DYN" "$DYN_SO" main
ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	bp asan "$ASAN" "$ASAN_SO" main

# --- clients -------------------------------------------------------------

BASE_SSH=(-F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
	-o BatchMode=yes -o ConnectTimeout=10 -o LogLevel=ERROR
	-o PreferredAuthentications=publickey)

# a fresh agent for this suite, stopped by PID at exit
eval "$(ssh-agent -s)" > /dev/null
AGENT_PID=$SSH_AGENT_PID
AGENT_SOCK=$SSH_AUTH_SOCK
unset SSH_AUTH_SOCK SSH_AGENT_PID

cat > "$TMP/client.py" <<'EOF'
# asyncssh client: client.py PORT KEY CERT COMMAND; exit 255 on refusal
import asyncio, sys, warnings
warnings.simplefilter("ignore")
import asyncssh

async def main():
    port, key, cert, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    k = asyncssh.read_private_key(key)
    c = asyncssh.read_certificate(cert)
    try:
        async with asyncssh.connect("127.0.0.1", port, username="root",
                                    client_keys=[(k, c)], known_hosts=None,
                                    agent_path=None, preferred_auth="publickey") as conn:
            r = await conn.run(cmd)
            sys.stdout.write(r.stdout)
            sys.stderr.write(r.stderr)
            return r.exit_status or 0
    except asyncssh.PermissionDenied as e:
        print("Permission denied:", e)
        return 255

sys.exit(asyncio.run(main()))
EOF

# login SERVER VIA CRED [SSH OPTIONS...] -- COMMAND: sets OUT and RC
login() {
	local srv=$1 via=$2 cred=$3 key cert
	shift 3
	local opts=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
	[ "${1:-}" = "--" ] && shift
	local port=${SRV_PORT[$srv]}
	if [[ $cred == plain:* ]]; then
		key=$K/${cred#plain:} cert=""
	else
		key=$C/$cred cert=$C/$cred-cert.pub
	fi
	case $via in
	id)
		OUT=$(timeout 30 ssh "${BASE_SSH[@]}" "${opts[@]}" -o IdentitiesOnly=yes \
			-o IdentityAgent=none -i "$key" ${cert:+-o CertificateFile="$cert"} \
			-p "$port" root@127.0.0.1 "$@" 2>&1) ;;
	agent)
		SSH_AUTH_SOCK=$AGENT_SOCK ssh-add -D > /dev/null 2>&1
		SSH_AUTH_SOCK=$AGENT_SOCK ssh-add -q "$key" > /dev/null 2>&1 || { OUT="ssh-add failed"; RC=99; return; }
		OUT=$(timeout 30 ssh "${BASE_SSH[@]}" -o IdentitiesOnly=no -o IdentityAgent="$AGENT_SOCK" \
			"${opts[@]}" -p "$port" root@127.0.0.1 "$@" 2>&1) ;;
	asyncssh)
		OUT=$(timeout 30 "$PY" "$TMP/client.py" "$port" "$key" "$cert" "$*" 2>&1) ;;
	plink)
		if [ ! -f "$TMP/$cred.ppk" ]; then
			puttygen "$key" -O private -o "$TMP/$cred.ppk" ${cert:+--certificate "$cert"} \
				> "$TMP/puttygen.log" 2>&1 || { OUT="puttygen: $(cat "$TMP/puttygen.log")"; RC=99; return; }
		fi
		OUT=$(timeout 30 plink -batch -ssh -noagent -i "$TMP/$cred.ppk" \
			-hostkey "${SRV_HOSTFP[$srv]}" -P "$port" root@127.0.0.1 "$@" 2>&1 < /dev/null) ;;
	esac
	RC=$?
}

# refused VIA: did the last login fail authentication?
refused() {
	case $1 in
	plink) [ "$RC" -ne 0 ] && [[ $OUT == *"No supported authentication methods"* || $OUT == *"refused"* ]] ;;
	*)     [ "$RC" -eq 255 ] && [[ $OUT == *"Permission denied"* ]] ;;
	esac
}

# effect SERVER VIA CRED EFFECT: an accepted login and what it must show
#   cmd      runs id -u, prints 0
#   forced   the certificate's force-command ran, SSH_ORIGINAL_COMMAND arrived
#   pty      ssh -tt: the pty request is granted (see below)
#   nopty    ssh -tt: "PTY allocation request failed"
#   fwd      ssh -R with ExitOnForwardFailure works
#   nofwd    ssh -R with ExitOnForwardFailure fails
#   stdio    ssh -W to the server's own port relays its banner
#   nostdio  ssh -W is refused
#   agent    ssh -A: the session has an agent socket
#   noagent  ssh -A: the session has none
effect() {
	local srv=$1 via=$2 cred=$3 eff=$4 p
	case $eff in
	cmd)     login "$srv" "$via" "$cred" -- id -u
	         [ "$RC" -eq 0 ] && [ "$(tr -d '\r' <<< "$OUT")" = 0 ] ;;
	forced)  login "$srv" "$via" "$cred" -- hello world
	         [ "$RC" -eq 0 ] && [ "$OUT" = "forced:hello world" ] ;;
	# Only the decision: on this test machine Dropbear's pty session
	# itself fails after the grant (TIOCSCTTY: EIO, stock code), sshd's
	# works.  OpenSSH 9's ssh -tt exits 255 when the request is refused.
	pty)     login "$srv" "$via" "$cred" -tt -- tty
	         [[ $OUT != *"PTY allocation request failed"* ]] && [[ $OUT != *"Permission denied"* ]] ;;
	nopty)   login "$srv" "$via" "$cred" -tt -- tty
	         [ "$RC" -eq 255 ] && [[ $OUT == *"PTY allocation request failed"* ]] ;;
	fwd|nofwd)
	         p=$(free_port)
	         login "$srv" "$via" "$cred" -o ExitOnForwardFailure=yes -R "127.0.0.1:$p:127.0.0.1:9" -- echo fwd-ok
	         if [ "$eff" = fwd ]; then
	         	[ "$RC" -eq 0 ] && [ "$OUT" = fwd-ok ]
	         else
	         	[ "$RC" -eq 255 ] && [[ $OUT == *"remote port forwarding failed"* ]] && [[ $OUT != *fwd-ok* ]]
	         fi ;;
	stdio)   OUT=$(sleep 0.5 | { login "$srv" "$via" "$cred" -W "127.0.0.1:${SRV_PORT[$srv]}" --; echo "$OUT"; } 2>/dev/null | tr -d '\0')
	         [[ $OUT == SSH-2.0-* ]] ;;
	nostdio) OUT=$(sleep 0.5 | { login "$srv" "$via" "$cred" -W "127.0.0.1:${SRV_PORT[$srv]}" --; echo "$OUT"; } 2>/dev/null | tr -d '\0')
	         [[ $OUT == *"stdio forwarding failed"* ]] && [[ $OUT != *SSH-2.0-* ]] ;;
	agent|noagent)
	         login "$srv" "$via" "$cred" -o IdentityAgent="$AGENT_SOCK" -o ForwardAgent=yes -- \
	         	'test -S "$SSH_AUTH_SOCK" && echo agent:yes || echo agent:no'
	         [ "$RC" -eq 0 ] && [ "$OUT" = "agent:$([ "$eff" = agent ] && echo yes || echo no)" ] ;;
	esac
}

# the good login of each configuration, tried after every refusal (live:
# the rows themselves put the file back and log in again)
declare -A GOOD=([main]=ed_ed [krl]=ed_ed [live]="" [princ]=pr_ops [rot]=ed_ed)

log_lines() { wc -l < "${SRV_LOG[$1]}"; }
# audited SERVER MARK EVENT [REASON]: a record since line MARK
audited() {
	local new
	new=$(tail -n +"$(($2 + 1))" "${SRV_LOG[$1]}" | grep -F "\"event\":\"$3\"")
	[ -n "$new" ] || return 1
	[ -z "${4:-}" ] || grep -qF "\"reason\":\"$4\"" <<< "$new"
}

# one SERVER CONF CRED EXPECT VIA EFFECT: one row against one server
one() {
	local srv=$1 conf=$2 cred=$3 expect=$4 via=$5 eff=$6 mark why=""
	if [ "${SRV_PORT[$srv]:-0}" = 0 ]; then
		echo "    server $srv is not running"
		return 1
	fi
	mark=$(log_lines "$srv")
	if [ "$expect" = ok ]; then
		effect "$srv" "$via" "$cred" "$eff" || why="effect $eff not seen"
		if [ -z "$why" ] && [[ $srv != sshd-* ]] && ! audited "$srv" "$mark" auth_accept; then
			why="no auth_accept record"
		fi
	else
		login "$srv" "$via" "$cred" -- id -u
		if ! refused "$via"; then
			why="not refused"
		elif [[ $srv != sshd-* ]] && ! audited "$srv" "$mark" auth_reject "$expect"; then
			why="no auth_reject record with reason \"$expect\""
		elif [[ $srv != sshd-* ]] && audited "$srv" "$mark" auth_accept; then
			why="auth_accept record after a refusal"
		elif [ -n "${GOOD[$conf]}" ]; then
			effect "$srv" id "${GOOD[$conf]}" cmd || why="good login after the refusal failed"
		fi
	fi
	[ -z "$why" ] && return 0
	echo "    $srv: $why; rc=$RC output: $(head -c 300 <<< "$OUT")"
	[[ $srv == sshd-* ]] || { echo "    server log:"; tail -n 4 "${SRV_LOG[$srv]}" | sed 's/^/      /'; }
	return 1
}

# t NAME CONF CRED EXPECT [VIA [EFFECT]]: the row against bearpass and sshd
# (and the dynamic and ASan builds for the rows in an ALSO block), the
# servers in parallel except through the one shared agent
ALSO=""
t() {
	local name=$1 conf=$2 cred=$3 expect=$4 via=${5:-id} eff=${6:-cmd} s pids=()
	for s in static sshd $ALSO; do
		if [ "$via" = agent ]; then
			one "$s-$conf" "$conf" "$cred" "$expect" "$via" "$eff" > "$TMP/row.$s" 2>&1
			echo $? > "$TMP/row.$s.rc"
		else
			{ one "$s-$conf" "$conf" "$cred" "$expect" "$via" "$eff" > "$TMP/row.$s" 2>&1
			  echo $? > "$TMP/row.$s.rc"; } &
			pids+=($!)
		fi
	done
	[ ${#pids[@]} -eq 0 ] || wait "${pids[@]}"
	for s in static sshd $ALSO; do
		cat "$TMP/row.$s"
		check "$s: $name" [ "$(cat "$TMP/row.$s.rc")" = 0 ]
	done
}

# --- the table --------------------------------------------------------------

ALSO="dyn asan"
# name                                    conf  cred         expect / via / effect
t "ed25519 key, ed25519 CA"               main  ed_ed        ok
t "ecdsa-256 key, ed25519 CA"             main  p256_ed      ok
t "ecdsa-384 key, ed25519 CA"             main  p384_ed      ok
t "ecdsa-521 key, ed25519 CA"             main  p521_ed      ok
t "rsa key, ed25519 CA"                   main  rsa_ed       ok
t "ed25519 key, ecdsa CA"                 main  ed_ec        ok
t "ecdsa-521 key, ecdsa CA"               main  p521_ec      ok
t "ed25519 key, rsa CA rsa-sha2-256"      main  ed_rsa256    ok
t "ed25519 key, rsa CA rsa-sha2-512"      main  ed_rsa512    ok
t "rsa key, rsa CA rsa-sha2-512"          main  rsa_rsa512   ok
t "ecdsa-256 key, rsa CA rsa-sha2-256"    main  p256_rsa256  ok
t "expired"                               main  expired      "certificate expired"
t "untrusted CA"                          main  untrusted    "certificate authority not trusted"
t "forced command"                        main  forced       ok id forced
ALSO=""
t "agent: ed25519 key, ed25519 CA"        main  ed_ed        ok agent
t "agent: ecdsa-256 key, ed25519 CA"      main  p256_ed      ok agent
t "agent: ecdsa-384 key, ed25519 CA"      main  p384_ed      ok agent
t "agent: ecdsa-521 key, ecdsa CA"        main  p521_ec      ok agent
t "agent: rsa key, rsa CA"                main  rsa_rsa512   ok agent
t "agent: ed25519 key, rsa-sha2-256 CA"   main  ed_rsa256    ok agent
t "agent: expired"                        main  expired      "certificate expired" agent
t "not yet valid"                         main  future       "certificate not yet valid"
# OpenSSH's ssh drops a host certificate and offers the plain key: asyncssh
# sends it
t "host certificate"                      main  host         "not a user certificate" asyncssh
t "wrong principal"                       main  alice        "principal not allowed"
t "no principals"                         main  noprinc      "certificate has no principals"
t "one of several principals"             main  many         ok
t "unknown critical option"               main  critfoo      "unsupported critical option"
t "source-address not matching"           main  src_other    "source address not allowed"
t "source-address matching"              main  src_lo       ok
t "SHA-1 (ssh-rsa) signed certificate"    main  sha1         "certificate signature algorithm not allowed"
t "CA key as a plain key"                 main  plain:ca_ed  "certificate authority key used as user key"
t "plain key (AuthorizedKeys no)"         main  plain:u_ed   "plain key not accepted"
t "permit-pty: pty allocated"             main  ed_ed        ok id pty
t "no-pty: pty refused"                   main  nopty        ok id nopty
t "clear: pty refused"                    main  clear        ok id nopty
t "permit-port-forwarding: -R"            main  ed_ed        ok id fwd
t "no-port-forwarding: -R refused"        main  nofwd        ok id nofwd
t "permit-port-forwarding: -W"            main  ed_ed        ok id stdio
t "no-port-forwarding: -W refused"        main  nofwd        ok id nostdio
t "clear: -W refused"                     main  clear        ok id nostdio
t "permit-agent-forwarding: -A"           main  ed_ed        ok id agent
t "no-agent-forwarding: -A refused"       main  noagent      ok id noagent
t "clear: -A refused"                     main  clear        ok id noagent
t "forced command via agent"              main  forced       ok agent forced
t "revoked: not listed"                   krl   ed_ed        ok
t "revoked: serial"                       krl   rev_serial   "certificate revoked"
t "revoked: key id"                       krl   rev_id       "certificate revoked"
t "revoked: key"                          krl   rev_key      "key revoked"
t "revoked: CA"                           krl   rev_ca       "certificate authority revoked"
t "principals file: listed"               princ pr_ops       ok
t "principals file: second listed"        princ pr_both      ok
t "principals file: login name not listed" princ ed_ed       "principal not allowed"
t "CA rotation: first CA"                 rot   ed_ed        ok
t "CA rotation: second CA"                rot   ed_ec        ok
t "CA rotation: CA not in the file"       rot   ed_rsa512    "certificate authority not trusted"
t "asyncssh: ed25519 key"                 main  ed_ed        ok asyncssh
t "asyncssh: ecdsa-384 key, rsa CA"       main  p256_rsa256  ok asyncssh
t "asyncssh: forced command"              main  forced       ok asyncssh forced
t "asyncssh: expired"                     main  expired      "certificate expired" asyncssh
t "plink: ed25519 key"                    main  ed_ed        ok plink
t "plink: expired"                        main  expired      "certificate expired" plink

# --- the RevokedKeys file goes away, or is corrupted, under a running server

live_krl() { # live_krl STATE: present, missing or corrupt
	case $1 in
	present) cp "$TMP/revoked.krl" "$TMP/revoked-live.krl" ;;
	missing) rm -f "$TMP/revoked-live.krl" ;;
	corrupt) printf 'SSHKRL\n\0\0\0\0\1garbage' > "$TMP/revoked-live.krl" ;;
	esac
}
t "RevokedKeys present"                   live  ed_ed        ok
live_krl missing
t "RevokedKeys missing: fail closed"      live  ed_ed        "revocation list unavailable"
live_krl corrupt
t "RevokedKeys corrupt: fail closed"      live  ed_ed        "revocation list unavailable"
live_krl present
t "RevokedKeys back"                      live  ed_ed        ok

# --- what the audit records say -------------------------------------------

# accept_record SERVER CRED: the JSON auth_accept record of a fresh login
accept_record() {
	local mark
	mark=$(log_lines "$1")
	effect "$1" id "$2" cmd || return 1
	tail -n +"$((mark + 1))" "${SRV_LOG[$1]}" | grep -F '"event":"auth_accept"' | tail -n 1
}
# json_is RECORD FIELD VALUE
json_is() {
	"$PY" -c 'import json, sys
r = json.loads(sys.argv[1])
v = r.get(sys.argv[2])
if str(v) != sys.argv[3]:
    print("    %s is %r, expected %r" % (sys.argv[2], v, sys.argv[3]))
    sys.exit(1)' "$@"
}
fp() { ssh-keygen -l -f "$1" | awk '{print $2}'; }

audit_fields() {
	local rec
	rec=$(accept_record static-main ed_ed) || return 1
	json_is "$rec" user root && json_is "$rec" key_id ed_ed && json_is "$rec" serial 101 \
		&& json_is "$rec" principal root && json_is "$rec" ca_fp "$(fp "$K/ca_ed.pub")" \
		&& json_is "$rec" key_fp "$(fp "$K/u_ed.pub")" && [[ $rec == *'"peer":"[127.0.0.1]:'* ]]
}
check "static: auth_accept has user, key_id, serial, principal, ca_fp, key_fp" audit_fields

audit_rsa_ca() {
	local rec
	rec=$(accept_record static-main rsa_rsa512) || return 1
	json_is "$rec" ca_fp "$(fp "$K/ca_rsa.pub")" && json_is "$rec" key_fp "$(fp "$K/u_rsa.pub")" \
		&& json_is "$rec" serial 110
}
check "static: rsa CA and key fingerprints as ssh-keygen -l prints them" audit_rsa_ca

audit_keyid() {
	local rec mark
	mark=$(log_lines static-main)
	rec=$(accept_record static-main keyid) || return 1
	# one line: it parses as JSON by itself and gives back the exact key ID
	json_is "$rec" key_id "$KEYID" && json_is "$rec" serial 18446744073709551615 \
		&& ! tail -n +"$((mark + 1))" "${SRV_LOG[static-main]}" | grep -q '^newline'
}
check "static: hostile key ID escaped on one line, 2^64-1 serial" audit_keyid

audit_reject() {
	local mark rec
	mark=$(log_lines static-main)
	login static-main id expired -- true
	# the certificate's record (ssh then offers the plain key: a second one)
	rec=$(tail -n +"$((mark + 1))" "${SRV_LOG[static-main]}" | grep -F '"event":"auth_reject"' \
		| grep -F '"key_id"' | tail -n 1)
	json_is "$rec" reason "certificate expired" && json_is "$rec" key_id expired \
		&& json_is "$rec" serial 201 && json_is "$rec" ca_fp "$(fp "$K/ca_ed.pub")"
}
check "static: auth_reject names the certificate and the reason" audit_reject

# --- configurations that must not start -------------------------------------

# no_start NAME EXPECTED-MESSAGE CONF-LINES...: -C and a real start both
# exit 1 with the message, and the server never listens
no_start() {
	local name=$1 msg=$2 f=$TMP/nostart-$1.conf out rc port
	shift 2
	printf '%s\n' "$@" > "$f"
	out=$("$STATIC" -C -A "bearpass,$f" 2>&1)
	rc=$?
	if [ $rc -ne 1 ] || [[ $out != *"$msg"* ]]; then
		echo "    -C: rc=$rc output: $out"
		return 1
	fi
	port=$(free_port)
	out=$(timeout 20 "$STATIC" -F -E -p "127.0.0.1:$port" -r "$TMP/hostkey" -A "bearpass,$f" 2>&1)
	rc=$?
	if [ $rc -ne 1 ] || [[ $out != *"$msg"* ]] || [[ $out == *"Not backgrounding"* ]]; then
		echo "    start: rc=$rc output: $out"
		return 1
	fi
}
: > "$TMP/empty.pub"
printf '# only a comment\n\n' > "$TMP/comment.pub"
check "TrustedUserCAKeys missing: no start" no_start ca-missing "cannot read" \
	"TrustedUserCAKeys $TMP/nonexistent.pub"
check "TrustedUserCAKeys empty: no start" no_start ca-empty "no trusted CA key" \
	"TrustedUserCAKeys $TMP/empty.pub"
check "TrustedUserCAKeys only comments: no start" no_start ca-comment "no trusted CA key" \
	"TrustedUserCAKeys $TMP/comment.pub"
check "RevokedKeys missing: no start" no_start krl-missing "RevokedKeys" \
	"TrustedUserCAKeys $TMP/trusted.pub" "RevokedKeys $TMP/nonexistent.krl"

# --- after every server has stopped ------------------------------------------

stop_all_servers
no_sanitizer_report() {
	! grep -E "ERROR: AddressSanitizer|runtime error:|LeakSanitizer" "${SRV_LOG[asan-main]}"
}
check "asan: no sanitizer report" no_sanitizer_report
echo "certs: $((SECONDS)) s"
finish certs
