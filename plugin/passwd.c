/*
 * bearpass - /etc/passwd and /etc/group without libc.  See passwd.h.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "passwd.h"

#if UINT_MAX < 4294967295U
#error "unsigned int must hold a 32-bit uid"
#endif

#define PASSWD_NFIELDS 7
#define GROUP_NFIELDS  4

/* Reasons given to the warning callback. */
#define R_TOO_LONG      "line too long"
#define R_CONTROL       "control character in line"
#define R_NFIELDS       "wrong number of fields"
#define R_EMPTY_NAME    "empty name"
#define R_BAD_NAME      "space in name"
#define R_BAD_UID       "bad uid"
#define R_BAD_GID       "bad gid"
#define R_EMPTY_DIR     "empty home directory"
#define R_RELATIVE_DIR  "home directory not absolute"
#define R_RELATIVE_SH   "shell not absolute"
#define R_TOO_MANY      "too many groups, rest ignored"

struct field {
	const char *p;
	size_t len;
};

/* A line reader over the whole buffer. */
struct lines {
	const char *buf;
	size_t len;
	size_t pos;
	size_t lineno;
};

/* The next line, without '\n' and one trailing '\r'.  Returns 0 at the
 * end of the buffer.  *overlong is set for a line longer than
 * BP_PASSWD_MAX_LINE; the reader still moves past all of it. */
static int next_line(struct lines *r, struct field *line, int *overlong) {
	const char *start, *nl;
	size_t n;

	if (r->pos >= r->len) {
		return 0;
	}
	start = r->buf + r->pos;
	nl = memchr(start, '\n', r->len - r->pos);
	if (nl != NULL) {
		n = (size_t)(nl - start);
		r->pos += n + 1;
	} else {
		n = r->len - r->pos;
		r->pos = r->len;
	}
	if (n > 0 && start[n - 1] == '\r') {
		n--;
	}
	r->lineno++;
	line->p = start;
	line->len = n;
	*overlong = n > BP_PASSWD_MAX_LINE;
	return 1;
}

/* Lines that are not entries and not worth a warning. */
static int is_ignored(const struct field *line) {
	if (line->len == 0) {
		return 1;
	}
	return line->p[0] == '#' || line->p[0] == '+' || line->p[0] == '-';
}

static int has_control(const char *p, size_t len) {
	size_t i;

	for (i = 0; i < len; i++) {
		if ((unsigned char)p[i] < 0x20 || (unsigned char)p[i] == 0x7f) {
			return 1;
		}
	}
	return 0;
}

/* Split at ':' into exactly n fields.  Returns 0 or -1. */
static int split_fields(const struct field *line, struct field *f, size_t n) {
	const char *p = line->p, *end = line->p + line->len, *c;
	size_t i;

	for (i = 0; i < n; i++) {
		c = memchr(p, ':', (size_t)(end - p));
		if (c == NULL) {
			c = end;
		}
		if (i == n - 1 && c != end) {
			return -1;      /* extra field */
		}
		if (i < n - 1 && c == end) {
			return -1;      /* missing field */
		}
		f[i].p = p;
		f[i].len = (size_t)(c - p);
		p = c + 1;
	}
	return 0;
}

/* Whether the line's first field (up to the first ':') is name. */
static int first_field_is(const struct field *line, const char *name,
		size_t namelen) {
	return line->len > namelen && line->p[namelen] == ':'
		&& memcmp(line->p, name, namelen) == 0;
}

/* Decimal 0..BP_PASSWD_MAX_ID.  Returns 0 or -1. */
static int parse_id(const struct field *f, unsigned int *out) {
	unsigned long v = 0;
	size_t i;
	unsigned int d;

	if (f->len == 0) {
		return -1;
	}
	for (i = 0; i < f->len; i++) {
		if (f->p[i] < '0' || f->p[i] > '9') {
			return -1;
		}
		d = (unsigned int)(f->p[i] - '0');
		if (v > (BP_PASSWD_MAX_ID - d) / 10) {
			return -1;
		}
		v = v * 10 + d;
	}
	*out = (unsigned int)v;
	return 0;
}

