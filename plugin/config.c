/*
 * bearpass - bearpass.conf parser (see config.h for the rules).
 *
 * Keyword table, one handler switch, "file:line: message" diagnostics,
 * in the manner of OpenSSH's servconf.c.  The file is parsed into a fresh
 * struct bp_config that starts from the defaults and is published only
 * when no error was found.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "config.h"

#define BP_CONFIG_MAX_SIXPN_WAIT    3600U              /* seconds */
#define BP_CONFIG_MAX_SESSION_TIME  (365U * 86400U)    /* one year */
#define BP_CONFIG_MAX_STARTUPS      1000U
#define BP_CONFIG_MAX_ALIVE         86400U             /* one day */
#define BP_CONFIG_MAX_TOKENS        (BP_CONFIG_MAX_LINE / 2 + 1)
#define BP_ADDR_TEXT_MAX            63  /* address text given to inet_pton */

#if defined(__GNUC__)
#define BP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define BP_PRINTF(f, a)
#endif

enum kw_id {
	KW_TRUSTED_USER_CA_KEYS = 0,
	KW_TRUSTED_USER_CA_KEYS_ENV,
	KW_AUTHORIZED_PRINCIPALS_FILE,
	KW_REVOKED_KEYS,
	KW_AUTHORIZED_KEYS,
	KW_LISTEN_ADDRESS,
	KW_PORT,
	KW_SIXPN_PREFIX,
	KW_SIXPN_WAIT,
	KW_ALLOW_FROM,
	KW_PASSWD_FILE,
	KW_GROUP_FILE,
	KW_UNKNOWN_USER,
	KW_DEFAULT_SHELL,
	KW_INHERIT_ENVIRONMENT,
	KW_INHERIT_ENVIRONMENT_EXCLUDE,
	KW_AUDIT_LOG,
	KW_ALLOW_TCP_FORWARDING,
	KW_ALLOW_AGENT_FORWARDING,
	KW_PERMIT_TTY,
	KW_ACCEPT_ENV,
	KW_DISCONNECT_EXPIRED_CERT,
	KW_MAX_SESSION_TIME,
	KW_PER_SOURCE_MAX_STARTUPS,
	KW_HOST_KEY_DIR,
	KW_SUBSYSTEM,
	KW_CLIENT_ALIVE_INTERVAL,
	KW_COUNT
};

struct keyword {
	const char *name;       /* canonical spelling, used in messages */
	enum kw_id id;
	int list;               /* may repeat, values accumulate */
};

static const struct keyword keywords[] = {
	{ "TrustedUserCAKeys",         KW_TRUSTED_USER_CA_KEYS,        0 },
	{ "TrustedUserCAKeysEnv",      KW_TRUSTED_USER_CA_KEYS_ENV,    0 },
	{ "AuthorizedPrincipalsFile",  KW_AUTHORIZED_PRINCIPALS_FILE,  0 },
	{ "RevokedKeys",               KW_REVOKED_KEYS,                0 },
	{ "AuthorizedKeys",            KW_AUTHORIZED_KEYS,             0 },
	{ "ListenAddress",             KW_LISTEN_ADDRESS,              1 },
	{ "Port",                      KW_PORT,                        0 },
	{ "SixPNPrefix",               KW_SIXPN_PREFIX,                0 },
	{ "SixPNWait",                 KW_SIXPN_WAIT,                  0 },
	{ "AllowFrom",                 KW_ALLOW_FROM,                  1 },
	{ "PasswdFile",                KW_PASSWD_FILE,                 0 },
	{ "GroupFile",                 KW_GROUP_FILE,                  0 },
	{ "UnknownUser",               KW_UNKNOWN_USER,                0 },
	{ "DefaultShell",              KW_DEFAULT_SHELL,               0 },
	{ "InheritEnvironment",        KW_INHERIT_ENVIRONMENT,         0 },
	{ "InheritEnvironmentExclude", KW_INHERIT_ENVIRONMENT_EXCLUDE, 1 },
	{ "AuditLog",                  KW_AUDIT_LOG,                   0 },
	{ "AllowTcpForwarding",        KW_ALLOW_TCP_FORWARDING,        0 },
	{ "AllowAgentForwarding",      KW_ALLOW_AGENT_FORWARDING,      0 },
	{ "PermitTTY",                 KW_PERMIT_TTY,                  0 },
	{ "AcceptEnv",                 KW_ACCEPT_ENV,                  1 },
	{ "DisconnectExpiredCert",     KW_DISCONNECT_EXPIRED_CERT,     0 },
	{ "MaxSessionTime",            KW_MAX_SESSION_TIME,            0 },
	{ "PerSourceMaxStartups",      KW_PER_SOURCE_MAX_STARTUPS,     0 },
	{ "HostKeyDir",                KW_HOST_KEY_DIR,                0 },
	{ "Subsystem",                 KW_SUBSYSTEM,                   0 },
	{ "ClientAliveInterval",       KW_CLIENT_ALIVE_INTERVAL,       0 },
};

/* Variables of PID 1 never inherited by default: they describe PID 1
 * itself or are dynamic-loader hooks; the session sets its own anyway. */
static const char *const default_inherit_exclude[] = {
	"HOME", "USER", "LOGNAME", "SHELL", "PWD", "OLDPWD", "SHLVL", "_",
	"MAIL", "TERM", "SSH_*", "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT",
	"NOTIFY_SOCKET", "LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES",
	"INVOCATION_ID",
};

