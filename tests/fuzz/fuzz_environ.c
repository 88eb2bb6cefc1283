/*
 * bearpass - libFuzzer target for plugin/environ.c.
 *
 * The input is parsed whole as /proc/<pid>/environ; a parsed environment
 * is then built into session environments with fixed exclude patterns and
 * session variables, with and without a session PATH and a default PATH.
 * Besides memory errors (build with -fsanitize=fuzzer,address,undefined)
 * it checks the promises of environ.h and aborts when one is broken:
 * portable, unique names within the limits; nothing published on error;
 * built environments hold every session variable at the end, each name
 * once, no excluded inherited name, exactly one PATH when a default is
 * given.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "environ.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t name_len(const char *s) {
	const char *eq = strchr(s, '=');

	if (eq == NULL || eq == s) {
		abort();
	}
	return (size_t)(eq - s);
}

static void check_parsed(const struct bp_environ *env, size_t size) {
	size_t i, j, n, ni;
	const char *s;
	const char *v;
	size_t vl;

	if (env->nvars > BP_ENVIRON_MAX_VARS || env->vars == NULL
			|| env->vars[env->nvars] != NULL
			|| env->nvars + env->nskipped > size) {
		abort();
	}
	for (i = 0; i < env->nvars; i++) {
		s = env->vars[i];
		n = name_len(s);
		if (s[0] >= '0' && s[0] <= '9') {
			abort();
		}
		for (j = 0; j < n; j++) {
			if (!((s[j] >= 'A' && s[j] <= 'Z') || (s[j] >= 'a'
					&& s[j] <= 'z') || (s[j] >= '0' && s[j] <= '9')
					|| s[j] == '_')) {
				abort();
			}
		}
		for (j = 0; j < i; j++) {
			ni = name_len(env->vars[j]);
			if (ni == n && memcmp(env->vars[j], s, n) == 0) {
				abort();
			}
		}
		if (bp_environ_get(env, s, n, &v, &vl) != 1 || v != s + n + 1
				|| vl != strlen(s + n + 1)) {
			abort();
		}
	}
}

static void check_built(char **out, char *const *exclude, size_t nexclude,
		char *const *session, size_t nsession, const char *default_path,
		int want_path) {
	size_t n, i, j, ni, nj, npath = 0;

	for (n = 0; out[n] != NULL; n++) {
	}
	if (n < nsession) {
		abort();
	}
	for (i = 0; i < n; i++) {
		ni = name_len(out[i]);
		if (ni == 4 && memcmp(out[i], "PATH", 4) == 0) {
			npath++;
		}
		for (j = 0; j < i; j++) {
			nj = name_len(out[j]);
			if (ni == nj && memcmp(out[i], out[j], ni) == 0) {
				abort();
			}
		}
		/* the default PATH is not inherited: it ignores exclusion */
		if (i < n - nsession && bp_pattern_list_match(exclude, nexclude,
				out[i], ni) && !(default_path != NULL && ni == 4
				&& memcmp(out[i], "PATH=", 5) == 0
				&& strcmp(out[i] + 5, default_path) == 0)) {
			abort();
		}
	}
	for (i = 0; i < nsession; i++) {
		if (strcmp(out[n - nsession + i], session[i]) != 0) {
			abort();
		}
	}
	if (want_path && npath != 1) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	static char *exclude[] = { "SECRET_*", "?A*", "X" };
	static char *session[] = { "USER=root", "HOME=/root", "TERM=xterm",
		"PATH=/session" };
	struct bp_environ env;
	enum bp_error rc;
	char **out;

	env.nvars = 99;
	rc = bp_environ_parse((const char *)data, size, &env);
	if (rc != BP_OK) {
		if (env.vars != NULL || env.nvars != 0 || rc == BP_ERR_INTERNAL) {
			abort();
		}
		return 0;
	}
	check_parsed(&env, size);

	/* session without PATH, default PATH */
	if (bp_env_build(&env, exclude, 3, session, 3, "/usr/bin", &out)
			!= BP_OK) {
		abort();
	}
	check_built(out, exclude, 3, session, 3, "/usr/bin", 1);
	bp_env_free(out);

	/* session PATH, nothing excluded */
	if (bp_env_build(&env, NULL, 0, session, 4, NULL, &out) != BP_OK) {
		abort();
	}
	check_built(out, NULL, 0, session, 4, NULL, 1);
	bp_env_free(out);

	/* nothing but the inherited variables */
	if (bp_env_build(&env, exclude, 1, NULL, 0, NULL, &out) != BP_OK) {
		abort();
	}
	check_built(out, exclude, 1, NULL, 0, NULL, 0);
	bp_env_free(out);

	bp_environ_free(&env);
	return 0;
}
