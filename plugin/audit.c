/*
 * bearpass - audit records: one JSON object per line.  See audit.h.
 */
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "audit.h"

/* RFC 3339 can only express years 0000..9999. */
#define AUDIT_MIN_TIME (-62167219200LL)  /* 0000-01-01T00:00:00Z */
#define AUDIT_MAX_TIME 253402300799LL    /* 9999-12-31T23:59:59Z */

#define AUDIT_ELLIPSIS "..."
#define AUDIT_ELLIPSIS_LEN 3

static const char *const event_names[BP_AUDIT_EV_COUNT] = {
	NULL,
	"auth_accept",
	"auth_reject",
	"session_start",
	"exec_fail",
	"session_end",
	"conn_reject",
	"sftp_write",
	"sftp_remove",
	"sftp_rename",
	"session_expire",
	"forward_accept",
	"forward_reject",
};

static const char hexdigits[] = "0123456789abcdef";

/* An output buffer that refuses (and remembers) any write that does not
 * fit; cap excludes the room kept for the terminating NUL. */
struct audit_out {
	char *buf;
	size_t cap;
	size_t len;
	int full;
};

static void out_bytes(struct audit_out *o, const char *s, size_t n) {
	if (o->full || n > o->cap - o->len) {
		o->full = 1;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void out_str(struct audit_out *o, const char *s) {
	out_bytes(o, s, strlen(s));
}

/* Decimal digits of v into the end of a 21-byte scratch buffer; returns
 * a pointer to the first digit. */
static const char *u64_digits(char tmp[21], unsigned long long v) {
	char *p;

	p = tmp + 20;
	*p = '\0';
	do {
		*--p = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v != 0);
	return p;
}

static void out_u64(struct audit_out *o, unsigned long long v) {
	char tmp[21];

	out_str(o, u64_digits(tmp, v));
}

static void out_s64(struct audit_out *o, long long v) {
	unsigned long long mag;

	if (v < 0) {
		out_bytes(o, "-", 1);
		/* well defined for LLONG_MIN too */
		mag = 0ULL - (unsigned long long)v;
	} else {
		mag = (unsigned long long)v;
	}
	out_u64(o, mag);
}

/* Length of the valid UTF-8 sequence starting at s (at most n bytes
 * available), or 0 if s[0] does not start one. */
static size_t utf8_len(const unsigned char *s, size_t n) {
	unsigned char c, lo, hi;
	size_t len, i;

	c = s[0];
	lo = 0x80;
	hi = 0xbf;
	if (c < 0x80) {
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0) {
			lo = 0xa0;         /* overlong */
		} else if (c == 0xed) {
			hi = 0x9f;         /* surrogates */
		}
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0) {
			lo = 0x90;         /* overlong */
		} else if (c == 0xf4) {
			hi = 0x8f;         /* above U+10FFFF */
		}
	} else {
		return 0;
	}
	if (len > n) {
		return 0;
	}
	if (s[1] < lo || s[1] > hi) {
		return 0;
	}
	for (i = 2; i < len; i++) {
		if (s[i] < 0x80 || s[i] > 0xbf) {
			return 0;
		}
	}
	return len;
}

/*
 * The escaped form of the character at s: either the input bytes
 * themselves (*piece == s) or an escape written into esc.  Sets *consumed
 * to the input bytes used and returns the output length.
 */
