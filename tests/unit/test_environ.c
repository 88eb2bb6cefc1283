/*
 * bearpass - unit tests of plugin/environ.c (PID 1's environment and the
 * session environment).
 */
#include <stdlib.h>
#include <string.h>

#include "environ.h"
#include "t.h"

/* Join a NULL-terminated or counted array with '|' into buf. */
static const char *join(char *const *v, size_t n, char *buf, size_t cap) {
	size_t i, len = 0, l;

	buf[0] = '\0';
	for (i = 0; i < n && v[i] != NULL; i++) {
		l = strlen(v[i]);
		if (len + l + 2 > cap) {
			return "(overflow)";
		}
		if (i > 0) {
			buf[len++] = '|';
		}
		memcpy(buf + len, v[i], l + 1);
		len += l;
	}
	return buf;
}

/* ---- parsing ---- */

#define S(lit) lit, sizeof(lit) - 1

static void test_parse_table(void) {
	static const struct {
		const char *in;
		size_t len;
		const char *vars;   /* joined with '|' */
		size_t nskipped;
	} rows[] = {
		{ S(""),                      "",              0 },
		{ S("\0"),                    "",              0 },
		{ S("\0\0\0\0"),              "",              0 },
		{ S("A=1"),                   "A=1",           0 },
		{ S("A=1\0"),                 "A=1",           0 },
		{ S("A=1\0B=2\0"),            "A=1|B=2",       0 },
		{ S("\0\0A=1\0\0\0B=2\0\0"),  "A=1|B=2",       0 },
		{ S("A=\0"),                  "A=",            0 },
		{ S("A==b\0"),                "A==b",          0 },
		{ S("A=x\ny\x01\xff z\0"),    "A=x\ny\x01\xff z", 0 },
		{ S("_=/bin/env\0"),          "_=/bin/env",    0 },
		{ S("a1_Z9=v\0"),             "a1_Z9=v",       0 },
		/* no '=' */
		{ S("A\0B=2"),                "B=2",           1 },
		{ S("NOEQUALS"),              "",              1 },
		/* empty name */
		{ S("=x\0B=2"),               "B=2",           1 },
		{ S("=\0"),                   "",              1 },
		/* non-portable names */
		{ S("1A=x\0"),                "",              1 },
		{ S("9=x\0"),                 "",              1 },
		{ S("A-B=x\0"),               "",              1 },
		{ S("A.B=x\0"),               "",              1 },
		{ S("A B=x\0"),               "",              1 },
		{ S(" A=x\0"),                "",              1 },
		{ S("A\n=x\0"),               "",              1 },
		{ S("\xc3\xa9=x\0"),          "",              1 },
		{ S("BASH_FUNC_f%%=() {}\0"), "",              1 },
		/* duplicates: first wins */
		{ S("A=1\0A=2\0"),            "A=1",           1 },
		{ S("A=1\0AB=2\0A=3\0B=4"),   "A=1|AB=2|B=4",  1 },
		{ S("AB=1\0A=2\0"),           "AB=1|A=2",      0 },
		{ S("A=1\0A\0A=\0"),          "A=1",           2 },
		{ S("X=1\0bad-\0X=2\0Y=\0Y=3\0"), "X=1|Y=",    3 },
	};
	struct bp_environ env;
	char buf[256];
	size_t i;
	enum bp_error rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		rc = bp_environ_parse(rows[i].in, rows[i].len, &env);
		CHECKF(rc == BP_OK, "row %zu rc %d", i, (int)rc);
		CHECK_STREQ(join(env.vars, env.nvars, buf, sizeof(buf)),
				rows[i].vars);
		CHECKF(env.nskipped == rows[i].nskipped, "row %zu skipped %zu",
				i, env.nskipped);
		CHECK(env.vars != NULL && env.vars[env.nvars] == NULL);
		bp_environ_free(&env);
		CHECK(env.vars == NULL && env.nvars == 0);
	}
	bp_environ_free(NULL);

	/* NULL buffer of length 0 is empty; bad arguments */
	CHECK(bp_environ_parse(NULL, 0, &env) == BP_OK && env.nvars == 0);
	bp_environ_free(&env);
	CHECK(bp_environ_parse(NULL, 1, &env) == BP_ERR_INTERNAL);
	CHECK(env.vars == NULL);
	CHECK(bp_environ_parse("A=1", 3, NULL) == BP_ERR_INTERNAL);
}