static const char *check_name(const struct field *f) {
	if (f->len == 0) {
		return R_EMPTY_NAME;
	}
	if (memchr(f->p, ' ', f->len) != NULL) {
		return R_BAD_NAME;
	}
	return NULL;
}

/* A validated passwd line, pointing into the buffer. */
struct pwline {
	struct field name, dir, shell;
	unsigned int uid, gid;
};

/* Returns NULL for a valid line, else the reason it is not. */
static const char *parse_pwline(const struct field *line, struct pwline *pw) {
	struct field f[PASSWD_NFIELDS];
	const char *reason;

	if (has_control(line->p, line->len)) {
		return R_CONTROL;
	}
	if (split_fields(line, f, PASSWD_NFIELDS) != 0) {
		return R_NFIELDS;
	}
	if ((reason = check_name(&f[0])) != NULL) {
		return reason;
	}
	if (parse_id(&f[2], &pw->uid) != 0) {
		return R_BAD_UID;
	}
	if (parse_id(&f[3], &pw->gid) != 0) {
		return R_BAD_GID;
	}
	if (f[5].len == 0) {
		return R_EMPTY_DIR;
	}
	if (f[5].p[0] != '/') {
		return R_RELATIVE_DIR;
	}
	if (f[6].len != 0 && f[6].p[0] != '/') {
		return R_RELATIVE_SH;
	}
	pw->name = f[0];
	pw->dir = f[5];
	pw->shell = f[6];
	return NULL;
}

static char *dup_field(const struct field *f) {
	char *s;

	s = malloc(f->len + 1);
	if (s == NULL) {
		return NULL;
	}
	if (f->len > 0) {
		memcpy(s, f->p, f->len);
	}
	s[f->len] = '\0';
	return s;
}

/* Copy a validated line into a fresh entry; publish only when complete. */
static int make_pwent(const struct pwline *pw, struct bp_pwent *out) {
	struct bp_pwent e;
	int ret = -1;

	memset(&e, 0, sizeof(e));
	e.uid = pw->uid;
	e.gid = pw->gid;
	if ((e.name = dup_field(&pw->name)) == NULL
			|| (e.dir = dup_field(&pw->dir)) == NULL
			|| (e.shell = dup_field(&pw->shell)) == NULL) {
		goto out;
	}
	*out = e;
	memset(&e, 0, sizeof(e));
	ret = 0;
out:
	bp_pwent_free(&e);
	return ret;
}

static void warn_line(bp_passwd_warn_fn warn, void *ctx, size_t lineno,
		const char *reason) {
	if (warn != NULL) {
		warn(ctx, lineno, reason);
	}
}

/* by_name: match name/namelen; else match uid. */
static int lookup(const char *buf, size_t len, int by_name,
		const char *name, size_t namelen, unsigned int uid,
		struct bp_pwent *out, bp_passwd_warn_fn warn, void *ctx) {
	struct lines r;
	struct field line;
	struct pwline pw;
	const char *reason;
	int overlong, bad_entry = 0;
	int ret = -1;

	if (out == NULL || (buf == NULL && len > 0)) {
		goto out;
	}
	memset(out, 0, sizeof(*out));
	if (by_name && (name == NULL || namelen == 0
			|| memchr(name, ':', namelen) != NULL
			|| memchr(name, '\n', namelen) != NULL
			|| memchr(name, '\0', namelen) != NULL)) {
		ret = BP_PASSWD_NOT_FOUND;
		goto out;
	}

	memset(&r, 0, sizeof(r));
	r.buf = buf;
	r.len = len;
	while (next_line(&r, &line, &overlong)) {
		if (is_ignored(&line)) {
			continue;
		}
		if (overlong) {
			reason = R_TOO_LONG;
		} else {
			memset(&pw, 0, sizeof(pw));
			reason = parse_pwline(&line, &pw);
		}
		if (reason != NULL) {
			warn_line(warn, ctx, r.lineno, reason);
			if (by_name && first_field_is(&line, name, namelen)) {
				bad_entry = 1;
			}
			continue;
		}
		if (by_name ? (pw.name.len == namelen
				&& memcmp(pw.name.p, name, namelen) == 0)
				: pw.uid == uid) {
			if (make_pwent(&pw, out) != 0) {
				goto out;
			}
			ret = BP_PASSWD_FOUND;
			goto out;
		}
	}
	ret = bad_entry ? BP_PASSWD_BAD_ENTRY : BP_PASSWD_NOT_FOUND;
out:
	return ret;
}

