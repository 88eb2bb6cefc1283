/*
 * bearpass - PID 1's environment and session environments.  See environ.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "environ.h"

/* Length of the name of "NAME=value" (up to the first '='), or of the
 * whole string when it has no '='. */
static size_t name_len(const char *s) {
	const char *eq = strchr(s, '=');

	return eq != NULL ? (size_t)(eq - s) : strlen(s);
}

/* Whether "NAME=value" string s has the given name. */
static int has_name(const char *s, const char *name, size_t namelen) {
	return strncmp(s, name, namelen) == 0 && s[namelen] == '=';
}

static int is_portable_name(const char *p, size_t len) {
	size_t i;
	char c;

	if (len == 0 || (p[0] >= '0' && p[0] <= '9')) {
		return 0;
	}
	for (i = 0; i < len; i++) {
		c = p[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
				|| (c >= '0' && c <= '9') || c == '_')) {
			return 0;
		}
	}
	return 1;
}

static char *dup_bytes(const char *p, size_t len) {
	char *s;

	s = malloc(len + 1);
	if (s == NULL) {
		return NULL;
	}
	memcpy(s, p, len);
	s[len] = '\0';
	return s;
}

enum bp_error bp_environ_parse(const char *buf, size_t len,
		struct bp_environ *out) {
	struct bp_environ env;
	const char *p, *end, *nul, *eq;
	size_t elen, nlen, i;
	int dup;
	enum bp_error ret = BP_ERR_INTERNAL;

	memset(&env, 0, sizeof(env));
	if (out == NULL) {
		goto out;
	}
	memset(out, 0, sizeof(*out));
	if (buf == NULL && len > 0) {
		goto out;
	}
	if (len > BP_ENVIRON_MAX_SIZE) {
		ret = BP_ERR_TOO_LONG;
		goto out;
	}
	env.vars = calloc(BP_ENVIRON_MAX_VARS + 1, sizeof(*env.vars));
	if (env.vars == NULL) {
		ret = BP_ERR_NOMEM;
		goto out;
	}

	p = buf;
	end = buf + len;
	while (p < end) {
		nul = memchr(p, '\0', (size_t)(end - p));
		elen = nul != NULL ? (size_t)(nul - p) : (size_t)(end - p);
		if (elen == 0) {
			p++;
			continue;
		}
		eq = memchr(p, '=', elen);
		nlen = eq != NULL ? (size_t)(eq - p) : 0;
		if (eq == NULL || !is_portable_name(p, nlen)) {
			env.nskipped++;
			goto next;
		}
		dup = 0;
		for (i = 0; i < env.nvars; i++) {
			if (has_name(env.vars[i], p, nlen)) {
				dup = 1;
				break;
			}
		}
		if (dup) {
			env.nskipped++;
			goto next;
		}
		if (env.nvars == BP_ENVIRON_MAX_VARS) {
			ret = BP_ERR_TOO_LONG;
			goto out;
		}
		env.vars[env.nvars] = dup_bytes(p, elen);
		if (env.vars[env.nvars] == NULL) {
			ret = BP_ERR_NOMEM;
			goto out;
		}
		env.nvars++;
next:
		p += elen;
		if (p < end) {
			p++;    /* the NUL */
		}
	}

	*out = env;
	memset(&env, 0, sizeof(env));
	ret = BP_OK;
out:
	bp_environ_free(&env);
	return ret;
}

void bp_environ_free(struct bp_environ *env) {
	size_t i;

	if (env == NULL) {
		return;
	}
	if (env->vars != NULL) {
		for (i = 0; i < env->nvars; i++) {
			free(env->vars[i]);
		}
		free(env->vars);
	}
	memset(env, 0, sizeof(*env));
}

int bp_environ_get(const struct bp_environ *env, const char *name,
		size_t namelen, const char **value, size_t *valuelen) {
	size_t i;

	if (env == NULL || env->vars == NULL || name == NULL || namelen == 0
			|| memchr(name, '=', namelen) != NULL
			|| memchr(name, '\0', namelen) != NULL) {
		return 0;
	}
	for (i = 0; i < env->nvars; i++) {
		if (has_name(env->vars[i], name, namelen)) {
			if (value != NULL) {
				*value = env->vars[i] + namelen + 1;
			}
			if (valuelen != NULL) {
				*valuelen = strlen(env->vars[i] + namelen + 1);
			}
			return 1;
		}
	}
	return 0;
}

