/*
 * bearpass - unit tests of plugin/sixpn.c.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "sixpn.h"
#include "t.h"

#define MAXW 8

struct warnings {
	int count;
	char last[256];
};

static void record_warning(void *ctx, const char *msg) {
	struct warnings *w = ctx;

	w->count++;
	strncpy(w->last, msg, sizeof(w->last) - 1);
	w->last[sizeof(w->last) - 1] = '\0';
}

static struct bp_prefix prefix6(const char *addr, int bits) {
	struct bp_prefix p;

	memset(&p, 0, sizeof(p));
	p.family = AF_INET6;
	p.bits = bits;
	if (inet_pton(AF_INET6, addr, p.addr) != 1) {
		p.bits = -1;
	}
	return p;
}

/* "a,b,c" of compressed addresses, "" for none */
static void addr_list(char *buf, size_t buflen,
		const struct bp_sixpn_addr *a, size_t n) {
	char text[INET6_ADDRSTRLEN];
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		inet_ntop(AF_INET6, a[i].addr, text, sizeof(text));
		if (i > 0) {
			strncat(buf, ",", buflen - strlen(buf) - 1);
		}
		strncat(buf, text, buflen - strlen(buf) - 1);
	}
}

/* A Fly.io machine's /etc/hosts */
#define FLY_HOSTS \
	"127.0.0.1\tlocalhost\n" \
	"::1\tlocalhost ip6-localhost ip6-loopback\n" \
	"fe00::0\tip6-localnet\n" \
	"ff00::0\tip6-mcastprefix\n" \
	"ff02::1\tip6-allnodes\n" \
	"ff02::2\tip6-allrouters\n" \
	"172.19.0.34\t5683d5ddc65d8e\n" \
	"fdaa:0:1:a7b:1f5:8c2e:d1c3:2\t5683d5ddc65d8e\n" \
	"fdaa:0:1:a7b:1f5:8c2e:d1c3:2\tfly-local-6pn\n" \
	"172.19.0.35\tfly-global-services\n"

static const struct {
	const char *name;
	const char *hosts;
	enum bp_error ret;
	const char *want;   /* all fly-local-6pn IPv6 addresses */
	int warnings;
} hosts_cases[] = {
	{ "fly", FLY_HOSTS, BP_OK, "fdaa:0:1:a7b:1f5:8c2e:d1c3:2", 0 },
	{ "empty", "", BP_OK, "", 0 },
	{ "absent", "127.0.0.1 localhost\n::1 localhost\n", BP_OK, "", 0 },
	{ "no final newline", "fdaa::5 fly-local-6pn", BP_OK, "fdaa::5", 0 },
	{ "crlf", "fdaa::5\tfly-local-6pn\r\n", BP_OK, "fdaa::5", 0 },
	{ "alias position", "fdaa::6 host1 host2 fly-local-6pn other\n",
		BP_OK, "fdaa::6", 0 },
	{ "case-insensitive", "fdaa::7 FLY-Local-6PN\n", BP_OK, "fdaa::7", 0 },
	{ "leading blanks", "  \t fdaa::8  fly-local-6pn  \n", BP_OK, "fdaa::8", 0 },
	{ "comment line", "# fdaa::9 fly-local-6pn\n", BP_OK, "", 0 },
	{ "commented name", "fdaa::9 other # fly-local-6pn\n", BP_OK, "", 0 },
	{ "trailing comment", "fdaa::a fly-local-6pn# the 6pn\n", BP_OK, "fdaa::a", 0 },
	{ "name prefix only", "fdaa::b fly-local-6pnx fly-local-6p\n", BP_OK, "", 0 },
	{ "name only", "fly-local-6pn\n", BP_OK, "", 0 },
	{ "ipv4 entry", "172.19.0.34 fly-local-6pn\n", BP_OK, "", 1 },
	{ "ipv4 then ipv6", "172.19.0.34 fly-local-6pn\nfdaa::c fly-local-6pn\n",
		BP_OK, "fdaa::c", 1 },
	{ "malformed address", "fdaa:::1 fly-local-6pn\nfdaa::g fly-local-6pn\n",
		BP_OK, "", 2 },
	{ "zone id", "fe80::1%eth0 fly-local-6pn\n", BP_OK, "", 1 },
	{ "NUL hides suffix", "fdaa::1\0zz fly-local-6pn\n", BP_OK, "", 1 },
	{ "wildcard", ":: fly-local-6pn\n::0 fly-local-6pn\n", BP_OK, "", 2 },
	{ "multicast", "ff02::1 fly-local-6pn\n", BP_OK, "", 1 },
	{ "outside prefix kept here", "fd00::1 fly-local-6pn\n", BP_OK, "fd00::1", 0 },
	{ "several, dedup, order",
		"fdaa::2 fly-local-6pn\nfdaa::1 fly-local-6pn\n"
		"fdaa:0::2 fly-local-6pn\n", BP_OK, "fdaa::2,fdaa::1", 0 },
	{ "garbage lines", "\n\n   \n#\n\xff\xfe\x01\nfdaa::d fly-local-6pn\n",
		BP_OK, "fdaa::d", 0 },
	{ "mapped ipv4", "::ffff:10.0.0.1 fly-local-6pn\n", BP_OK, "::ffff:10.0.0.1", 0 },
	{ "too many",
		"fdaa::1 fly-local-6pn\nfdaa::2 fly-local-6pn\nfdaa::3 fly-local-6pn\n"
		"fdaa::4 fly-local-6pn\nfdaa::5 fly-local-6pn\nfdaa::6 fly-local-6pn\n"
		"fdaa::7 fly-local-6pn\nfdaa::8 fly-local-6pn\nfdaa::9 fly-local-6pn\n",
		BP_ERR_TOO_LONG, "", 0 },
};