static const char *const default_accept_env[] = {
	"LANG", "LC_*", "TERM", "FLY_SSH_*",
};

struct tok {
	const char *p;
	size_t len;
};

struct parse_state {
	const char *file;
	unsigned long line;
	bp_config_diag_fn diag;
	void *ctx;
	int nerrors;
	int stop;                       /* error cap reached or out of memory */
	unsigned long seen[KW_COUNT];   /* line of first occurrence, 0: none */
	int ca_error;                   /* a CA keyword had a bad value */
	struct bp_config *cfg;
};

#define TOKFMT(t) (int)(t).len, (t).p

/* ---- diagnostics ---- */

static void emit(struct parse_state *st, const char *text)
{
	const char *file = st->file ? st->file : "(config)";
	char *msg = NULL;
	size_t need;

	st->nerrors++;
	if (st->diag == NULL) {
		return;
	}
	need = strlen(file) + strlen(text) + 32;
	msg = malloc(need);
	if (msg == NULL) {
		st->diag(st->ctx, text);
		return;
	}
	snprintf(msg, need, "%s:%lu: %s", file, st->line, text);
	st->diag(st->ctx, msg);
	free(msg);
}

static void oom(struct parse_state *st)
{
	if (!st->stop) {
		emit(st, "out of memory");
		st->stop = 1;
	}
}

static void perr(struct parse_state *st, const char *fmt, ...) BP_PRINTF(2, 3);

static void perr(struct parse_state *st, const char *fmt, ...)
{
	va_list ap;
	char *text = NULL;
	int n;

	if (st->stop) {
		return;
	}
	if (st->nerrors >= BP_CONFIG_MAX_ERRORS) {
		emit(st, "too many errors, giving up");
		st->stop = 1;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		emit(st, "cannot format message");
		return;
	}
	text = malloc((size_t)n + 1);
	if (text == NULL) {
		oom(st);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(text, (size_t)n + 1, fmt, ap);
	va_end(ap);
	emit(st, text);
	free(text);
}

/* ---- small helpers ---- */

static int ascii_lower(int c)
{
	if (c >= 'A' && c <= 'Z') {
		return c - 'A' + 'a';
	}
	return c;
}

/* Case-insensitive (ASCII) comparison of (s, len) with a literal. */
static int ci_eq(const char *s, size_t len, const char *lit)
{
	size_t i;

	if (strlen(lit) != len) {
		return 0;
	}
	for (i = 0; i < len; i++) {
		if (ascii_lower((unsigned char)s[i]) != ascii_lower((unsigned char)lit[i])) {
			return 0;
		}
	}
	return 1;
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static char *dup_n(const char *s, size_t len)
{
	char *d = malloc(len + 1);

	if (d != NULL) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

/* Decimal number of 1+ digits in [min, max], no sign.  0 or -1. */
static int parse_uint(const char *s, size_t len, unsigned long min,
		unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (len == 0) {
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned long d;

		if (!is_digit((unsigned char)s[i])) {
			return -1;
		}
		d = (unsigned long)(s[i] - '0');
		if (d > max || v > (max - d) / 10) {
			return -1;
		}
		v = v * 10 + d;
	}
	if (v < min) {
		return -1;
	}
	*out = v;
	return 0;
}

/* A time as sshd_config writes it: one or more parts NUMBER[s|m|h|d|w]
 * (a part without suffix is seconds), e.g. "90", "5m", "1h30m".
 * The total must not exceed max.  0 or -1. */
static int parse_time(const char *s, size_t len, unsigned long max,
		unsigned long *out)
{
	unsigned long total = 0;
	size_t i = 0;

	if (len == 0) {
		return -1;
	}
	while (i < len) {
		unsigned long part = 0, mult = 1;

		if (!is_digit((unsigned char)s[i])) {
			return -1;
		}
		while (i < len && is_digit((unsigned char)s[i])) {
			unsigned long d = (unsigned long)(s[i] - '0');

			if (d > max || part > (max - d) / 10) {
				return -1;
			}
			part = part * 10 + d;
			i++;
		}
		if (i < len) {
			switch (ascii_lower((unsigned char)s[i])) {
			case 's':
				mult = 1;
				break;
			case 'm':
				mult = 60;
				break;
			case 'h':
				mult = 3600;
				break;
			case 'd':
				mult = 86400;
				break;
			case 'w':
				mult = 604800;
				break;
			default:
				return -1;
			}
			i++;
		}
		if (part > max / mult) {
			return -1;
		}
		part *= mult;
		if (part > max - total) {
			return -1;
		}
		total += part;
	}
	*out = total;
	return 0;
}

static int is_var_name(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || is_digit((unsigned char)s[0])) {
		return 0;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!(c == '_' || is_digit(c) || (c >= 'A' && c <= 'Z')
				|| (c >= 'a' && c <= 'z'))) {
			return 0;
		}
	}
	return 1;
}

static int is_env_pattern(const char *s, size_t len)
{
	size_t i;

	if (len == 0) {
		return 0;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!(c == '_' || c == '*' || c == '?' || is_digit(c)
				|| (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
			return 0;
		}
	}
	return 1;
}

/* Returns the offending byte offset of a bad '%' token, or -1 if every
 * '%' is followed by 'u' or '%'. */
static long bad_percent(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] != '%') {
			continue;
		}
		if (i + 1 < len && (s[i + 1] == 'u' || s[i + 1] == '%')) {
			i++;
			continue;
		}
		return (long)i;
	}
	return -1;
}

