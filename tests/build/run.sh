#!/bin/bash
# Build products: the static binary is static and holds no dlopen; the
# plugin is warning free; a second `make` does nothing.
set -u
. "$(dirname "$0")/../lib.sh"

UNSTRIPPED=$B/work/static/dropbear

check "static binary: file says statically linked" \
	bash -c "file '$STATIC' | grep -q 'statically linked'"
check "static binary: stripped" bash -c "file '$STATIC' | grep -q ', stripped'"
no_symbol() {
	! nm "$UNSTRIPPED" | grep -wE "$1"
}
check "static binary: no dlopen/dlsym" no_symbol 'dlopen|dlsym|__dlopen'
# users come from the plugin (patch 0005): no libc user database, no NSS
check "static binary: no libc user database" \
	no_symbol 'getpwnam|getpwuid|getgrouplist|getusershell|initgroups|getgrnam|getgrgid|__nss.*|__nscd_query'
check "static binary: plugin built in" bash -c "nm '$UNSTRIPPED' | grep -qw plugin_new"
check "static binary: -V runs" bash -c "'$STATIC' -V 2>&1 | grep -q 'Dropbear v'"
check "dynamic plugin: exports plugin_new" bash -c "nm -D '$DYN_SO' | grep -qw plugin_new"

# nothing to do on a second make: no download, no configure, no compile
second_make() {
	local before after out
	before=$(stat -c %Y "$STATIC" "$DYN" "$DYN_SO")
	out=$(cd "$ROOT" && timeout 120 make -s B="$B" all 2>&1)
	after=$(stat -c %Y "$STATIC" "$DYN" "$DYN_SO")
	[ "$before" = "$after" ] && [ -z "$out" ] || { echo "    make printed: $out"; return 1; }
}
check "second make is a no-op" second_make

# a tarball that does not match the pinned sha256 stops the build
checksum_mismatch() {
	local d=$B/work/tmp/fetchtest out rc
	rm -rf "$d" && mkdir -p "$d"
	cp "$(ls "$B"/src/dropbear_*.orig.tar.bz2 | head -n 1)" "$d/"
	printf 'x' | dd of="$(ls "$d"/*.tar.bz2)" bs=1 seek=1000 conv=notrunc status=none
	out=$(sh "$ROOT/build/fetch.sh" "$d" 2>&1)
	rc=$?
	rm -rf "$d"
	[ $rc -ne 0 ] && [[ $out == *"checksum mismatch"* ]] || { echo "    rc=$rc: $out"; return 1; }
}
check "fetch: checksum mismatch stops the build" checksum_mismatch

# make run's demo: the ssh command it prints logs in (as root) with the
# demo certificate from the demo's ssh-agent.
demo() {
	local log=$B/work/demo-test.log port pid cmd out
	port=$(free_port)
	PORT=$port B=$B setsid bash "$ROOT/build/demo.sh" > "$log" 2>&1 &
	pid=$!
	SERVER_PIDS+=("$pid")
	wait_for 30 server_ready "$pid" "$log" || { cat "$log"; return 1; }
	cmd=$(grep -m1 "SSH_AUTH_SOCK=" "$log" | sed 's/^ *//')
	out=$(timeout 20 bash -c "$cmd -o BatchMode=yes id" 2>&1)
	# the whole demo (server and agent) stops with its process group
	kill -TERM -- -"$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[[ $out == *"uid=0(root)"* ]] || { echo "    $cmd: $out"; return 1; }
}
check "make run: the printed ssh command logs in with the demo certificate" demo

finish build