/* Every truncation of a valid environ: complete entries are kept, a cut
 * entry is kept as its prefix once its name and '=' are in. */
static void test_parse_truncations(void) {
	static const char in[] = "PATH=/usr/bin\0HOME=/root\0T=x\0";
	static const char *const full[] = { "PATH=/usr/bin", "HOME=/root",
		"T=x" };
	struct bp_environ env;
	size_t len, k, start, nexp, nl;

	for (len = 0; len <= sizeof(in) - 1; len++) {
		CHECK(bp_environ_parse(in, len, &env) == BP_OK);
		nexp = 0;
		start = 0;
		for (k = 0; k < 3; k++) {
			nl = strchr(full[k], '=') - full[k];
			if (len > start + nl) {
				CHECKF(nexp < env.nvars && strncmp(env.vars[nexp],
						full[k], len - start) == 0
						&& strlen(env.vars[nexp]) == (len - start
						< strlen(full[k]) ? len - start
						: strlen(full[k])), "len %zu var %zu", len, k);
				nexp++;
			}
			start += strlen(full[k]) + 1;
		}
		CHECKF(env.nvars == nexp, "len %zu: %zu vars", len, env.nvars);
		/* a cut name is skipped, never kept as a shorter name */
		CHECK(env.nskipped == ((len > 0 && len < 5) || (len > 14
				&& len < 19) || (len > 25 && len < 27) ? 1u : 0u));
		bp_environ_free(&env);
	}
}

static void test_parse_limits(void) {
	char *buf, *p;
	size_t i;
	struct bp_environ env;

	buf = malloc(BP_ENVIRON_MAX_SIZE + 2);
	CHECK(buf != NULL);
	if (buf == NULL) {
		return;
	}

	/* Size: exactly the limit is fine, one byte more is an error. */
	memset(buf, 'v', BP_ENVIRON_MAX_SIZE + 1);
	memcpy(buf, "BIG=", 4);
	CHECK(bp_environ_parse(buf, BP_ENVIRON_MAX_SIZE, &env) == BP_OK);
	CHECK(env.nvars == 1 && strlen(env.vars[0]) == BP_ENVIRON_MAX_SIZE);
	bp_environ_free(&env);
	buf[BP_ENVIRON_MAX_SIZE - 1] = '\0';
	CHECK(bp_environ_parse(buf, BP_ENVIRON_MAX_SIZE, &env) == BP_OK);
	CHECK(env.nvars == 1);
	bp_environ_free(&env);
	env.nvars = 7;
	CHECK(bp_environ_parse(buf, BP_ENVIRON_MAX_SIZE + 1, &env)
			== BP_ERR_TOO_LONG);
	CHECK(env.vars == NULL && env.nvars == 0);

	/* Count: BP_ENVIRON_MAX_VARS distinct variables are fine, among any
	 * number of skipped entries; one more is an error. */
	p = buf;
	for (i = 0; i < BP_ENVIRON_MAX_VARS; i++) {
		p += sprintf(p, "V%zu=%zu", i, i) + 1;
		p += sprintf(p, "V%zu=dup", i) + 1;
		p += sprintf(p, "bad-%zu=x", i) + 1;
	}
	CHECK(bp_environ_parse(buf, (size_t)(p - buf), &env) == BP_OK);
	CHECK(env.nvars == BP_ENVIRON_MAX_VARS);
	CHECK(env.nskipped == 2 * BP_ENVIRON_MAX_VARS);
	CHECK_STREQ(env.vars[BP_ENVIRON_MAX_VARS - 1], "V1023=1023");
	bp_environ_free(&env);
	p += sprintf(p, "V0=again") + 1;
	CHECK(bp_environ_parse(buf, (size_t)(p - buf), &env) == BP_OK);
	CHECK(env.nvars == BP_ENVIRON_MAX_VARS);
	bp_environ_free(&env);
	memcpy(p, "LAST=1", 6);
	CHECK(bp_environ_parse(buf, (size_t)(p - buf) + 6, &env)
			== BP_ERR_TOO_LONG);
	CHECK(env.vars == NULL && env.nvars == 0);
	free(buf);
}