/* ---- addresses ---- */

/* Copy (s, len) into a NUL-terminated buffer of BP_ADDR_TEXT_MAX + 1 bytes
 * and run inet_pton.  0 or -1. */
static int addr_pton(int family, const char *s, size_t len, unsigned char *addr)
{
	char text[BP_ADDR_TEXT_MAX + 1];

	if (len == 0 || len > BP_ADDR_TEXT_MAX || memchr(s, '\0', len) != NULL) {
		return -1;
	}
	memcpy(text, s, len);
	text[len] = '\0';
	if (inet_pton(family, text, addr) != 1) {
		return -1;
	}
	return 0;
}

int bp_prefix_parse(struct bp_prefix *out, const char *s, size_t len)
{
	struct bp_prefix p;
	const char *slash;
	size_t alen, i;
	unsigned long bits;
	int maxbits;
	int ret = -1;

	memset(&p, 0, sizeof(p));
	if (out != NULL) {
		memset(out, 0, sizeof(*out));
	}
	if (out == NULL || s == NULL) {
		goto out;
	}
	slash = memchr(s, '/', len);
	alen = slash ? (size_t)(slash - s) : len;
	if (memchr(s, ':', alen) != NULL) {
		p.family = AF_INET6;
		maxbits = 128;
	} else {
		p.family = AF_INET;
		maxbits = 32;
	}
	if (addr_pton(p.family, s, alen, p.addr) != 0) {
		goto out;
	}
	if (slash != NULL) {
		/* at most 3 digits: "/0128" is not a prefix length */
		if (len - alen - 1 > 3 || parse_uint(slash + 1, len - alen - 1,
				0, (unsigned long)maxbits, &bits) != 0) {
			goto out;
		}
		p.bits = (int)bits;
	} else {
		p.bits = maxbits;
	}
	/* clear host bits */
	for (i = 0; i < 16; i++) {
		int keep = p.bits - (int)i * 8;

		if (keep >= 8) {
			continue;
		}
		if (keep <= 0) {
			p.addr[i] = 0;
		} else {
			p.addr[i] &= (unsigned char)(0xff << (8 - keep));
		}
	}
	*out = p;
	ret = 0;
out:
	return ret;
}

int bp_prefix_match(const struct bp_prefix *prefix, int family,
		const unsigned char *addr)
{
	static const unsigned char v4mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};
	int maxbits, full, rest;

	if (prefix == NULL || addr == NULL) {
		return 0;
	}
	if (prefix->family == AF_INET && family == AF_INET6
			&& memcmp(addr, v4mapped, sizeof(v4mapped)) == 0) {
		addr += sizeof(v4mapped);
		family = AF_INET;
	}
	if (family != prefix->family) {
		return 0;
	}
	maxbits = family == AF_INET ? 32 : 128;
	if (prefix->bits < 0 || prefix->bits > maxbits) {
		return 0;
	}
	full = prefix->bits / 8;
	rest = prefix->bits % 8;
	if (memcmp(addr, prefix->addr, (size_t)full) != 0) {
		return 0;
	}
	if (rest != 0) {
		unsigned char mask = (unsigned char)(0xff << (8 - rest));

		if ((addr[full] & mask) != (prefix->addr[full] & mask)) {
			return 0;
		}
	}
	return 1;
}

/* "6pn", "any", IPv4, IPv6, "v4:port", "[v6]:port" or "[v6]".  0 or -1. */
static int parse_listen(struct bp_listen *l, const char *s, size_t len)
{
	const char *addr = s, *port = NULL, *colon;
	size_t alen = len, plen = 0;
	unsigned long portnum;

	memset(l, 0, sizeof(*l));
	if (ci_eq(s, len, "6pn")) {
		l->kind = BP_LISTEN_6PN;
		return 0;
	}
	if (ci_eq(s, len, "any")) {
		l->kind = BP_LISTEN_ANY;
		return 0;
	}
	l->kind = BP_LISTEN_ADDRESS;
	if (len > 0 && s[0] == '[') {
		const char *close = memchr(s, ']', len);
		size_t restlen;

		if (close == NULL) {
			return -1;
		}
		addr = s + 1;
		alen = (size_t)(close - addr);
		restlen = len - alen - 2;
		if (restlen > 0) {
			if (close[1] != ':') {
				return -1;
			}
			port = close + 2;
			plen = restlen - 1;
		}
		l->family = AF_INET6;
	} else {
		colon = memchr(s, ':', len);
		if (colon != NULL && memchr(colon + 1, ':',
				len - (size_t)(colon + 1 - s)) == NULL) {
			alen = (size_t)(colon - s);
			port = colon + 1;
			plen = len - alen - 1;
			l->family = AF_INET;
		} else if (colon != NULL) {
			l->family = AF_INET6;
		} else {
			l->family = AF_INET;
		}
	}
	if (addr_pton(l->family, addr, alen, l->addr) != 0) {
		return -1;
	}
	if (port != NULL) {
		if (parse_uint(port, plen, 1, 65535, &portnum) != 0) {
			return -1;
		}
		l->port = (int)portnum;
	}
	return 0;
}

