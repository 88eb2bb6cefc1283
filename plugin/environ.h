/*
 * bearpass - PID 1's environment and the session environment built
 * from it.
 *
 * Pure: the caller reads /proc/<pid>/environ and passes its contents;
 * nothing here opens a file.
 *
 * Parsing /proc/<pid>/environ ("NAME=value" entries separated by NUL):
 * - More than BP_ENVIRON_MAX_SIZE bytes is an error (BP_ERR_TOO_LONG), not
 *   a truncation: the caller should read up to BP_ENVIRON_MAX_SIZE + 1
 *   bytes, so that an oversized environment is detected, then log the
 *   error and go on without inherited variables.
 * - Empty entries (consecutive NULs) are ignored.  A last entry without
 *   a terminating NUL is accepted.
 * - Entries are skipped (and counted in nskipped) when they have no '=',
 *   an empty name, or a name that is not portable: the name must match
 *   [A-Za-z_][A-Za-z0-9_]* (POSIX's portable shell names).  The value may
 *   hold any byte except NUL.
 * - Duplicate names: the first one wins, as with getenv(); later ones are
 *   skipped (and counted).
 * - More than BP_ENVIRON_MAX_VARS variables kept is an error
 *   (BP_ERR_TOO_LONG).
 *
 * Building a session's environment (bp_env_build), in this order:
 *   1. PID 1's variables in PID 1's order, without those whose name
 *      matches an exclude pattern and without those the session sets;
 *   2. "PATH=" default_path, only if PATH is neither among 1. nor set by
 *      the session (so PATH comes from PID 1 when it has one, unless it
 *      is excluded);
 *   3. the session's variables in their order, which always win; when
 *      the session list names a variable twice, only the last one is
 *      kept (as successive setenv() calls would leave it), at its own
 *      position.
 */
#ifndef BP_ENVIRON_H
#define BP_ENVIRON_H

#include <stddef.h>

#include "bp_error.h"

#define BP_ENVIRON_MAX_SIZE  (256 * 1024)  /* bytes of /proc/<pid>/environ */
#define BP_ENVIRON_MAX_VARS  1024          /* variables kept from it */

/* PID 1's environment. */
struct bp_environ {
	char **vars;        /* nvars malloc'ed "NAME=value", then NULL */
	size_t nvars;
	size_t nskipped;    /* entries skipped as invalid or duplicate */
};

/* Parse the contents of /proc/<pid>/environ into *out, which is cleared
 * first and filled only on success.  Returns BP_OK, BP_ERR_TOO_LONG (see
 * the limits above), BP_ERR_NOMEM, or BP_ERR_INTERNAL (out NULL, or buf
 * NULL with len > 0). */
enum bp_error bp_environ_parse(const char *buf, size_t len,
		struct bp_environ *out);

/* Free what env owns and clear it.  NULL and cleared objects are fine. */
void bp_environ_free(struct bp_environ *env);

/* The value of a variable: returns 1 and sets *value (NUL-terminated,
 * owned by env) and *valuelen, or 0 when env has no such variable. */
int bp_environ_get(const struct bp_environ *env, const char *name,
		size_t namelen, const char **value, size_t *valuelen);

/*
 * Build a session environment for execve.
 * - inherited: PID 1's environment, or NULL (InheritEnvironment no).
 * - exclude, nexclude: InheritEnvironmentExclude names or '*'/'?'
 *   patterns (bp_pattern_list_match); may be NULL when nexclude is 0.
 * - session, nsession: the session's own "NAME=value" strings (USER,
 *   LOGNAME, HOME, SHELL, SSH_*, TERM, accepted client variables...); each
 *   must have a non-empty name before its first '='.
 * - default_path: PATH's value when neither PID 1 nor the session gives
 *   one; NULL for none.
 * On BP_OK *out is a malloc'ed NULL-terminated array of malloc'ed strings,
 * to be freed with bp_env_free.  Otherwise *out is NULL and the result is
 * BP_ERR_BAD_FORMAT (a session entry without '=' or with an empty name),
 * BP_ERR_NOMEM, or BP_ERR_INTERNAL (bad arguments).
 */
enum bp_error bp_env_build(const struct bp_environ *inherited,
		char *const *exclude, size_t nexclude,
		char *const *session, size_t nsession,
		const char *default_path, char ***out);

/* Free an array made by bp_env_build.  NULL is fine. */
void bp_env_free(char **env);

#endif /* BP_ENVIRON_H */
