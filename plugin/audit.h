/*
 * bearpass - audit records: one JSON object per line.
 *
 * A record is formatted into a caller buffer; writing it out (stderr,
 * syslog, a file) is the caller's business.  Keys always come in this
 * order, absent ones are omitted:
 *
 *   ts, event, pid, peer,
 *   user, key_id, serial, principal, ca_fp, key_fp, reason,
 *   exit_status, exit_signal, duration_s, command, path, error,
 *   new_path, bytes, forward, host, port
 *
 * ts is RFC 3339 UTC with seconds ("2026-11-29T03:14:26Z"), clamped to
 * years 0000..9999.  serial, pid, exit_status, duration_s, bytes and port
 * are JSON numbers; everything else is a JSON string.
 *
 * Strings are escaped per RFC 8259: '"' and '\' are backslash-escaped,
 * control characters (0x00-0x1f) and DEL (0x7f) become \u00XX (lower-case
 * hex).  Valid UTF-8 passes through unchanged, except U+2028 and U+2029,
 * which are escaped as \u2028 and \u2029.  Each byte that is not part of a
 * valid UTF-8 sequence (stray continuation bytes, overlong forms,
 * surrogates, values above U+10FFFF, truncated sequences) becomes \u00XX of
 * the byte value.  Because valid text never produces \u0080..\u00ff, those
 * escapes in a record always denote raw bytes: the escaping is lossless.
 *
 * Every string value is bounded: at most BP_AUDIT_MAX_VALUE bytes between
 * its quotes.  A longer value is cut at a character (or escape) boundary
 * and ends in "..." inside the string.  With these bounds a record with
 * every field present always fits in BP_AUDIT_MAX_LINE bytes, which is
 * PIPE_BUF on Linux, so one write(2) of a record is atomic on a pipe and
 * records never interleave or split.
 *
 * Pure: no I/O, no clock, no global state.
 */
#ifndef BP_AUDIT_H
#define BP_AUDIT_H

#include <stddef.h>
#include <time.h>

#include "bp_error.h"

#define BP_AUDIT_MAX_LINE   4096  /* whole record with "\n", without NUL */
#define BP_AUDIT_MAX_VALUE  256   /* one escaped string value, with "..." */
#define BP_AUDIT_MAX_PEER   56    /* "[" addr "]:" port, with NUL */

enum bp_audit_event {
	BP_AUDIT_EV_NONE = 0,       /* invalid: nothing is formatted */
	BP_AUDIT_EV_AUTH_ACCEPT,
	BP_AUDIT_EV_AUTH_REJECT,
	BP_AUDIT_EV_SESSION_START,
	BP_AUDIT_EV_EXEC_FAIL,
	BP_AUDIT_EV_SESSION_END,
	BP_AUDIT_EV_CONN_REJECT,
	BP_AUDIT_EV_SFTP_WRITE,     /* path, bytes: a file written over SFTP */
	BP_AUDIT_EV_SFTP_REMOVE,    /* path */
	BP_AUDIT_EV_SFTP_RENAME,    /* path, new_path */
	BP_AUDIT_EV_SESSION_EXPIRE, /* reason, duration_s: a time limit ended
	                               the connection */
	BP_AUDIT_EV_FORWARD_ACCEPT, /* forward, host, port */
	BP_AUDIT_EV_FORWARD_REJECT, /* forward, host, port, reason */
	BP_AUDIT_EV_COUNT
};

/*
 * One record.  Zero-initialise it and fill what the event has: a string
 * field is present when its pointer is non-NULL (its length is then
 * used as given, so it may contain NUL bytes); a number is present when
 * its has_ flag is set; reason is present unless BP_OK.
 */
struct bp_audit_rec {
	enum bp_audit_event event;
	time_t ts;
	long pid;
	const char *peer;           /* "[addr]:port", see bp_audit_format_peer */
	size_t peer_len;

	const char *user;           /* login name (client-chosen) */
	size_t user_len;
	const char *key_id;         /* certificate key ID (attacker-chosen) */
	size_t key_id_len;
	int has_serial;
	unsigned long long serial;
	const char *principal;      /* principal that matched (cert-chosen) */
	size_t principal_len;
	const char *ca_fp;          /* "SHA256:..." as ssh-keygen -l prints */
	size_t ca_fp_len;
	const char *key_fp;
	size_t key_fp_len;
	enum bp_error reason;       /* BP_OK: absent */

	int has_exit_status;
	int exit_status;
	const char *exit_signal;    /* e.g. "TERM", when killed by a signal */
	size_t exit_signal_len;
	int has_duration;
	unsigned long long duration_s;

	const char *command;        /* exec request or forced command */
	size_t command_len;
	const char *path;           /* program that failed to start */
	size_t path_len;
	const char *error;          /* strerror text of exec_fail */
	size_t error_len;

	const char *new_path;       /* sftp_rename: the new name */
	size_t new_path_len;
	int has_bytes;
	unsigned long long bytes;   /* sftp_write: bytes written */

	const char *forward;        /* "agent", "local", "remote", "local-stream" */
	size_t forward_len;
	const char *host;           /* forwarding destination, listen address
	                               or socket path (client-chosen) */
	size_t host_len;
	int has_port;
	unsigned int port;
};

/* The record's "event" string, or NULL for an invalid event. */
const char *bp_audit_event_name(enum bp_audit_event event);

/*
 * Format rec as one line "{...}\n" followed by a NUL into out.
 * Returns the length of the line (with "\n", without the NUL), which is
 * never more than BP_AUDIT_MAX_LINE.  Returns 0 and leaves out empty (if
 * outlen > 0) when the event is invalid or the record does not fit in
 * outlen; it always fits when outlen > BP_AUDIT_MAX_LINE.
 */
size_t bp_audit_format(char *out, size_t outlen,
		const struct bp_audit_rec *rec);

/*
 * Write "[addr]:port" for an AF_INET or AF_INET6 address in network byte
 * order into out (BP_AUDIT_MAX_PEER bytes are always enough).  Returns
 * the length without the NUL, or 0 on a bad family, port or buffer.
 */
size_t bp_audit_format_peer(char *out, size_t outlen, int family,
		const unsigned char *addr, int port);

/*
 * RFC 3339 UTC time with seconds, "YYYY-MM-DDTHH:MM:SSZ" (20 characters),
 * computed without the C library; times before year 0000 or after 9999
 * are clamped.  out must hold 21 bytes.
 */
void bp_audit_format_time(char out[21], time_t t);

#endif /* BP_AUDIT_H */
