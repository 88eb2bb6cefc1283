#!/bin/bash
# Container runtime (issue 5): users from PasswdFile/GroupFile without
# libc, PID 1's environment in a PID namespace, a FROM-scratch chroot,
# explicit session-start errors.  Real certificate logins with OpenSSH ssh
# against the static binary (the one that has no libc user database).
set -u
. "$(dirname "$0")/../lib.sh"
bp_tmpdir runtime
PIDNS_PID=""
trap 'stop_all_servers; stop_pidns; [ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT

if [ "$(id -u)" != 0 ]; then
	fail "runtime: needs root (setuid users, unshare, chroot)"
	finish runtime
	exit 1
fi

make_key "$TMP/ca"
make_key "$TMP/user"
ssh-keygen -q -s "$TMP/ca" -I runtime-test -z 5 -n root,fly,app,nohome,badsh,noexec,ghost \
	-V -5m:+1h "$TMP/user.pub"
make_hostkey "$TMP/hostkey"
chmod 755 "$TMP"

# users: app (uid 4242, own shell, home, groups), one whose home is
# missing, one whose shell does not exist, one whose shell is not
# executable
mkdir -p "$TMP/home/app"
chown 4242:4343 "$TMP/home/app"
printf '#!/bin/sh\necho not executable\n' > "$TMP/notexec"
chmod 644 "$TMP/notexec"
PASSWD_GOOD="app:x:4242:4343:App User:$TMP/home/app:/bin/bash
nohome:x:4243:4343::/nonexistent/home:/bin/sh
badsh:x:4244:4343::/:/nonexistent/shell
noexec:x:4245:4343::/:$TMP/notexec"
GROUP_GOOD="appgrp:x:4343:
tools:x:5001:other,app
data:x:5002:app
unrelated:x:5003:other"
printf '%s\n' "$PASSWD_GOOD" > "$TMP/passwd"
printf '%s\n' "$GROUP_GOOD" > "$TMP/group"

# write_conf NAME LINES...
write_conf() {
	local f=$TMP/$1.conf
	shift
	{
		echo "TrustedUserCAKeys $TMP/ca.pub"
		echo "AuditLog stderr"
		printf '%s\n' "$@"
	} > "$f"
	echo "$f"
}

# rssh USER [SSH OPTIONS...] -- COMMAND: a certificate login to $PORT
rssh() {
	local user=$1
	shift
	ssh_as "$user" "$TMP/user" -o CertificateFile="$TMP/user-cert.pub" "$@"
}

# expect_out NAME USER COMMAND PATTERN...: the login's output (stdout and
# stderr) matches every extended regular expression PATTERN
expect_out() {
	local user=$1 cmd=$2 out p
	shift 2
	out=$(rssh "$user" -- "$cmd" 2>&1)
	for p in "$@"; do
		grep -qE -- "$p" <<< "$out" || { echo "    no /$p/ in: $out" | head -n 8; return 1; }
	done
}

# expect_refused USER [LOG PATTERN]: Permission denied, and the reason is
# in the server log
expect_refused() {
	local out rc
	out=$(rssh "$1" -- true 2>&1)
	rc=$?
	[ $rc -eq 255 ] && [[ $out == *"Permission denied"* ]] || { echo "    rc=$rc: $out"; return 1; }
	[ -z "${2:-}" ] || wait_for 5 grep -qE -- "$2" "$SERVER_LOG" || { echo "    no /$2/ in log"; return 1; }
}

# --- users from PasswdFile / GroupFile --------------------------------------

CONF_USERS=$(write_conf users "PasswdFile $TMP/passwd" "GroupFile $TMP/group")
PORT=""; start_server users "$STATIC" bearpass "$CONF_USERS" || fail "users: server starts"
USERS_PORT=$PORT USERS_LOG=$SERVER_LOG

# name                                         user    command   expected output
check "user: uid, gid, groups from the files"   expect_out app 'id -u; id -g; id -G' '^4242$' '^4343$' '^4343 5001 5002$'
check "user: home, own shell, USER"             expect_out app 'pwd; echo "$HOME $SHELL $USER $LOGNAME"; echo $BASH_VERSION' \
	"^$TMP/home/app\$" "^$TMP/home/app /bin/bash app app\$" '^[0-9]+\.'
check "user: fly without entry is root"         expect_out fly 'id -u; id -G; echo "$HOME $SHELL"' '^0$' '^0$' '^/root /bin/sh$'
check "user: home not there: notice, cwd /"     expect_out nohome pwd \
	'Could not chdir to home directory /nonexistent/home: No such file or directory' '^/$'

