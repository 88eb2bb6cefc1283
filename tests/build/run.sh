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

finish build
