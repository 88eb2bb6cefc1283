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
 */
#ifndef BP_CONFIG_H
#define BP_CONFIG_H

#include <stddef.h>

#define BP_CONFIG_MAX_SIZE   (64 * 1024)  /* whole file */
#define BP_CONFIG_MAX_LINE   1024         /* one line, without newline */
#define BP_CONFIG_MAX_LIST   32           /* entries of a list keyword */
#define BP_CONFIG_MAX_ERRORS 100          /* reported before giving up */

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
	unsigned int per_source_max_startups;
	char *host_key_dir;

	enum bp_subsystem_kind sftp;
	char *sftp_path;                   /* BP_SUBSYS_PATH */
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

/* Whether a list of shell-style patterns ('*' and '?') matches name. */
int bp_pattern_list_match(char *const *patterns, size_t npatterns,
		const char *name, size_t namelen);

/* Parse "addr/bits" or a bare address (full-length prefix).
 * Returns 0 or -1. */
int bp_prefix_parse(struct bp_prefix *out, const char *s, size_t len);

/* Whether addr (family, network byte order) lies within prefix. */
int bp_prefix_match(const struct bp_prefix *prefix, int family,
		const unsigned char *addr);

#endif /* BP_CONFIG_H */