static void test_hosts(void) {
	struct bp_sixpn_addr out[MAXW];
	struct warnings w;
	char got[512];
	size_t i, n, len;
	enum bp_error err;

	for (i = 0; i < sizeof(hosts_cases) / sizeof(hosts_cases[0]); i++) {
		memset(&w, 0, sizeof(w));
		len = strlen(hosts_cases[i].hosts);
		if (strcmp(hosts_cases[i].name, "NUL hides suffix") == 0) {
			len = sizeof("fdaa::1\0zz fly-local-6pn\n") - 1;
		}
		n = 99;
		err = bp_sixpn_parse_hosts(hosts_cases[i].hosts, len, out, MAXW,
				&n, record_warning, &w);
		addr_list(got, sizeof(got), out, err == BP_OK ? n : 0);
		CHECKF(err == hosts_cases[i].ret, "%s: error %d",
				hosts_cases[i].name, (int)err);
		CHECKF(strcmp(got, hosts_cases[i].want) == 0, "%s: got \"%s\"",
				hosts_cases[i].name, got);
		CHECKF(err == BP_OK || n == 0, "%s: n=%zu on error",
				hosts_cases[i].name, n);
		CHECKF(w.count == hosts_cases[i].warnings, "%s: %d warnings (%s)",
				hosts_cases[i].name, w.count, w.last);
	}
}

static void test_hosts_limits(void) {
	struct bp_sixpn_addr out[MAXW];
	struct warnings w;
	char *buf;
	size_t n, len;

	/* an overlong line is skipped (with a warning), not cut */
	len = BP_SIXPN_MAX_LINE + 1;
	buf = malloc(len + 64);
	CHECK(buf != NULL);
	if (buf == NULL) {
		return;
	}
	memset(buf, ' ', len);
	memcpy(buf, "fdaa::1 fly-local-6pn", 21);
	memcpy(buf + len, "\nfdaa::2 fly-local-6pn\n", 23);
	memset(&w, 0, sizeof(w));
	CHECK(bp_sixpn_parse_hosts(buf, len + 23, out, MAXW, &n,
			record_warning, &w) == BP_OK);
	CHECK(n == 1 && out[0].addr[15] == 2);
	CHECK(w.count == 1);
	CHECK_STREQ(w.last, "hosts line 1: line too long, skipped");

	/* exactly at the limit is fine */
	len = BP_SIXPN_MAX_LINE;
	memset(buf, ' ', len);
	memcpy(buf, "fdaa::1 fly-local-6pn", 21);
	CHECK(bp_sixpn_parse_hosts(buf, len, out, MAXW, &n, NULL, NULL) == BP_OK);
	CHECK(n == 1 && out[0].addr[15] == 1);
	free(buf);

	/* an oversized file is refused */
	CHECK(bp_sixpn_parse_hosts("", BP_SIXPN_MAX_FILE + 1, out, MAXW, &n,
			NULL, NULL) == BP_ERR_TOO_LONG);
	CHECK(n == 0);

	/* the caller's max counts too; out untouched on error */
	memset(out, 0xee, sizeof(out));
	CHECK(bp_sixpn_parse_hosts("fdaa::1 fly-local-6pn\nfdaa::2 fly-local-6pn\n",
			44, out, 1, &n, NULL, NULL) == BP_ERR_TOO_LONG);
	CHECK(n == 0 && out[0].addr[0] == 0xee);
	CHECK(bp_sixpn_parse_hosts("fdaa::1 fly-local-6pn\nfdaa::1 fly-local-6pn\n",
			44, out, 1, &n, NULL, NULL) == BP_OK);
	CHECK(n == 1);

	/* bad arguments */
	CHECK(bp_sixpn_parse_hosts(NULL, 1, out, MAXW, &n, NULL, NULL)
			== BP_ERR_INTERNAL);
	CHECK(bp_sixpn_parse_hosts(NULL, 0, out, MAXW, &n, NULL, NULL) == BP_OK);
	CHECK(n == 0);
	CHECK(bp_sixpn_parse_hosts("", 0, out, MAXW, NULL, NULL, NULL)
			== BP_ERR_INTERNAL);
}