# explicit session errors: message, status, promptly, server alive
# exec_err USER STATUS MESSAGE [SSH OPTIONS]: the session cannot start
exec_err() {
	local user=$1 want=$2 msg=$3 out rc t0
	shift 3
	t0=$(date +%s%N)
	out=$(rssh "$user" "$@" -- true 2>&1)
	rc=$?
	local ms=$((($(date +%s%N) - t0) / 1000000))
	# the audit record goes to the server's log, never to the client
	[ $rc -eq "$want" ] && [[ $out == *"$msg"* ]] && [[ $out != *'"event"'* ]] && [ $ms -lt 2000 ] ||
		{ echo "    rc=$rc ${ms}ms: $out"; return 1; }
}
check "exec: missing shell: message, 127"       exec_err badsh 127 "bearpass: cannot start /nonexistent/shell: No such file or directory"
check "exec: shell not executable: 126"         exec_err noexec 126 "bearpass: cannot start $TMP/notexec: Permission denied"
check "exec: exec_fail audited in the server log" \
	grep -q '"event":"exec_fail".*"path":"/nonexistent/shell","error":"No such file or directory"' "$USERS_LOG"
check "exec: server still serves"               expect_out app 'id -u' '^4242$'
check "audit: session_start and session_end"    bash -c "grep -q '\"event\":\"session_start\"' '$USERS_LOG' &&
	grep -q '\"event\":\"session_end\".*\"exit_status\":0,\"duration_s\"' '$USERS_LOG'"

# --- broken passwd and group files ----------------------------------------
# Each row: a passwd line for "app" that is broken in one field, and the
# documented outcome: a malformed entry for the name refuses the login
# (it never falls back to root); the other users still log in.
LONG=$(printf 'x%.0s' $(seq 1 1100))
broken_passwd() {
	local line=$1 expect=$2 out
	printf '%s\n%s\n' "$line" "nohome:x:4243:4343::/:/bin/sh" > "$TMP/passwd"
	case $expect in
	refused) expect_refused app 'malformed user entry' || return 1 ;;
	root)    expect_out app 'id -u' '^0$' || return 1 ;;
	*)       expect_out app 'id -u' "^$expect\$" || return 1 ;;
	esac
	# a good user of the same file still logs in: the server is alive
	expect_out nohome 'id -u' '^4243$'
}
PORT=$USERS_PORT SERVER_LOG=$USERS_LOG
# passwd line                                                  outcome
check "passwd: 6 fields"                  broken_passwd "app:x:4242:4343:/home:/bin/sh"                refused
check "passwd: 8 fields"                  broken_passwd "app:x:4242:4343::/:/bin/sh:extra"             refused
check "passwd: uid not numeric"           broken_passwd "app:x:42a2:4343::/:/bin/sh"                   refused
check "passwd: uid negative"              broken_passwd "app:x:-1:4343::/:/bin/sh"                     refused
check "passwd: uid empty"                 broken_passwd "app:x::4343::/:/bin/sh"                       refused
check "passwd: uid 4294967295"            broken_passwd "app:x:4294967295:4343::/:/bin/sh"             refused
check "passwd: uid overflow"              broken_passwd "app:x:99999999999999999999:4343::/:/bin/sh"   refused
check "passwd: gid not numeric"           broken_passwd "app:x:4242:gid::/:/bin/sh"                    refused
check "passwd: home empty"                broken_passwd "app:x:4242:4343:::/bin/sh"                    refused
check "passwd: home relative"             broken_passwd "app:x:4242:4343::home/app:/bin/sh"            refused
check "passwd: shell relative"            broken_passwd "app:x:4242:4343::/:bin/sh"                    refused
check "passwd: control character"         broken_passwd "$(printf 'app:x:4242:4343:a\tb:/:/bin/sh')"   refused
check "passwd: overlong line"             broken_passwd "app:x:4242:4343:$LONG:/:/bin/sh"              refused
check "passwd: empty shell is DefaultShell" broken_passwd "app:x:4242:4343::/:"                        4242
check "passwd: no newline at end"         bash -c "printf 'app:x:4242:4343::/:/bin/sh' > '$TMP/passwd'"
check "passwd: no newline at end: login"  expect_out app 'id -u; echo $SHELL' '^4242$' '^/bin/sh$'
check "passwd: empty file: root"          bash -c ": > '$TMP/passwd'"
check "passwd: empty file: login is root" expect_out app 'id -u; pwd' '^0$'
check "passwd: malformed lines warned"    grep -q "$TMP/passwd:1: skipped:" "$USERS_LOG"

