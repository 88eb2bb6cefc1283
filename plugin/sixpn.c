/*
 * bearpass - 6PN address discovery.  See sixpn.h.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "sixpn.h"

#define SIXPN_MAX_ADDR_TEXT 46   /* INET6_ADDRSTRLEN, with NUL */
#define SIXPN_MAX_IFNAME    15   /* IFNAMSIZ - 1 */
#define SIXPN_MAX_MSG       160

/* Results collected before publishing. */
struct sixpn_set {
	struct bp_sixpn_addr addr[BP_SIXPN_MAX_ADDRS];
	size_t n;
	size_t max;
};

static void set_init(struct sixpn_set *set, size_t max) {
	memset(set, 0, sizeof(*set));
	set->max = max < BP_SIXPN_MAX_ADDRS ? max : BP_SIXPN_MAX_ADDRS;
}

/* Add addr unless already present; -1 when the set is full. */
static int set_add(struct sixpn_set *set, const unsigned char addr[16]) {
	size_t i;

	for (i = 0; i < set->n; i++) {
		if (memcmp(set->addr[i].addr, addr, 16) == 0) {
			return 0;
		}
	}
	if (set->n >= set->max) {
		return -1;
	}
	memcpy(set->addr[set->n].addr, addr, 16);
	set->n++;
	return 0;
}

static void set_publish(const struct sixpn_set *set,
		struct bp_sixpn_addr *out, size_t *n) {
	if (set->n > 0) {
		memcpy(out, set->addr, set->n * sizeof(set->addr[0]));
	}
	*n = set->n;
}

/* Neither the unspecified address nor multicast: something to bind. */
static int usable_addr(const unsigned char addr[16]) {
	static const unsigned char zero[16];

	if (memcmp(addr, zero, 16) == 0) {
		return 0;
	}
	if (addr[0] == 0xff) {
		return 0;
	}
	return 1;
}

/* The next line at *pos (without its newline); 0 at the end. */
static int next_line(const char *buf, size_t len, size_t *pos,
		const char **line, size_t *linelen) {
	const char *nl;

	if (*pos >= len) {
		return 0;
	}
	*line = buf + *pos;
	nl = memchr(*line, '\n', len - *pos);
	if (nl == NULL) {
		*linelen = len - *pos;
		*pos = len;
	} else {
		*linelen = (size_t)(nl - *line);
		*pos += *linelen + 1;
	}
	return 1;
}

static int is_blank(char c) {
	return c == ' ' || c == '\t' || c == '\r';
}

/* The next blank-separated field of line[*pos..len); 0 if none. */
static int next_field(const char *line, size_t len, size_t *pos,
		const char **field, size_t *flen) {
	size_t i;

	i = *pos;
	while (i < len && is_blank(line[i])) {
		i++;
	}
	if (i >= len) {
		*pos = len;
		return 0;
	}
	*field = line + i;
	while (i < len && !is_blank(line[i])) {
		i++;
	}
	*flen = (size_t)(line + i - *field);
	*pos = i;
	return 1;
}

/* Parse a textual address of the given family, refusing anything but
 * the characters an address can hold (so no NUL hides a suffix). */
static int parse_addr(int family, const char *s, size_t len,
		unsigned char *addr) {
	char text[SIXPN_MAX_ADDR_TEXT];
	size_t i;

	if (len == 0 || len >= sizeof(text)) {
		return -1;
	}
	for (i = 0; i < len; i++) {
		if (strchr("0123456789abcdefABCDEF:.", s[i]) == NULL
				|| s[i] == '\0') {
			return -1;
		}
	}
	memcpy(text, s, len);
	text[len] = '\0';
	if (inet_pton(family, text, addr) != 1) {
		return -1;
	}
	return 0;
}

static void warn_line(bp_sixpn_warn_fn warn, void *ctx, unsigned long lineno,
		const char *what) {
	char msg[SIXPN_MAX_MSG];

	if (warn == NULL) {
		return;
	}
	snprintf(msg, sizeof(msg), "hosts line %lu: %s", lineno, what);
	warn(ctx, msg);
}