static size_t escape_one(const unsigned char *s, size_t n, char esc[7],
		const char **piece, size_t *consumed) {
	unsigned char c;
	size_t ulen;

	c = s[0];
	*consumed = 1;
	if (c == '"' || c == '\\') {
		esc[0] = '\\';
		esc[1] = (char)c;
		*piece = esc;
		return 2;
	}
	if (c >= 0x20 && c < 0x7f) {
		*piece = (const char *)s;
		return 1;
	}
	ulen = (c < 0x7f) ? 0 : utf8_len(s, n);
	if (ulen == 3 && c == 0xe2 && s[1] == 0x80
			&& (s[2] == 0xa8 || s[2] == 0xa9)) {
		/* U+2028, U+2029: valid JSON, but line breaks to JavaScript */
		memcpy(esc, "\\u202", 5);
		esc[5] = (s[2] == 0xa8) ? '8' : '9';
		*piece = esc;
		*consumed = 3;
		return 6;
	}
	if (ulen > 1) {
		*piece = (const char *)s;
		*consumed = ulen;
		return ulen;
	}
	/* control character, DEL, or a byte outside valid UTF-8 */
	memcpy(esc, "\\u00", 4);
	esc[4] = hexdigits[c >> 4];
	esc[5] = hexdigits[c & 0x0f];
	*piece = esc;
	return 6;
}

/* Write the escaped, bounded value of s (without quotes). */
static void out_escaped(struct audit_out *o, const char *str, size_t n) {
	const unsigned char *s;
	const char *piece;
	char esc[7];
	size_t i, total, used, plen, consumed, limit;

	s = (const unsigned char *)str;

	/* first pass: does the whole value fit? */
	total = 0;
	for (i = 0; i < n && total <= BP_AUDIT_MAX_VALUE; i += consumed) {
		total += escape_one(s + i, n - i, esc, &piece, &consumed);
	}
	limit = BP_AUDIT_MAX_VALUE;
	if (total > BP_AUDIT_MAX_VALUE) {
		limit = BP_AUDIT_MAX_VALUE - AUDIT_ELLIPSIS_LEN;
	}

	used = 0;
	for (i = 0; i < n; i += consumed) {
		plen = escape_one(s + i, n - i, esc, &piece, &consumed);
		if (plen > limit - used) {
			break;
		}
		out_bytes(o, piece, plen);
		used += plen;
	}
	if (i < n) {
		out_str(o, AUDIT_ELLIPSIS);
	}
}

static void out_key(struct audit_out *o, const char *key) {
	out_bytes(o, ",\"", 2);
	out_str(o, key);
	out_bytes(o, "\":", 2);
}

static void out_field(struct audit_out *o, const char *key,
		const char *s, size_t n) {
	if (s == NULL) {
		return;
	}
	out_key(o, key);
	out_bytes(o, "\"", 1);
	out_escaped(o, s, n);
	out_bytes(o, "\"", 1);
}

const char *bp_audit_event_name(enum bp_audit_event event) {
	if ((unsigned int)event >= BP_AUDIT_EV_COUNT) {
		return NULL;
	}
	return event_names[event];
}

static void put2(char *p, unsigned int v) {
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

void bp_audit_format_time(char out[21], time_t t) {
	long long secs, days, era, z, doe, yoe, doy, mp, y, m, d, sod;

	secs = (long long)t;
	if (secs < AUDIT_MIN_TIME) {
		secs = AUDIT_MIN_TIME;
	}
	if (secs > AUDIT_MAX_TIME) {
		secs = AUDIT_MAX_TIME;
	}
	days = secs / 86400;
	sod = secs % 86400;
	if (sod < 0) {
		sod += 86400;
		days -= 1;
	}

	/* civil_from_days, H. Hinnant, "chrono-Compatible Low-Level Date
	 * Algorithms": proleptic Gregorian calendar, eras of 400 years. */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;                                  /* [0, 146096] */
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  /* [0, 399] */
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);           /* [0, 365] */
	mp = (5 * doy + 2) / 153;                                /* [0, 11] */
	d = doy - (153 * mp + 2) / 5 + 1;                        /* [1, 31] */
	m = mp < 10 ? mp + 3 : mp - 9;                           /* [1, 12] */
	y = yoe + era * 400 + (m <= 2 ? 1 : 0);

	put2(out, (unsigned int)(y / 100));
	put2(out + 2, (unsigned int)(y % 100));
	out[4] = '-';
	put2(out + 5, (unsigned int)m);
	out[7] = '-';
	put2(out + 8, (unsigned int)d);
	out[10] = 'T';
	put2(out + 11, (unsigned int)(sod / 3600));
	out[13] = ':';
	put2(out + 14, (unsigned int)(sod / 60 % 60));
	out[16] = ':';
	put2(out + 17, (unsigned int)(sod % 60));
	out[19] = 'Z';
	out[20] = '\0';
}

