/*
 * bearpass - bearpass.conf parser.
 *
 * "Keyword value" lines as in sshd_config: keywords are case-insensitive,
 * '#' starts a comment line, values are separated by blanks.  Every keyword
 * of DESIGN.md's table is parsed and validated here, whether or not the
 * feature behind it exists yet.  Unknown keywords, bad values, duplicate
 * single-value keywords and overlong lines are errors, reported through a
 * callback as "file:line: message".
 *
 * Pure: the file's contents are passed in; nothing here opens a file.
 *
 * Syntax details (chosen where DESIGN.md is silent):
 * - A line is "Keyword value...", values separated by spaces or tabs; there
 *   is no quoting, so paths cannot contain blanks.  "Keyword=value" is
 *   rejected with a hint.  '#' starts a comment only as the first non-blank
 *   character of a line.  CRLF line ends are accepted; the last line may
 *   lack its newline; other control characters are errors.
 * - Keywords and the words yes/no/none/any/6pn/root/deny/stderr/syslog/
 *   certificate/internal are case-insensitive; the subsystem name "sftp",
 *   paths and variable patterns are case-sensitive.
 * - Messages: "FILE:LINE: Keyword: bad value \"V\" (expected ...)",
 *   "FILE:LINE: Keyword: missing value",
 *   "FILE:LINE: Keyword: unexpected extra value \"V\"",
 *   "FILE:LINE: duplicate keyword Keyword (first given at line N)",
 *   "FILE:LINE: Keyword: too many values (max 32)",
 *   "FILE:LINE: unknown keyword \"K\"", "FILE:LINE: line too long (max 1024)",
 *   "FILE:1: file too large (max 65536 bytes)", "FILE:LINE: NUL byte in file",
 *   and after the whole file, on its last line (line 1 when empty):
 *   "FILE:LINE: missing TrustedUserCAKeys or TrustedUserCAKeysEnv (at least
 *   one is required)", unless a line of one of these keywords already had
 *   an error.
 * - Parsing goes on after an error.  After BP_CONFIG_MAX_ERRORS errors the
 *   next one is replaced by "too many errors, giving up" and parsing stops,
 *   so at most BP_CONFIG_MAX_ERRORS + 1 messages are reported.
 * - Time values as in sshd_config: parts NUMBER[s|m|h|d|w], e.g. 90, 5m,
 *   1h30m.  SixPNWait <= 3600 s, MaxSessionTime <= 1 year,
 *   ClientAliveInterval <= 1 day.
 * - ClientAliveInterval is not in DESIGN.md's table: sshd's name for
 *   Dropbear's -K keepalive interval (0, the default, leaves -K to decide).
 * - AllowTcpForwarding/AllowAgentForwarding/PermitTTY "yes" allows the
 *   feature regardless of the certificate's permit-* extensions.
 * - AllowFrom "any" adds 0.0.0.0/0 and ::/0 (two list entries).  Host bits
 *   of a prefix are cleared, not rejected.
 * - ListenAddress takes one value per line: 6pn, any, an IPv4 or IPv6
 *   address, IPV4:PORT, [IPV6]:PORT or [IPV6]; exact duplicates are errors.
 * - The first InheritEnvironmentExclude/AcceptEnv line replaces the
 *   built-in list; further lines add to it.
 */
#ifndef BP_CONFIG_H
#define BP_CONFIG_H

#include <stddef.h>

#define BP_CONFIG_MAX_SIZE   (64 * 1024)  /* whole file */
#define BP_CONFIG_MAX_LINE   1024         /* one line, without newline */
#define BP_CONFIG_MAX_LIST   32           /* entries of a list keyword */
#define BP_CONFIG_MAX_ERRORS 100          /* reported before giving up */
#define BP_CONFIG_MAX_PATH   4096         /* an expanded principals path */
#define BP_CONFIG_DEFAULT_MAX_STARTUPS 5  /* PerSourceMaxStartups */

enum bp_fwd_policy {
	BP_FWD_NO = 0,          /* never */
	BP_FWD_CERTIFICATE,     /* when the certificate's permit-* allows */
	BP_FWD_YES              /* regardless of the certificate's extensions */
};

enum bp_unknown_user {
	BP_UNKNOWN_USER_ROOT = 0,
	BP_UNKNOWN_USER_DENY
};

enum bp_listen_kind {
	BP_LISTEN_6PN = 0,
	BP_LISTEN_ANY,
	BP_LISTEN_ADDRESS
};

struct bp_listen {
	enum bp_listen_kind kind;
	int family;             /* AF_INET or AF_INET6 for BP_LISTEN_ADDRESS */
	unsigned char addr[16]; /* network byte order */
	int port;               /* 0: the Port keyword's value */
};