static void test_get(void) {
	static const char in[] = "PATH=/bin\0EMPTY=\0CA=ssh-ed25519 AAAA x\0";
	struct bp_environ env;
	const char *v;
	size_t vl;

	CHECK(bp_environ_parse(in, sizeof(in) - 1, &env) == BP_OK);
	CHECK(bp_environ_get(&env, "PATH", 4, &v, &vl) == 1);
	CHECK_STREQ(v, "/bin");
	CHECK(vl == 4);
	CHECK(bp_environ_get(&env, "EMPTY", 5, &v, &vl) == 1 && vl == 0);
	CHECK_STREQ(v, "");
	CHECK(bp_environ_get(&env, "CAX", 2, &v, &vl) == 1);
	CHECK_STREQ(v, "ssh-ed25519 AAAA x");
	CHECK(bp_environ_get(&env, "CA", 2, NULL, NULL) == 1);
	v = NULL;
	CHECK(bp_environ_get(&env, "PAT", 3, &v, &vl) == 0 && v == NULL);
	CHECK(bp_environ_get(&env, "PATHX", 5, &v, &vl) == 0);
	CHECK(bp_environ_get(&env, "PATH=/bin", 9, &v, &vl) == 0);
	CHECK(bp_environ_get(&env, "PATH=", 5, &v, &vl) == 0);
	CHECK(bp_environ_get(&env, "", 0, &v, &vl) == 0);
	CHECK(bp_environ_get(&env, NULL, 4, &v, &vl) == 0);
	CHECK(bp_environ_get(NULL, "PATH", 4, &v, &vl) == 0);
	bp_environ_free(&env);
	CHECK(bp_environ_get(&env, "PATH", 4, &v, &vl) == 0);
}

/* ---- building ---- */

static const char pid1[] =
	"PATH=/app/bin:/usr/bin\0"
	"HOME=/app\0"
	"SECRET_TOKEN=s3cr3t\0"
	"FLY_APP_NAME=demo\0"
	"FLY_ALLOC_ID=1234\0"
	"TERM=dumb\0"
	"LANG=C.UTF-8\0";

static const char pid1_nopath[] = "HOME=/app\0LANG=C\0";

#define MAXL 8

