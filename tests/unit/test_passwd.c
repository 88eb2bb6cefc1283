/*
 * bearpass - unit tests of plugin/passwd.c (/etc/passwd, /etc/group).
 */
#include <stdlib.h>
#include <string.h>

#include "passwd.h"
#include "t.h"

#define MAX_WARN 128

struct warns {
	size_t n;
	size_t lineno[MAX_WARN];
	const char *reason[MAX_WARN];
};

static void on_warn(void *ctx, size_t lineno, const char *reason) {
	struct warns *w = ctx;

	if (w->n < MAX_WARN) {
		w->lineno[w->n] = lineno;
		w->reason[w->n] = reason;
	}
	w->n++;
}

static int by_name(const char *buf, size_t len, const char *name,
		struct bp_pwent *pw, struct warns *w) {
	memset(w, 0, sizeof(*w));
	return bp_passwd_lookup_name(buf, len, name, strlen(name), pw,
			on_warn, w);
}

/* ---- passwd: lookups in a valid file ---- */

static const char fixture[] =
	"# comment line\n"
	"root:x:0:0:root:/root:/bin/bash\n"
	"\n"
	"daemon:*:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
	"nobody:x:65534:65534:nobody:/nonexistent:\n"
	"+nisuser:x:500:500::/home/nis:/bin/sh\n"
	"-nisminus\n"
	"+\n"
	"alice:x:1000:1001:Alice A,,,:/home/alice:/bin/sh\n"
	"alice:x:2000:2000::/home/alice2:/bin/zsh\n"
	"bob:x:1002:1002::/home/b o b:/bin/sh\n"
	"max:x:4294967294:4294967294::/:/bin/sh\n"
	"zero:x:0000000000000000000007:08::/z:\n"
	"utf8\xc3\xa9:x:1003:1003::/home/u:/bin/sh";  /* no final newline */

static void test_lookup_valid(void) {
	static const struct {
		const char *name;
		unsigned int uid, gid;
		const char *dir, *shell;
	} rows[] = {
		{ "root",     0,          0,          "/root",        "/bin/bash" },
		{ "daemon",   1,          1,          "/usr/sbin",    "/usr/sbin/nologin" },
		{ "nobody",   65534,      65534,      "/nonexistent", "" },
		{ "alice",    1000,       1001,       "/home/alice",  "/bin/sh" },
		{ "bob",      1002,       1002,       "/home/b o b",  "/bin/sh" },
		{ "max",      4294967294U, 4294967294U, "/",          "/bin/sh" },
		{ "zero",     7,          8,          "/z",           "" },
		{ "utf8\xc3\xa9", 1003,   1003,       "/home/u",      "/bin/sh" },
	};
	static const char *const missing[] = {
		"", "nisuser", "+nisuser", "nisminus", "-nisminus", "+", "ali",
		"alicex", "Alice", "root ", " root", "root:x", "#", "x",
	};
	struct bp_pwent pw;
	struct warns w;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		rc = by_name(fixture, sizeof(fixture) - 1, rows[i].name, &pw, &w);
		CHECKF(rc == BP_PASSWD_FOUND, "row %zu rc %d", i, rc);
		CHECK_STREQ(pw.name, rows[i].name);
		CHECKF(pw.uid == rows[i].uid, "row %zu uid %u", i, pw.uid);
		CHECKF(pw.gid == rows[i].gid, "row %zu gid %u", i, pw.gid);
		CHECK_STREQ(pw.dir, rows[i].dir);
		CHECK_STREQ(pw.shell, rows[i].shell);
		CHECKF(w.n == 0, "row %zu: %zu warnings", i, w.n);
		bp_pwent_free(&pw);
		CHECK(pw.name == NULL && pw.dir == NULL && pw.shell == NULL);
	}
	for (i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
		memset(&pw, 0xa5, sizeof(pw));
		rc = by_name(fixture, sizeof(fixture) - 1, missing[i], &pw, &w);
		CHECKF(rc == BP_PASSWD_NOT_FOUND, "\"%s\" rc %d", missing[i], rc);
		CHECK(pw.name == NULL && pw.dir == NULL && pw.shell == NULL);
		CHECK(w.n == 0);
	}

	/* A name with NUL, ':' or '\n' inside never matches. */
	CHECK(bp_passwd_lookup_name(fixture, sizeof(fixture) - 1, "root\0", 5,
			&pw, NULL, NULL) == BP_PASSWD_NOT_FOUND);
	CHECK(bp_passwd_lookup_name(fixture, sizeof(fixture) - 1,
			"root:x:0", 8, &pw, NULL, NULL) == BP_PASSWD_NOT_FOUND);
	CHECK(bp_passwd_lookup_name("a\nb:x:1:1::/:\n", 14, "a\nb", 3,
			&pw, NULL, NULL) == BP_PASSWD_NOT_FOUND);
	/* Length is honoured: "rootX" with namelen 4 is "root". */
	CHECK(bp_passwd_lookup_name(fixture, sizeof(fixture) - 1, "rootX", 4,
			&pw, NULL, NULL) == BP_PASSWD_FOUND);
	CHECK(pw.uid == 0);
	bp_pwent_free(&pw);
	bp_pwent_free(NULL);

	/* Bad arguments. */
	CHECK(bp_passwd_lookup_name(fixture, 10, "root", 4, NULL, NULL, NULL)
			== -1);
	CHECK(bp_passwd_lookup_name(NULL, 10, "root", 4, &pw, NULL, NULL)
			== -1);
	CHECK(bp_passwd_lookup_uid(NULL, 1, 0, &pw, NULL, NULL) == -1);
	CHECK(bp_passwd_lookup_name(NULL, 0, "root", 4, &pw, NULL, NULL)
			== BP_PASSWD_NOT_FOUND);
	CHECK(bp_passwd_lookup_name("", 0, "root", 4, &pw, NULL, NULL)
			== BP_PASSWD_NOT_FOUND);
	CHECK(bp_passwd_lookup_name(fixture, sizeof(fixture) - 1, NULL, 0, &pw,
			NULL, NULL) == BP_PASSWD_NOT_FOUND);
}