enum bp_error bp_sixpn_parse_hosts(const char *buf, size_t len,
		struct bp_sixpn_addr *out, size_t max, size_t *n,
		bp_sixpn_warn_fn warn, void *ctx) {
	struct sixpn_set set;
	const char *line, *hash, *addr_s, *name;
	size_t pos, linelen, fpos, addr_len, name_len, namelen_want;
	unsigned char addr[16];
	unsigned long lineno;
	int named;
	enum bp_error ret = BP_ERR_INTERNAL;

	if (n == NULL) {
		goto out;
	}
	*n = 0;
	if ((buf == NULL && len != 0) || (out == NULL && max != 0)) {
		goto out;
	}
	if (len > BP_SIXPN_MAX_FILE) {
		ret = BP_ERR_TOO_LONG;
		goto out;
	}
	set_init(&set, max);
	namelen_want = strlen(BP_SIXPN_HOSTS_NAME);

	pos = 0;
	lineno = 0;
	while (next_line(buf, len, &pos, &line, &linelen)) {
		lineno++;
		if (linelen > BP_SIXPN_MAX_LINE) {
			warn_line(warn, ctx, lineno, "line too long, skipped");
			continue;
		}
		hash = memchr(line, '#', linelen);
		if (hash != NULL) {
			linelen = (size_t)(hash - line);
		}
		fpos = 0;
		if (!next_field(line, linelen, &fpos, &addr_s, &addr_len)) {
			continue;
		}
		named = 0;
		while (next_field(line, linelen, &fpos, &name, &name_len)) {
			if (name_len == namelen_want && strncasecmp(name,
					BP_SIXPN_HOSTS_NAME, name_len) == 0) {
				named = 1;
				break;
			}
		}
		if (!named) {
			continue;
		}
		if (parse_addr(AF_INET6, addr_s, addr_len, addr) != 0) {
			if (parse_addr(AF_INET, addr_s, addr_len, addr) == 0) {
				warn_line(warn, ctx, lineno, BP_SIXPN_HOSTS_NAME
						" has an IPv4 address, ignored");
			} else {
				warn_line(warn, ctx, lineno, BP_SIXPN_HOSTS_NAME
						" has an invalid address, ignored");
			}
			continue;
		}
		if (!usable_addr(addr)) {
			warn_line(warn, ctx, lineno, BP_SIXPN_HOSTS_NAME
					" has an unspecified or multicast address, ignored");
			continue;
		}
		if (set_add(&set, addr) != 0) {
			ret = BP_ERR_TOO_LONG;
			goto out;
		}
	}

	set_publish(&set, out, n);
	ret = BP_OK;
out:
	return ret;
}

/* A hex number of 1..maxdigits digits, at most maxval. */
static int parse_hex(const char *s, size_t len, size_t maxdigits,
		unsigned long maxval, unsigned long *val) {
	unsigned long v;
	size_t i;
	int d;

	if (len == 0 || len > maxdigits) {
		return -1;
	}
	v = 0;
	for (i = 0; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			d = s[i] - '0';
		} else if (s[i] >= 'a' && s[i] <= 'f') {
			d = s[i] - 'a' + 10;
		} else if (s[i] >= 'A' && s[i] <= 'F') {
			d = s[i] - 'A' + 10;
		} else {
			return -1;
		}
		v = v * 16 + (unsigned long)d;
	}
	if (v > maxval) {
		return -1;
	}
	*val = v;
	return 0;
}

/* One if_inet6 line; 0 and *addr, *scope, *flags on success. */
static int parse_if_inet6_line(const char *line, size_t len,
		unsigned char addr[16], unsigned long *scope,
		unsigned long *flags) {
	const char *f[6];
	const char *extra;
	size_t flen[6], extra_len, pos, i;
	unsigned long v, ifindex, plen;

	pos = 0;
	for (i = 0; i < 6; i++) {
		if (!next_field(line, len, &pos, &f[i], &flen[i])) {
			return -1;
		}
	}
	if (next_field(line, len, &pos, &extra, &extra_len)) {
		return -1;
	}
	if (flen[0] != 32) {
		return -1;
	}
	for (i = 0; i < 16; i++) {
		if (parse_hex(f[0] + 2 * i, 2, 2, 0xff, &v) != 0) {
			return -1;
		}
		addr[i] = (unsigned char)v;
	}
	if (parse_hex(f[1], flen[1], 8, 0xffffffffUL, &ifindex) != 0
			|| ifindex == 0
			|| parse_hex(f[2], flen[2], 2, 128, &plen) != 0
			|| parse_hex(f[3], flen[3], 2, 0xff, scope) != 0
			|| parse_hex(f[4], flen[4], 2, 0xff, flags) != 0) {
		return -1;
	}
	if (flen[5] > SIXPN_MAX_IFNAME) {
		return -1;
	}
	for (i = 0; i < flen[5]; i++) {
		if (f[5][i] == '\0' || f[5][i] == '/') {
			return -1;
		}
	}
	return 0;
}

