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

/* The handle named by the next string, of kind (or any if H_FREE), or
 * NULL.  A string that is not a handle we gave out is not malformed
 * input: the client gets a failure status. *bad is set for a truncated
 * packet. */
static struct handle *rd_handle(struct bp_sftp *s, struct rd *r,
		enum handle_kind kind, int *bad) {
	const unsigned char *p;
	size_t n;
	uint32_t i;

	*bad = 0;
	if (rd_str(r, &p, &n) < 0) {
		*bad = 1;
		return NULL;
	}
	if (n != 4) {
		return NULL;
	}
	i = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
	if (i >= BP_SFTP_MAX_HANDLES || s->h[i].kind == H_FREE) {
		return NULL;
	}
	if (kind != H_FREE && s->h[i].kind != kind) {
		return NULL;
	}
	return &s->h[i];
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

static int handle_close(struct bp_sftp *s, struct handle *h) {
	int rc = 0;

	if (h->kind == H_FILE) {
		rc = close(h->fd);
		if (h->writable) {
			audit(s, BP_SFTP_AUDIT_WRITE, h->path, NULL, h->written);
		}
	} else if (h->kind == H_DIR) {
		rc = closedir(h->dir);
	}
	free(h->path);
	memset(h, 0, sizeof(*h));
	h->kind = H_FREE;
	h->fd = -1;
	return rc;
}

/* --- requests ---------------------------------------------------------- */

/* Each handler returns 0, or -1 for a malformed request. */

static int do_open(struct bp_sftp *s, uint32_t id, struct rd *r) {
	char path[BP_SFTP_MAX_PATH + 1];
	uint32_t pflags;
	struct attrs a;
	int flags, fd, i;
	mode_t mode;

	if (rd_path(r, path) < 0 || rd_u32(r, &pflags) < 0 || rd_attrs(r, &a) < 0) {
		return -1;
	}
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
	mode = (a.flags & ATTR_PERMISSIONS) ? (mode_t)(a.perm & 07777) : 0666;
	i = handle_new(s, H_FILE, path);
	if (i < 0) {
		send_status(s, id, FX_FAILURE, "Too many open handles");
		return 0;
	}
	fd = open(path, flags | O_CLOEXEC | O_NOCTTY, mode);
	if (fd < 0) {
		send_result(s, id, -1);
		handle_close(s, &s->h[i]);
		return 0;
	}
	s->h[i].fd = fd;
	s->h[i].writable = (flags & O_ACCMODE) != O_RDONLY;
	send_handle(s, id, i);
	return 0;
}

static int do_close(struct bp_sftp *s, uint32_t id, struct rd *r) {
	struct handle *h;
	int bad;

	h = rd_handle(s, r, H_FREE, &bad);
	if (bad) {
		return -1;
	}
	if (h == NULL) {
		send_status(s, id, FX_FAILURE, "Invalid handle");
		return 0;
	}
	send_result(s, id, handle_close(s, h));
	return 0;
}

static int do_read(struct bp_sftp *s, uint32_t id, struct rd *r) {
	struct handle *h;
	uint64_t off;
	uint32_t len;
	ssize_t n;
	size_t at;
	int bad;

	h = rd_handle(s, r, H_FILE, &bad);
	if (bad || rd_u64(r, &off) < 0 || rd_u32(r, &len) < 0) {
		return -1;
	}
	if (h == NULL) {
		send_status(s, id, FX_FAILURE, "Invalid handle");
		return 0;
	}
	if (len > BP_SFTP_MAX_READ) {
		len = BP_SFTP_MAX_READ;
	}
	if (off > (uint64_t)INT64_MAX) {
		send_status(s, id, FX_EOF, "End of file");
		return 0;
	}
	/* read straight into the reply */
	pkt_begin(s, FXP_DATA);
	ob_u32(&s->out, id);
	ob_u32(&s->out, 0);
	at = s->out.len;
	ob_reserve(&s->out, len);
	if (s->out.oom) {
		return -1;
	}
	do {
		n = pread(h->fd, s->out.p + at, len, (off_t)off);
	} while (n < 0 && errno == EINTR);
	if (n <= 0) {
		int e = errno;
		s->out.len = s->pkt_start;
		if (n == 0) {
			send_status(s, id, FX_EOF, "End of file");
		} else {
			errno = e;
			send_result(s, id, -1);
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

static int do_write(struct bp_sftp *s, uint32_t id, struct rd *r) {
	struct handle *h;
	uint64_t off;
	const unsigned char *d;
	size_t n, done = 0;
	ssize_t w;
	int bad;

	h = rd_handle(s, r, H_FILE, &bad);
	if (bad || rd_u64(r, &off) < 0 || rd_str(r, &d, &n) < 0) {
		return -1;
	}
	if (h == NULL) {
		send_status(s, id, FX_FAILURE, "Invalid handle");
		return 0;
	}
	if (off > (uint64_t)INT64_MAX - n) {
		errno = EFBIG;
		send_result(s, id, -1);
		return 0;
	}
	while (done < n) {
		w = pwrite(h->fd, d + done, n - done, (off_t)(off + done));
		if (w < 0 && errno == EINTR) {
			continue;
		}
		if (w <= 0) {
			if (w == 0) {
				errno = ENOSPC;
			}
			h->written += done;
			send_result(s, id, -1);
			return 0;
		}
		done += (size_t)w;
	}
	h->written += done;
	send_status(s, id, FX_OK, "Success");
	return 0;
}

static int do_stat(struct bp_sftp *s, uint32_t id, struct rd *r, int follow) {
	char path[BP_SFTP_MAX_PATH + 1];
	struct stat st;
	int rc;

	if (rd_path(r, path) < 0) {
		return -1;
	}
	rc = follow ? stat(path, &st) : lstat(path, &st);
	if (rc < 0) {
		send_result(s, id, -1);
	} else {
		send_attrs(s, id, &st);
	}
	return 0;
}

static int do_fstat(struct bp_sftp *s, uint32_t id, struct rd *r) {
	struct handle *h;
	struct stat st;
	int bad, rc;

	h = rd_handle(s, r, H_FREE, &bad);
	if (bad) {
		return -1;
	}
	if (h == NULL) {
		send_status(s, id, FX_FAILURE, "Invalid handle");
		return 0;
	}
	rc = fstat(h->kind == H_DIR ? dirfd(h->dir) : h->fd, &st);
	if (rc < 0) {
		send_result(s, id, -1);
	} else {
		send_attrs(s, id, &st);
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

static int do_setstat(struct bp_sftp *s, uint32_t id, struct rd *r, int nofollow) {
	char path[BP_SFTP_MAX_PATH + 1];
	struct attrs a;

	if (rd_path(r, path) < 0 || rd_attrs(r, &a) < 0) {
		return -1;
	}
	if (nofollow && (a.flags & ATTR_SIZE)) {
		send_status(s, id, FX_BAD_MESSAGE, "Size is not settable on a link");
		return 0;
	}
	send_result(s, id, apply_attrs(path, -1, &a, nofollow));
	return 0;
}

static int do_fsetstat(struct bp_sftp *s, uint32_t id, struct rd *r) {
	struct handle *h;
	struct attrs a;
	int bad, fd;

	h = rd_handle(s, r, H_FREE, &bad);
	if (bad || rd_attrs(r, &a) < 0) {
		return -1;
	}
	if (h == NULL) {
		send_status(s, id, FX_FAILURE, "Invalid handle");
		return 0;
	}
	fd = h->kind == H_DIR ? dirfd(h->dir) : h->fd;
	send_result(s, id, apply_attrs(NULL, fd, &a, 0));
	return 0;
}

static int do_opendir(struct bp_sftp *s, uint32_t id, struct rd *r) {
	char path[BP_SFTP_MAX_PATH + 1];
	DIR *d;
	int i;

	if (rd_path(r, path) < 0) {
		return -1;
	}
	i = handle_new(s, H_DIR, path);
	if (i < 0) {
		send_status(s, id, FX_FAILURE, "Too many open handles");
		return 0;
	}
	d = opendir(path);
	if (d == NULL) {
		send_result(s, id, -1);
		s->h[i].kind = H_FILE;  /* nothing open: close just frees */
		s->h[i].fd = -1;
		free(s->h[i].path);
		memset(&s->h[i], 0, sizeof(s->h[i]));
		return 0;
	}
	s->h[i].dir = d;
	send_handle(s, id, i);
	return 0;
}

static int do_readdir(struct bp_sftp *s, uint32_t id, struct rd *r) {
	struct handle *h;
	struct dirent *de;
	struct stat st;
	char line[BP_SFTP_MAX_PATH + 128];
	size_t count_at;
	uint32_t count = 0;
	int bad;

	h = rd_handle(s, r, H_DIR, &bad);
	if (bad) {
		return -1;
	}
	if (h == NULL) {
		send_status(s, id, FX_FAILURE, "Invalid handle");
		return 0;
	}
	pkt_begin(s, FXP_NAME);
	ob_u32(&s->out, id);
	count_at = s->out.len;
	ob_u32(&s->out, 0);
	while (count < READDIR_BATCH &&
			s->out.len - s->pkt_start < BP_SFTP_MAX_PACKET - 3 * sizeof(line)) {
		errno = 0;
		de = readdir(h->dir);
		if (de == NULL) {
			break;
		}
		if (fstatat(dirfd(h->dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
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
			send_result(s, id, -1);
		} else {
			send_status(s, id, FX_EOF, "End of file");
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

static int do_remove(struct bp_sftp *s, uint32_t id, struct rd *r, int dir) {
	char path[BP_SFTP_MAX_PATH + 1];
	int rc;

	if (rd_path(r, path) < 0) {
		return -1;
	}
	rc = dir ? rmdir(path) : unlink(path);
	if (rc == 0) {
		audit(s, BP_SFTP_AUDIT_REMOVE, path, NULL, 0);
	}
	send_result(s, id, rc);
	return 0;
}

static int do_mkdir(struct bp_sftp *s, uint32_t id, struct rd *r) {
	char path[BP_SFTP_MAX_PATH + 1];
	struct attrs a;
	mode_t mode;

	if (rd_path(r, path) < 0 || rd_attrs(r, &a) < 0) {
		return -1;
	}
	mode = (a.flags & ATTR_PERMISSIONS) ? (mode_t)(a.perm & 07777) : 0777;
	send_result(s, id, mkdir(path, mode));
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

static int do_realpath(struct bp_sftp *s, uint32_t id, struct rd *r) {
	char path[BP_SFTP_MAX_PATH + 1];
	char out[PATH_MAX];

	if (rd_path(r, path) < 0) {
		return -1;
	}
	/* OpenSSH clients may append a control byte and path: ignore */
	if (resolve(path, out) < 0) {
		send_result(s, id, -1);
	} else {
		send_name1(s, id, out);
	}
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

static int do_rename(struct bp_sftp *s, uint32_t id, struct rd *r, int posix) {
	char from[BP_SFTP_MAX_PATH + 1], to[BP_SFTP_MAX_PATH + 1];
	int rc;

	if (rd_path(r, from) < 0 || rd_path(r, to) < 0) {
		return -1;
	}
	rc = posix ? rename(from, to) : rename_noreplace(from, to);
	if (rc == 0) {
		audit(s, BP_SFTP_AUDIT_RENAME, from, to, 0);
	}
	send_result(s, id, rc);
	return 0;
}

static int do_readlink(struct bp_sftp *s, uint32_t id, struct rd *r) {
	char path[BP_SFTP_MAX_PATH + 1];
	char out[PATH_MAX];
	ssize_t n;

	if (rd_path(r, path) < 0) {
		return -1;
	}
	n = readlink(path, out, sizeof(out) - 1);
	if (n < 0) {
		send_result(s, id, -1);
		return 0;
	}
	out[n] = '\0';
	send_name1(s, id, out);
	return 0;
}

static int do_symlink(struct bp_sftp *s, uint32_t id, struct rd *r) {
	char target[BP_SFTP_MAX_PATH + 1], linkpath[BP_SFTP_MAX_PATH + 1];

	/* OpenSSH's order: target first, then the link to create */
	if (rd_path(r, target) < 0 || rd_path(r, linkpath) < 0) {
		return -1;
	}
	send_result(s, id, symlink(target, linkpath));
	return 0;
}

/* --- extensions -------------------------------------------------------- */

static void send_statvfs(struct bp_sftp *s, uint32_t id, const struct statvfs *v) {
	uint64_t flag = 0;

	if (v->f_flag & ST_RDONLY) {
		flag |= SFTP_ST_RDONLY;
	}
	if (v->f_flag & ST_NOSUID) {
		flag |= SFTP_ST_NOSUID;
	}
	pkt_begin(s, FXP_EXTENDED_REPLY);
	ob_u32(&s->out, id);
	ob_u64(&s->out, v->f_bsize);
	ob_u64(&s->out, v->f_frsize);
	ob_u64(&s->out, v->f_blocks);
	ob_u64(&s->out, v->f_bfree);
	ob_u64(&s->out, v->f_bavail);
	ob_u64(&s->out, v->f_files);
	ob_u64(&s->out, v->f_ffree);
	ob_u64(&s->out, v->f_favail);
	ob_u64(&s->out, v->f_fsid);
	ob_u64(&s->out, flag);
	ob_u64(&s->out, v->f_namemax);
	pkt_end(s);
}

static int ext_statvfs(struct bp_sftp *s, uint32_t id, struct rd *r) {
	char path[BP_SFTP_MAX_PATH + 1];
	struct statvfs v;

	if (rd_path(r, path) < 0) {
		return -1;
	}
	if (statvfs(path, &v) < 0) {
		send_result(s, id, -1);
	} else {
		send_statvfs(s, id, &v);
	}
	return 0;
}

static int ext_fstatvfs(struct bp_sftp *s, uint32_t id, struct rd *r) {
	struct handle *h;
	struct statvfs v;
	int bad;

	h = rd_handle(s, r, H_FREE, &bad);
	if (bad) {
		return -1;
	}
	if (h == NULL) {
		send_status(s, id, FX_FAILURE, "Invalid handle");
		return 0;
	}
	if (fstatvfs(h->kind == H_DIR ? dirfd(h->dir) : h->fd, &v) < 0) {
		send_result(s, id, -1);
	} else {
		send_statvfs(s, id, &v);
	}
	return 0;
}

static int ext_hardlink(struct bp_sftp *s, uint32_t id, struct rd *r) {
	char from[BP_SFTP_MAX_PATH + 1], to[BP_SFTP_MAX_PATH + 1];

	if (rd_path(r, from) < 0 || rd_path(r, to) < 0) {
		return -1;
	}
	send_result(s, id, link(from, to));
	return 0;
}

static int ext_fsync(struct bp_sftp *s, uint32_t id, struct rd *r) {
	struct handle *h;
	int bad;

	h = rd_handle(s, r, H_FILE, &bad);
	if (bad) {
		return -1;
	}
	if (h == NULL) {
		send_status(s, id, FX_FAILURE, "Invalid handle");
		return 0;
	}
	send_result(s, id, fsync(h->fd));
	return 0;
}

static int ext_limits(struct bp_sftp *s, uint32_t id) {
	pkt_begin(s, FXP_EXTENDED_REPLY);
	ob_u32(&s->out, id);
	ob_u64(&s->out, BP_SFTP_MAX_PACKET);
	ob_u64(&s->out, BP_SFTP_MAX_READ);
	ob_u64(&s->out, BP_SFTP_MAX_WRITE);
	ob_u64(&s->out, BP_SFTP_MAX_HANDLES);
	pkt_end(s);
	return 0;
}

static int ext_expand_path(struct bp_sftp *s, uint32_t id, struct rd *r) {
	char path[BP_SFTP_MAX_PATH + 1];
	char full[BP_SFTP_MAX_PATH * 2 + 2];
	char out[PATH_MAX];
	const char *home = s->hooks.home ? s->hooks.home : (s->cwd ? s->cwd : ".");

	if (rd_path(r, path) < 0) {
		return -1;
	}
	if (path[0] == '~' && (path[1] == '\0' || path[1] == '/')) {
		snprintf(full, sizeof(full), "%s%s", home, path + 1);
	} else if (path[0] == '~') {
		/* ~user: there is no user database here */
		send_status(s, id, FX_NO_SUCH_FILE, "No such user");
		return 0;
	} else {
		snprintf(full, sizeof(full), "%s", path);
	}
	if (strlen(full) > BP_SFTP_MAX_PATH) {
		errno = ENAMETOOLONG;
		send_result(s, id, -1);
		return 0;
	}
	if (resolve(full, out) < 0) {
		send_result(s, id, -1);
	} else {
		send_name1(s, id, out);
	}
	return 0;
}

static int ext_copy_data(struct bp_sftp *s, uint32_t id, struct rd *r) {
	struct handle *from, *to;
	uint64_t roff, rlen, woff;
	unsigned char *buf;
	int bad1, bad2;
	ssize_t n, w;
	size_t want, done;
	int rc = 0;

	from = rd_handle(s, r, H_FILE, &bad1);
	if (bad1 || rd_u64(r, &roff) < 0 || rd_u64(r, &rlen) < 0) {
		return -1;
	}
	to = rd_handle(s, r, H_FILE, &bad2);
	if (bad2 || rd_u64(r, &woff) < 0) {
		return -1;
	}
	if (from == NULL || to == NULL) {
		send_status(s, id, FX_FAILURE, "Invalid handle");
		return 0;
	}
	if (roff > (uint64_t)INT64_MAX || woff > (uint64_t)INT64_MAX) {
		send_status(s, id, FX_FAILURE, "Offset out of range");
		return 0;
	}
	if (from == to && rlen != 0 && woff < roff + rlen && roff < woff + rlen) {
		send_status(s, id, FX_FAILURE, "Overlapping copy in one file");
		return 0;
	}
	if (from == to && rlen == 0 && woff > roff) {
		send_status(s, id, FX_FAILURE, "Overlapping copy in one file");
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
		done = 0;
		while (done < (size_t)n) {
			w = pwrite(to->fd, buf + done, (size_t)n - done, (off_t)(woff + done));
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
		to->written += done;
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
	send_result(s, id, rc);
	return 0;
}

static int ext_name_is(const unsigned char *name, size_t n, const char *want) {
	return n == strlen(want) && memcmp(name, want, n) == 0;
}

static int do_extended(struct bp_sftp *s, uint32_t id, struct rd *r) {
	const unsigned char *name;
	size_t n;

	if (rd_str(r, &name, &n) < 0) {
		return -1;
	}
	if (ext_name_is(name, n, "posix-rename@openssh.com")) {
		return do_rename(s, id, r, 1);
	} else if (ext_name_is(name, n, "statvfs@openssh.com")) {
		return ext_statvfs(s, id, r);
	} else if (ext_name_is(name, n, "fstatvfs@openssh.com")) {
		return ext_fstatvfs(s, id, r);
	} else if (ext_name_is(name, n, "hardlink@openssh.com")) {
		return ext_hardlink(s, id, r);
	} else if (ext_name_is(name, n, "fsync@openssh.com")) {
		return ext_fsync(s, id, r);
	} else if (ext_name_is(name, n, "lsetstat@openssh.com")) {
		return do_setstat(s, id, r, 1);
	} else if (ext_name_is(name, n, "limits@openssh.com")) {
		return ext_limits(s, id);
	} else if (ext_name_is(name, n, "expand-path@openssh.com")) {
		return ext_expand_path(s, id, r);
	} else if (ext_name_is(name, n, "copy-data")) {
		return ext_copy_data(s, id, r);
	}
	send_status(s, id, FX_OP_UNSUPPORTED, "Unsupported extension");
	return 0;
}

static const char *const extensions[][2] = {
	{ "posix-rename@openssh.com", "1" },
	{ "statvfs@openssh.com", "2" },
	{ "fstatvfs@openssh.com", "2" },
	{ "hardlink@openssh.com", "1" },
	{ "fsync@openssh.com", "1" },
	{ "lsetstat@openssh.com", "1" },
	{ "limits@openssh.com", "1" },
	{ "expand-path@openssh.com", "1" },
	{ "copy-data", "1" },
};

static void send_version(struct bp_sftp *s) {
	size_t i;

	pkt_begin(s, FXP_VERSION);
	ob_u32(&s->out, SFTP_VERSION);
	for (i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++) {
		ob_cstr(&s->out, extensions[i][0]);
		ob_cstr(&s->out, extensions[i][1]);
	}
	pkt_end(s);
}

/* --- dispatch ---------------------------------------------------------- */

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
	unsigned type;
	uint32_t id, ver;
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
	if (rd_u32(&r, &id) < 0) {
		return fatal(s, "malformed packet", type);
	}
	switch (type) {
	case FXP_OPEN:     rc = do_open(s, id, &r); break;
	case FXP_CLOSE:    rc = do_close(s, id, &r); break;
	case FXP_READ:     rc = do_read(s, id, &r); break;
	case FXP_WRITE:    rc = do_write(s, id, &r); break;
	case FXP_LSTAT:    rc = do_stat(s, id, &r, 0); break;
	case FXP_FSTAT:    rc = do_fstat(s, id, &r); break;
	case FXP_SETSTAT:  rc = do_setstat(s, id, &r, 0); break;
	case FXP_FSETSTAT: rc = do_fsetstat(s, id, &r); break;
	case FXP_OPENDIR:  rc = do_opendir(s, id, &r); break;
	case FXP_READDIR:  rc = do_readdir(s, id, &r); break;
	case FXP_REMOVE:   rc = do_remove(s, id, &r, 0); break;
	case FXP_MKDIR:    rc = do_mkdir(s, id, &r); break;
	case FXP_RMDIR:    rc = do_remove(s, id, &r, 1); break;
	case FXP_REALPATH: rc = do_realpath(s, id, &r); break;
	case FXP_STAT:     rc = do_stat(s, id, &r, 1); break;
	case FXP_RENAME:   rc = do_rename(s, id, &r, 0); break;
	case FXP_READLINK: rc = do_readlink(s, id, &r); break;
	case FXP_SYMLINK:  rc = do_symlink(s, id, &r); break;
	case FXP_EXTENDED: rc = do_extended(s, id, &r); break;
	default:
		send_status(s, id, FX_OP_UNSUPPORTED, "Operation unsupported");
		rc = 0;
		break;
	}
	if (rc < 0) {
		return fatal(s, "malformed packet", type);
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