static void test_lookup_uid(void) {
	static const struct {
		unsigned int uid;
		int rc;
		const char *name;
	} rows[] = {
		{ 0,           BP_PASSWD_FOUND,     "root" },   /* first of two */
		{ 1,           BP_PASSWD_FOUND,     "daemon" },
		{ 1000,        BP_PASSWD_FOUND,     "alice" },
		{ 2000,        BP_PASSWD_FOUND,     "alice" },
		{ 7,           BP_PASSWD_FOUND,     "zero" },
		{ 4294967294U, BP_PASSWD_FOUND,     "max" },
		{ 4294967295U, BP_PASSWD_NOT_FOUND, NULL },
		{ 500,         BP_PASSWD_NOT_FOUND, NULL },     /* NIS line */
		{ 1001,        BP_PASSWD_NOT_FOUND, NULL },     /* a gid only */
	};
	struct bp_pwent pw;
	struct warns w;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&w, 0, sizeof(w));
		rc = bp_passwd_lookup_uid(fixture, sizeof(fixture) - 1,
				rows[i].uid, &pw, on_warn, &w);
		CHECKF(rc == rows[i].rc, "uid %u rc %d", rows[i].uid, rc);
		if (rows[i].name != NULL) {
			CHECK_STREQ(pw.name, rows[i].name);
			CHECK(pw.uid == rows[i].uid);
		} else {
			CHECK(pw.name == NULL);
		}
		CHECK(w.n == 0);
		bp_pwent_free(&pw);
	}
}

/* ---- passwd: break every field of a valid line in turn ---- */

#define GOOD "alice:x:1000:1001:Alice:/home/alice:/bin/sh"