enum bp_error bp_sixpn_parse_if_inet6(const char *buf, size_t len,
		const struct bp_prefix *prefix,
		struct bp_sixpn_addr *out, size_t max, size_t *n) {
	struct sixpn_set set;
	const char *line;
	size_t pos, linelen;
	unsigned char addr[16];
	unsigned long scope, flags;
	enum bp_error ret = BP_ERR_INTERNAL;

	if (n == NULL) {
		goto out;
	}
	*n = 0;
	if ((buf == NULL && len != 0) || (out == NULL && max != 0)
			|| prefix == NULL || prefix->family != AF_INET6) {
		goto out;
	}
	if (len > BP_SIXPN_MAX_FILE) {
		ret = BP_ERR_TOO_LONG;
		goto out;
	}
	set_init(&set, max);

	pos = 0;
	while (next_line(buf, len, &pos, &line, &linelen)) {
		if (linelen > BP_SIXPN_MAX_IF_LINE) {
			continue;
		}
		if (parse_if_inet6_line(line, linelen, addr, &scope, &flags) != 0) {
			continue;
		}
		if (flags & (BP_SIXPN_IFA_F_TENTATIVE | BP_SIXPN_IFA_F_DADFAILED)) {
			continue;
		}
		if (scope == BP_SIXPN_SCOPE_LINK || !usable_addr(addr)) {
			continue;
		}
		if (!bp_prefix_match(prefix, AF_INET6, addr)) {
			continue;
		}
		if (set_add(&set, addr) != 0) {
			ret = BP_ERR_TOO_LONG;
			goto out;
		}
	}

	set_publish(&set, out, n);
	ret = BP_OK;
out:
	return ret;
}

enum bp_error bp_sixpn_discover(const char *hosts, size_t hosts_len,
		const char *if_inet6, size_t if_inet6_len,
		const struct bp_prefix *prefix,
		struct bp_sixpn_addr *out, size_t max, size_t *n,
		bp_sixpn_warn_fn warn, void *ctx) {
	struct bp_sixpn_addr named[BP_SIXPN_MAX_ADDRS];
	struct sixpn_set set;
	char text[SIXPN_MAX_ADDR_TEXT];
	char msg[SIXPN_MAX_MSG];
	size_t nnamed, i;
	enum bp_error err;
	enum bp_error ret = BP_ERR_INTERNAL;

	if (n == NULL) {
		goto out;
	}
	*n = 0;
	if ((out == NULL && max != 0) || prefix == NULL
			|| prefix->family != AF_INET6) {
		goto out;
	}
	set_init(&set, max);

	/* 1. the hosts file entry, inside the prefix */
	if (hosts != NULL) {
		err = bp_sixpn_parse_hosts(hosts, hosts_len, named,
				BP_SIXPN_MAX_ADDRS, &nnamed, warn, ctx);
		if (err != BP_OK) {
			ret = err;
			goto out;
		}
		for (i = 0; i < nnamed; i++) {
			if (!bp_prefix_match(prefix, AF_INET6, named[i].addr)) {
				if (warn != NULL) {
					if (inet_ntop(AF_INET6, named[i].addr, text,
							sizeof(text)) == NULL) {
						strcpy(text, "?");
					}
					snprintf(msg, sizeof(msg), "hosts: %s %s is outside "
							"the 6PN prefix, ignored",
							BP_SIXPN_HOSTS_NAME, text);
					warn(ctx, msg);
				}
				continue;
			}
			if (set_add(&set, named[i].addr) != 0) {
				ret = BP_ERR_TOO_LONG;
				goto out;
			}
		}
	}

	/* 2. the interfaces */
	if (set.n == 0 && if_inet6 != NULL) {
		err = bp_sixpn_parse_if_inet6(if_inet6, if_inet6_len, prefix,
				set.addr, set.max, &set.n);
		if (err != BP_OK) {
			ret = err;
			goto out;
		}
	}

	if (set.n == 0) {
		ret = BP_ERR_NO_6PN;
		goto out;
	}
	set_publish(&set, out, n);
	ret = BP_OK;
out:
	return ret;
}
