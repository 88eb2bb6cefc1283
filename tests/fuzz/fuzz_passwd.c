/*
 * bearpass - libFuzzer target for plugin/passwd.c.
 *
 * The input is used whole as /etc/passwd and as /etc/group.  The name
 * looked up is the input's first field (bytes before the first ':', at
 * most 64), so that the fuzzer reaches matching lines easily, and then
 * "root"; uids are 0 and the one found.  Besides memory errors (build
 * with -fsanitize=fuzzer,address,undefined) it checks the promises of
 * passwd.h and aborts when one is broken: what is found is a valid,
 * matching entry; nothing is published unless found; warnings come in
 * line order with a reason; group lists start with the primary gid,
 * have no duplicates and respect max.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "passwd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct warn_state {
	size_t last;
	size_t nlines;
};

static void on_warn(void *ctx, size_t lineno, const char *reason) {
	struct warn_state *w = ctx;

	if (reason == NULL || reason[0] == '\0' || lineno == 0
			|| lineno <= w->last || lineno > w->nlines) {
		/* "too many groups" may share a line with nothing else, but
		 * never repeats a line number */
		abort();
	}
	w->last = lineno;
}

static int clean(const char *s) {
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f
				|| *s == ':') {
			return 0;
		}
	}
	return 1;
}

static void check_entry(int rc, const struct bp_pwent *pw) {
	if (rc != BP_PASSWD_FOUND) {
		if (pw->name != NULL || pw->dir != NULL || pw->shell != NULL) {
			abort();
		}
		return;
	}
	if (pw->name == NULL || pw->dir == NULL || pw->shell == NULL
			|| pw->name[0] == '\0' || strchr(pw->name, ' ') != NULL
			|| pw->dir[0] != '/'
			|| (pw->shell[0] != '\0' && pw->shell[0] != '/')
			|| !clean(pw->name) || !clean(pw->dir) || !clean(pw->shell)
			|| pw->uid > BP_PASSWD_MAX_ID || pw->gid > BP_PASSWD_MAX_ID
			|| strlen(pw->name) + strlen(pw->dir) + strlen(pw->shell)
				> BP_PASSWD_MAX_LINE) {
		abort();
	}
}

static void check_groups(const char *buf, size_t len, const char *user,
		size_t userlen, unsigned int primary, size_t max,
		struct warn_state *w) {
	unsigned int gids[BP_GROUP_MAX_GROUPS];
	size_t n, i, j;

	w->last = 0;
	if (bp_group_list(buf, len, user, userlen, primary, gids, max, &n,
			on_warn, w) != 0) {
		abort();
	}
	if (n < 1 || n > max || gids[0] != primary) {
		abort();
	}
	for (i = 0; i < n; i++) {
		if (gids[i] > BP_PASSWD_MAX_ID && i > 0) {
			abort();
		}
		for (j = 0; j < i; j++) {
			if (gids[i] == gids[j]) {
				abort();
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	const char *buf = (const char *)data;
	const char *colon;
	size_t namelen, i;
	struct bp_pwent pw;
	struct warn_state w;
	unsigned int uid = 0;
	int rc;

	memset(&w, 0, sizeof(w));
	w.nlines = 1;
	for (i = 0; i < size; i++) {
		if (buf[i] == '\n') {
			w.nlines++;
		}
	}
	colon = memchr(buf, ':', size < 64 ? size : 64);
	namelen = colon != NULL ? (size_t)(colon - buf) : 0;

	rc = bp_passwd_lookup_name(buf, size, buf, namelen, &pw, on_warn, &w);
	if (rc < 0 || rc > BP_PASSWD_BAD_ENTRY) {
		abort();
	}
	check_entry(rc, &pw);
	if (rc == BP_PASSWD_FOUND) {
		if (strlen(pw.name) != namelen
				|| memcmp(pw.name, buf, namelen) != 0) {
			abort();
		}
		uid = pw.uid;
	}
	bp_pwent_free(&pw);

	w.last = 0;
	rc = bp_passwd_lookup_name(buf, size, "root", 4, &pw, on_warn, &w);
	check_entry(rc, &pw);
	if (rc == BP_PASSWD_FOUND && strcmp(pw.name, "root") != 0) {
		abort();
	}
	bp_pwent_free(&pw);

	w.last = 0;
	rc = bp_passwd_lookup_uid(buf, size, uid, &pw, on_warn, &w);
	if (rc != BP_PASSWD_FOUND && rc != BP_PASSWD_NOT_FOUND) {
		abort();
	}
	check_entry(rc, &pw);
	if (rc == BP_PASSWD_FOUND && pw.uid != uid) {
		abort();
	}
	bp_pwent_free(&pw);

	check_groups(buf, size, buf, namelen, uid, BP_GROUP_MAX_GROUPS, &w);
	check_groups(buf, size, buf, namelen, 4294967295U, 2, &w);
	check_groups(buf, size, "root", 4, 0, 1, &w);
	return 0;
}