/* /proc/net/if_inet6 of a Fly.io machine */
#define IF_LO   "00000000000000000000000000000001 01 80 10 80       lo\n"
#define IF_ETH  "fdaa00000001aa7b01f58c2ed1c30002 02 7f 00 80     eth0\n"
#define IF_ETH2 "fdaa00000001aa7b01f58c2ed1c30003 02 80 00 80     eth0\n"
#define IF_LL   "fe80000000000000a8f2e2fffe3d4c21 02 40 20 80     eth0\n"
#define IF_GLOB "2605401201000000000000000000abcd 02 40 00 00     eth0\n"

static const struct {
	const char *name;
	const char *text;
	enum bp_error ret;
	const char *want;
} if_cases[] = {
	{ "fly", IF_LO IF_LL IF_ETH, BP_OK, "fdaa:0:1:aa7b:1f5:8c2e:d1c3:2" },
	{ "order kept", IF_ETH2 IF_LO IF_ETH IF_GLOB, BP_OK,
		"fdaa:0:1:aa7b:1f5:8c2e:d1c3:3,fdaa:0:1:aa7b:1f5:8c2e:d1c3:2" },
	{ "dedup", IF_ETH IF_ETH
		"fdaa00000001aa7b01f58c2ed1c30002 03 7f 00 80 eth1\n",
		BP_OK, "fdaa:0:1:aa7b:1f5:8c2e:d1c3:2" },
	{ "none in prefix", IF_LO IF_LL IF_GLOB, BP_OK, "" },
	{ "empty", "", BP_OK, "" },
	{ "tentative",
		"fdaa0000000000000000000000000001 02 40 00 40     eth0\n", BP_OK, "" },
	{ "tentative+permanent",
		"fdaa0000000000000000000000000001 02 40 00 c0     eth0\n", BP_OK, "" },
	{ "dadfailed",
		"fdaa0000000000000000000000000001 02 40 00 08     eth0\n", BP_OK, "" },
	{ "optimistic, deprecated ok",
		"fdaa0000000000000000000000000001 02 40 00 24     eth0\n",
		BP_OK, "fdaa::1" },
	{ "link scope skipped",
		"fdaa0000000000000000000000000001 02 40 20 80     eth0\n", BP_OK, "" },
	{ "upper-case hex", "FDAA0000000000000000000000000001 0A 40 00 80 eth0\n",
		BP_OK, "fdaa::1" },
	{ "big ifindex", "fdaa0000000000000000000000000001 7fffffff 40 00 80 veth0\n",
		BP_OK, "fdaa::1" },
	{ "no final newline", "fdaa0000000000000000000000000001 02 40 00 80 eth0",
		BP_OK, "fdaa::1" },
	{ "short address", "fdaa000000000000000000000000001 02 40 00 80 eth0\n",
		BP_OK, "" },
	{ "long address", "fdaa00000000000000000000000000011 02 40 00 80 eth0\n",
		BP_OK, "" },
	{ "non-hex address", "fdaa000000000000000000000000000g 02 40 00 80 eth0\n",
		BP_OK, "" },
	{ "missing ifname", "fdaa0000000000000000000000000001 02 40 00 80\n",
		BP_OK, "" },
	{ "extra field", "fdaa0000000000000000000000000001 02 40 00 80 eth0 x\n",
		BP_OK, "" },
	{ "prefixlen > 128", "fdaa0000000000000000000000000001 02 81 00 80 eth0\n",
		BP_OK, "" },
	{ "flags too wide", "fdaa0000000000000000000000000001 02 40 00 180 eth0\n",
		BP_OK, "" },
	{ "ifindex 0", "fdaa0000000000000000000000000001 00 40 00 80 eth0\n",
		BP_OK, "" },
	{ "ifindex too wide", "fdaa0000000000000000000000000001 100000000 40 00 80 eth0\n",
		BP_OK, "" },
	{ "ifname too long", "fdaa0000000000000000000000000001 02 40 00 80 "
		"abcdefghijklmnop\n", BP_OK, "" },
	{ "signed field", "fdaa0000000000000000000000000001 -2 40 00 80 eth0\n",
		BP_OK, "" },
	{ "malformed then good", "garbage\n\n" IF_ETH, BP_OK,
		"fdaa:0:1:aa7b:1f5:8c2e:d1c3:2" },
};