/* ---- shell-style patterns ---- */

static int pattern_match(const char *pat, const char *s, size_t slen)
{
	size_t plen = strlen(pat);
	size_t pi = 0, si = 0, star_p = 0, star_s = 0;
	int have_star = 0;

	while (si < slen) {
		if (pi < plen && pat[pi] == '*') {
			have_star = 1;
			star_p = pi++;
			star_s = si;
		} else if (pi < plen && (pat[pi] == '?' || pat[pi] == s[si])) {
			pi++;
			si++;
		} else if (have_star) {
			pi = star_p + 1;
			si = ++star_s;
		} else {
			return 0;
		}
	}
	while (pi < plen && pat[pi] == '*') {
		pi++;
	}
	return pi == plen;
}

int bp_pattern_list_match(char *const *patterns, size_t npatterns,
		const char *name, size_t namelen)
{
	size_t i;

	if (patterns == NULL || (name == NULL && namelen != 0)) {
		return 0;
	}
	for (i = 0; i < npatterns; i++) {
		if (patterns[i] != NULL && pattern_match(patterns[i], name, namelen)) {
			return 1;
		}
	}
	return 0;
}

/* ---- value handlers ---- */

/* Exactly one value after the keyword. */
static int one_value(struct parse_state *st, const struct keyword *kw,
		const struct tok *t, size_t ntok)
{
	if (ntok < 2) {
		perr(st, "%s: missing value", kw->name);
		return -1;
	}
	if (ntok > 2) {
		perr(st, "%s: unexpected extra value \"%.*s\"", kw->name, TOKFMT(t[2]));
		return -1;
	}
	return 0;
}

static void bad_value(struct parse_state *st, const struct keyword *kw,
		const struct tok *t, const char *expected)
{
	perr(st, "%s: bad value \"%.*s\" (expected %s)", kw->name, TOKFMT(*t),
			expected);
}

static void set_string(struct parse_state *st, char **dst, const struct tok *t)
{
	char *d = dup_n(t->p, t->len);

	if (d == NULL) {
		oom(st);
		return;
	}
	free(*dst);
	*dst = d;
}

/* Absolute path; "none" clears when allow_none. */
static void h_path(struct parse_state *st, const struct keyword *kw,
		const struct tok *t, int allow_none, char **dst)
{
	if (allow_none && ci_eq(t->p, t->len, "none")) {
		free(*dst);
		*dst = NULL;
		return;
	}
	if (t->p[0] != '/') {
		bad_value(st, kw, t, allow_none ? "an absolute path or none"
				: "an absolute path");
		return;
	}
	set_string(st, dst, t);
}

static void h_yesno(struct parse_state *st, const struct keyword *kw,
		const struct tok *t, int *dst)
{
	if (ci_eq(t->p, t->len, "yes")) {
		*dst = 1;
	} else if (ci_eq(t->p, t->len, "no")) {
		*dst = 0;
	} else {
		bad_value(st, kw, t, "yes or no");
	}
}

static void h_fwd(struct parse_state *st, const struct keyword *kw,
		const struct tok *t, enum bp_fwd_policy *dst)
{
	if (ci_eq(t->p, t->len, "no")) {
		*dst = BP_FWD_NO;
	} else if (ci_eq(t->p, t->len, "certificate")) {
		*dst = BP_FWD_CERTIFICATE;
	} else if (ci_eq(t->p, t->len, "yes")) {
		*dst = BP_FWD_YES;
	} else {
		bad_value(st, kw, t, "no, certificate or yes");
	}
}

static void h_time(struct parse_state *st, const struct keyword *kw,
		const struct tok *t, unsigned long max, const char *expected,
		unsigned int *dst)
{
	unsigned long v;

	if (parse_time(t->p, t->len, max, &v) != 0) {
		bad_value(st, kw, t, expected);
		return;
	}
	*dst = (unsigned int)v;
}

/* Names or patterns; the first occurrence in the file replaces the
 * built-in list. */
static void h_patterns(struct parse_state *st, const struct keyword *kw,
		const struct tok *t, size_t ntok, int first,
		char **list, size_t *n)
{
	size_t i;

	if (first) {
		for (i = 0; i < *n; i++) {
			free(list[i]);
			list[i] = NULL;
		}
		*n = 0;
	}
	for (i = 1; i < ntok; i++) {
		if (!is_env_pattern(t[i].p, t[i].len)) {
			bad_value(st, kw, &t[i],
				"a variable name or pattern of A-Z a-z 0-9 _ * ?");
			continue;
		}
		if (*n >= BP_CONFIG_MAX_LIST) {
			perr(st, "%s: too many values (max %d)", kw->name,
					BP_CONFIG_MAX_LIST);
			return;
		}
		list[*n] = dup_n(t[i].p, t[i].len);
		if (list[*n] == NULL) {
			oom(st);
			return;
		}
		(*n)++;
	}
}