# broken group lines: skipped (only the valid groups count), never a crash
printf '%s\n' "$PASSWD_GOOD" > "$TMP/passwd"
broken_group() {
	printf '%s\n%s\n' "$1" "data:x:5002:app" > "$TMP/group"
	expect_out app 'id -G' '^4343 5002$'
}
check "group: 3 fields"                   broken_group "tools:x:5001"
check "group: 5 fields"                   broken_group "tools:x:5001:app:extra"
check "group: gid not numeric"            broken_group "tools:x:50o1:app"
check "group: gid overflow"               broken_group "tools:x:4294967296:app"
check "group: name empty"                 broken_group ":x:5001:app"
check "group: overlong line"              broken_group "tools:x:5001:$LONG,app"
check "group: no newline at end"          bash -c "printf 'tools:x:5001:app' > '$TMP/group' && true"
check "group: no newline at end: login"   expect_out app 'id -G' '^4343 5001$'
check "group: empty file"                 bash -c ": > '$TMP/group'"
check "group: empty file: primary only"   expect_out app 'id -G' '^4343$'
# a GroupFile the configuration names must be readable: every connection
# checks the configuration again and is refused, the server stays up
rm -f "$TMP/group"
group_missing() {
	local out
	out=$(rssh app -- true 2>&1) && { echo "    login worked: $out"; return 1; }
	wait_for 5 grep -q "GroupFile $TMP/group: cannot read" "$SERVER_LOG"
}
check "group: named file missing: connection refused" group_missing
printf '%s\n' "$GROUP_GOOD" > "$TMP/group"
check "group: file back: login works"     expect_out app 'id -G' '^4343 5001 5002$'
check "users: server log has no crash"    bash -c "! grep -qiE 'segfault|abort|exited abnormally' '$USERS_LOG'"

# --- UnknownUser deny ------------------------------------------------------

printf '%s\n' "$PASSWD_GOOD" > "$TMP/passwd"
CONF_DENY=$(write_conf deny "PasswdFile $TMP/passwd" "UnknownUser deny")
PORT=""; start_server deny "$STATIC" bearpass "$CONF_DENY" || fail "deny: server starts"
check "deny: unknown user refused and audited" \
	expect_refused ghost '"event":"auth_reject","pid":[0-9]+,"peer":"[^"]*","user":"ghost".*"reason":"unknown user denied"'
check "deny: fly is unknown too"          expect_refused fly
check "deny: a user of the file still logs in" expect_out app 'id -u' '^4242$'

# --- PID 1's environment in a PID namespace --------------------------------

# start_pidns NAME CONF: dropbear in a new PID namespace whose PID 1 (sh)
# carries known variables; PID 1 starts the server and waits for it.  The
# namespace also has its own devpts instance, so ptys work even where the
# machine's /dev/ptmx does not.
start_pidns() {
	local name=$1 conf=$2
	PORT=$(free_port)
	SERVER_LOG=$TMP/$name.log
	: > "$SERVER_LOG"
	unshare --pid --fork --mount-proc --kill-child \
		env -i APP_SECRET=s3cr3t PATH=/app/bin:/usr/bin:/bin HOME=/nonexistent \
		USER=pid1user SHELL=/bin/false SSH_CONNECTION=bogus LD_PRELOAD=/bogus.so \
		DATABASE_URL=postgres://db INTERNAL_TOKEN=t0k \
		sh -c 'mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts /dev/pts &&
			mount --bind /dev/pts/ptmx /dev/ptmx &&
			{ "$0" -F -E -p "127.0.0.1:$1" -r "$2" -A "bearpass,$3" & wait; }' \
		"$STATIC" "$PORT" "$TMP/hostkey" "$conf" 2>>"$SERVER_LOG" &
	SERVER_PID=$!
	PIDNS_PID=$SERVER_PID
	wait_for 20 server_ready "$SERVER_PID" "$SERVER_LOG" && kill -0 "$SERVER_PID" 2>/dev/null ||
		{ tail -n 20 "$SERVER_LOG" >&2; return 1; }
}
# unshare --fork ignores SIGTERM; SIGKILL makes it kill PID 1
# (--kill-child), which ends the whole namespace
stop_pidns() {
	[ -n "$PIDNS_PID" ] || return 0
	kill -KILL "$PIDNS_PID" 2>/dev/null
	wait "$PIDNS_PID" 2>/dev/null
	PIDNS_PID=""
}
# absent NAME USER COMMAND...: the login's environment has no variable NAME
absent() {
	local name=$1 out
	shift
	out=$(rssh root -- env 2>&1) || { echo "    $out"; return 1; }
	! grep -q "^$name=" <<< "$out" || { echo "    $name present"; return 1; }
}

# the built-in InheritEnvironmentExclude list
printf 'root:x:0:0:root:/root:/bin/sh\nbadsh:x:4244:4343::/:/nonexistent/shell\n' > "$TMP/passwd-root"
CONF_ENV=$(write_conf env "PasswdFile $TMP/passwd-root")
start_pidns pidns "$CONF_ENV" || fail "pidns: server starts"
check "pidns: PID 1 variables arrive"     expect_out root env '^APP_SECRET=s3cr3t$' '^DATABASE_URL=postgres://db$' '^INTERNAL_TOKEN=t0k$'
check "pidns: PATH is PID 1's"            expect_out root 'echo "$PATH"' '^/app/bin:/usr/bin:/bin$'
check "pidns: default exclude: LD_PRELOAD" absent LD_PRELOAD
check "pidns: session variables win"      expect_out root 'echo "$USER|$HOME|$SHELL"; echo "$SSH_CONNECTION"' \
	'^root\|/root\|/bin/sh$' '^127\.0\.0\.1 [0-9]+ 127\.0\.0\.1 [0-9]+$'
