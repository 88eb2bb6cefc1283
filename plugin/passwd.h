/*
 * bearpass - /etc/passwd and /etc/group parsed without libc (no NSS).
 *
 * Pure: the caller reads the file and passes its contents as (pointer,
 * length); nothing here opens a file, allocates more than the result, or
 * keeps state between calls.
 *
 * Lines (both files):
 * - A line ends at '\n'; the last line may lack it; an empty buffer has
 *   no entries.  One trailing '\r' is stripped (CRLF files work; a shell
 *   never ends up as "/bin/sh\r").
 * - A line longer than BP_PASSWD_MAX_LINE bytes (without "\n" and the
 *   stripped '\r') is skipped whole, with a warning: it never matches and
 *   no part of it is ever parsed as another line.
 * - Empty lines and lines starting with '#' are skipped silently (as
 *   glibc's files module does).  NIS compat lines starting with '+' or '-'
 *   are skipped silently: there is no NIS here.
 * - Every other line that is not valid is skipped with one warning through
 *   the callback (line number counted from 1, and a fixed reason string).
 *   A lookup stops at the first valid match, so only the lines it scanned
 *   are reported.
 * - Any control character (0x00-0x1f, 0x7f, including NUL and TAB) makes a
 *   line invalid.
 *
 * passwd: "name:passwd:uid:gid:gecos:dir:shell", exactly 7 fields.
 * - name: non-empty, no space; compared byte for byte.
 * - passwd and gecos: ignored.
 * - uid, gid: decimal digits only (no sign, no blanks, leading zeros
 *   allowed), 0..4294967294; 4294967295 ((uid_t)-1) and anything larger
 *   is invalid (overflow is detected, never wrapped).
 * - dir: non-empty and absolute (starts with '/'); a relative home is
 *   invalid: the session would start in a directory depending on the
 *   server's cwd.
 * - shell: empty (the caller applies DefaultShell) or absolute.
 * - The first valid line that matches wins, as in libc.
 *
 * group: "name:passwd:gid:member,member,...", exactly 4 fields.
 * - name non-empty without space; gid as above; members separated by
 *   ',', empty members ignored, each compared byte for byte with the user.
 */
#ifndef BP_PASSWD_H
#define BP_PASSWD_H

#include <stddef.h>

#define BP_PASSWD_MAX_LINE   1024         /* one line, without "\r\n" */
#define BP_PASSWD_MAX_ID     4294967294U  /* largest uid or gid */
#define BP_GROUP_MAX_GROUPS  64           /* suggested gid array size */

/* Results of the lookups. */
#define BP_PASSWD_FOUND      0
#define BP_PASSWD_NOT_FOUND  1
/* No valid line matches, but an invalid (or overlong) line has the wanted
 * name in its first field.  The caller must refuse the login rather than
 * apply UnknownUser: a typo in alice's line must not make alice root. */
#define BP_PASSWD_BAD_ENTRY  2

/* Called once per skipped line: line number (from 1) and a fixed reason
 * such as "bad uid".  May be NULL. */
typedef void (*bp_passwd_warn_fn)(void *ctx, size_t lineno,
		const char *reason);

/* One user, owning malloc'ed NUL-terminated copies. */
struct bp_pwent {
	char *name;
	unsigned int uid;
	unsigned int gid;
	char *dir;
	char *shell;        /* "" when the entry has no shell */
};

/* Look up a user by name.  *out is cleared first and filled only when
 * BP_PASSWD_FOUND is returned.  Returns BP_PASSWD_FOUND,
 * BP_PASSWD_NOT_FOUND, BP_PASSWD_BAD_ENTRY, or -1 (out of memory, or
 * buf/out NULL).  An empty name, or one containing ':', '\n' or NUL, is
 * never found. */
int bp_passwd_lookup_name(const char *buf, size_t len,
		const char *name, size_t namelen, struct bp_pwent *out,
		bp_passwd_warn_fn warn, void *ctx);

/* Look up a user by uid: the first valid line with that uid.  Returns
 * BP_PASSWD_FOUND, BP_PASSWD_NOT_FOUND or -1, as above. */
int bp_passwd_lookup_uid(const char *buf, size_t len, unsigned int uid,
		struct bp_pwent *out, bp_passwd_warn_fn warn, void *ctx);

/* Free what *ent owns and clear it.  NULL and cleared entries are fine. */
void bp_pwent_free(struct bp_pwent *ent);

/* Supplementary groups of a user: gids[0] = primary_gid, then the gid of
 * every valid group whose member list contains user, in file order,
 * without duplicates.  At most max gids are stored; further groups are
 * ignored with one warning ("too many groups, rest ignored") at the line
 * of the first one dropped (fail-safe: fewer groups, never more).
 * Returns 0 with *ngids >= 1, or -1 if max is 0 or an argument is NULL
 * (then *ngids is 0).  An empty user is a member of nothing. */
int bp_group_list(const char *buf, size_t len,
		const char *user, size_t userlen, unsigned int primary_gid,
		unsigned int *gids, size_t max, size_t *ngids,
		bp_passwd_warn_fn warn, void *ctx);

#endif /* BP_PASSWD_H */
