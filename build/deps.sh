#!/bin/sh
# Install the Debian packages a step needs, only those that are missing,
# so that a second run is quick and needs no network.
#
#   build/deps.sh build|test
set -eu

case "${1:-}" in
build)
	pkgs="gcc make musl-tools bzip2 file binutils xz-utils autoconf automake libtool"
	;;
test)
	pkgs="openssh-client python3 python3-pytest python3-psutil python3-asyncssh
	      python3-cryptography
	      iproute2 util-linux busybox-static putty-tools procps clang
	      openssh-server golang-go golang-golang-x-crypto-dev dropbear-bin valgrind"
	;;
*)
	echo "usage: $0 build|test" >&2
	exit 2
	;;
esac

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -n "$missing" ] || exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing packages:$missing" >&2
	echo "deps.sh: run as root, or install them: apt-get install$missing" >&2
	exit 1
fi
echo "deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# openssh-server is installed only as the reference server of the
# differential tests (tests/certs): its postinst must not start an sshd
# on port 22.  A policy-rc.d that exits 101 forbids service starts; ours
# is removed again, one already there is left alone.
rcd=/usr/sbin/policy-rc.d
if [ ! -e "$rcd" ]; then
	printf '#!/bin/sh\n# temporary, build/deps.sh\nexit 101\n' > "$rcd"
	chmod 755 "$rcd"
	trap 'rm -f "$rcd"' EXIT
	trap 'exit 130' INT TERM
fi
if ! apt-get install -y -q --no-install-recommends $missing; then
	apt-get update -q
	apt-get install -y -q --no-install-recommends $missing
fi