struct bp_prefix {
	int family;             /* AF_INET or AF_INET6 */
	unsigned char addr[16]; /* network byte order, host bits cleared */
	int bits;
};

enum bp_audit_kind {
	BP_AUDIT_STDERR = 0,
	BP_AUDIT_SYSLOG,
	BP_AUDIT_FILE
};

enum bp_subsystem_kind {
	BP_SUBSYS_INTERNAL = 0,
	BP_SUBSYS_PATH,
	BP_SUBSYS_NONE
};

struct bp_config {
	char *trusted_user_ca_keys;        /* path; NULL if unset */
	char *trusted_user_ca_keys_env;    /* variable name; NULL if unset */
	char *authorized_principals_file;  /* may contain %u; NULL if unset */
	char *revoked_keys;                /* path; NULL if unset */
	int authorized_keys;               /* AuthorizedKeys yes|no */

	struct bp_listen listen[BP_CONFIG_MAX_LIST];
	size_t nlisten;                    /* 0: the default, "6pn" */
	int port;
	struct bp_prefix sixpn_prefix;
	unsigned int sixpn_wait;           /* seconds */
	struct bp_prefix allow_from[BP_CONFIG_MAX_LIST];
	size_t nallow_from;
	int allow_from_set;                /* 0: the default (see DESIGN.md) */

	char *passwd_file;
	char *group_file;
	enum bp_unknown_user unknown_user;
	char *default_shell;

	int inherit_environment;
	char *inherit_env_exclude[BP_CONFIG_MAX_LIST];  /* names or patterns */
	size_t ninherit_env_exclude;

	enum bp_audit_kind audit_kind;
	char *audit_path;                  /* BP_AUDIT_FILE */

	enum bp_fwd_policy allow_tcp_forwarding;
	enum bp_fwd_policy allow_agent_forwarding;
	enum bp_fwd_policy permit_tty;
	char *accept_env[BP_CONFIG_MAX_LIST];
	size_t naccept_env;

	int disconnect_expired_cert;
	unsigned int max_session_time;     /* seconds, 0 = none */
	unsigned int client_alive_interval; /* seconds, 0 = Dropbear's -K */
	unsigned int per_source_max_startups;
	char *host_key_dir;

	enum bp_subsystem_kind sftp;
	char *sftp_path;                   /* BP_SUBSYS_PATH */

	/* Lines that named files, for messages about those files (0: the
	 * default was used) */
	unsigned long line_trusted_user_ca_keys;
	unsigned long line_revoked_keys;
	unsigned long line_passwd_file;
	unsigned long line_group_file;
};

/* Called once per problem with the formatted "file:line: message" text
 * (no trailing newline). */
typedef void (*bp_config_diag_fn)(void *ctx, const char *msg);

/* Fill *cfg with the defaults of DESIGN.md. Returns 0, or -1 if out of
 * memory. */
int bp_config_defaults(struct bp_config *cfg);

/* Parse the contents of a configuration file.  "file" is only used in
 * messages.  *out is cleared first and filled only on success.
 * Returns the number of errors (0 on success); each was reported through
 * diag. */
int bp_config_parse(struct bp_config *out, const char *file,
		const char *buf, size_t len,
		bp_config_diag_fn diag, void *ctx);

/* Free the strings owned by cfg and clear it. */
void bp_config_free(struct bp_config *cfg);

/* Expand an AuthorizedPrincipalsFile value: %u becomes the login name,
 * %% a percent sign; a relative result is placed under home (home + "/" +
 * path, as sshd does).  Fails (-1) for another %-token, for a login name
 * that is empty, "." or ".." or contains '/' or NUL, and for a result
 * longer than BP_CONFIG_MAX_PATH.  On success *out is a malloc'ed string
 * and 0 is returned; on failure *out is NULL. */
int bp_config_expand_principals_file(const char *tmpl, const char *user,
		size_t userlen, const char *home, size_t homelen, char **out);

/* Whether a list of shell-style patterns ('*' and '?') matches name.
 * Case-sensitive; a pattern must match the whole name. */
int bp_pattern_list_match(char *const *patterns, size_t npatterns,
		const char *name, size_t namelen);

/* Parse "addr/bits" or a bare address (full-length prefix).
 * Returns 0 or -1. */
int bp_prefix_parse(struct bp_prefix *out, const char *s, size_t len);

/* Whether addr (family, network byte order) lies within prefix.  An
 * IPv4-mapped IPv6 address (::ffff:a.b.c.d, family AF_INET6) is compared
 * as the IPv4 address a.b.c.d against an AF_INET prefix (a dual-stack
 * socket reports IPv4 peers that way); it still matches IPv6 prefixes
 * such as ::/0 as an IPv6 address. */
int bp_prefix_match(const struct bp_prefix *prefix, int family,
		const unsigned char *addr);

#endif /* BP_CONFIG_H */
