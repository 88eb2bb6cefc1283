/*
 * bearpass - libFuzzer target for the /etc/hosts and /proc/net/if_inet6
 * parsers of plugin/sixpn.c.
 *
 * The input is used whole by each parser, then split at its first NUL
 * byte into a hosts part and an if_inet6 part for bp_sixpn_discover.
 * Besides memory errors (build with -fsanitize=fuzzer,address,undefined)
 * it checks the promises of sixpn.h and aborts when one is broken: never
 * more results than max, never "::" or multicast, nothing outside the
 * prefix from if_inet6 or discover, no duplicates, nothing published on
 * error.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sixpn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_results(const struct bp_sixpn_addr *a, size_t n,
		size_t max, enum bp_error err, const struct bp_prefix *prefix) {
	static const unsigned char zero[16];
	size_t i, j;

	if (n > max || (err != BP_OK && n != 0)) {
		abort();
	}
	for (i = 0; i < n; i++) {
		if (memcmp(a[i].addr, zero, 16) == 0 || a[i].addr[0] == 0xff) {
			abort();
		}
		if (prefix != NULL && !bp_prefix_match(prefix, AF_INET6, a[i].addr)) {
			abort();
		}
		for (j = 0; j < i; j++) {
			if (memcmp(a[i].addr, a[j].addr, 16) == 0) {
				abort();
			}
		}
	}
}

static void ignore_warning(void *ctx, const char *msg) {
	(void)ctx;
	if (msg == NULL || strlen(msg) == 0) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	struct bp_sixpn_addr out[BP_SIXPN_MAX_ADDRS];
	struct bp_prefix prefix;
	const char *buf = (const char *)data;
	const char *nul;
	size_t n, hosts_len, max;
	enum bp_error err;

	memset(&prefix, 0, sizeof(prefix));
	prefix.family = AF_INET6;
	prefix.addr[0] = 0xfd;
	prefix.addr[1] = 0xaa;
	prefix.bits = 16;
	max = size % (BP_SIXPN_MAX_ADDRS + 1);

	err = bp_sixpn_parse_hosts(buf, size, out, BP_SIXPN_MAX_ADDRS, &n,
			ignore_warning, NULL);
	check_results(out, n, BP_SIXPN_MAX_ADDRS, err, NULL);

	err = bp_sixpn_parse_if_inet6(buf, size, &prefix, out, max, &n);
	check_results(out, n, max, err, &prefix);

	/* ::/0 lets every parsed address through the prefix */
	prefix.bits = 0;
	memset(prefix.addr, 0, sizeof(prefix.addr));
	err = bp_sixpn_parse_if_inet6(buf, size, &prefix, out,
			BP_SIXPN_MAX_ADDRS, &n);
	check_results(out, n, BP_SIXPN_MAX_ADDRS, err, &prefix);
	prefix.addr[0] = 0xfd;
	prefix.addr[1] = 0xaa;
	prefix.bits = 16;

	nul = size > 0 ? memchr(buf, '\0', size) : NULL;
	hosts_len = nul != NULL ? (size_t)(nul - buf) : size;
	err = bp_sixpn_discover(buf, hosts_len,
			nul != NULL ? nul + 1 : NULL,
			nul != NULL ? size - hosts_len - 1 : 0,
			&prefix, out, BP_SIXPN_MAX_ADDRS, &n, ignore_warning, NULL);
	check_results(out, n, BP_SIXPN_MAX_ADDRS, err, &prefix);
	if ((err == BP_OK) != (n > 0)) {
		abort();
	}
	return 0;
}