static void test_if_inet6(void) {
	struct bp_sixpn_addr out[MAXW];
	struct bp_prefix p;
	char got[512];
	const char *pgot = got;     /* CHECK_STREQ wants a pointer */
	size_t i, n;
	enum bp_error err;

	p = prefix6("fdaa::", 16);
	for (i = 0; i < sizeof(if_cases) / sizeof(if_cases[0]); i++) {
		n = 99;
		err = bp_sixpn_parse_if_inet6(if_cases[i].text,
				strlen(if_cases[i].text), &p, out, MAXW, &n);
		addr_list(got, sizeof(got), out, err == BP_OK ? n : 0);
		CHECKF(err == if_cases[i].ret, "%s: error %d", if_cases[i].name,
				(int)err);
		CHECKF(strcmp(got, if_cases[i].want) == 0, "%s: got \"%s\"",
				if_cases[i].name, got);
	}

	/* the prefix decides */
	p = prefix6("2605:4012::", 32);
	CHECK(bp_sixpn_parse_if_inet6(IF_LO IF_ETH IF_GLOB,
			strlen(IF_LO IF_ETH IF_GLOB), &p, out, MAXW, &n) == BP_OK);
	addr_list(got, sizeof(got), out, n);
	CHECK_STREQ(pgot, "2605:4012:100::abcd");
	p = prefix6("fdaa:0:1:aa7b::", 64);
	CHECK(bp_sixpn_parse_if_inet6(IF_ETH, strlen(IF_ETH), &p, out, MAXW,
			&n) == BP_OK && n == 1);
	p = prefix6("fdaa:0:1:aa7c::", 64);
	CHECK(bp_sixpn_parse_if_inet6(IF_ETH, strlen(IF_ETH), &p, out, MAXW,
			&n) == BP_OK && n == 0);

	/* ::/0 still never yields :: (nor a link-local address) */
	p = prefix6("::", 0);
	CHECK(bp_sixpn_parse_if_inet6(
			"00000000000000000000000000000000 02 00 00 80 eth0\n" IF_LL,
			51 + strlen(IF_LL), &p, out, MAXW, &n) == BP_OK);
	CHECK(n == 0);
	CHECK(bp_sixpn_parse_if_inet6(IF_LO, strlen(IF_LO), &p, out, MAXW,
			&n) == BP_OK && n == 1);

	/* an IPv4 prefix is a caller bug */
	p.family = AF_INET;
	CHECK(bp_sixpn_parse_if_inet6(IF_ETH, strlen(IF_ETH), &p, out, MAXW,
			&n) == BP_ERR_INTERNAL);
	CHECK(bp_sixpn_parse_if_inet6(IF_ETH, strlen(IF_ETH), NULL, out, MAXW,
			&n) == BP_ERR_INTERNAL);

	/* too many distinct addresses */
	p = prefix6("fdaa::", 16);
	CHECK(bp_sixpn_parse_if_inet6(IF_ETH IF_ETH2, 2 * strlen(IF_ETH), &p,
			out, 1, &n) == BP_ERR_TOO_LONG);
	CHECK(n == 0);
}