static void test_broken_fields(void) {
	static const struct {
		const char *line;
		int rc;             /* looking up "alice" */
		const char *reason; /* NULL: no warning */
	} rows[] = {
		{ GOOD,                                        BP_PASSWD_FOUND, NULL },
		/* field count */
		{ "alice:x:1000:1001:Alice:/home/alice",       BP_PASSWD_BAD_ENTRY, "wrong number of fields" },
		{ "alice:x:1000:1001:/home/alice:/bin/sh",     BP_PASSWD_BAD_ENTRY, "wrong number of fields" },
		{ "alice:1000:1001:Alice:/home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "wrong number of fields" },
		{ GOOD ":",                                    BP_PASSWD_BAD_ENTRY, "wrong number of fields" },
		{ GOOD ":extra",                               BP_PASSWD_BAD_ENTRY, "wrong number of fields" },
		{ "alice:x:1000:1001:Al:ice:/home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "wrong number of fields" },
		{ "alice",                                     BP_PASSWD_NOT_FOUND, "wrong number of fields" },
		{ "alice:",                                    BP_PASSWD_BAD_ENTRY, "wrong number of fields" },
		{ "::::::",                                    BP_PASSWD_NOT_FOUND, "empty name" },
		/* name */
		{ ":x:1000:1001:Alice:/home/alice:/bin/sh",    BP_PASSWD_NOT_FOUND, "empty name" },
		{ "ali ce:x:1000:1001:Alice:/home/alice:/bin/sh", BP_PASSWD_NOT_FOUND, "space in name" },
		{ "alice :x:1000:1001:Alice:/home/alice:/bin/sh", BP_PASSWD_NOT_FOUND, "space in name" },
		{ " alice:x:1000:1001:Alice:/home/alice:/bin/sh", BP_PASSWD_NOT_FOUND, "space in name" },
		{ "al\tice:x:1000:1001:Alice:/home/alice:/bin/sh", BP_PASSWD_NOT_FOUND, "control character in line" },
		{ "ali\x7f:x:1000:1001:Alice:/home/alice:/bin/sh", BP_PASSWD_NOT_FOUND, "control character in line" },
		/* uid */
		{ "alice:x::1001:Alice:/home/alice:/bin/sh",   BP_PASSWD_BAD_ENTRY, "bad uid" },
		{ "alice:x:-1:1001:Alice:/home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "bad uid" },
		{ "alice:x:+1000:1001:Alice:/home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "bad uid" },
		{ "alice:x: 1000:1001:Alice:/home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "bad uid" },
		{ "alice:x:1000 :1001:Alice:/home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "bad uid" },
		{ "alice:x:1e3:1001:Alice:/home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "bad uid" },
		{ "alice:x:0x10:1001:Alice:/home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "bad uid" },
		{ "alice:x:abc:1001:Alice:/home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "bad uid" },
		{ "alice:x:4294967295:1001:Alice:/home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "bad uid" },
		{ "alice:x:4294967296:1001:Alice:/home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "bad uid" },
		{ "alice:x:4294967300:1001:Alice:/home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "bad uid" },
		{ "alice:x:42949672940:1001:Alice:/home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "bad uid" },
		{ "alice:x:18446744073709551616:1001:Alice:/home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "bad uid" },
		{ "alice:x:99999999999999999999999:1001:Alice:/home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "bad uid" },
		/* gid */
		{ "alice:x:1000::Alice:/home/alice:/bin/sh",   BP_PASSWD_BAD_ENTRY, "bad gid" },
		{ "alice:x:1000:-1:Alice:/home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "bad gid" },
		{ "alice:x:1000:+1:Alice:/home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "bad gid" },
		{ "alice:x:1000:1 0:Alice:/home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "bad gid" },
		{ "alice:x:1000:4294967295:Alice:/home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "bad gid" },
		{ "alice:x:1000:4294967296:Alice:/home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "bad gid" },
		{ "alice:x:1000:x:Alice:/home/alice:/bin/sh",  BP_PASSWD_BAD_ENTRY, "bad gid" },
		/* passwd and gecos are free text without control characters */
		{ "alice::1000:1001::/home/alice:/bin/sh",     BP_PASSWD_FOUND, NULL },
		{ "alice:x:1000:1001:A \"x\" ,;#:/home/alice:/bin/sh", BP_PASSWD_FOUND, NULL },
		{ "alice:x:1000:1001:Al\x01ice:/home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "control character in line" },
		{ "alice:x\t:1000:1001:Alice:/home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "control character in line" },
		/* dir */
		{ "alice:x:1000:1001:Alice::/bin/sh",          BP_PASSWD_BAD_ENTRY, "empty home directory" },
		{ "alice:x:1000:1001:Alice:home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "home directory not absolute" },
		{ "alice:x:1000:1001:Alice:./alice:/bin/sh",   BP_PASSWD_BAD_ENTRY, "home directory not absolute" },
		{ "alice:x:1000:1001:Alice: /home/alice:/bin/sh", BP_PASSWD_BAD_ENTRY, "home directory not absolute" },
		{ "alice:x:1000:1001:Alice:/home/a\x1b[0m:/bin/sh", BP_PASSWD_BAD_ENTRY, "control character in line" },
		/* shell */
		{ "alice:x:1000:1001:Alice:/home/alice:",      BP_PASSWD_FOUND, NULL },
		{ "alice:x:1000:1001:Alice:/home/alice:sh",    BP_PASSWD_BAD_ENTRY, "shell not absolute" },
		{ "alice:x:1000:1001:Alice:/home/alice: /bin/sh", BP_PASSWD_BAD_ENTRY, "shell not absolute" },
		{ "alice:x:1000:1001:Alice:/home/alice:/bin/sh\r\r", BP_PASSWD_BAD_ENTRY, "control character in line" },
		{ "alice:x:1000:1001:Alice:/home/alice:/bin/sh\v", BP_PASSWD_BAD_ENTRY, "control character in line" },
	};
	char buf[256];
	struct bp_pwent pw;
	struct warns w;
	size_t i, n;
	int rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		/* Alone, with and without a newline. */
		n = strlen(rows[i].line);
		rc = by_name(rows[i].line, n, "alice", &pw, &w);
		CHECKF(rc == rows[i].rc, "row %zu \"%s\": rc %d", i,
				rows[i].line, rc);
		CHECKF(w.n == (rows[i].reason != NULL ? 1u : 0u),
				"row %zu: %zu warnings", i, w.n);
		if (rows[i].reason != NULL && w.n == 1) {
			CHECK_STREQ(w.reason[0], rows[i].reason);
			CHECK(w.lineno[0] == 1);
		}
		if (rc == BP_PASSWD_FOUND) {
			CHECK_STREQ(pw.name, "alice");
			CHECK(pw.uid == 1000 && pw.gid == 1001);
			CHECK_STREQ(pw.dir, "/home/alice");
		}
		bp_pwent_free(&pw);

		/* Broken line first, then a valid line for alice: the valid
		 * one is found and the broken one reported as line 2. */
		snprintf(buf, sizeof(buf), "root:x:0:0::/root:\n%s\n"
				"alice:x:7:8::/seven:/bin/seven\n", rows[i].line);
		rc = by_name(buf, strlen(buf), "alice", &pw, &w);
		CHECK(rc == BP_PASSWD_FOUND);
		if (rows[i].rc == BP_PASSWD_FOUND) {
			CHECK(pw.uid == 1000);
		} else {
			CHECK(pw.uid == 7 && pw.gid == 8);
			CHECK_STREQ(pw.shell, "/bin/seven");
			CHECK(w.n == 1 && w.lineno[0] == 2);
		}
		bp_pwent_free(&pw);

		/* A broken line never matches by uid either. */
		memset(&w, 0, sizeof(w));
		rc = bp_passwd_lookup_uid(rows[i].line, n, 1000, &pw, on_warn, &w);
		CHECK(rc == (rows[i].rc == BP_PASSWD_FOUND
				? BP_PASSWD_FOUND : BP_PASSWD_NOT_FOUND));
		bp_pwent_free(&pw);
	}
}

/* Every truncation of a valid line: before the last ':' it is broken;
 * after it, a valid entry with a shorter shell. */
static void test_truncations(void) {
	static const char line[] = GOOD "\n";
	size_t len, last_colon = strrchr(GOOD, ':') - GOOD;
	struct bp_pwent pw;
	struct warns w;
	int rc;

	for (len = 0; len <= sizeof(line) - 1; len++) {
		rc = by_name(line, len, "alice", &pw, &w);
		if (len <= 5) {
			/* "alice" not complete (or no ':' after it) */
			CHECKF(rc == BP_PASSWD_NOT_FOUND, "len %zu rc %d", len, rc);
			CHECK(w.n == (len > 0 ? 1u : 0u));
		} else if (len <= last_colon) {
			CHECKF(rc == BP_PASSWD_BAD_ENTRY, "len %zu rc %d", len, rc);
			CHECK(w.n == 1);
		} else {
			CHECKF(rc == BP_PASSWD_FOUND, "len %zu rc %d", len, rc);
			CHECK(w.n == 0);
			CHECK(pw.uid == 1000 && pw.gid == 1001);
			CHECK_STREQ(pw.dir, "/home/alice");
			CHECK(pw.shell != NULL && strlen(pw.shell)
					== (len < sizeof(line) - 1 ? len : len - 1)
					- last_colon - 1);
			CHECK(pw.shell != NULL
					&& strncmp(pw.shell, "/bin/sh", strlen(pw.shell)) == 0);
		}
		bp_pwent_free(&pw);
	}
}

/* Every ':' of a valid line replaced in turn. */
static void test_each_colon(void) {
	char line[] = GOOD;
	size_t i;
	struct bp_pwent pw;
	struct warns w;
	int rc;

	for (i = 0; i < sizeof(line) - 1; i++) {
		if (line[i] != ':') {
			continue;
		}
		line[i] = ';';
		rc = by_name(line, sizeof(line) - 1, "alice", &pw, &w);
		CHECKF(rc == (i == 5 ? BP_PASSWD_NOT_FOUND : BP_PASSWD_BAD_ENTRY),
				"colon %zu rc %d", i, rc);
		CHECK(w.n == 1 && w.reason[0] != NULL
				&& strcmp(w.reason[0], "wrong number of fields") == 0);
		line[i] = ':';
	}
}

/* Every byte of a valid line replaced by each control character. */
static void test_each_control(void) {
	char line[] = GOOD;
	size_t i;
	int c, rc;
	struct bp_pwent pw;
	struct warns w;

	for (i = 0; i < sizeof(line) - 1; i++) {
		for (c = 0; c < 0x20; c++) {
			if (c == '\n') {
				continue;
			}
			line[i] = (char)c;
			rc = by_name(line, sizeof(line) - 1, "alice", &pw, &w);
			if (c == '\r' && i == sizeof(line) - 2) {
				/* a trailing '\r' is the CRLF line end */
				CHECK(rc == BP_PASSWD_FOUND);
				CHECK_STREQ(pw.shell, "/bin/s");
			} else {
				CHECKF(rc != BP_PASSWD_FOUND, "byte %zu = %d", i, c);
				CHECK(w.n == 1);
			}
			bp_pwent_free(&pw);
		}
		line[i] = GOOD[i];
	}
}

/* ---- passwd: lines, limits, line ends ---- */

static void test_lines(void) {
	char *buf;
	size_t n;
	struct bp_pwent pw;
	struct warns w;
	const char *root = "root:x:0:0::/root:/bin/sh";
	int rc;

	buf = malloc(4 * BP_PASSWD_MAX_LINE);
	CHECK(buf != NULL);
	if (buf == NULL) {
		return;
	}

	/* An empty file has no entries and no warnings. */
	CHECK(by_name("", 0, "root", &pw, &w) == BP_PASSWD_NOT_FOUND && w.n == 0);
	CHECK(by_name("\n\n\n", 3, "root", &pw, &w) == BP_PASSWD_NOT_FOUND
			&& w.n == 0);
	CHECK(by_name("\r\n", 2, "root", &pw, &w) == BP_PASSWD_NOT_FOUND
			&& w.n == 0);

	/* Missing final newline. */
	CHECK(by_name(root, strlen(root), "root", &pw, &w) == BP_PASSWD_FOUND);
	CHECK_STREQ(pw.shell, "/bin/sh");
	bp_pwent_free(&pw);

	/* CRLF: the '\r' is not part of the shell (or an empty shell). */
	strcpy(buf, "daemon:x:1:1::/:\r\nroot:x:0:0::/root:/bin/sh\r\n");
	CHECK(by_name(buf, strlen(buf), "root", &pw, &w) == BP_PASSWD_FOUND);
	CHECK_STREQ(pw.shell, "/bin/sh");
	bp_pwent_free(&pw);
	CHECK(by_name(buf, strlen(buf), "daemon", &pw, &w) == BP_PASSWD_FOUND);
	CHECK_STREQ(pw.shell, "");
	bp_pwent_free(&pw);
	/* CR without LF at the end of the file */
	CHECK(by_name("root:x:0:0::/root:/bin/sh\r", 26, "root", &pw, &w)
			== BP_PASSWD_FOUND);
	CHECK_STREQ(pw.shell, "/bin/sh");
	bp_pwent_free(&pw);
	/* A lone CR is not a line end. */
	CHECK(by_name("a:x:1:1::/:\rroot:x:0:0::/root:/bin/sh", 37, "root",
			&pw, &w) == BP_PASSWD_NOT_FOUND && w.n == 1);

	/* Exactly BP_PASSWD_MAX_LINE bytes (gecos padding): valid, also
	 * with CRLF; one more byte: skipped with a warning. */
	memset(buf, 'g', BP_PASSWD_MAX_LINE);
	memcpy(buf, "big:x:5:5:", 10);
	memcpy(buf + BP_PASSWD_MAX_LINE - 10, ":/:/bin/sh", 10);
	CHECK(by_name(buf, BP_PASSWD_MAX_LINE, "big", &pw, &w)
			== BP_PASSWD_FOUND);
	CHECK(pw.uid == 5);
	CHECK_STREQ(pw.shell, "/bin/sh");
	bp_pwent_free(&pw);
	memcpy(buf + BP_PASSWD_MAX_LINE, "\r\n", 2);
	CHECK(by_name(buf, BP_PASSWD_MAX_LINE + 2, "big", &pw, &w)
			== BP_PASSWD_FOUND);
	CHECK_STREQ(pw.shell, "/bin/sh");
	bp_pwent_free(&pw);
	memmove(buf + 11, buf + 10, BP_PASSWD_MAX_LINE - 10);
	buf[10] = 'g';
	rc = by_name(buf, BP_PASSWD_MAX_LINE + 1, "big", &pw, &w);
	CHECK(rc == BP_PASSWD_BAD_ENTRY);
	CHECK(w.n == 1 && w.lineno[0] == 1
			&& strcmp(w.reason[0], "line too long") == 0);
	CHECK(pw.name == NULL);

	/* An overlong line whose tail is a valid root line: the tail never
	 * matches; the valid line after it is still found. */
	memset(buf, 'x', 2 * BP_PASSWD_MAX_LINE);
	n = 2 * BP_PASSWD_MAX_LINE - strlen(root);
	memcpy(buf + n, root, strlen(root));
	n = 2 * BP_PASSWD_MAX_LINE;
	CHECK(by_name(buf, n, "root", &pw, &w) == BP_PASSWD_NOT_FOUND);
	CHECK(w.n == 1 && w.lineno[0] == 1);
	memset(&w, 0, sizeof(w));
	CHECK(bp_passwd_lookup_uid(buf, n, 0, &pw, on_warn, &w)
			== BP_PASSWD_NOT_FOUND);
	CHECK(w.n == 1);
	/* ... tail after 1024 bytes, and right at the limit */
	buf[BP_PASSWD_MAX_LINE] = ':';
	memcpy(buf + BP_PASSWD_MAX_LINE - 4, "xxx:", 4);
	CHECK(by_name(buf, n, "root", &pw, &w) == BP_PASSWD_NOT_FOUND);
	memcpy(buf + BP_PASSWD_MAX_LINE + 1, root, strlen(root));
	CHECK(by_name(buf, BP_PASSWD_MAX_LINE + 1 + strlen(root), "root", &pw,
			&w) == BP_PASSWD_NOT_FOUND);
	memcpy(buf + BP_PASSWD_MAX_LINE, root, strlen(root));
	CHECK(by_name(buf, BP_PASSWD_MAX_LINE + strlen(root), "root", &pw,
			&w) == BP_PASSWD_NOT_FOUND);
	/* then a newline and the same valid line */
	buf[n] = '\n';
	memcpy(buf + n + 1, root, strlen(root));
	buf[n + 1 + strlen(root)] = '\n';
	CHECK(by_name(buf, n + 2 + strlen(root), "root", &pw, &w)
			== BP_PASSWD_FOUND);
	CHECK(w.n == 1 && w.lineno[0] == 1);
	CHECK(pw.uid == 0);
	CHECK_STREQ(pw.dir, "/root");
	bp_pwent_free(&pw);

	/* An overlong line for alice makes her a bad entry, not unknown. */
	memset(buf, 'g', 2 * BP_PASSWD_MAX_LINE);
	memcpy(buf, "alice:x:1:1:", 12);
	CHECK(by_name(buf, 2 * BP_PASSWD_MAX_LINE, "alice", &pw, &w)
			== BP_PASSWD_BAD_ENTRY);
	CHECK(by_name(buf, 2 * BP_PASSWD_MAX_LINE, "alic", &pw, &w)
			== BP_PASSWD_NOT_FOUND);

	/* Warnings carry line numbers; the scan stops at the first match. */
	strcpy(buf, "bad1\n# c\n\nbad4:x\nroot:x:0:0::/root:\nbad6\n");
	CHECK(by_name(buf, strlen(buf), "root", &pw, &w) == BP_PASSWD_FOUND);
	CHECK(w.n == 2 && w.lineno[0] == 1 && w.lineno[1] == 4);
	bp_pwent_free(&pw);
	CHECK(by_name(buf, strlen(buf), "none", &pw, &w) == BP_PASSWD_NOT_FOUND);
	CHECK(w.n == 3 && w.lineno[2] == 6);
	/* NUL bytes are control characters, not line ends. */
	CHECK(by_name("root:x:0:0::/root:/bin/sh\0x", 27, "root", &pw, &w)
			== BP_PASSWD_BAD_ENTRY);
	CHECK(by_name("x\0root:x:0:0::/root:/bin/sh", 27, "root", &pw, &w)
			== BP_PASSWD_NOT_FOUND);
	/* A NULL callback is fine. */
	CHECK(bp_passwd_lookup_name(buf, strlen(buf), "root", 4, &pw, NULL,
			NULL) == BP_PASSWD_FOUND);
	bp_pwent_free(&pw);
	free(buf);
}

/* ---- group ---- */

static const char groups[] =
	"root:x:0:\n"
	"wheel:x:10:alice,bob\n"
	"users:x:100:bob, alice\n"       /* " alice" is not alice */
	"audio:x:29:alice\n"
	"alice:x:1000:\n"
	"dup:x:10:alice\n"               /* gid already listed */
	"bad:x:abc:alice\n"              /* line 7: warning */
	"video:x:44:,alice,\n"
	"+nis:x:50:alice\n"              /* skipped silently */
	"-nis\n"
	"# audio2:x:30:alice\n"
	"alice2:x:31:alicex,xalice,Alice,alic\n"
	"two:x:32:\n"
	"extra:x:33:alice:more\n"        /* line 14: warning */
	"crlf:x:34:carol\r\n"
	"nonl:x:35:carol,alice";

static void test_group_list(void) {
	static const struct {
		const char *user;
		unsigned int primary;
		size_t n;
		unsigned int gids[8];
	} rows[] = {
		{ "alice", 1000, 5, { 1000, 10, 29, 44, 35 } },
		{ "alice", 10,   4, { 10, 29, 44, 35 } },
		{ "alice", 44,   4, { 44, 10, 29, 35 } },
		{ "bob",   100,  2, { 100, 10 } },
		{ "carol", 0,    3, { 0, 34, 35 } },
		{ "root",  0,    1, { 0 } },
		{ "",      7,    1, { 7 } },
		{ "nobody", 65534, 1, { 65534 } },
		{ "alic",  1,    2, { 1, 31 } },
		{ "lice",  1,    1, { 1 } },
	};
	unsigned int gids[BP_GROUP_MAX_GROUPS];
	size_t i, j, n;
	struct warns w;
	int rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&w, 0, sizeof(w));
		rc = bp_group_list(groups, sizeof(groups) - 1, rows[i].user,
				strlen(rows[i].user), rows[i].primary, gids,
				BP_GROUP_MAX_GROUPS, &n, on_warn, &w);
		CHECK(rc == 0);
		CHECKF(n == rows[i].n, "row %zu n %zu", i, n);
		for (j = 0; j < n && j < 8; j++) {
			CHECKF(gids[j] == rows[i].gids[j], "row %zu gid[%zu] %u", i,
					j, gids[j]);
		}
		CHECK(w.n == 2 && w.lineno[0] == 7 && w.lineno[1] == 14);
		CHECK(w.n == 2 && strcmp(w.reason[0], "bad gid") == 0
				&& strcmp(w.reason[1], "wrong number of fields") == 0);
	}

	/* A small array: the rest is ignored with one warning at the line
	 * of the first group dropped. */
	memset(&w, 0, sizeof(w));
	rc = bp_group_list(groups, sizeof(groups) - 1, "alice", 5, 1000, gids,
			2, &n, on_warn, &w);
	CHECK(rc == 0 && n == 2 && gids[0] == 1000 && gids[1] == 10);
	CHECK(w.n == 3 && w.lineno[0] == 4
			&& strcmp(w.reason[0], "too many groups, rest ignored") == 0);
	rc = bp_group_list(groups, sizeof(groups) - 1, "alice", 5, 1000, gids,
			1, &n, NULL, NULL);
	CHECK(rc == 0 && n == 1 && gids[0] == 1000);

	/* Bad arguments. */
	n = 99;
	CHECK(bp_group_list(groups, 10, "alice", 5, 0, gids, 0, &n, NULL, NULL)
			== -1 && n == 0);
	CHECK(bp_group_list(groups, 10, "alice", 5, 0, NULL, 4, &n, NULL, NULL)
			== -1);
	CHECK(bp_group_list(groups, 10, "alice", 5, 0, gids, 4, NULL, NULL, NULL)
			== -1);
	CHECK(bp_group_list(NULL, 10, "alice", 5, 0, gids, 4, &n, NULL, NULL)
			== -1);
	CHECK(bp_group_list(groups, 10, NULL, 5, 0, gids, 4, &n, NULL, NULL)
			== -1);
	/* Empty file: just the primary group. */
	CHECK(bp_group_list(NULL, 0, "alice", 5, 3, gids, 4, &n, NULL, NULL)
			== 0 && n == 1 && gids[0] == 3);
}

static void test_group_broken(void) {
	static const struct {
		const char *line;
		const char *reason;     /* NULL: valid, alice in gid 50 */
	} rows[] = {
		{ "g:x:50:alice",        NULL },
		{ "g::50:bob,alice",     NULL },
		{ "g:x:050:alice,",      NULL },
		{ "g:x:50:alice\r",      NULL },
		{ "g:x:50",              "wrong number of fields" },
		{ "g:x:50:alice:",       "wrong number of fields" },
		{ "g:50:alice",          "wrong number of fields" },
		{ "g:x:50:al:ice",       "wrong number of fields" },
		{ ":x:50:alice",         "empty name" },
		{ "g g:x:50:alice",      "space in name" },
		{ "g:x::alice",          "bad gid" },
		{ "g:x:-50:alice",       "bad gid" },
		{ "g:x:+50:alice",       "bad gid" },
		{ "g:x:4294967295:alice", "bad gid" },
		{ "g:x:4294967296:alice", "bad gid" },
		{ "g:x:5 0:alice",       "bad gid" },
		{ "g:x:50:alice\t",      "control character in line" },
		{ "g:x:50:bob,\x01lice", "control character in line" },
	};
	unsigned int gids[4];
	size_t i, n;
	struct warns w;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&w, 0, sizeof(w));
		CHECK(bp_group_list(rows[i].line, strlen(rows[i].line), "alice",
				5, 1, gids, 4, &n, on_warn, &w) == 0);
		if (rows[i].reason == NULL) {
			CHECKF(n == 2 && gids[1] == 50, "row %zu", i);
			CHECK(w.n == 0);
		} else {
			CHECKF(n == 1, "row %zu", i);
			CHECKF(w.n == 1 && strcmp(w.reason[0], rows[i].reason) == 0,
					"row %zu", i);
		}
	}
}

static void test_group_limits(void) {
	char *buf, *p;
	unsigned int gids[BP_GROUP_MAX_GROUPS];
	size_t i, n;
	struct warns w;

	buf = malloc(8 * BP_PASSWD_MAX_LINE);
	CHECK(buf != NULL);
	if (buf == NULL) {
		return;
	}
	/* 100 groups for alice: 63 after the primary one, one warning. */
	p = buf;
	for (i = 0; i < 100; i++) {
		p += sprintf(p, "g%zu:x:%zu:bob,alice\n", i, 2000 + i);
	}
	memset(&w, 0, sizeof(w));
	CHECK(bp_group_list(buf, (size_t)(p - buf), "alice", 5, 1, gids,
			BP_GROUP_MAX_GROUPS, &n, on_warn, &w) == 0);
	CHECK(n == BP_GROUP_MAX_GROUPS);
	CHECK(gids[0] == 1 && gids[1] == 2000
			&& gids[BP_GROUP_MAX_GROUPS - 1] == 2000 + BP_GROUP_MAX_GROUPS - 2);
	CHECK(w.n == 1 && w.lineno[0] == BP_GROUP_MAX_GROUPS);

	/* An overlong line whose tail is a group of alice: not a member;
	 * the next line still is. */
	memset(buf, 'm', 2 * BP_PASSWD_MAX_LINE);
	memcpy(buf, "big:x:60:", 9);
	memcpy(buf + 2 * BP_PASSWD_MAX_LINE - 16, "\rg:x:61:alice,x,", 16);
	strcpy(buf + 2 * BP_PASSWD_MAX_LINE, ",alice\ng:x:62:alice\n");
	memset(&w, 0, sizeof(w));
	CHECK(bp_group_list(buf, strlen(buf), "alice", 5, 1, gids,
			BP_GROUP_MAX_GROUPS, &n, on_warn, &w) == 0);
	CHECK(n == 2 && gids[1] == 62);
	CHECK(w.n == 1 && w.lineno[0] == 1
			&& strcmp(w.reason[0], "line too long") == 0);
	free(buf);
}

int main(void) {
	test_lookup_valid();
	test_lookup_uid();
	test_broken_fields();
	test_truncations();
	test_each_colon();
	test_each_control();
	test_lines();
	test_group_list();
	test_group_broken();
	test_group_limits();
	return T_DONE("passwd");
}