int bp_passwd_lookup_name(const char *buf, size_t len,
		const char *name, size_t namelen, struct bp_pwent *out,
		bp_passwd_warn_fn warn, void *ctx) {
	return lookup(buf, len, 1, name, namelen, 0, out, warn, ctx);
}

int bp_passwd_lookup_uid(const char *buf, size_t len, unsigned int uid,
		struct bp_pwent *out, bp_passwd_warn_fn warn, void *ctx) {
	return lookup(buf, len, 0, NULL, 0, uid, out, warn, ctx);
}

void bp_pwent_free(struct bp_pwent *ent) {
	if (ent == NULL) {
		return;
	}
	free(ent->name);
	free(ent->dir);
	free(ent->shell);
	memset(ent, 0, sizeof(*ent));
}

/* Whether user appears in a ','-separated member list. */
static int is_member(const struct field *members, const char *user,
		size_t userlen) {
	const char *p = members->p, *end = members->p + members->len, *c;

	while (p < end) {
		c = memchr(p, ',', (size_t)(end - p));
		if (c == NULL) {
			c = end;
		}
		if ((size_t)(c - p) == userlen && memcmp(p, user, userlen) == 0) {
			return 1;
		}
		p = c + 1;
	}
	return 0;
}

/* Returns NULL for a valid group line, else the reason it is not. */
static const char *parse_grline(const struct field *line, unsigned int *gid,
		struct field *members) {
	struct field f[GROUP_NFIELDS];
	const char *reason;

	if (has_control(line->p, line->len)) {
		return R_CONTROL;
	}
	if (split_fields(line, f, GROUP_NFIELDS) != 0) {
		return R_NFIELDS;
	}
	if ((reason = check_name(&f[0])) != NULL) {
		return reason;
	}
	if (parse_id(&f[2], gid) != 0) {
		return R_BAD_GID;
	}
	*members = f[3];
	return NULL;
}

int bp_group_list(const char *buf, size_t len,
		const char *user, size_t userlen, unsigned int primary_gid,
		unsigned int *gids, size_t max, size_t *ngids,
		bp_passwd_warn_fn warn, void *ctx) {
	struct lines r;
	struct field line, members;
	const char *reason;
	unsigned int gid;
	size_t n = 0, i;
	int overlong, dup, warned = 0;
	int ret = -1;

	if (ngids != NULL) {
		*ngids = 0;
	}
	if (ngids == NULL || gids == NULL || max == 0
			|| (buf == NULL && len > 0)
			|| (user == NULL && userlen > 0)) {
		goto out;
	}
	gids[n++] = primary_gid;

	memset(&r, 0, sizeof(r));
	r.buf = buf;
	r.len = len;
	while (next_line(&r, &line, &overlong)) {
		if (is_ignored(&line)) {
			continue;
		}
		reason = overlong ? R_TOO_LONG
			: parse_grline(&line, &gid, &members);
		if (reason != NULL) {
			warn_line(warn, ctx, r.lineno, reason);
			continue;
		}
		if (userlen == 0 || !is_member(&members, user, userlen)) {
			continue;
		}
		dup = 0;
		for (i = 0; i < n; i++) {
			if (gids[i] == gid) {
				dup = 1;
				break;
			}
		}
		if (dup) {
			continue;
		}
		if (n == max) {
			if (!warned) {
				warn_line(warn, ctx, r.lineno, R_TOO_MANY);
				warned = 1;
			}
			continue;
		}
		gids[n++] = gid;
	}
	*ngids = n;
	ret = 0;
out:
	return ret;
}