size_t bp_audit_format(char *out, size_t outlen,
		const struct bp_audit_rec *rec) {
	struct audit_out o;
	const char *name;
	char ts[21];
	size_t ret = 0;

	if (out == NULL || outlen == 0) {
		goto out;
	}
	out[0] = '\0';
	name = bp_audit_event_name(rec->event);
	if (name == NULL) {
		goto out;
	}
	o.buf = out;
	o.cap = outlen - 1;
	if (o.cap > BP_AUDIT_MAX_LINE) {
		o.cap = BP_AUDIT_MAX_LINE;
	}
	o.len = 0;
	o.full = 0;

	bp_audit_format_time(ts, rec->ts);
	out_str(&o, "{\"ts\":\"");
	out_str(&o, ts);
	out_str(&o, "\",\"event\":\"");
	out_str(&o, name);
	out_str(&o, "\"");
	out_key(&o, "pid");
	out_s64(&o, rec->pid);
	out_field(&o, "peer", rec->peer, rec->peer_len);

	out_field(&o, "user", rec->user, rec->user_len);
	out_field(&o, "key_id", rec->key_id, rec->key_id_len);
	if (rec->has_serial) {
		out_key(&o, "serial");
		out_u64(&o, rec->serial);
	}
	out_field(&o, "principal", rec->principal, rec->principal_len);
	out_field(&o, "ca_fp", rec->ca_fp, rec->ca_fp_len);
	out_field(&o, "key_fp", rec->key_fp, rec->key_fp_len);
	if (rec->reason != BP_OK) {
		out_field(&o, "reason", bp_strerror(rec->reason),
				strlen(bp_strerror(rec->reason)));
	}

	if (rec->has_exit_status) {
		out_key(&o, "exit_status");
		out_s64(&o, rec->exit_status);
	}
	out_field(&o, "exit_signal", rec->exit_signal, rec->exit_signal_len);
	if (rec->has_duration) {
		out_key(&o, "duration_s");
		out_u64(&o, rec->duration_s);
	}
	out_field(&o, "command", rec->command, rec->command_len);
	out_field(&o, "path", rec->path, rec->path_len);
	out_field(&o, "error", rec->error, rec->error_len);
	out_field(&o, "new_path", rec->new_path, rec->new_path_len);
	if (rec->has_bytes) {
		out_key(&o, "bytes");
		out_u64(&o, rec->bytes);
	}
	out_field(&o, "forward", rec->forward, rec->forward_len);
	out_field(&o, "host", rec->host, rec->host_len);
	if (rec->has_port) {
		out_key(&o, "port");
		out_u64(&o, rec->port);
	}
	out_bytes(&o, "}\n", 2);

	if (o.full) {
		out[0] = '\0';
		goto out;
	}
	out[o.len] = '\0';
	ret = o.len;
out:
	return ret;
}

size_t bp_audit_format_peer(char *out, size_t outlen, int family,
		const unsigned char *addr, int port) {
	struct audit_out o;
	char text[INET6_ADDRSTRLEN];
	size_t ret = 0;

	if (out == NULL || outlen == 0) {
		goto out;
	}
	out[0] = '\0';
	if ((family != AF_INET && family != AF_INET6)
			|| port < 0 || port > 65535) {
		goto out;
	}
	if (inet_ntop(family, addr, text, sizeof(text)) == NULL) {
		goto out;
	}
	o.buf = out;
	o.cap = outlen - 1;
	o.len = 0;
	o.full = 0;
	out_bytes(&o, "[", 1);
	out_str(&o, text);
	out_bytes(&o, "]:", 2);
	out_u64(&o, (unsigned long long)port);
	if (o.full) {
		out[0] = '\0';
		goto out;
	}
	out[o.len] = '\0';
	ret = o.len;
out:
	return ret;
}
