/*
 * bearpass - SFTP protocol version 3 server.  See sftp.h.
 *
 * Wire format: draft-ietf-secsh-filexfer-02; extensions as described in
 * OpenSSH's PROTOCOL file.  SSH_FXP_SYMLINK takes (target, link path), in
 * OpenSSH's order, the reverse of the draft's.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "sftp.h"

/* packet types */
#define FXP_INIT            1
#define FXP_VERSION         2
#define FXP_OPEN            3
#define FXP_CLOSE           4
#define FXP_READ            5
#define FXP_WRITE           6
#define FXP_LSTAT           7
#define FXP_FSTAT           8
#define FXP_SETSTAT         9
#define FXP_FSETSTAT        10
#define FXP_OPENDIR         11
#define FXP_READDIR         12
#define FXP_REMOVE          13
#define FXP_MKDIR           14
#define FXP_RMDIR           15
#define FXP_REALPATH        16
#define FXP_STAT            17
#define FXP_RENAME          18
#define FXP_READLINK        19
#define FXP_SYMLINK         20
#define FXP_STATUS          101
#define FXP_HANDLE          102
#define FXP_DATA            103
#define FXP_NAME            104
#define FXP_ATTRS           105
#define FXP_EXTENDED        200
#define FXP_EXTENDED_REPLY  201

/* status codes */
#define FX_OK                0
#define FX_EOF               1
#define FX_NO_SUCH_FILE      2
#define FX_PERMISSION_DENIED 3
#define FX_FAILURE           4
#define FX_BAD_MESSAGE       5
#define FX_OP_UNSUPPORTED    8

/* attribute flags */
#define ATTR_SIZE         0x00000001u
#define ATTR_UIDGID       0x00000002u
#define ATTR_PERMISSIONS  0x00000004u
#define ATTR_ACMODTIME    0x00000008u
#define ATTR_EXTENDED     0x80000000u

/* open flags */
#define FXF_READ    0x01u
#define FXF_WRITE   0x02u
#define FXF_APPEND  0x04u
#define FXF_CREAT   0x08u
#define FXF_TRUNC   0x10u
#define FXF_EXCL    0x20u

/* statvfs@openssh.com f_flag bits */
#define SFTP_ST_RDONLY  0x1
#define SFTP_ST_NOSUID  0x2

#define SFTP_VERSION     3
#define READDIR_BATCH    100
#define MAX_ATTR_EXT     64      /* extended attribute pairs accepted */
#define COPY_CHUNK       (64 * 1024)

enum handle_kind { H_FREE = 0, H_FILE, H_DIR };

struct handle {
	enum handle_kind kind;
	int fd;
	DIR *dir;
	char *path;                 /* as opened, for audit and readdir */
	int writable;
	unsigned long long written;
};

struct obuf {
	unsigned char *p;
	size_t len, cap;
	int oom;
};

struct bp_sftp {
	struct bp_sftp_hooks hooks;
	int inited;
	int dead;
	unsigned char *in;
	size_t inlen, incap;
	struct obuf out;
	size_t pkt_start;           /* offset of the reply being built */
	struct handle h[BP_SFTP_MAX_HANDLES];
	char *cwd;                  /* working directory at start, or NULL */
};

/* --- bounded reader ----------------------------------------------------- */

struct rd {
	const unsigned char *p;
	size_t len;
};

static int rd_u8(struct rd *r, unsigned *v) {
	if (r->len < 1) {
		return -1;
	}
	*v = r->p[0];
	r->p++;
	r->len--;
	return 0;
}

static int rd_u32(struct rd *r, uint32_t *v) {
	if (r->len < 4) {
		return -1;
	}
	*v = ((uint32_t)r->p[0] << 24) | ((uint32_t)r->p[1] << 16) |
		((uint32_t)r->p[2] << 8) | r->p[3];
	r->p += 4;
	r->len -= 4;
	return 0;
}

static int rd_u64(struct rd *r, uint64_t *v) {
	uint32_t hi, lo;

	if (r->len < 8) {
		return -1;
	}
	rd_u32(r, &hi);
	rd_u32(r, &lo);
	*v = ((uint64_t)hi << 32) | lo;
	return 0;
}

/* a string: consumes nothing unless the whole string is there */
static int rd_str(struct rd *r, const unsigned char **s, size_t *slen) {
	struct rd t = *r;
	uint32_t n;

	if (rd_u32(&t, &n) < 0 || n > t.len) {
		return -1;
	}
	*s = t.p;
	*slen = n;
	t.p += n;
	t.len -= n;
	*r = t;
	return 0;
}

/* a path: no NUL inside, at most BP_SFTP_MAX_PATH bytes; copied into out
 * (BP_SFTP_MAX_PATH + 1 bytes) */
