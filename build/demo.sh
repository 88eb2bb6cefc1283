#!/bin/bash
# `make run`: a demo CA, host key, user key and configuration under
# build/demo/, then the static server in the foreground on 127.0.0.1:2222.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
case $B in /*) ;; *) B=$ROOT/$B ;; esac
B=$(cd "$B" && pwd)
D=$B/demo
PORT=${PORT:-2222}
mkdir -p "$D"
chmod 755 "$D"

[ -f "$D/ca" ] || ssh-keygen -q -t ed25519 -N '' -C "bearpass demo CA" -f "$D/ca"
[ -f "$D/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C "demo user" -f "$D/id_ed25519"
[ -f "$D/hostkey" ] || "$B/out/dyn/dropbearkey" -t ed25519 -f "$D/hostkey" >/dev/null

# A 24-hour certificate for the demo user, principals root and fly, as a
# member would get it from the organisation's CA.
rm -f "$D/id_ed25519-cert.pub"
ssh-keygen -q -s "$D/ca" -I "demo@bearpass" -n root,fly -V -5m:+24h -z "$(date +%s)" \
	"$D/id_ed25519.pub"

cat > "$D/bearpass.conf" <<CONF
# bearpass demo configuration (written by make run)
TrustedUserCAKeys $D/ca.pub
ListenAddress 127.0.0.1
Port $PORT
AuditLog stderr
CONF

"$B/out/dropbear" -C -A "bearpass,$D/bearpass.conf"

# The certificate lives in an ssh-agent of the demo's own, as
# `flyctl ssh issue -a` would leave it; stopped with the server.
rm -f "$D/agent.sock"
eval "$(ssh-agent -s -a "$D/agent.sock")" >/dev/null
AGENT_PID=$SSH_AGENT_PID
SERVER_PID=""
cleanup() {
	set +e
	[ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null
	kill "$AGENT_PID" 2>/dev/null
	rm -f "$D/agent.sock"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ssh-add -q "$D/id_ed25519" 2>/dev/null

cat <<MSG

bearpass demo server on 127.0.0.1:$PORT (Ctrl-C stops it). Log in with the
demo certificate held in the demo's ssh-agent:

  SSH_AUTH_SOCK=$D/agent.sock ssh -p $PORT -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null root@127.0.0.1

or straight from the files:

  ssh -p $PORT -i $D/id_ed25519 -o CertificateFile=$D/id_ed25519-cert.pub -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null root@127.0.0.1

MSG
"$B/out/dropbear" -F -E -r "$D/hostkey" -P "$D/dropbear.pid" \
	-A "bearpass,$D/bearpass.conf" &
SERVER_PID=$!
wait "$SERVER_PID"