static void h_allow_from(struct parse_state *st, const struct keyword *kw,
		const struct tok *t, size_t ntok)
{
	struct bp_config *cfg = st->cfg;
	struct bp_prefix p[2];
	size_t i, np, j;

	cfg->allow_from_set = 1;
	for (i = 1; i < ntok; i++) {
		if (ci_eq(t[i].p, t[i].len, "any")) {
			if (bp_prefix_parse(&p[0], "0.0.0.0/0", 9) != 0
					|| bp_prefix_parse(&p[1], "::/0", 4) != 0) {
				perr(st, "internal error");
				return;
			}
			np = 2;
		} else if (bp_prefix_parse(&p[0], t[i].p, t[i].len) == 0) {
			np = 1;
		} else {
			bad_value(st, kw, &t[i], "an address, a prefix such as "
					"10.0.0.0/8 or fdaa::/16, or any");
			continue;
		}
		if (cfg->nallow_from + np > BP_CONFIG_MAX_LIST) {
			perr(st, "%s: too many values (max %d)", kw->name,
					BP_CONFIG_MAX_LIST);
			return;
		}
		for (j = 0; j < np; j++) {
			cfg->allow_from[cfg->nallow_from++] = p[j];
		}
	}
}

static void h_listen(struct parse_state *st, const struct keyword *kw,
		const struct tok *t)
{
	struct bp_config *cfg = st->cfg;
	struct bp_listen l;
	size_t i;

	if (parse_listen(&l, t->p, t->len) != 0) {
		bad_value(st, kw, t, "6pn, any, an address, ADDR:PORT or [ADDR]:PORT");
		return;
	}
	/* a wildcard address only by saying "any" */
	if (l.kind == BP_LISTEN_ADDRESS) {
		static const unsigned char zero[16];

		if (memcmp(l.addr, zero, l.family == AF_INET ? 4 : 16) == 0) {
			perr(st, "%s: \"%.*s\" is every address (write \"any\" to mean that)",
					kw->name, TOKFMT(*t));
			return;
		}
	}
	for (i = 0; i < cfg->nlisten; i++) {
		if (memcmp(&cfg->listen[i], &l, sizeof(l)) == 0) {
			perr(st, "%s: duplicate value \"%.*s\"", kw->name, TOKFMT(*t));
			return;
		}
	}
	if (cfg->nlisten >= BP_CONFIG_MAX_LIST) {
		perr(st, "%s: too many values (max %d)", kw->name, BP_CONFIG_MAX_LIST);
		return;
	}
	cfg->listen[cfg->nlisten++] = l;
}

static void h_subsystem(struct parse_state *st, const struct keyword *kw,
		const struct tok *t, size_t ntok)
{
	struct bp_config *cfg = st->cfg;

	if (ntok < 2) {
		perr(st, "%s: missing value", kw->name);
		return;
	}
	if (ci_eq(t[1].p, t[1].len, "none")) {
		if (ntok > 2) {
			perr(st, "%s: unexpected extra value \"%.*s\"", kw->name,
					TOKFMT(t[2]));
			return;
		}
		cfg->sftp = BP_SUBSYS_NONE;
		free(cfg->sftp_path);
		cfg->sftp_path = NULL;
		return;
	}
	if (!(t[1].len == 4 && memcmp(t[1].p, "sftp", 4) == 0)) {
		bad_value(st, kw, &t[1], "sftp or none");
		return;
	}
	if (ntok < 3) {
		perr(st, "%s: missing value after sftp", kw->name);
		return;
	}
	if (ntok > 3) {
		perr(st, "%s: unexpected extra value \"%.*s\"", kw->name, TOKFMT(t[3]));
		return;
	}
	if (ci_eq(t[2].p, t[2].len, "internal")) {
		cfg->sftp = BP_SUBSYS_INTERNAL;
		free(cfg->sftp_path);
		cfg->sftp_path = NULL;
		return;
	}
	if (t[2].p[0] != '/') {
		bad_value(st, kw, &t[2], "internal or an absolute path");
		return;
	}
	set_string(st, &cfg->sftp_path, &t[2]);
	if (cfg->sftp_path != NULL) {
		cfg->sftp = BP_SUBSYS_PATH;
	}
}

/* ---- lines ---- */

static const struct keyword *lookup(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
		if (ci_eq(s, len, keywords[i].name)) {
			return &keywords[i];
		}
	}
	return NULL;
}