static int rd_path(struct rd *r, char *out) {
	const unsigned char *s;
	size_t n;

	if (rd_str(r, &s, &n) < 0 || n > BP_SFTP_MAX_PATH || memchr(s, 0, n) != NULL) {
		return -1;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

struct attrs {
	uint32_t flags;
	uint64_t size;
	uint32_t uid, gid;
	uint32_t perm;
	uint32_t atime, mtime;
};

static int rd_attrs(struct rd *r, struct attrs *a) {
	uint32_t i, count;
	const unsigned char *s;
	size_t n;

	memset(a, 0, sizeof(*a));
	if (rd_u32(r, &a->flags) < 0) {
		return -1;
	}
	if ((a->flags & ATTR_SIZE) && rd_u64(r, &a->size) < 0) {
		return -1;
	}
	if ((a->flags & ATTR_UIDGID) && (rd_u32(r, &a->uid) < 0 || rd_u32(r, &a->gid) < 0)) {
		return -1;
	}
	if ((a->flags & ATTR_PERMISSIONS) && rd_u32(r, &a->perm) < 0) {
		return -1;
	}
	if ((a->flags & ATTR_ACMODTIME) && (rd_u32(r, &a->atime) < 0 || rd_u32(r, &a->mtime) < 0)) {
		return -1;
	}
	if (a->flags & ATTR_EXTENDED) {
		if (rd_u32(r, &count) < 0 || count > MAX_ATTR_EXT) {
			return -1;
		}
		for (i = 0; i < count; i++) {
			/* type and data, ignored */
			if (rd_str(r, &s, &n) < 0 || rd_str(r, &s, &n) < 0) {
				return -1;
			}
		}
	}
	return 0;
}

/* --- output ----------------------------------------------------------- */

static void ob_reserve(struct obuf *o, size_t n) {
	size_t cap;
	unsigned char *p;

	if (o->oom || o->cap - o->len >= n) {
		return;
	}
	cap = o->cap ? o->cap : 4096;
	while (cap - o->len < n) {
		if (cap > SIZE_MAX / 2) {
			o->oom = 1;
			return;
		}
		cap *= 2;
	}
	p = realloc(o->p, cap);
	if (p == NULL) {
		o->oom = 1;
		return;
	}
	o->p = p;
	o->cap = cap;
}

static void ob_put(struct obuf *o, const void *d, size_t n) {
	ob_reserve(o, n);
	if (o->oom) {
		return;
	}
	memcpy(o->p + o->len, d, n);
	o->len += n;
}

static void ob_u8(struct obuf *o, unsigned v) {
	unsigned char b = (unsigned char)v;
	ob_put(o, &b, 1);
}

static void ob_u32(struct obuf *o, uint32_t v) {
	unsigned char b[4];

	b[0] = (unsigned char)(v >> 24);
	b[1] = (unsigned char)(v >> 16);
	b[2] = (unsigned char)(v >> 8);
	b[3] = (unsigned char)v;
	ob_put(o, b, 4);
}

static void ob_u64(struct obuf *o, uint64_t v) {
	ob_u32(o, (uint32_t)(v >> 32));
	ob_u32(o, (uint32_t)v);
}

static void ob_str(struct obuf *o, const void *d, size_t n) {
	ob_u32(o, (uint32_t)n);
	ob_put(o, d, n);
}

static void ob_cstr(struct obuf *o, const char *s) {
	ob_str(o, s, strlen(s));
}

/* start a reply packet of type t (length patched by pkt_end) */
static void pkt_begin(struct bp_sftp *s, unsigned t) {
	s->pkt_start = s->out.len;
	ob_u32(&s->out, 0);
	ob_u8(&s->out, t);
}

static void pkt_end(struct bp_sftp *s) {
	size_t n;
	unsigned char *p;

	if (s->out.oom) {
		return;
	}
	n = s->out.len - s->pkt_start - 4;
	p = s->out.p + s->pkt_start;
	p[0] = (unsigned char)(n >> 24);
	p[1] = (unsigned char)(n >> 16);
	p[2] = (unsigned char)(n >> 8);
	p[3] = (unsigned char)n;
}

static void send_status(struct bp_sftp *s, uint32_t id, uint32_t code, const char *msg) {
	pkt_begin(s, FXP_STATUS);
	ob_u32(&s->out, id);
	ob_u32(&s->out, code);
	ob_cstr(&s->out, msg);
	ob_cstr(&s->out, "");       /* language tag */
	pkt_end(s);
}

static uint32_t errno_status(int e) {
	switch (e) {
	case 0:
		return FX_OK;
	case ENOENT:
	case ENOTDIR:
	case EBADF:
	case ELOOP:
		return FX_NO_SUCH_FILE;
	case EPERM:
	case EACCES:
	case EFAULT:
		return FX_PERMISSION_DENIED;
	case ENAMETOOLONG:
	case EINVAL:
		return FX_BAD_MESSAGE;
	case ENOSYS:
	case EOPNOTSUPP:
		return FX_OP_UNSUPPORTED;
	default:
		return FX_FAILURE;
	}
}

/* status for the outcome of a system call: rc < 0 means errno */
static void send_result(struct bp_sftp *s, uint32_t id, int rc) {
	int e = errno;

	if (rc < 0) {
		send_status(s, id, errno_status(e), strerror(e));
	} else {
		send_status(s, id, FX_OK, "Success");
	}
}

static void put_attrs(struct obuf *o, const struct stat *st) {
	ob_u32(o, ATTR_SIZE | ATTR_UIDGID | ATTR_PERMISSIONS | ATTR_ACMODTIME);
	ob_u64(o, (uint64_t)st->st_size);
	ob_u32(o, (uint32_t)st->st_uid);
	ob_u32(o, (uint32_t)st->st_gid);
	ob_u32(o, (uint32_t)st->st_mode);
	ob_u32(o, (uint32_t)st->st_atime);
	ob_u32(o, (uint32_t)st->st_mtime);
}

static void send_attrs(struct bp_sftp *s, uint32_t id, const struct stat *st) {
	pkt_begin(s, FXP_ATTRS);
	ob_u32(&s->out, id);
	put_attrs(&s->out, st);
	pkt_end(s);
}

/* one-name NAME reply (realpath, readlink) with dummy attributes */
static void send_name1(struct bp_sftp *s, uint32_t id, const char *name) {
	pkt_begin(s, FXP_NAME);
	ob_u32(&s->out, id);
	ob_u32(&s->out, 1);
	ob_cstr(&s->out, name);
	ob_cstr(&s->out, name);
	ob_u32(&s->out, 0);
	pkt_end(s);
}

/* "ls -l" style line, as OpenSSH's ls_file(), with numeric owners */
static void longname(char *out, size_t outlen, const char *name, const struct stat *st) {
	char mode[11];
	char tbuf[20];
	struct tm tm;
	time_t now = time(NULL);
	const char *fmt;
	mode_t m = st->st_mode;

	mode[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' :
		S_ISBLK(m) ? 'b' : S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
	mode[1] = (m & S_IRUSR) ? 'r' : '-';
	mode[2] = (m & S_IWUSR) ? 'w' : '-';
	mode[3] = (m & S_ISUID) ? ((m & S_IXUSR) ? 's' : 'S') : ((m & S_IXUSR) ? 'x' : '-');
	mode[4] = (m & S_IRGRP) ? 'r' : '-';
	mode[5] = (m & S_IWGRP) ? 'w' : '-';
	mode[6] = (m & S_ISGID) ? ((m & S_IXGRP) ? 's' : 'S') : ((m & S_IXGRP) ? 'x' : '-');
	mode[7] = (m & S_IROTH) ? 'r' : '-';
	mode[8] = (m & S_IWOTH) ? 'w' : '-';
	mode[9] = (m & S_ISVTX) ? ((m & S_IXOTH) ? 't' : 'T') : ((m & S_IXOTH) ? 'x' : '-');
	mode[10] = '\0';

	tbuf[0] = '\0';
	if (localtime_r(&st->st_mtime, &tm) != NULL) {
		/* the time for files of the last six months, else the year */
		if (st->st_mtime + (time_t)(365 * 86400 / 2) > now && st->st_mtime <= now + 3600) {
			fmt = "%b %e %H:%M";
		} else {
			fmt = "%b %e  %Y";
		}
		if (strftime(tbuf, sizeof(tbuf), fmt, &tm) == 0) {
			tbuf[0] = '\0';
		}
	}
	snprintf(out, outlen, "%s %3lu %-8lu %-8lu %8llu %s %s", mode,
			(unsigned long)st->st_nlink, (unsigned long)st->st_uid,
			(unsigned long)st->st_gid, (unsigned long long)st->st_size,
			tbuf, name);
}

/* --- handles ------------------------------------------------------------ */

/* Claim a free slot for path; its descriptor is set by the caller.
 * Returns the index, or -1 when every slot is taken (or no memory). */
static int handle_new(struct bp_sftp *s, enum handle_kind kind, const char *path) {
	int i;

	for (i = 0; i < BP_SFTP_MAX_HANDLES; i++) {
		if (s->h[i].kind == H_FREE) {
			memset(&s->h[i], 0, sizeof(s->h[i]));
			s->h[i].path = strdup(path);
			if (s->h[i].path == NULL) {
				return -1;
			}
			s->h[i].kind = kind;
			s->h[i].fd = -1;
			return i;
		}
	}
	return -1;
}

static void send_handle(struct bp_sftp *s, uint32_t id, int i) {
	pkt_begin(s, FXP_HANDLE);
	ob_u32(&s->out, id);
	ob_u32(&s->out, 4);
	ob_u32(&s->out, (uint32_t)i);
	pkt_end(s);
}

/* The next string as a handle we gave out, of kind (any if H_FREE), in
 * *h, or NULL there: a string that is not such a handle is not malformed
 * input, the client gets a failure status.  Returns -1 for a truncated
 * packet. */
static int rd_handle(struct bp_sftp *s, struct rd *r, enum handle_kind kind,
		struct handle **h) {
	const unsigned char *p;
	size_t n;
	uint32_t i;

	*h = NULL;
	if (rd_str(r, &p, &n) < 0) {
		return -1;
	}
	if (n != 4) {
		return 0;
	}
	i = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
	if (i >= BP_SFTP_MAX_HANDLES || s->h[i].kind == H_FREE) {
		return 0;
	}
	if (kind != H_FREE && s->h[i].kind != kind) {
		return 0;
	}
	*h = &s->h[i];
	return 0;
}

/* the descriptor of a file or directory handle */
static int handle_fd(const struct handle *h) {
	return h->kind == H_DIR ? dirfd(h->dir) : h->fd;
}

/* absolute form of path for audit records */
static char *audit_path(const struct bp_sftp *s, const char *path) {
	char *out;
	size_t n;

	if (path[0] == '/' || s->cwd == NULL) {
		return strdup(path);
	}
	n = strlen(s->cwd) + strlen(path) + 2;
	out = malloc(n);
	if (out != NULL) {
		snprintf(out, n, "%s%s%s", s->cwd,
				strcmp(s->cwd, "/") == 0 ? "" : "/", path);
	}
	return out;
}

static void audit(struct bp_sftp *s, enum bp_sftp_audit_kind kind,
		const char *path, const char *path2, unsigned long long bytes) {
	char *a, *b = NULL;

	if (s->hooks.audit == NULL) {
		return;
	}
	a = audit_path(s, path);
	if (path2 != NULL) {
		b = audit_path(s, path2);
	}
	s->hooks.audit(s->hooks.ctx, kind, a ? a : path, path2 ? (b ? b : path2) : NULL, bytes);
	free(a);
	free(b);
}

/* Close and free a handle; one whose open failed (no descriptor yet) is
 * only freed. */
static int handle_close(struct bp_sftp *s, struct handle *h) {
	int rc = 0;

	if (h->kind == H_FILE && h->fd >= 0) {
		rc = close(h->fd);
		if (h->writable) {
			audit(s, BP_SFTP_AUDIT_WRITE, h->path, NULL, h->written);
		}
	} else if (h->kind == H_DIR && h->dir != NULL) {
		rc = closedir(h->dir);
	}
	free(h->path);
	memset(h, 0, sizeof(*h));
	h->kind = H_FREE;
	h->fd = -1;
	return rc;
}

/* --- requests ---------------------------------------------------------- */

/*
 * A request's fields after its id, read by dispatch() as the format of
 * its entry in requests[] says, before the handler runs:
 *   p  a path: path, then path2
 *   a  attributes
 *   u  a uint32
 *   q  a uint64: q[0], q[1], q[2] in order
 *   s  a string: data, datalen
 *   f  a file handle, d a directory handle, h either: h, then h2
 * A field cut short ends the session.  When a handle string is not one
 * we gave out (of that kind) the client gets "Invalid handle" once the
 * whole request was read, and the handler is not called.
 */
struct req {
	uint32_t id;
	int flag;                   /* the entry's flag, see each handler */
	char path[BP_SFTP_MAX_PATH + 1];
	char path2[BP_SFTP_MAX_PATH + 1];
	struct attrs a;
	uint32_t u;
	uint64_t q[3];
	const unsigned char *data;
	size_t datalen;
	struct handle *h, *h2;
};

/* Each handler returns 0, or -1 when out of memory (the session ends). */

/* open(2) flags for SSH_FXP_OPEN's pflags */
static int open_flags(uint32_t pflags) {
	int flags;

	if ((pflags & FXF_READ) && (pflags & FXF_WRITE)) {
		flags = O_RDWR;
	} else if (pflags & FXF_WRITE) {
		flags = O_WRONLY;
	} else {
		flags = O_RDONLY;
	}
	if (pflags & FXF_APPEND) {
		flags |= O_APPEND;
	}
	if (pflags & FXF_CREAT) {
		flags |= O_CREAT;
	}
	if (pflags & FXF_TRUNC) {
		flags |= O_TRUNC;
	}
	if (pflags & FXF_EXCL) {
		flags |= O_EXCL;
	}
	return flags;
}

/* SSH_FXP_OPEN "pua": pflags, attributes; SSH_FXP_OPENDIR (flag 1) "p".
 * The handle is taken first, so that a full table creates no file. */
static int do_open(struct bp_sftp *s, struct req *q) {
	struct handle *h;
	int i, flags, ok;
	mode_t mode;

	i = handle_new(s, q->flag ? H_DIR : H_FILE, q->path);
	if (i < 0) {
		send_status(s, q->id, FX_FAILURE, "Too many open handles");
		return 0;
	}
	h = &s->h[i];
	if (q->flag) {
		h->dir = opendir(q->path);
		ok = h->dir != NULL;
	} else {
		flags = open_flags(q->u);
		mode = (q->a.flags & ATTR_PERMISSIONS) ? (mode_t)(q->a.perm & 07777) : 0666;
		h->fd = open(q->path, flags | O_CLOEXEC | O_NOCTTY, mode);
		h->writable = (flags & O_ACCMODE) != O_RDONLY;
		ok = h->fd >= 0;
	}
	if (!ok) {
		send_result(s, q->id, -1);
		handle_close(s, h);
		return 0;
	}
	send_handle(s, q->id, i);
	return 0;
}

/* SSH_FXP_CLOSE "h" */
static int do_close(struct bp_sftp *s, struct req *q) {
	send_result(s, q->id, handle_close(s, q->h));
	return 0;
}

/* SSH_FXP_READ "fqu": offset, length */
static int do_read(struct bp_sftp *s, struct req *q) {
	uint64_t off = q->q[0];
	uint32_t len = q->u;
	ssize_t n;
	size_t at;

	if (len > BP_SFTP_MAX_READ) {
		len = BP_SFTP_MAX_READ;
	}
	if (off > (uint64_t)INT64_MAX) {
		send_status(s, q->id, FX_EOF, "End of file");
		return 0;
	}
	/* read straight into the reply */
	pkt_begin(s, FXP_DATA);
	ob_u32(&s->out, q->id);
	ob_u32(&s->out, 0);
	at = s->out.len;
	ob_reserve(&s->out, len);
	if (s->out.oom) {
		return -1;
	}
	do {
		n = pread(q->h->fd, s->out.p + at, len, (off_t)off);
	} while (n < 0 && errno == EINTR);
	if (n <= 0) {
		int e = errno;
		s->out.len = s->pkt_start;
		if (n == 0) {
			send_status(s, q->id, FX_EOF, "End of file");
		} else {
			errno = e;
			send_result(s, q->id, -1);
		}
		return 0;
	}
	s->out.len = at + (size_t)n;
	s->out.p[at - 4] = (unsigned char)(n >> 24);
	s->out.p[at - 3] = (unsigned char)(n >> 16);
	s->out.p[at - 2] = (unsigned char)(n >> 8);
	s->out.p[at - 1] = (unsigned char)n;
	pkt_end(s);
	return 0;
}

/* Write n bytes at off, adding what was written to h->written.
 * Returns 0, or -1 with errno (ENOSPC when nothing could be written). */
static int write_at(struct handle *h, const unsigned char *p, size_t n, uint64_t off) {
	size_t done = 0;
	ssize_t w;
	int rc = 0;

	while (done < n) {
		w = pwrite(h->fd, p + done, n - done, (off_t)(off + done));
		if (w < 0 && errno == EINTR) {
			continue;
		}
		if (w <= 0) {
			if (w == 0) {
				errno = ENOSPC;
			}
			rc = -1;
			break;
		}
		done += (size_t)w;
	}
	h->written += done;
	return rc;
}

/* SSH_FXP_WRITE "fqs": offset, data */
static int do_write(struct bp_sftp *s, struct req *q) {
	uint64_t off = q->q[0];

	if (off > (uint64_t)INT64_MAX - q->datalen) {
		errno = EFBIG;
		send_result(s, q->id, -1);
		return 0;
	}
	send_result(s, q->id, write_at(q->h, q->data, q->datalen, off));
	return 0;
}

/* SSH_FXP_STAT (flag 1), SSH_FXP_LSTAT "p"; SSH_FXP_FSTAT "h" */
static int do_stat(struct bp_sftp *s, struct req *q) {
	struct stat st;
	int rc;

	if (q->h != NULL) {
		rc = fstat(handle_fd(q->h), &st);
	} else {
		rc = q->flag ? stat(q->path, &st) : lstat(q->path, &st);
	}
	if (rc < 0) {
		send_result(s, q->id, -1);
	} else {
		send_attrs(s, q->id, &st);
	}
	return 0;
}

/* Apply attributes to path (fd < 0) or fd, in OpenSSH's order: size,
 * permissions, times, owner.  nofollow: do not follow a final symlink. */
static int apply_attrs(const char *path, int fd, const struct attrs *a, int nofollow) {
	struct timespec ts[2];

	if (a->flags & ATTR_SIZE) {
		if (a->size > (uint64_t)INT64_MAX) {
			errno = EINVAL;
			return -1;
		}
		if ((fd >= 0 ? ftruncate(fd, (off_t)a->size) : truncate(path, (off_t)a->size)) < 0) {
			return -1;
		}
	}
	if (a->flags & ATTR_PERMISSIONS) {
		mode_t m = (mode_t)(a->perm & 07777);
		int rc;
		if (fd >= 0) {
			rc = fchmod(fd, m);
		} else if (nofollow) {
			rc = fchmodat(AT_FDCWD, path, m, AT_SYMLINK_NOFOLLOW);
		} else {
			rc = chmod(path, m);
		}
		if (rc < 0) {
			return -1;
		}
	}
	if (a->flags & ATTR_ACMODTIME) {
		ts[0].tv_sec = (time_t)a->atime;
		ts[0].tv_nsec = 0;
		ts[1].tv_sec = (time_t)a->mtime;
		ts[1].tv_nsec = 0;
		if ((fd >= 0 ? futimens(fd, ts) :
				utimensat(AT_FDCWD, path, ts, nofollow ? AT_SYMLINK_NOFOLLOW : 0)) < 0) {
			return -1;
		}
	}
	if (a->flags & ATTR_UIDGID) {
		int rc;
		if (fd >= 0) {
			rc = fchown(fd, (uid_t)a->uid, (gid_t)a->gid);
		} else if (nofollow) {
			rc = lchown(path, (uid_t)a->uid, (gid_t)a->gid);
		} else {
			rc = chown(path, (uid_t)a->uid, (gid_t)a->gid);
		}
		if (rc < 0) {
			return -1;
		}
	}
	return 0;
}

/* SSH_FXP_SETSTAT, lsetstat@openssh.com (flag 1: do not follow a final
 * symlink) "pa"; SSH_FXP_FSETSTAT "ha" */
static int do_setstat(struct bp_sftp *s, struct req *q) {
	if (q->h != NULL) {
		send_result(s, q->id, apply_attrs(NULL, handle_fd(q->h), &q->a, 0));
	} else if (q->flag && (q->a.flags & ATTR_SIZE)) {
		send_status(s, q->id, FX_BAD_MESSAGE, "Size is not settable on a link");
	} else {
		send_result(s, q->id, apply_attrs(q->path, -1, &q->a, q->flag));
	}
	return 0;
}

/* SSH_FXP_READDIR "d" */
static int do_readdir(struct bp_sftp *s, struct req *q) {
	struct dirent *de;
	struct stat st;
	char line[BP_SFTP_MAX_PATH + 128];
	size_t count_at;
	uint32_t count = 0;
	DIR *dir = q->h->dir;

	pkt_begin(s, FXP_NAME);
	ob_u32(&s->out, q->id);
	count_at = s->out.len;
	ob_u32(&s->out, 0);
	while (count < READDIR_BATCH &&
			s->out.len - s->pkt_start < BP_SFTP_MAX_PACKET - 3 * sizeof(line)) {
		errno = 0;
		de = readdir(dir);
		if (de == NULL) {
			break;
		}
		if (fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			continue;
		}
		longname(line, sizeof(line), de->d_name, &st);
		ob_cstr(&s->out, de->d_name);
		ob_cstr(&s->out, line);
		put_attrs(&s->out, &st);
		count++;
	}
	if (count == 0) {
		int e = errno;
		s->out.len = s->pkt_start;
		if (e != 0) {
			errno = e;
			send_result(s, q->id, -1);
		} else {
			send_status(s, q->id, FX_EOF, "End of file");
		}
		return 0;
	}
	if (!s->out.oom) {
		s->out.p[count_at] = (unsigned char)(count >> 24);
		s->out.p[count_at + 1] = (unsigned char)(count >> 16);
		s->out.p[count_at + 2] = (unsigned char)(count >> 8);
		s->out.p[count_at + 3] = (unsigned char)count;
	}
	pkt_end(s);
	return 0;
}

/* SSH_FXP_REMOVE, SSH_FXP_RMDIR (flag 1) "p" */
static int do_remove(struct bp_sftp *s, struct req *q) {
	int rc;

	rc = q->flag ? rmdir(q->path) : unlink(q->path);
	if (rc == 0) {
		audit(s, BP_SFTP_AUDIT_REMOVE, q->path, NULL, 0);
	}
	send_result(s, q->id, rc);
	return 0;
}

/* SSH_FXP_MKDIR "pa" */
static int do_mkdir(struct bp_sftp *s, struct req *q) {
	mode_t mode;

	mode = (q->a.flags & ATTR_PERMISSIONS) ? (mode_t)(q->a.perm & 07777) : 0777;
	send_result(s, q->id, mkdir(q->path, mode));
	return 0;
}

/* realpath(3) that, like OpenSSH's, also accepts a missing final
 * component.  out holds PATH_MAX bytes. */
static int resolve(const char *path, char *out) {
	char tmp[BP_SFTP_MAX_PATH + 1];
	char dirbuf[PATH_MAX];
	const char *base;
	char *slash;

	if (path[0] == '\0') {
		path = ".";
	}
	if (realpath(path, out) != NULL) {
		return 0;
	}
	if (errno != ENOENT) {
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s", path);
	/* strip trailing slashes */
	while (strlen(tmp) > 1 && tmp[strlen(tmp) - 1] == '/') {
		tmp[strlen(tmp) - 1] = '\0';
	}
	slash = strrchr(tmp, '/');
	if (slash == NULL) {
		base = tmp;
		if (realpath(".", dirbuf) == NULL) {
			return -1;
		}
	} else {
		*slash = '\0';
		base = slash + 1;
		if (realpath(tmp[0] ? tmp : "/", dirbuf) == NULL) {
			return -1;
		}
	}
	if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || base[0] == '\0') {
		errno = ENOENT;
		return -1;
	}
	if (snprintf(out, PATH_MAX, "%s%s%s", dirbuf,
			strcmp(dirbuf, "/") == 0 ? "" : "/", base) >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* a NAME reply with path resolved, or the error */
static void send_resolved(struct bp_sftp *s, uint32_t id, const char *path) {
	char out[PATH_MAX];

	if (resolve(path, out) < 0) {
		send_result(s, id, -1);
	} else {
		send_name1(s, id, out);
	}
}

/* SSH_FXP_REALPATH "p" (OpenSSH clients may append a control byte and
 * a path: ignored) */
static int do_realpath(struct bp_sftp *s, struct req *q) {
	send_resolved(s, q->id, q->path);
	return 0;
}

/* SSH_FXP_RENAME: does not replace an existing target (the draft) */
static int rename_noreplace(const char *from, const char *to) {
	struct stat st;

#ifdef SYS_renameat2
	if (syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, 1 /* RENAME_NOREPLACE */) == 0) {
		return 0;
	}
	if (errno != ENOSYS && errno != EINVAL) {
		return -1;
	}
#endif
	if (lstat(to, &st) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(from, to);
}

/* SSH_FXP_RENAME, posix-rename@openssh.com (flag 1: replaces) "pp" */
static int do_rename(struct bp_sftp *s, struct req *q) {
	int rc;

	rc = q->flag ? rename(q->path, q->path2) : rename_noreplace(q->path, q->path2);
	if (rc == 0) {
		audit(s, BP_SFTP_AUDIT_RENAME, q->path, q->path2, 0);
	}
	send_result(s, q->id, rc);
	return 0;
}

/* SSH_FXP_READLINK "p" */
static int do_readlink(struct bp_sftp *s, struct req *q) {
	char out[PATH_MAX];
	ssize_t n;

	n = readlink(q->path, out, sizeof(out) - 1);
	if (n < 0) {
		send_result(s, q->id, -1);
		return 0;
	}
	out[n] = '\0';
	send_name1(s, q->id, out);
	return 0;
}

/* SSH_FXP_SYMLINK "pp": target, then the link to create (OpenSSH's
 * order); hardlink@openssh.com (flag 1) "pp": existing path, new path */
static int do_link(struct bp_sftp *s, struct req *q) {
	send_result(s, q->id, q->flag ? link(q->path, q->path2) : symlink(q->path, q->path2));
	return 0;
}

/* --- extensions -------------------------------------------------------- */

/* statvfs@openssh.com "p", fstatvfs@openssh.com "h" */
static int ext_statvfs(struct bp_sftp *s, struct req *q) {
	struct statvfs v;
	uint64_t flag = 0;

	if ((q->h != NULL ? fstatvfs(handle_fd(q->h), &v) : statvfs(q->path, &v)) < 0) {
		send_result(s, q->id, -1);
		return 0;
	}
	if (v.f_flag & ST_RDONLY) {
		flag |= SFTP_ST_RDONLY;
	}
	if (v.f_flag & ST_NOSUID) {
		flag |= SFTP_ST_NOSUID;
	}
	pkt_begin(s, FXP_EXTENDED_REPLY);
	ob_u32(&s->out, q->id);
	ob_u64(&s->out, v.f_bsize);
	ob_u64(&s->out, v.f_frsize);
	ob_u64(&s->out, v.f_blocks);
	ob_u64(&s->out, v.f_bfree);
	ob_u64(&s->out, v.f_bavail);
	ob_u64(&s->out, v.f_files);
	ob_u64(&s->out, v.f_ffree);
	ob_u64(&s->out, v.f_favail);
	ob_u64(&s->out, v.f_fsid);
	ob_u64(&s->out, flag);
	ob_u64(&s->out, v.f_namemax);
	pkt_end(s);
	return 0;
}

/* fsync@openssh.com "f" */
static int ext_fsync(struct bp_sftp *s, struct req *q) {
	send_result(s, q->id, fsync(q->h->fd));
	return 0;
}

/* limits@openssh.com "" */
static int ext_limits(struct bp_sftp *s, struct req *q) {
	pkt_begin(s, FXP_EXTENDED_REPLY);
	ob_u32(&s->out, q->id);
	ob_u64(&s->out, BP_SFTP_MAX_PACKET);
	ob_u64(&s->out, BP_SFTP_MAX_READ);
	ob_u64(&s->out, BP_SFTP_MAX_WRITE);
	ob_u64(&s->out, BP_SFTP_MAX_HANDLES);
	pkt_end(s);
	return 0;
}

/* expand-path@openssh.com "p": "~" and "~/..." are the home from the
 * hooks; "~name" and "~name/..." the home the user_home hook gives for
 * name (OpenSSH's tilde_expand); then as realpath. */
static int ext_expand_path(struct bp_sftp *s, struct req *q) {
	char full[BP_SFTP_MAX_PATH * 2 + 2];
	const char *home = s->hooks.home ? s->hooks.home : (s->cwd ? s->cwd : ".");
	const char *rest = q->path;
	char *other = NULL;
	size_t namelen;

	if (q->path[0] == '~') {
		namelen = strcspn(q->path + 1, "/");
		rest = q->path + 1 + namelen;
		if (namelen > 0) {
			if (s->hooks.user_home != NULL) {
				other = s->hooks.user_home(s->hooks.ctx, q->path + 1, namelen);
			}
			if (other == NULL) {
				send_status(s, q->id, FX_NO_SUCH_FILE, "No such user");
				return 0;
			}
			home = other;
		}
		snprintf(full, sizeof(full), "%s%s", home, rest);
	} else {
		snprintf(full, sizeof(full), "%s", q->path);
	}
	free(other);
	if (strlen(full) > BP_SFTP_MAX_PATH) {
		errno = ENAMETOOLONG;
		send_result(s, q->id, -1);
		return 0;
	}
	send_resolved(s, q->id, full);
	return 0;
}

/* copy-data "fqqfq": read handle, offset, length (0: to the end), write
 * handle, offset */
static int ext_copy_data(struct bp_sftp *s, struct req *q) {
	struct handle *from = q->h, *to = q->h2;
	uint64_t roff = q->q[0], rlen = q->q[1], woff = q->q[2];
	unsigned char *buf;
	ssize_t n;
	size_t want;
	int rc = 0;

	if (roff > (uint64_t)INT64_MAX || woff > (uint64_t)INT64_MAX) {
		send_status(s, q->id, FX_FAILURE, "Offset out of range");
		return 0;
	}
	if (from == to && (rlen != 0 ? woff < roff + rlen && roff < woff + rlen : woff > roff)) {
		send_status(s, q->id, FX_FAILURE, "Overlapping copy in one file");
		return 0;
	}
	buf = malloc(COPY_CHUNK);
	if (buf == NULL) {
		return -1;
	}
	for (;;) {
		want = COPY_CHUNK;
		if (rlen != 0 && rlen < want) {
			want = (size_t)rlen;
		}
		n = pread(from->fd, buf, want, (off_t)roff);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			rc = -1;
			break;
		}
		if (n == 0) {
			break;
		}
		rc = write_at(to, buf, (size_t)n, woff);
		if (rc < 0) {
			break;
		}
		roff += (uint64_t)n;
		woff += (uint64_t)n;
		if (rlen != 0) {
			rlen -= (uint64_t)n;
			if (rlen == 0) {
				break;
			}
		}
	}
	free(buf);
	send_result(s, q->id, rc);
	return 0;
}

/* --- dispatch ---------------------------------------------------------- */

struct request {
	unsigned type;
	const char *ext;            /* FXP_EXTENDED: the name, else NULL */
	const char *ext_version;    /* announced in SSH_FXP_VERSION */
	const char *fields;         /* see struct req */
	int flag;
	int (*fn)(struct bp_sftp *s, struct req *q);
};

static const struct request requests[] = {
	{ FXP_OPEN,     NULL, NULL, "pua", 0, do_open },
	{ FXP_CLOSE,    NULL, NULL, "h",   0, do_close },
	{ FXP_READ,     NULL, NULL, "fqu", 0, do_read },
	{ FXP_WRITE,    NULL, NULL, "fqs", 0, do_write },
	{ FXP_LSTAT,    NULL, NULL, "p",   0, do_stat },
	{ FXP_FSTAT,    NULL, NULL, "h",   0, do_stat },
	{ FXP_SETSTAT,  NULL, NULL, "pa",  0, do_setstat },
	{ FXP_FSETSTAT, NULL, NULL, "ha",  0, do_setstat },
	{ FXP_OPENDIR,  NULL, NULL, "p",   1, do_open },
	{ FXP_READDIR,  NULL, NULL, "d",   0, do_readdir },
	{ FXP_REMOVE,   NULL, NULL, "p",   0, do_remove },
	{ FXP_MKDIR,    NULL, NULL, "pa",  0, do_mkdir },
	{ FXP_RMDIR,    NULL, NULL, "p",   1, do_remove },
	{ FXP_REALPATH, NULL, NULL, "p",   0, do_realpath },
	{ FXP_STAT,     NULL, NULL, "p",   1, do_stat },
	{ FXP_RENAME,   NULL, NULL, "pp",  0, do_rename },
	{ FXP_READLINK, NULL, NULL, "p",   0, do_readlink },
	{ FXP_SYMLINK,  NULL, NULL, "pp",  0, do_link },
	{ FXP_EXTENDED, "posix-rename@openssh.com", "1", "pp",    1, do_rename },
	{ FXP_EXTENDED, "statvfs@openssh.com",      "2", "p",     0, ext_statvfs },
	{ FXP_EXTENDED, "fstatvfs@openssh.com",     "2", "h",     0, ext_statvfs },
	{ FXP_EXTENDED, "hardlink@openssh.com",     "1", "pp",    1, do_link },
	{ FXP_EXTENDED, "fsync@openssh.com",        "1", "f",     0, ext_fsync },
	{ FXP_EXTENDED, "lsetstat@openssh.com",     "1", "pa",    1, do_setstat },
	{ FXP_EXTENDED, "limits@openssh.com",       "1", "",      0, ext_limits },
	{ FXP_EXTENDED, "expand-path@openssh.com",  "1", "p",     0, ext_expand_path },
	{ FXP_EXTENDED, "copy-data",                "1", "fqqfq", 0, ext_copy_data },
};
#define NREQUESTS (sizeof(requests) / sizeof(requests[0]))

/* The entry for type (and for FXP_EXTENDED, the extension name), or NULL. */
static const struct request *find_request(unsigned type,
		const unsigned char *ext, size_t extlen) {
	size_t i;

	for (i = 0; i < NREQUESTS; i++) {
		if (requests[i].type != type) {
			continue;
		}
		if (requests[i].ext == NULL || (strlen(requests[i].ext) == extlen &&
				memcmp(requests[i].ext, ext, extlen) == 0)) {
			return &requests[i];
		}
	}
	return NULL;
}

/* Read the fields of a request into q.  Returns 0; 1 when a handle is
 * not one we gave out; -1 when the packet is cut short. */
static int rd_fields(struct bp_sftp *s, struct rd *r, const char *fields,
		struct req *q) {
	int npath = 0, nq = 0, nh = 0, invalid = 0, rc = 0;
	struct handle **hp;

	q->h = q->h2 = NULL;
	for (; *fields != '\0' && rc == 0; fields++) {
		switch (*fields) {
		case 'p':
			rc = rd_path(r, npath++ == 0 ? q->path : q->path2);
			break;
		case 'a':
			rc = rd_attrs(r, &q->a);
			break;
		case 'u':
			rc = rd_u32(r, &q->u);
			break;
		case 'q':
			rc = rd_u64(r, &q->q[nq++]);
			break;
		case 's':
			rc = rd_str(r, &q->data, &q->datalen);
			break;
		default:                /* 'f', 'd', 'h' */
			hp = nh++ == 0 ? &q->h : &q->h2;
			rc = rd_handle(s, r, *fields == 'f' ? H_FILE :
					*fields == 'd' ? H_DIR : H_FREE, hp);
			invalid |= rc == 0 && *hp == NULL;
			break;
		}
	}
	return rc < 0 ? -1 : invalid;
}

static void send_version(struct bp_sftp *s) {
	size_t i;

	pkt_begin(s, FXP_VERSION);
	ob_u32(&s->out, SFTP_VERSION);
	for (i = 0; i < NREQUESTS; i++) {
		if (requests[i].ext != NULL) {
			ob_cstr(&s->out, requests[i].ext);
			ob_cstr(&s->out, requests[i].ext_version);
		}
	}
	pkt_end(s);
}

static int fatal(struct bp_sftp *s, const char *msg, unsigned type) {
	char line[128];

	if (s->hooks.log) {
		snprintf(line, sizeof(line), "sftp: %s (packet type %u); ending the session",
				msg, type);
		s->hooks.log(s->hooks.ctx, line);
	}
	s->dead = 1;
	return -1;
}

/* One packet without its length.  Trailing bytes after a request's
 * fields are ignored, as OpenSSH's sftp-server does. */
static int dispatch(struct bp_sftp *s, const unsigned char *p, size_t len) {
	struct rd r = { p, len };
	const struct request *req;
	const unsigned char *ext = NULL;
	size_t extlen = 0;
	struct req q;
	unsigned type;
	uint32_t ver;
	int rc;

	if (rd_u8(&r, &type) < 0) {
		return fatal(s, "empty packet", 0);
	}
	if (type == FXP_INIT) {
		if (s->inited || rd_u32(&r, &ver) < 0) {
			return fatal(s, s->inited ? "second init" : "malformed init", type);
		}
		s->inited = 1;
		send_version(s);
		return 0;
	}
	if (!s->inited) {
		return fatal(s, "request before init", type);
	}
	if (rd_u32(&r, &q.id) < 0 ||
			(type == FXP_EXTENDED && rd_str(&r, &ext, &extlen) < 0)) {
		return fatal(s, "malformed packet", type);
	}
	req = find_request(type, ext, extlen);
	if (req == NULL) {
		send_status(s, q.id, FX_OP_UNSUPPORTED, type == FXP_EXTENDED ?
				"Unsupported extension" : "Operation unsupported");
	} else {
		q.flag = req->flag;
		rc = rd_fields(s, &r, req->fields, &q);
		if (rc < 0) {
			return fatal(s, "malformed packet", type);
		}
		if (rc > 0) {
			send_status(s, q.id, FX_FAILURE, "Invalid handle");
		} else if (req->fn(s, &q) < 0) {
			return fatal(s, "out of memory", type);
		}
	}
	if (s->out.oom) {
		return fatal(s, "out of memory", type);
	}
	return 0;
}

/* --- public interface -------------------------------------------------- */

struct bp_sftp *bp_sftp_new(const struct bp_sftp_hooks *hooks) {
	struct bp_sftp *s;
	char buf[PATH_MAX];
	int i;

	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		return NULL;
	}
	if (hooks != NULL) {
		s->hooks = *hooks;
	}
	for (i = 0; i < BP_SFTP_MAX_HANDLES; i++) {
		s->h[i].fd = -1;
	}
	if (getcwd(buf, sizeof(buf)) != NULL) {
		s->cwd = strdup(buf);
	}
	return s;
}

void bp_sftp_free(struct bp_sftp *s) {
	int i;

	if (s == NULL) {
		return;
	}
	for (i = 0; i < BP_SFTP_MAX_HANDLES; i++) {
		if (s->h[i].kind != H_FREE) {
			handle_close(s, &s->h[i]);
		}
	}
	free(s->in);
	free(s->out.p);
	free(s->cwd);
	free(s);
}

int bp_sftp_feed(struct bp_sftp *s, const unsigned char *buf, size_t len) {
	size_t cap;
	unsigned char *p;

	if (s->dead) {
		return -1;
	}
	if (s->incap - s->inlen < len) {
		cap = s->incap ? s->incap : 4096;
		while (cap - s->inlen < len) {
			if (cap > SIZE_MAX / 2) {
				s->dead = 1;
				return -1;
			}
			cap *= 2;
		}
		p = realloc(s->in, cap);
		if (p == NULL) {
			s->dead = 1;
			return -1;
		}
		s->in = p;
		s->incap = cap;
	}
	if (len > 0) {
		memcpy(s->in + s->inlen, buf, len);
		s->inlen += len;
	}
	return 0;
}

int bp_sftp_step(struct bp_sftp *s, int *progress) {
	uint32_t n;
	int rc;

	*progress = 0;
	if (s->dead) {
		return -1;
	}
	if (s->inlen < 4) {
		return 0;
	}
	n = ((uint32_t)s->in[0] << 24) | ((uint32_t)s->in[1] << 16) |
		((uint32_t)s->in[2] << 8) | s->in[3];
	if (n > BP_SFTP_MAX_PACKET) {
		return fatal(s, "packet too long", s->inlen > 4 ? s->in[4] : 0);
	}
	if (s->inlen - 4 < n) {
		return 0;
	}
	rc = dispatch(s, s->in + 4, n);
	memmove(s->in, s->in + 4 + n, s->inlen - 4 - n);
	s->inlen -= 4 + n;
	*progress = 1;
	return rc;
}

int bp_sftp_input(struct bp_sftp *s, const unsigned char *buf, size_t len) {
	int progress;

	if (bp_sftp_feed(s, buf, len) < 0) {
		return -1;
	}
	do {
		if (bp_sftp_step(s, &progress) < 0) {
			return -1;
		}
	} while (progress);
	return 0;
}

const unsigned char *bp_sftp_output(const struct bp_sftp *s, size_t *len) {
	*len = s->out.len;
	return s->out.p;
}

void bp_sftp_consume(struct bp_sftp *s, size_t n) {
	if (n >= s->out.len) {
		s->out.len = 0;
		return;
	}
	memmove(s->out.p, s->out.p + n, s->out.len - n);
	s->out.len -= n;
}

size_t bp_sftp_handles(const struct bp_sftp *s) {
	size_t n = 0;
	int i;

	for (i = 0; i < BP_SFTP_MAX_HANDLES; i++) {
		if (s->h[i].kind != H_FREE) {
			n++;
		}
	}
	return n;
}

static int flush(struct bp_sftp *s, int fd) {
	const unsigned char *p;
	size_t len, done = 0;
	ssize_t w;

	p = bp_sftp_output(s, &len);
	while (done < len) {
		w = write(fd, p + done, len - done);
		if (w < 0 && errno == EINTR) {
			continue;
		}
		if (w <= 0) {
			return -1;
		}
		done += (size_t)w;
	}
	bp_sftp_consume(s, len);
	return 0;
}

int bp_sftp_serve(int in_fd, int out_fd, const struct bp_sftp_hooks *hooks) {
	struct bp_sftp *s;
	unsigned char *buf;
	ssize_t n;
	int progress, ret = 1;
	size_t outlen;
	const size_t bufsize = 64 * 1024;

	s = bp_sftp_new(hooks);
	buf = malloc(bufsize);
	if (s == NULL || buf == NULL) {
		if (hooks && hooks->log) {
			hooks->log(hooks->ctx, "sftp: out of memory");
		}
		goto out;
	}
	for (;;) {
		n = read(in_fd, buf, bufsize);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			if (hooks && hooks->log) {
				hooks->log(hooks->ctx, "sftp: read error");
			}
			goto out;
		}
		if (n == 0) {
			ret = 0;
			goto out;
		}
		if (bp_sftp_feed(s, buf, (size_t)n) < 0) {
			goto out;
		}
		do {
			if (bp_sftp_step(s, &progress) < 0) {
				flush(s, out_fd);
				goto out;
			}
			bp_sftp_output(s, &outlen);
			if (outlen >= BP_SFTP_OUT_FLUSH && flush(s, out_fd) < 0) {
				goto out;
			}
		} while (progress);
		if (flush(s, out_fd) < 0) {
			goto out;
		}
	}
out:
	free(buf);
	bp_sftp_free(s);
	return ret;
}
