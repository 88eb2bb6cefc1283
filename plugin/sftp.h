/*
 * bearpass - SFTP protocol version 3 server (draft-ietf-secsh-filexfer-02,
 * as OpenSSH implements it, with OpenSSH's extensions).
 *
 * The server works on the process's own file system view with its own
 * credentials, umask and working directory: the caller has already
 * switched to the user and changed to the home directory.  Paths are
 * passed to system calls as they are; nothing goes through a shell.
 *
 * Two layers:
 *  - bp_sftp_input() consumes bytes from the client and appends replies
 *    to an output buffer: pure packet parsing and dispatch over
 *    (pointer, length) buffers, for unit tests and fuzzing;
 *  - bp_sftp_serve() is the loop over two file descriptors.
 *
 * Requests are answered in the order they arrive; pipelined requests are
 * processed as soon as they are complete.  A malformed packet (truncated
 * field, a path with a NUL byte, a length above BP_SFTP_MAX_PACKET, a
 * request before SSH_FXP_INIT or a second INIT) ends the session: the
 * caller's log hook gets one line saying why.
 */
#ifndef BP_SFTP_H
#define BP_SFTP_H

#include <stddef.h>

/* Limits, announced through limits@openssh.com (OpenSSH's values for the
 * packet, read and write lengths). */
#define BP_SFTP_MAX_PACKET   (256 * 1024)          /* without the length */
#define BP_SFTP_MAX_READ     (BP_SFTP_MAX_PACKET - 1024)
#define BP_SFTP_MAX_WRITE    (BP_SFTP_MAX_PACKET - 1024)
#define BP_SFTP_MAX_HANDLES  256
#define BP_SFTP_MAX_PATH     4096                  /* bytes of one path */
/* replies waiting for the client before bp_sftp_serve stops reading */
#define BP_SFTP_OUT_FLUSH    (512 * 1024)

enum bp_sftp_audit_kind {
	BP_SFTP_AUDIT_WRITE = 1,    /* a file opened for write was closed */
	BP_SFTP_AUDIT_REMOVE,       /* a file or directory was removed */
	BP_SFTP_AUDIT_RENAME        /* path was renamed to path2 */
};

struct bp_sftp_hooks {
	void *ctx;
	/* one line (no newline) about why the session ends, or NULL */
	void (*log)(void *ctx, const char *msg);
	/* a change to the file system, or NULL; paths are absolute when the
	 * server knows its working directory */
	void (*audit)(void *ctx, enum bp_sftp_audit_kind kind,
			const char *path, const char *path2,
			unsigned long long bytes);
	/* the user's home directory for expand-path@openssh.com ("~"); NULL:
	 * the working directory at start */
	const char *home;
	/* the home directory of user name (namelen bytes, no NUL) for
	 * expand-path@openssh.com ("~name"): a malloc'ed string, or NULL when
	 * there is no such user.  NULL hook: every "~name" is "No such user". */
	char *(*user_home)(void *ctx, const char *name, size_t namelen);
};

struct bp_sftp;

/* A new server state, or NULL when out of memory.  hooks is copied. */
struct bp_sftp *bp_sftp_new(const struct bp_sftp_hooks *hooks);

/* Closes every handle (auditing files open for write) and frees s. */
void bp_sftp_free(struct bp_sftp *s);

/*
 * Feed len bytes from the client.  Complete packets are processed (the
 * rest is kept for the next call); replies are appended to the output.
 * Returns 0, or -1 when the session must end (malformed input, after
 * the log hook was called; or out of memory).  After -1 every further
 * call returns -1.
 */
int bp_sftp_input(struct bp_sftp *s, const unsigned char *buf, size_t len);

/* As bp_sftp_input, but processes at most one complete packet, so that a
 * caller can flush replies in between.  *progress is set to 1 when a packet
 * was processed. */
int bp_sftp_step(struct bp_sftp *s, int *progress);

/* Append bytes to the input without processing them. Returns 0 or -1. */
int bp_sftp_feed(struct bp_sftp *s, const unsigned char *buf, size_t len);

/* The pending output (replies with their length prefixes). */
const unsigned char *bp_sftp_output(const struct bp_sftp *s, size_t *len);

/* Drop n bytes from the front of the output. */
void bp_sftp_consume(struct bp_sftp *s, size_t n);

/* Number of handles open. */
size_t bp_sftp_handles(const struct bp_sftp *s);

/*
 * Serve one session: read requests from in_fd, write replies to out_fd,
 * until the client closes in_fd (returns 0) or a malformed packet or I/O
 * error ends it (returns 1 after logging).
 */
int bp_sftp_serve(int in_fd, int out_fd, const struct bp_sftp_hooks *hooks);

#endif /* BP_SFTP_H */