static void dispatch(struct parse_state *st, const struct keyword *kw,
		const struct tok *t, size_t ntok, int first)
{
	struct bp_config *cfg = st->cfg;
	unsigned long v;
	long bad;

	/* keywords that take a list or a special shape */
	switch (kw->id) {
	case KW_ALLOW_FROM:
		if (ntok < 2) {
			perr(st, "%s: missing value", kw->name);
			return;
		}
		h_allow_from(st, kw, t, ntok);
		return;
	case KW_INHERIT_ENVIRONMENT_EXCLUDE:
	case KW_ACCEPT_ENV:
		if (ntok < 2) {
			perr(st, "%s: missing value", kw->name);
			return;
		}
		if (kw->id == KW_ACCEPT_ENV) {
			h_patterns(st, kw, t, ntok, first, cfg->accept_env,
					&cfg->naccept_env);
		} else {
			h_patterns(st, kw, t, ntok, first, cfg->inherit_env_exclude,
					&cfg->ninherit_env_exclude);
		}
		return;
	case KW_SUBSYSTEM:
		h_subsystem(st, kw, t, ntok);
		return;
	default:
		break;
	}

	if (one_value(st, kw, t, ntok) != 0) {
		return;
	}
	t = &t[1];

	switch (kw->id) {
	case KW_TRUSTED_USER_CA_KEYS:
		h_path(st, kw, t, 0, &cfg->trusted_user_ca_keys);
		cfg->line_trusted_user_ca_keys = st->line;
		break;
	case KW_TRUSTED_USER_CA_KEYS_ENV:
		if (ci_eq(t->p, t->len, "none")) {
			free(cfg->trusted_user_ca_keys_env);
			cfg->trusted_user_ca_keys_env = NULL;
		} else if (!is_var_name(t->p, t->len)) {
			bad_value(st, kw, t, "a variable name or none");
		} else {
			set_string(st, &cfg->trusted_user_ca_keys_env, t);
		}
		break;
	case KW_AUTHORIZED_PRINCIPALS_FILE:
		if (ci_eq(t->p, t->len, "none")) {
			free(cfg->authorized_principals_file);
			cfg->authorized_principals_file = NULL;
		} else if ((bad = bad_percent(t->p, t->len)) >= 0) {
			perr(st, "%s: bad value \"%.*s\" (unknown token \"%.*s\", "
					"only %%u and %%%% are allowed)", kw->name,
					TOKFMT(*t), (size_t)bad + 1 < t->len ? 2 : 1,
					t->p + bad);
		} else {
			set_string(st, &cfg->authorized_principals_file, t);
		}
		break;
	case KW_REVOKED_KEYS:
		h_path(st, kw, t, 1, &cfg->revoked_keys);
		cfg->line_revoked_keys = st->line;
		break;
	case KW_AUTHORIZED_KEYS:
		h_yesno(st, kw, t, &cfg->authorized_keys);
		break;
	case KW_LISTEN_ADDRESS:
		h_listen(st, kw, t);
		break;
	case KW_PORT:
		if (parse_uint(t->p, t->len, 1, 65535, &v) != 0) {
			bad_value(st, kw, t, "1-65535");
		} else {
			cfg->port = (int)v;
		}
		break;
	case KW_SIXPN_PREFIX:
		{
			struct bp_prefix p;

			if (memchr(t->p, '/', t->len) == NULL
					|| bp_prefix_parse(&p, t->p, t->len) != 0
					|| p.family != AF_INET6) {
				bad_value(st, kw, t, "an IPv6 prefix such as fdaa::/16");
			} else {
				cfg->sixpn_prefix = p;
			}
		}
		break;
	case KW_SIXPN_WAIT:
		h_time(st, kw, t, BP_CONFIG_MAX_SIXPN_WAIT,
				"a time of 0 to 3600 seconds, such as 30, 90s or 5m",
				&cfg->sixpn_wait);
		break;
	case KW_PASSWD_FILE:
		h_path(st, kw, t, 0, &cfg->passwd_file);
		cfg->line_passwd_file = st->line;
		break;
	case KW_GROUP_FILE:
		h_path(st, kw, t, 0, &cfg->group_file);
		cfg->line_group_file = st->line;
		break;
	case KW_UNKNOWN_USER:
		if (ci_eq(t->p, t->len, "root")) {
			cfg->unknown_user = BP_UNKNOWN_USER_ROOT;
		} else if (ci_eq(t->p, t->len, "deny")) {
			cfg->unknown_user = BP_UNKNOWN_USER_DENY;
		} else {
			bad_value(st, kw, t, "root or deny");
		}
		break;
	case KW_DEFAULT_SHELL:
		h_path(st, kw, t, 0, &cfg->default_shell);
		break;
	case KW_INHERIT_ENVIRONMENT:
		h_yesno(st, kw, t, &cfg->inherit_environment);
		break;
	case KW_AUDIT_LOG:
		if (ci_eq(t->p, t->len, "stderr")) {
			cfg->audit_kind = BP_AUDIT_STDERR;
			free(cfg->audit_path);
			cfg->audit_path = NULL;
		} else if (ci_eq(t->p, t->len, "syslog")) {
			cfg->audit_kind = BP_AUDIT_SYSLOG;
			free(cfg->audit_path);
			cfg->audit_path = NULL;
		} else if (t->p[0] == '/') {
			set_string(st, &cfg->audit_path, t);
			if (cfg->audit_path != NULL) {
				cfg->audit_kind = BP_AUDIT_FILE;
			}
		} else {
			bad_value(st, kw, t, "stderr, syslog or an absolute path");
		}
		break;
	case KW_ALLOW_TCP_FORWARDING:
		h_fwd(st, kw, t, &cfg->allow_tcp_forwarding);
		break;
	case KW_ALLOW_AGENT_FORWARDING:
		h_fwd(st, kw, t, &cfg->allow_agent_forwarding);
		break;
	case KW_PERMIT_TTY:
		h_fwd(st, kw, t, &cfg->permit_tty);
		break;
	case KW_DISCONNECT_EXPIRED_CERT:
		h_yesno(st, kw, t, &cfg->disconnect_expired_cert);
		break;
	case KW_MAX_SESSION_TIME:
		h_time(st, kw, t, BP_CONFIG_MAX_SESSION_TIME,
				"a time of 0 to 31536000 seconds (1 year), such as 0, 8h or 2d",
				&cfg->max_session_time);
		break;
	case KW_CLIENT_ALIVE_INTERVAL:
		h_time(st, kw, t, BP_CONFIG_MAX_ALIVE,
				"a time of 0 to 86400 seconds (1 day), such as 0, 30 or 1m",
				&cfg->client_alive_interval);
		break;
	case KW_PER_SOURCE_MAX_STARTUPS:
		if (parse_uint(t->p, t->len, 1, BP_CONFIG_MAX_STARTUPS, &v) != 0) {
			bad_value(st, kw, t, "1-1000");
		} else {
			cfg->per_source_max_startups = (unsigned int)v;
		}
		break;
	case KW_HOST_KEY_DIR:
		h_path(st, kw, t, 0, &cfg->host_key_dir);
		break;
	default:
		perr(st, "internal error: keyword %s", kw->name);
		break;
	}
}