static void test_build_table(void) {
	static const struct {
		int inherit;        /* 0 none, 1 pid1, 2 pid1_nopath, 3 empty */
		const char *exclude[MAXL];
		const char *session[MAXL];
		const char *default_path;
		const char *expect;
	} rows[] = {
		/* No inheritance: default PATH, then the session. */
		{ 0, { NULL }, { "USER=root", "HOME=/root", NULL }, "/usr/bin:/bin",
		  "PATH=/usr/bin:/bin|USER=root|HOME=/root" },
		{ 0, { NULL }, { NULL }, "/bin", "PATH=/bin" },
		{ 0, { NULL }, { NULL }, NULL, "" },
		/* Everything inherited, PID 1's PATH wins over the default;
		 * HOME and TERM are the session's. */
		{ 1, { NULL }, { "USER=root", "HOME=/root", "TERM=xterm", NULL },
		  "/usr/bin",
		  "PATH=/app/bin:/usr/bin|SECRET_TOKEN=s3cr3t|FLY_APP_NAME=demo|"
		  "FLY_ALLOC_ID=1234|LANG=C.UTF-8|USER=root|HOME=/root|TERM=xterm" },
		/* Exclude names and patterns. */
		{ 1, { "SECRET_*", "FLY_ALLOC_ID", NULL }, { "USER=u", NULL }, "/x",
		  "PATH=/app/bin:/usr/bin|HOME=/app|FLY_APP_NAME=demo|TERM=dumb|"
		  "LANG=C.UTF-8|USER=u" },
		{ 1, { "FLY_*", "?ANG", "*TOKE", NULL }, { NULL }, "/x",
		  "PATH=/app/bin:/usr/bin|HOME=/app|SECRET_TOKEN=s3cr3t|TERM=dumb" },
		{ 1, { "*_*", "????", NULL }, { NULL }, NULL, "" },
		{ 1, { "H", "HOM", "HOME?", "ome", NULL }, { NULL }, NULL,
		  "PATH=/app/bin:/usr/bin|HOME=/app|SECRET_TOKEN=s3cr3t|"
		  "FLY_APP_NAME=demo|FLY_ALLOC_ID=1234|TERM=dumb|LANG=C.UTF-8" },
		/* An excluded PATH is replaced by the default. */
		{ 1, { "PATH", "SECRET_*", "FLY_*", NULL }, { NULL }, "/usr/bin",
		  "HOME=/app|TERM=dumb|LANG=C.UTF-8|PATH=/usr/bin" },
		{ 1, { "*", NULL }, { "USER=root", NULL }, "/usr/bin",
		  "PATH=/usr/bin|USER=root" },
		{ 1, { "*", NULL }, { NULL }, NULL, "" },
		/* PID 1 without PATH: the default, before the session. */
		{ 2, { NULL }, { "SHELL=/bin/sh", NULL }, "/sbin:/bin",
		  "HOME=/app|LANG=C|PATH=/sbin:/bin|SHELL=/bin/sh" },
		{ 2, { NULL }, { NULL }, NULL, "HOME=/app|LANG=C" },
		{ 3, { NULL }, { "USER=a", NULL }, "/bin", "PATH=/bin|USER=a" },
		/* The session's PATH always wins. */
		{ 1, { "*_*", "TERM", "LANG", NULL }, { "PATH=/s", NULL }, "/d",
		  "HOME=/app|PATH=/s" },
		{ 2, { NULL }, { "PATH=/s", NULL }, "/d", "HOME=/app|LANG=C|PATH=/s" },
		{ 0, { NULL }, { "PATH=", NULL }, "/d", "PATH=" },
		/* Session values are free text; duplicates: the last one. */
		{ 0, { NULL }, { "TERM=a", "USER=x", "TERM=b", "X==y", NULL }, NULL,
		  "USER=x|TERM=b|X==y" },
		{ 0, { NULL }, { "A=1", "A=2", "A=3", NULL }, NULL, "A=3" },
		{ 0, { NULL }, { "A=1", "AB=2", "A-B=3", "LC_a.b=4", NULL }, NULL,
		  "A=1|AB=2|A-B=3|LC_a.b=4" },
		/* A session name only overrides the exact same name. */
		{ 2, { NULL }, { "HOM=x", "HOMEX=y", "LANG=en", NULL }, NULL,
		  "HOME=/app|HOM=x|HOMEX=y|LANG=en" },
		/* Exclusion is by name, never by value. */
		{ 2, { "*app*", "C", NULL }, { NULL }, NULL, "HOME=/app|LANG=C" },
	};
	struct bp_environ envs[4];
	char *exclude[MAXL], *session[MAXL];
	char **out;
	char buf[1024];
	size_t i, j, nex, nses;
	enum bp_error rc;

	CHECK(bp_environ_parse(pid1, sizeof(pid1) - 1, &envs[1]) == BP_OK);
	CHECK(bp_environ_parse(pid1_nopath, sizeof(pid1_nopath) - 1, &envs[2])
			== BP_OK);
	CHECK(bp_environ_parse("", 0, &envs[3]) == BP_OK);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		for (nex = 0; rows[i].exclude[nex] != NULL; nex++) {
			exclude[nex] = (char *)rows[i].exclude[nex];
		}
		for (nses = 0; rows[i].session[nses] != NULL; nses++) {
			session[nses] = (char *)rows[i].session[nses];
		}
		out = (char **)&buf;
		rc = bp_env_build(rows[i].inherit ? &envs[rows[i].inherit] : NULL,
				nex ? exclude : NULL, nex, nses ? session : NULL, nses,
				rows[i].default_path, &out);
		CHECKF(rc == BP_OK, "row %zu rc %d", i, (int)rc);
		CHECKF(out != NULL, "row %zu", i);
		if (out == NULL) {
			continue;
		}
		CHECK_STREQ(join(out, (size_t)-1, buf, sizeof(buf)), rows[i].expect);
		/* every string is a fresh copy */
		for (j = 0; out[j] != NULL; j++) {
			CHECK(out[j] != (char *)rows[i].session[0]);
		}
		bp_env_free(out);
	}
	bp_environ_free(&envs[1]);
	bp_environ_free(&envs[2]);
	bp_environ_free(&envs[3]);
	bp_env_free(NULL);
}