shell_env() {
	local out
	out=$(echo 'echo "[$APP_SECRET]"; exit' | rssh root -T 2>&1)
	grep -q '^\[s3cr3t\]$' <<< "$out" || { echo "    $out"; return 1; }
}
check "pidns: a shell gets it too"        shell_env
# Not here: pty sessions.  On the CI machine the server's ptys fail
# ("/dev/pts/0: No such file or directory", devpts ptmxmode=000), also in
# a private devpts instance; see the report of issue 5.
stop_pidns

# a configured list replaces the built-in one; session variables still win
CONF_EXCL=$(write_conf excl "PasswdFile $TMP/passwd-root" "InheritEnvironmentExclude INTERNAL_* DATABASE_URL")
start_pidns pidns-excl "$CONF_EXCL" || fail "pidns-excl: server starts"
check "pidns: configured exclude pattern" absent INTERNAL_TOKEN
check "pidns: configured exclude name"    absent DATABASE_URL
check "pidns: not excluded: session variables still win" expect_out root 'echo "$USER|$HOME|$SHELL|$SSH_CONNECTION"' \
	'^root\|/root\|/bin/sh\|127\.0\.0\.1 '
stop_pidns

CONF_NOENV=$(write_conf noenv "PasswdFile $TMP/passwd-root" "InheritEnvironment no")
start_pidns pidns-off "$CONF_NOENV" || fail "pidns-off: server starts"
check "pidns: InheritEnvironment no"      absent APP_SECRET
stop_pidns

# --- FROM scratch: a chroot with only the binary and busybox ---------------

# start_chroot NAME ROOT: the static server chrooted into ROOT
start_chroot() {
	local name=$1 root=$2
	PORT=$(free_port)
	SERVER_LOG=$TMP/$name.log
	: > "$SERVER_LOG"
	chroot "$root" /dropbear -F -E -p "127.0.0.1:$PORT" -r /hostkey -A bearpass,/bearpass.conf \
		2>>"$SERVER_LOG" &
	SERVER_PID=$!
	SERVER_PIDS+=("$SERVER_PID")
	wait_for 20 server_ready "$SERVER_PID" "$SERVER_LOG" && kill -0 "$SERVER_PID" 2>/dev/null ||
		{ tail -n 20 "$SERVER_LOG" >&2; return 1; }
}
SCRATCH=$TMP/scratch
mkdir -p "$SCRATCH/bin"
cp "$STATIC" "$SCRATCH/dropbear"
cp "$TMP/hostkey" "$TMP/ca.pub" "$SCRATCH/"
printf 'TrustedUserCAKeys /ca.pub\n' > "$SCRATCH/bearpass.conf"
cp /bin/busybox "$SCRATCH/bin/busybox"
for a in sh id env; do ln -s busybox "$SCRATCH/bin/$a"; done
start_chroot scratch "$SCRATCH" || fail "scratch: server starts"
check "scratch: only what we put there"   bash -c "[ \"\$(cd '$SCRATCH' && ls -A | tr '\n' ' ')\" = 'bearpass.conf bin ca.pub dropbear hostkey ' ]"
check "scratch: id"                       expect_out root id '^uid=0 gid=0 groups=0$'
check "scratch: echo \$SHELL"             expect_out root 'echo $SHELL' '^/bin/sh$'
check "scratch: env"                      expect_out root env '^USER=root$' '^HOME=/$' '^SHELL=/bin/sh$' '^SSH_CONNECTION=127'
check "scratch: fly is root"              expect_out fly 'id -u' '^0$'
rm -f "$SCRATCH/bin/sh"
check "scratch: no /bin/sh: error, 127"   exec_err root 127 "bearpass: cannot start /bin/sh: No such file or directory"
check "scratch: second login, same answer" exec_err root 127 "bearpass: cannot start /bin/sh: No such file or directory"
shell_err() {
	local out rc
	out=$(rssh root -T < /dev/null 2>&1)
	rc=$?
	[ $rc -eq 127 ] && [[ $out == *"bearpass: cannot start /bin/sh: No such file or directory"* ]] ||
		{ echo "    rc=$rc: $out"; return 1; }
}
check "scratch: shell request too"        shell_err
check "scratch: server still running"     kill -0 "$SERVER_PID"
stop_server "$SERVER_PID"

finish runtime