static void parse_line(struct parse_state *st, const char *p, size_t len)
{
	struct tok t[BP_CONFIG_MAX_TOKENS];
	const struct keyword *kw;
	size_t ntok = 0, i = 0;
	int first, nerrors;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			perr(st, "control character 0x%02x in line", c);
			return;
		}
	}
	i = 0;
	while (i < len) {
		while (i < len && (p[i] == ' ' || p[i] == '\t')) {
			i++;
		}
		if (i == len) {
			break;
		}
		if (ntok == BP_CONFIG_MAX_TOKENS) {
			/* cannot happen: a line of MAX_LINE bytes has fewer */
			perr(st, "too many values");
			return;
		}
		t[ntok].p = p + i;
		while (i < len && p[i] != ' ' && p[i] != '\t') {
			i++;
		}
		t[ntok].len = (size_t)(p + i - t[ntok].p);
		ntok++;
	}
	if (ntok == 0 || t[0].p[0] == '#') {
		return;
	}
	kw = lookup(t[0].p, t[0].len);
	if (kw == NULL) {
		if (memchr(t[0].p, '=', t[0].len) != NULL) {
			perr(st, "unknown keyword \"%.*s\" (write \"Keyword value\", "
					"not \"Keyword=value\")", TOKFMT(t[0]));
		} else {
			perr(st, "unknown keyword \"%.*s\"", TOKFMT(t[0]));
		}
		return;
	}
	first = st->seen[kw->id] == 0;
	if (!first && !kw->list) {
		perr(st, "duplicate keyword %s (first given at line %lu)",
				kw->name, st->seen[kw->id]);
		return;
	}
	if (first) {
		st->seen[kw->id] = st->line;
	}
	nerrors = st->nerrors;
	dispatch(st, kw, t, ntok, first);
	if (st->nerrors != nerrors && (kw->id == KW_TRUSTED_USER_CA_KEYS
			|| kw->id == KW_TRUSTED_USER_CA_KEYS_ENV)) {
		st->ca_error = 1;
	}
}

/* ---- public ---- */

void bp_config_free(struct bp_config *cfg)
{
	size_t i;

	if (cfg == NULL) {
		return;
	}
	free(cfg->trusted_user_ca_keys);
	free(cfg->trusted_user_ca_keys_env);
	free(cfg->authorized_principals_file);
	free(cfg->revoked_keys);
	free(cfg->passwd_file);
	free(cfg->group_file);
	free(cfg->default_shell);
	for (i = 0; i < cfg->ninherit_env_exclude && i < BP_CONFIG_MAX_LIST; i++) {
		free(cfg->inherit_env_exclude[i]);
	}
	free(cfg->audit_path);
	for (i = 0; i < cfg->naccept_env && i < BP_CONFIG_MAX_LIST; i++) {
		free(cfg->accept_env[i]);
	}
	free(cfg->host_key_dir);
	free(cfg->sftp_path);
	memset(cfg, 0, sizeof(*cfg));
}

int bp_config_defaults(struct bp_config *cfg)
{
	size_t i;
	int ret = -1;

	memset(cfg, 0, sizeof(*cfg));
	cfg->authorized_keys = 0;
	cfg->nlisten = 0;
	cfg->port = 22;
	if (bp_prefix_parse(&cfg->sixpn_prefix, "fdaa::/16", 9) != 0) {
		goto out;
	}
	cfg->sixpn_wait = 30;
	cfg->nallow_from = 0;
	cfg->allow_from_set = 0;
	cfg->passwd_file = dup_n("/etc/passwd", 11);
	cfg->group_file = dup_n("/etc/group", 10);
	cfg->unknown_user = BP_UNKNOWN_USER_ROOT;
	cfg->default_shell = dup_n("/bin/sh", 7);
	cfg->inherit_environment = 1;
	for (i = 0; i < sizeof(default_inherit_exclude)
			/ sizeof(default_inherit_exclude[0]); i++) {
		const char *s = default_inherit_exclude[i];

		cfg->inherit_env_exclude[i] = dup_n(s, strlen(s));
		if (cfg->inherit_env_exclude[i] == NULL) {
			goto out;
		}
		cfg->ninherit_env_exclude = i + 1;
	}
	cfg->audit_kind = BP_AUDIT_STDERR;
	cfg->allow_tcp_forwarding = BP_FWD_CERTIFICATE;
	cfg->allow_agent_forwarding = BP_FWD_CERTIFICATE;
	cfg->permit_tty = BP_FWD_CERTIFICATE;
	for (i = 0; i < sizeof(default_accept_env)
			/ sizeof(default_accept_env[0]); i++) {
		const char *s = default_accept_env[i];

		cfg->accept_env[i] = dup_n(s, strlen(s));
		if (cfg->accept_env[i] == NULL) {
			goto out;
		}
		cfg->naccept_env = i + 1;
	}
	cfg->disconnect_expired_cert = 0;
	cfg->max_session_time = 0;
	cfg->client_alive_interval = 0;
	cfg->per_source_max_startups = BP_CONFIG_DEFAULT_MAX_STARTUPS;
	cfg->host_key_dir = dup_n("/etc/dropbear", 13);
	cfg->sftp = BP_SUBSYS_INTERNAL;
	cfg->sftp_path = NULL;
	if (cfg->passwd_file == NULL || cfg->group_file == NULL
			|| cfg->default_shell == NULL || cfg->host_key_dir == NULL) {
		goto out;
	}
	ret = 0;
out:
	if (ret != 0) {
		bp_config_free(cfg);
	}
	return ret;
}