static void test_build_errors(void) {
	static const char *const bad[] = {
		"NOEQUALS", "=value", "=", "",
	};
	char *session[2];
	char **out;
	struct bp_environ env;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		session[0] = "USER=root";
		session[1] = (char *)bad[i];
		out = (char **)session;
		CHECKF(bp_env_build(NULL, NULL, 0, session, 2, "/bin", &out)
				== BP_ERR_BAD_FORMAT, "\"%s\"", bad[i]);
		CHECK(out == NULL);
	}
	session[0] = NULL;
	out = (char **)session;
	CHECK(bp_env_build(NULL, NULL, 0, session, 1, "/bin", &out)
			== BP_ERR_BAD_FORMAT);
	CHECK(out == NULL);
	CHECK(bp_env_build(NULL, NULL, 0, NULL, 1, "/bin", &out)
			== BP_ERR_INTERNAL);
	CHECK(out == NULL);
	CHECK(bp_env_build(NULL, NULL, 1, NULL, 0, "/bin", &out)
			== BP_ERR_INTERNAL);
	CHECK(bp_env_build(NULL, NULL, 0, NULL, 0, "/bin", NULL)
			== BP_ERR_INTERNAL);
	memset(&env, 0, sizeof(env));
	env.nvars = 3;
	CHECK(bp_env_build(&env, NULL, 0, NULL, 0, "/bin", &out)
			== BP_ERR_INTERNAL);
	CHECK(out == NULL);
	/* A cleared object is an empty environment. */
	env.nvars = 0;
	CHECK(bp_env_build(&env, NULL, 0, NULL, 0, "/bin", &out) == BP_OK);
	CHECK(out != NULL && out[0] != NULL && out[1] == NULL);
	CHECK(out != NULL && out[0] != NULL && strcmp(out[0], "PATH=/bin") == 0);
	bp_env_free(out);
}

/* The largest environment PID 1 can give still builds. */
static void test_build_large(void) {
	char *buf, *p;
	size_t i, n;
	struct bp_environ env;
	char *session[1] = { "V7=session" };
	char *exclude[1] = { "V1*" };
	char **out;

	buf = malloc(64 * 1024);
	CHECK(buf != NULL);
	if (buf == NULL) {
		return;
	}
	p = buf;
	for (i = 0; i < BP_ENVIRON_MAX_VARS; i++) {
		p += sprintf(p, "V%zu=%zu", i, i) + 1;
	}
	CHECK(bp_environ_parse(buf, (size_t)(p - buf), &env) == BP_OK);
	CHECK(bp_env_build(&env, exclude, 1, session, 1, "/bin", &out)
			== BP_OK);
	for (n = 0; out != NULL && out[n] != NULL; n++) {
		CHECK(out[n][0] == 'V' || strcmp(out[n], "PATH=/bin") == 0);
		CHECK(out[n][1] != '1');
	}
	/* V1, V10..V19, V100..V199, V1000..V1023: 1 + 10 + 100 + 24 */
	CHECK(n == BP_ENVIRON_MAX_VARS - 135 - 1 + 1 + 1);
	CHECK(n > 1 && strcmp(out[n - 1], "V7=session") == 0);
	CHECK(n > 2 && strcmp(out[n - 2], "PATH=/bin") == 0);
	bp_env_free(out);
	bp_environ_free(&env);
	free(buf);
}

int main(void) {
	test_parse_table();
	test_parse_truncations();
	test_parse_limits();
	test_get();
	test_build_table();
	test_build_errors();
	test_build_large();
	return T_DONE("environ");
}
