#!/bin/bash
# `make run`: a demo CA, host key, user key and configuration under
# build/demo/, then the static server in the foreground on 127.0.0.1:2222.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "$ROOT/${B:-build}" && pwd)
D=$B/demo
PORT=${PORT:-2222}
mkdir -p "$D"
chmod 755 "$D"

[ -f "$D/ca" ] || ssh-keygen -q -t ed25519 -N '' -C "bearpass demo CA" -f "$D/ca"
[ -f "$D/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C "demo user" -f "$D/id_ed25519"
[ -f "$D/hostkey" ] || "$B/out/dyn/dropbearkey" -t ed25519 -f "$D/hostkey" >/dev/null

# Until certificate login lands, the demo logs in with a plain key listed
# in an authorized_keys file the demo owns (-D), never the machine's own.
mkdir -p -m 700 "$D/authkeys"
cp "$D/id_ed25519.pub" "$D/authkeys/authorized_keys"
chmod 600 "$D/authkeys/authorized_keys"

cat > "$D/bearpass.conf" <<CONF
# bearpass demo configuration (written by make run)
TrustedUserCAKeys $D/ca.pub
ListenAddress 127.0.0.1
Port $PORT
AuthorizedKeys yes
AuditLog stderr
CONF

"$B/out/dropbear" -C -A "bearpass,$D/bearpass.conf"

cat <<MSG

bearpass demo server on 127.0.0.1:$PORT (Ctrl-C stops it). Log in with:

  ssh -p $PORT -i $D/id_ed25519 -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null root@127.0.0.1

MSG
exec "$B/out/dropbear" -F -E -p "127.0.0.1:$PORT" -r "$D/hostkey" -P "$D/dropbear.pid" \
	-D "$D/authkeys" -A "bearpass,$D/bearpass.conf"