int bp_config_parse(struct bp_config *out, const char *file,
		const char *buf, size_t len,
		bp_config_diag_fn diag, void *ctx)
{
	struct bp_config cfg;
	struct parse_state st;
	const char *p, *end, *nl, *nul;
	size_t linelen;

	memset(out, 0, sizeof(*out));
	memset(&st, 0, sizeof(st));
	memset(&cfg, 0, sizeof(cfg));
	st.file = file;
	st.diag = diag;
	st.ctx = ctx;
	st.cfg = &cfg;
	st.line = 1;

	if (buf == NULL && len != 0) {
		perr(&st, "internal error: no buffer");
		goto out;
	}
	if (len > BP_CONFIG_MAX_SIZE) {
		perr(&st, "file too large (max %d bytes)", BP_CONFIG_MAX_SIZE);
		goto out;
	}
	nul = len ? memchr(buf, '\0', len) : NULL;
	if (nul != NULL) {
		for (p = buf; p < nul; p++) {
			if (*p == '\n') {
				st.line++;
			}
		}
		perr(&st, "NUL byte in file");
		goto out;
	}
	if (bp_config_defaults(&cfg) != 0) {
		oom(&st);
		goto out;
	}

	st.line = 0;
	p = buf;
	end = buf + len;
	while (p < end && !st.stop) {
		st.line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		linelen = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (linelen > 0 && p[linelen - 1] == '\r') {
			linelen--;
		}
		if (linelen > BP_CONFIG_MAX_LINE) {
			perr(&st, "line too long (max %d)", BP_CONFIG_MAX_LINE);
		} else {
			parse_line(&st, p, linelen);
		}
		p = nl ? nl + 1 : end;
	}
	if (st.line == 0) {
		st.line = 1;
	}
	/* not when a CA line was already reported as bad */
	if (!st.stop && !st.ca_error && cfg.trusted_user_ca_keys == NULL
			&& cfg.trusted_user_ca_keys_env == NULL) {
		perr(&st, "missing TrustedUserCAKeys or TrustedUserCAKeysEnv "
				"(at least one is required)");
	}
out:
	if (st.nerrors == 0) {
		*out = cfg;
	} else {
		bp_config_free(&cfg);
	}
	return st.nerrors;
}

int bp_config_expand_principals_file(const char *tmpl, const char *user,
		size_t userlen, const char *home, size_t homelen, char **out)
{
	char *res = NULL;
	size_t tlen, need, i, o;
	int ret = -1;

	if (out != NULL) {
		*out = NULL;
	}
	if (out == NULL || tmpl == NULL || user == NULL || home == NULL) {
		goto out;
	}
	/* a login name must not escape the directory it is placed in */
	if (userlen == 0 || memchr(user, '/', userlen) != NULL
			|| memchr(user, '\0', userlen) != NULL
			|| (userlen == 1 && user[0] == '.')
			|| (userlen == 2 && user[0] == '.' && user[1] == '.')) {
		goto out;
	}
	if (memchr(home, '\0', homelen) != NULL) {
		goto out;
	}
	tlen = strlen(tmpl);
	if (bad_percent(tmpl, tlen) >= 0) {
		goto out;
	}
	/* size: home + '/' + template with every 2-byte token replaced */
	need = 0;
	if (tmpl[0] != '/') {
		need = homelen + 1;
	}
	for (i = 0; i < tlen; i++) {
		size_t add = 1;

		if (tmpl[i] == '%') {
			add = tmpl[i + 1] == 'u' ? userlen : 1;
			i++;
		}
		if (add > BP_CONFIG_MAX_PATH || need > BP_CONFIG_MAX_PATH - add) {
			goto out;
		}
		need += add;
	}
	if (need > BP_CONFIG_MAX_PATH) {
		goto out;
	}
	res = malloc(need + 1);
	if (res == NULL) {
		goto out;
	}
	o = 0;
	if (tmpl[0] != '/') {
		memcpy(res, home, homelen);
		o = homelen;
		res[o++] = '/';
	}
	for (i = 0; i < tlen; i++) {
		if (tmpl[i] != '%') {
			res[o++] = tmpl[i];
			continue;
		}
		i++;
		if (tmpl[i] == 'u') {
			memcpy(res + o, user, userlen);
			o += userlen;
		} else {
			res[o++] = '%';
		}
	}
	res[o] = '\0';
	*out = res;
	res = NULL;
	ret = 0;
out:
	free(res);
	return ret;
}