static const struct {
	const char *name;
	const char *hosts;      /* NULL: no file */
	const char *if_inet6;   /* NULL: no file */
	enum bp_error ret;
	const char *want;
	int warnings;
} disc_cases[] = {
	{ "hosts wins", FLY_HOSTS, IF_LO IF_ETH2, BP_OK,
		"fdaa:0:1:a7b:1f5:8c2e:d1c3:2", 0 },
	{ "no entry: interfaces", "127.0.0.1 localhost\n", IF_LO IF_LL IF_ETH2,
		BP_OK, "fdaa:0:1:aa7b:1f5:8c2e:d1c3:3", 0 },
	{ "no hosts file", NULL, IF_ETH, BP_OK, "fdaa:0:1:aa7b:1f5:8c2e:d1c3:2", 0 },
	{ "entry outside prefix", "fd00::1 fly-local-6pn\n", IF_ETH, BP_OK,
		"fdaa:0:1:aa7b:1f5:8c2e:d1c3:2", 1 },
	{ "outside and inside", "fd00::1 fly-local-6pn\nfdaa::9 fly-local-6pn\n",
		IF_ETH, BP_OK, "fdaa::9", 1 },
	{ "ipv4 entry", "172.19.0.34 fly-local-6pn\n", IF_ETH, BP_OK,
		"fdaa:0:1:aa7b:1f5:8c2e:d1c3:2", 1 },
	{ "hosts entry without interface", "fdaa::9 fly-local-6pn\n", "",
		BP_OK, "fdaa::9", 0 },
	{ "hosts entry, no if_inet6", "fdaa::9 fly-local-6pn\n", NULL,
		BP_OK, "fdaa::9", 0 },
	{ "nothing", NULL, NULL, BP_ERR_NO_6PN, "", 0 },
	{ "nothing yet (tentative)", "",
		"fdaa0000000000000000000000000001 02 40 00 c0     eth0\n",
		BP_ERR_NO_6PN, "", 0 },
	{ "only lo and link-local", "", IF_LO IF_LL, BP_ERR_NO_6PN, "", 0 },
	{ "wildcard entry", ":: fly-local-6pn\n", IF_LO, BP_ERR_NO_6PN, "", 1 },
	{ "outside, no interface", "fd00::1 fly-local-6pn\n", IF_GLOB,
		BP_ERR_NO_6PN, "", 1 },
};

static void test_discover(void) {
	struct bp_sixpn_addr out[MAXW];
	struct bp_prefix p;
	struct warnings w;
	char got[512];
	size_t i, n;
	enum bp_error err;

	p = prefix6("fdaa::", 16);
	for (i = 0; i < sizeof(disc_cases) / sizeof(disc_cases[0]); i++) {
		memset(&w, 0, sizeof(w));
		n = 99;
		err = bp_sixpn_discover(disc_cases[i].hosts,
				disc_cases[i].hosts ? strlen(disc_cases[i].hosts) : 0,
				disc_cases[i].if_inet6,
				disc_cases[i].if_inet6 ? strlen(disc_cases[i].if_inet6) : 0,
				&p, out, MAXW, &n, record_warning, &w);
		addr_list(got, sizeof(got), out, err == BP_OK ? n : 0);
		CHECKF(err == disc_cases[i].ret, "%s: error %d", disc_cases[i].name,
				(int)err);
		CHECKF(strcmp(got, disc_cases[i].want) == 0, "%s: got \"%s\"",
				disc_cases[i].name, got);
		CHECKF(err == BP_OK || n == 0, "%s: n=%zu", disc_cases[i].name, n);
		CHECKF(w.count == disc_cases[i].warnings, "%s: %d warnings (%s)",
				disc_cases[i].name, w.count, w.last);
	}

	/* the warning names the address */
	memset(&w, 0, sizeof(w));
	CHECK(bp_sixpn_discover("fd00::1 fly-local-6pn\n", 22, IF_ETH,
			strlen(IF_ETH), &p, out, MAXW, &n, record_warning, &w) == BP_OK);
	CHECK_STREQ(w.last,
			"hosts: fly-local-6pn fd00::1 is outside the 6PN prefix, ignored");
	/* and a NULL callback is fine */
	CHECK(bp_sixpn_discover("fd00::1 fly-local-6pn\n", 22, IF_ETH,
			strlen(IF_ETH), &p, out, MAXW, &n, NULL, NULL) == BP_OK);
	CHECK(n == 1);

	/* errors of the parsers propagate: fail closed */
	CHECK(bp_sixpn_discover("", BP_SIXPN_MAX_FILE + 1, IF_ETH,
			strlen(IF_ETH), &p, out, MAXW, &n, NULL, NULL) == BP_ERR_TOO_LONG);
	CHECK(n == 0);
	CHECK(bp_sixpn_discover(NULL, 0, IF_ETH IF_ETH2, 2 * strlen(IF_ETH),
			&p, out, 1, &n, NULL, NULL) == BP_ERR_TOO_LONG);
	CHECK(bp_sixpn_discover("fdaa::1 fly-local-6pn\nfdaa::2 fly-local-6pn\n", 44,
			NULL, 0, &p, out, 1, &n, NULL, NULL) == BP_ERR_TOO_LONG);
	CHECK(bp_sixpn_discover(NULL, 0, IF_ETH, strlen(IF_ETH), NULL, out,
			MAXW, &n, NULL, NULL) == BP_ERR_INTERNAL);
}

int main(void) {
	test_hosts();
	test_hosts_limits();
	test_if_inet6();
	test_discover();
	return T_DONE("sixpn");
}