/* Whether the session list sets a variable of this name. */
static int session_sets(char *const *session, size_t nsession,
		const char *name, size_t namelen) {
	size_t i;

	for (i = 0; i < nsession; i++) {
		if (has_name(session[i], name, namelen)) {
			return 1;
		}
	}
	return 0;
}

enum bp_error bp_env_build(const struct bp_environ *inherited,
		char *const *exclude, size_t nexclude,
		char *const *session, size_t nsession,
		const char *default_path, char ***out) {
	char **env = NULL;
	const char *s;
	size_t ninh, cap, n = 0, i, nlen, plen;
	int have_path = 0;
	enum bp_error ret = BP_ERR_INTERNAL;

	if (out == NULL) {
		goto out;
	}
	*out = NULL;
	if ((session == NULL && nsession > 0)
			|| (exclude == NULL && nexclude > 0)
			|| (inherited != NULL && inherited->vars == NULL
				&& inherited->nvars > 0)) {
		goto out;
	}
	for (i = 0; i < nsession; i++) {
		if (session[i] == NULL || session[i][0] == '='
				|| strchr(session[i], '=') == NULL) {
			ret = BP_ERR_BAD_FORMAT;
			goto out;
		}
	}
	ninh = inherited != NULL ? inherited->nvars : 0;
	/* inherited + PATH + session + NULL, without overflow */
	if (ninh > SIZE_MAX / sizeof(*env) - 2
			|| nsession > SIZE_MAX / sizeof(*env) - 2 - ninh) {
		ret = BP_ERR_NOMEM;
		goto out;
	}
	cap = ninh + nsession + 2;
	env = calloc(cap, sizeof(*env));
	if (env == NULL) {
		ret = BP_ERR_NOMEM;
		goto out;
	}

	/* 1. PID 1's variables, minus excluded and overridden ones */
	for (i = 0; i < ninh; i++) {
		s = inherited->vars[i];
		if (s == NULL) {
			continue;
		}
		nlen = name_len(s);
		if (nlen == 0 || s[nlen] != '=') {
			continue;   /* not from bp_environ_parse */
		}
		if (nexclude > 0
				&& bp_pattern_list_match(exclude, nexclude, s, nlen)) {
			continue;
		}
		if (session_sets(session, nsession, s, nlen)) {
			continue;
		}
		if (nlen == 4 && memcmp(s, "PATH", 4) == 0) {
			have_path = 1;
		}
		if ((env[n] = dup_bytes(s, strlen(s))) == NULL) {
			ret = BP_ERR_NOMEM;
			goto out;
		}
		n++;
	}

	/* 2. the default PATH */
	if (!have_path && default_path != NULL
			&& !session_sets(session, nsession, "PATH", 4)) {
		plen = strlen(default_path);
		if (plen > SIZE_MAX - 6 || (env[n] = malloc(plen + 6)) == NULL) {
			ret = BP_ERR_NOMEM;
			goto out;
		}
		memcpy(env[n], "PATH=", 5);
		memcpy(env[n] + 5, default_path, plen + 1);
		n++;
	}

	/* 3. the session's variables; of duplicates the last one counts */
	for (i = 0; i < nsession; i++) {
		nlen = name_len(session[i]);
		if (session_sets(session + i + 1, nsession - i - 1, session[i],
				nlen)) {
			continue;
		}
		if ((env[n] = dup_bytes(session[i], strlen(session[i]))) == NULL) {
			ret = BP_ERR_NOMEM;
			goto out;
		}
		n++;
	}
	env[n] = NULL;

	*out = env;
	env = NULL;
	ret = BP_OK;
out:
	bp_env_free(env);
	return ret;
}

void bp_env_free(char **env) {
	size_t i;

	if (env == NULL) {
		return;
	}
	for (i = 0; env[i] != NULL; i++) {
		free(env[i]);
	}
	free(env);
}
