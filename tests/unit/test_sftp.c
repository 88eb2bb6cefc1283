/*
 * bearpass - tests for plugin/sftp.c: packets built in memory against a
 * temporary directory, replies decoded and checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sftp.h"
#include "t.h"

/* --- packet building ---------------------------------------------------- */

struct pb {
	unsigned char b[BP_SFTP_MAX_PACKET + 64];
	size_t len;
};

static void pb_u8(struct pb *p, unsigned v) { p->b[p->len++] = (unsigned char)v; }
static void pb_u32(struct pb *p, uint32_t v) {
	pb_u8(p, v >> 24); pb_u8(p, (v >> 16) & 0xff); pb_u8(p, (v >> 8) & 0xff); pb_u8(p, v & 0xff);
}
static void pb_u64(struct pb *p, uint64_t v) { pb_u32(p, (uint32_t)(v >> 32)); pb_u32(p, (uint32_t)v); }
static void pb_str(struct pb *p, const void *s, size_t n) {
	pb_u32(p, (uint32_t)n);
	memcpy(p->b + p->len, s, n);
	p->len += n;
}
static void pb_cstr(struct pb *p, const char *s) { pb_str(p, s, strlen(s)); }
/* start: length placeholder, type, id */
static void pb_begin(struct pb *p, unsigned type, uint32_t id) {
	p->len = 0;
	pb_u32(p, 0);
	pb_u8(p, type);
	if (type != 1) {
		pb_u32(p, id);
	}
}
static void pb_end(struct pb *p) {
	size_t n = p->len - 4;
	p->b[0] = (unsigned char)(n >> 24); p->b[1] = (unsigned char)(n >> 16);
	p->b[2] = (unsigned char)(n >> 8); p->b[3] = (unsigned char)n;
}

/* --- reply decoding ----------------------------------------------------- */

struct reply {
	unsigned type;
	uint32_t id;
	uint32_t status;            /* STATUS */
	char msg[256];
	unsigned char data[BP_SFTP_MAX_PACKET];   /* DATA, HANDLE, raw rest */
	size_t datalen;
	uint32_t count;             /* NAME */
	char name0[PATH_MAX];
	char long0[PATH_MAX + 128];
	uint32_t aflags, perm, atime, mtime; /* ATTRS */
	uint64_t size;
};

static uint32_t g32(const unsigned char *p) {
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static uint64_t g64(const unsigned char *p) {
	return ((uint64_t)g32(p) << 32) | g32(p + 4);
}

static struct bp_sftp *S;
static int logged;
static int audits[4];
static unsigned long long audit_bytes;
static char audit_last[PATH_MAX];

static void t_log(void *ctx, const char *msg) {
	(void)ctx; (void)msg;
	logged++;
}

static void t_audit(void *ctx, enum bp_sftp_audit_kind kind, const char *path,
		const char *path2, unsigned long long bytes) {
	(void)ctx; (void)path2;
	audits[kind]++;
	audit_bytes = bytes;
	snprintf(audit_last, sizeof(audit_last), "%s", path);
}

/* Decode the next reply from the server's output into *r; 0 or -1 */
static int next_reply(struct reply *r) {
	size_t len, n;
	const unsigned char *p = bp_sftp_output(S, &len);
	const unsigned char *q;

	memset(r, 0, sizeof(*r));
	if (len < 5) {
		return -1;
	}
	n = g32(p);
	if (len < 4 + n) {
		return -1;
	}
	r->type = p[4];
	q = p + 5;
	if (r->type != 2) {
		r->id = g32(q);
		q += 4;
	}
	switch (r->type) {
	case 101:
		r->status = g32(q);
		snprintf(r->msg, sizeof(r->msg), "%.*s", (int)g32(q + 4), (const char *)q + 8);
		break;
	case 102: case 103:
		r->datalen = g32(q);
		memcpy(r->data, q + 4, r->datalen);
		break;
	case 104:
		r->count = g32(q);
		if (r->count > 0) {
			uint32_t l = g32(q + 4);
			snprintf(r->name0, sizeof(r->name0), "%.*s", (int)l, (const char *)q + 8);
			q += 8 + l;
			l = g32(q);
			snprintf(r->long0, sizeof(r->long0), "%.*s", (int)l, (const char *)q + 4);
		}
		/* the raw entries too */
		q = p + 5 + 4 + 4;
		r->datalen = (size_t)(p + 4 + n - q);
		memcpy(r->data, q, r->datalen);
		break;
	default:
		r->datalen = (size_t)(p + 4 + n - q);
		memcpy(r->data, q, r->datalen);
		break;
	case 105:
		r->aflags = g32(q);
		r->size = g64(q + 4);
		r->perm = g32(q + 20);
		r->atime = g32(q + 24);
		r->mtime = g32(q + 28);
		break;
	}
	bp_sftp_consume(S, 4 + n);
	return 0;
}

static uint32_t next_id = 1;

/* send one packet, expect exactly one reply */
static int roundtrip(struct pb *p, struct reply *r) {
	size_t left;

	pb_end(p);
	if (bp_sftp_input(S, p->b, p->len) < 0) {
		return -1;
	}
	if (next_reply(r) < 0) {
		return -1;
	}
	bp_sftp_output(S, &left);
	return left == 0 ? 0 : -1;
}

/* path request (type, path) → reply */
static void path_req(unsigned type, const char *path, struct reply *r) {
	struct pb p;

	pb_begin(&p, type, next_id++);
	pb_cstr(&p, path);
	CHECK(roundtrip(&p, r) == 0);
}

static uint32_t status_of_path(unsigned type, const char *path) {
	struct reply r;

	path_req(type, path, &r);
	return r.type == 101 ? r.status : 9999;
}

/* open → handle bytes (4) or status */
static int open_file(const char *path, uint32_t pflags, int perm, unsigned char h[4], struct reply *r) {
	struct pb p;

	pb_begin(&p, 3, next_id++);
	pb_cstr(&p, path);
	pb_u32(&p, pflags);
	if (perm >= 0) {
		pb_u32(&p, 4);
		pb_u32(&p, (uint32_t)perm);
	} else {
		pb_u32(&p, 0);
	}
	CHECK(roundtrip(&p, r) == 0);
	if (r->type != 102 || r->datalen != 4) {
		return -1;
	}
	memcpy(h, r->data, 4);
	return 0;
}

static uint32_t handle_req(unsigned type, const unsigned char h[4], struct reply *r) {
	struct pb p;

	pb_begin(&p, type, next_id++);
	pb_str(&p, h, 4);
	CHECK(roundtrip(&p, r) == 0);
	return r->type == 101 ? r->status : 9999;
}

static uint32_t write_at(const unsigned char h[4], uint64_t off, const char *d) {
	struct pb p;
	struct reply r;

	pb_begin(&p, 6, next_id++);
	pb_str(&p, h, 4);
	pb_u64(&p, off);
	pb_cstr(&p, d);
	CHECK(roundtrip(&p, &r) == 0);
	return r.type == 101 ? r.status : 9999;
}

static void read_at(const unsigned char h[4], uint64_t off, uint32_t len, struct reply *r) {
	struct pb p;

	pb_begin(&p, 5, next_id++);
	pb_str(&p, h, 4);
	pb_u64(&p, off);
	pb_u32(&p, len);
	CHECK(roundtrip(&p, r) == 0);
}

static void expand_req(const char *path, struct reply *r) {
	struct pb p;

	pb_begin(&p, 200, next_id++);
	pb_cstr(&p, "expand-path@openssh.com");
	pb_cstr(&p, path);
	CHECK(roundtrip(&p, r) == 0);
}

/* user_home hook: "other" lives in the test directory's "d", anyone
 * else does not exist */
static char *t_user_home(void *ctx, const char *name, size_t namelen) {
	(void)ctx;
	if (namelen == 5 && memcmp(name, "other", 5) == 0) {
		return strdup("d");
	}
	return NULL;
}

static void new_session(void) {
	struct bp_sftp_hooks hooks;
	struct pb p;
	struct reply r;

	bp_sftp_free(S);
	memset(&hooks, 0, sizeof(hooks));
	hooks.log = t_log;
	hooks.audit = t_audit;
	hooks.home = "/home/test";
	hooks.user_home = t_user_home;
	S = bp_sftp_new(&hooks);
	pb_begin(&p, 1, 0);
	pb_u32(&p, 3);
	CHECK(roundtrip(&p, &r) == 0);
	CHECK(r.type == 2);
}

static char cwd[PATH_MAX];

/* --- tests ------------------------------------------------------------- */

static void test_init(void) {
	struct bp_sftp_hooks hooks;
	struct pb p;
	struct reply r;
	static const char *const exts[] = {
		"posix-rename@openssh.com", "statvfs@openssh.com", "fstatvfs@openssh.com",
		"hardlink@openssh.com", "fsync@openssh.com", "lsetstat@openssh.com",
		"limits@openssh.com", "expand-path@openssh.com", "copy-data",
	};
	size_t i;

	memset(&hooks, 0, sizeof(hooks));
	hooks.log = t_log;
	S = bp_sftp_new(&hooks);
	pb_begin(&p, 1, 0);
	pb_u32(&p, 3);
	CHECK(roundtrip(&p, &r) == 0);
	CHECK(r.type == 2);
	CHECK(g32(r.data) == 3 || r.id == 0);
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		CHECKF(memmem(r.data, r.datalen, exts[i], strlen(exts[i])) != NULL, "%s", exts[i]);
	}
	/* a second init ends the session */
	logged = 0;
	pb_begin(&p, 1, 0);
	pb_u32(&p, 3);
	pb_end(&p);
	CHECK(bp_sftp_input(S, p.b, p.len) == -1);
	CHECK(logged == 1);
	/* and every later call fails */
	CHECK(bp_sftp_input(S, p.b, 0) == -1);

	/* a request before init ends the session */
	bp_sftp_free(S);
	S = bp_sftp_new(&hooks);
	logged = 0;
	pb_begin(&p, 17, 1);
	pb_cstr(&p, ".");
	pb_end(&p);
	CHECK(bp_sftp_input(S, p.b, p.len) == -1);
	CHECK(logged == 1);
}

static void test_files(void) {
	unsigned char h[4], h2[4];
	struct reply r;
	struct pb p;
	struct stat st;

	new_session();
	/* mkdir, stat */
	pb_begin(&p, 14, next_id++);
	pb_cstr(&p, "d");
	pb_u32(&p, 4);
	pb_u32(&p, 0750);
	CHECK(roundtrip(&p, &r) == 0 && r.type == 101 && r.status == 0);
	path_req(17, "d", &r);
	CHECK(r.type == 105 && S_ISDIR(r.perm) && (r.perm & 07777) == 0750);
	pb_begin(&p, 14, next_id++);
	pb_cstr(&p, "d");
	pb_u32(&p, 0);
	CHECK(roundtrip(&p, &r) == 0 && r.type == 101 && r.status == 4);   /* EEXIST */

	/* open for write with a mode, two writes, fstat, close: audited */
	memset(audits, 0, sizeof(audits));
	CHECK(open_file("d/f", 0x02 | 0x08 | 0x10, 0640, h, &r) == 0);
	CHECK(write_at(h, 0, "hello") == 0);
	CHECK(write_at(h, 5, " world") == 0);
	CHECK(handle_req(8, h, &r) == 9999 && r.type == 105 && r.size == 11);
	CHECK(bp_sftp_handles(S) == 1);
	CHECK(handle_req(4, h, &r) == 0);
	CHECK(bp_sftp_handles(S) == 0);
	CHECK(audits[BP_SFTP_AUDIT_WRITE] == 1 && audit_bytes == 11);
	CHECK(strlen(audit_last) > 4 && strcmp(audit_last + strlen(audit_last) - 4, "/d/f") == 0);
	CHECK(stat("d/f", &st) == 0 && (st.st_mode & 0777) == (0640 & ~(mode_t)022));
	/* the closed handle is gone */
	CHECK(handle_req(4, h, &r) == 4);

	/* read back, EOF, clamp of a huge read */
	CHECK(open_file("d/f", 0x01, -1, h, &r) == 0);
	read_at(h, 0, 100, &r);
	CHECK(r.type == 103 && r.datalen == 11 && memcmp(r.data, "hello world", 11) == 0);
	read_at(h, 6, 3, &r);
	CHECK(r.type == 103 && r.datalen == 3 && memcmp(r.data, "wor", 3) == 0);
	read_at(h, 11, 100, &r);
	CHECK(r.type == 101 && r.status == 1);
	/* a read-only handle refuses writes */
	CHECK(write_at(h, 0, "x") == 2 || write_at(h, 0, "x") == 4);
	CHECK(handle_req(4, h, &r) == 0);
	CHECK(audits[BP_SFTP_AUDIT_WRITE] == 1);    /* reads are not audited */

	/* a big file: reads are clamped to BP_SFTP_MAX_READ */
	{
		int fd = open("big", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		CHECK(fd >= 0 && ftruncate(fd, 1024 * 1024) == 0);
		close(fd);
		CHECK(open_file("big", 0x01, -1, h, &r) == 0);
		read_at(h, 0, 1024 * 1024, &r);
		CHECK(r.type == 103 && r.datalen == BP_SFTP_MAX_READ);
		CHECK(handle_req(4, h, &r) == 0);
	}

	/* append */
	CHECK(open_file("d/f", 0x02 | 0x04, -1, h, &r) == 0);
	CHECK(write_at(h, 0, "!") == 0);
	CHECK(handle_req(4, h, &r) == 0);
	CHECK(stat("d/f", &st) == 0 && st.st_size == 12);

	/* exclusive create of an existing file fails */
	CHECK(open_file("d/f", 0x02 | 0x08 | 0x20, -1, h, &r) == -1 && r.type == 101 && r.status == 4);
	/* missing file */
	CHECK(open_file("nope/f", 0x01, -1, h, &r) == -1 && r.status == 2);
	CHECK(strcmp(r.msg, "No such file or directory") == 0);

	/* setstat: size, mode, times; fsetstat */
	pb_begin(&p, 9, next_id++);
	pb_cstr(&p, "d/f");
	pb_u32(&p, 0x1 | 0x4 | 0x8);
	pb_u64(&p, 5);
	pb_u32(&p, 0600);
	pb_u32(&p, 1000000000);
	pb_u32(&p, 1200000000);
	CHECK(roundtrip(&p, &r) == 0 && r.type == 101 && r.status == 0);
	path_req(17, "d/f", &r);
	CHECK(r.size == 5 && (r.perm & 07777) == 0600 && r.atime == 1000000000 && r.mtime == 1200000000);
	CHECK(open_file("d/f", 0x02, -1, h, &r) == 0);
	pb_begin(&p, 10, next_id++);
	pb_str(&p, h, 4);
	pb_u32(&p, 0x4 | 0x8);
	pb_u32(&p, 0644);
	pb_u32(&p, 1300000000);
	pb_u32(&p, 1300000001);
	CHECK(roundtrip(&p, &r) == 0 && r.type == 101 && r.status == 0);
	CHECK(stat("d/f", &st) == 0 && (st.st_mode & 07777) == 0644 && st.st_mtime == 1300000001);
	/* fsync@openssh.com, fstatvfs@openssh.com */
	pb_begin(&p, 200, next_id++);
	pb_cstr(&p, "fsync@openssh.com");
	pb_str(&p, h, 4);
	CHECK(roundtrip(&p, &r) == 0 && r.type == 101 && r.status == 0);
	pb_begin(&p, 200, next_id++);
	pb_cstr(&p, "fstatvfs@openssh.com");
	pb_str(&p, h, 4);
	CHECK(roundtrip(&p, &r) == 0 && r.type == 201 && r.datalen == 88);
	CHECK(handle_req(4, h, &r) == 0);

	/* copy-data: whole file into a second one */
	CHECK(open_file("d/f", 0x01, -1, h, &r) == 0);
	CHECK(open_file("d/copy", 0x02 | 0x08 | 0x10, -1, h2, &r) == 0);
	pb_begin(&p, 200, next_id++);
	pb_cstr(&p, "copy-data");
	pb_str(&p, h, 4);
	pb_u64(&p, 1);
	pb_u64(&p, 0);
	pb_str(&p, h2, 4);
	pb_u64(&p, 0);
	CHECK(roundtrip(&p, &r) == 0 && r.type == 101 && r.status == 0);
	CHECK(handle_req(4, h, &r) == 0);
	CHECK(handle_req(4, h2, &r) == 0);
	CHECK(stat("d/copy", &st) == 0 && st.st_size == 4);
	CHECK(audits[BP_SFTP_AUDIT_WRITE] == 4 && audit_bytes == 4);

	/* stat of a missing file */
	CHECK(status_of_path(17, "missing") == 2);
	CHECK(status_of_path(7, "missing") == 2);
}

static void test_links_dirs(void) {
	unsigned char h[4];
	struct reply r;
	struct pb p;
	struct stat st;
	int seen_f = 0, seen_l = 0, batches = 0;
	char want[PATH_MAX + 8];

	new_session();
	/* symlink in OpenSSH's order: target, then link path */
	pb_begin(&p, 20, next_id++);
	pb_cstr(&p, "f");
	pb_cstr(&p, "d/l");
	CHECK(roundtrip(&p, &r) == 0 && r.type == 101 && r.status == 0);
	CHECK(lstat("d/l", &st) == 0 && S_ISLNK(st.st_mode));
	path_req(19, "d/l", &r);
	CHECK(r.type == 104 && r.count == 1 && strcmp(r.name0, "f") == 0);
	path_req(7, "d/l", &r);
	CHECK(r.type == 105 && S_ISLNK(r.perm));
	path_req(17, "d/l", &r);
	CHECK(r.type == 105 && S_ISREG(r.perm));
	CHECK(status_of_path(19, "d/f") == 5 || status_of_path(19, "d/f") == 4);

	/* lsetstat@openssh.com: times of the link itself; size refused */
	pb_begin(&p, 200, next_id++);
	pb_cstr(&p, "lsetstat@openssh.com");
	pb_cstr(&p, "d/l");
	pb_u32(&p, 0x8);
	pb_u32(&p, 1100000000);
	pb_u32(&p, 1100000000);
	CHECK(roundtrip(&p, &r) == 0 && r.type == 101 && r.status == 0);
	CHECK(lstat("d/l", &st) == 0 && st.st_mtime == 1100000000);
	CHECK(stat("d/l", &st) == 0 && st.st_mtime != 1100000000);

	/* hardlink@openssh.com */
	pb_begin(&p, 200, next_id++);
	pb_cstr(&p, "hardlink@openssh.com");
	pb_cstr(&p, "d/f");
	pb_cstr(&p, "d/hard");
	CHECK(roundtrip(&p, &r) == 0 && r.type == 101 && r.status == 0);
	CHECK(stat("d/hard", &st) == 0 && st.st_nlink == 2);

	/* opendir/readdir with long names, then EOF */
	path_req(11, "d", &r);
	CHECK(r.type == 102 && r.datalen == 4);
	memcpy(h, r.data, 4);
	for (;;) {
		handle_req(12, h, &r);
		if (r.type != 104) {
			CHECK(r.type == 101 && r.status == 1);
			break;
		}
		batches++;
		/* scan the raw entries */
		{
			const unsigned char *q = r.data;
			uint32_t i;
			for (i = 0; i < r.count; i++) {
				uint32_t nl = g32(q), ll;
				char name[256], ln[512];
				snprintf(name, sizeof(name), "%.*s", (int)nl, (const char *)q + 4);
				q += 4 + nl;
				ll = g32(q);
				snprintf(ln, sizeof(ln), "%.*s", (int)ll, (const char *)q + 4);
				q += 4 + ll;
				q += 4 + 8 + 8 + 4 + 8;   /* attrs: flags size uidgid perm times */
				if (strcmp(name, "f") == 0) {
					seen_f = strncmp(ln, "-rw-r--r--", 10) == 0 &&
						strstr(ln, " f") != NULL;
				}
				if (strcmp(name, "l") == 0) {
					seen_l = ln[0] == 'l';
				}
			}
		}
		if (batches > 10) {
			break;
		}
	}
	CHECK(seen_f && seen_l);
	CHECK(handle_req(8, h, &r) == 9999 && r.type == 105 && S_ISDIR(r.perm));
	CHECK(handle_req(4, h, &r) == 0);
	CHECK(status_of_path(11, "missing") == 2);
	CHECK(status_of_path(11, "d/f") == 2);   /* ENOTDIR */

	/* realpath */
	path_req(16, ".", &r);
	CHECK(r.type == 104 && strcmp(r.name0, cwd) == 0);
	path_req(16, "", &r);
	CHECK(r.type == 104 && strcmp(r.name0, cwd) == 0);
	path_req(16, "d/../d/./f", &r);
	snprintf(want, sizeof(want), "%s/d/f", cwd);
	CHECK(r.type == 104 && strcmp(r.name0, want) == 0);
	path_req(16, "d/new", &r);
	snprintf(want, sizeof(want), "%s/d/new", cwd);
	CHECK(r.type == 104 && strcmp(r.name0, want) == 0);
	CHECK(status_of_path(16, "x/y/z") == 2);

	/* expand-path@openssh.com: "~" is the home from the hooks (missing
	 * here), "~name" the one the user_home hook gives; want "" for "No
	 * such user" */
	expand_req("~", &r);
	CHECK(r.type == 101 || (r.type == 104 && strcmp(r.name0, "/home/test") == 0));
	{
		static const struct { const char *path, *want; } ex[] = {
			{ "d/f", "/d/f" }, { "~other/f", "/d/f" }, { "~other", "/d" },
			{ "~nobody/x", "" }, { "~othe/f", "" },
		};
		size_t i;
		for (i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
			expand_req(ex[i].path, &r);
			snprintf(want, sizeof(want), "%s%s", cwd, ex[i].want);
			if (ex[i].want[0] == '\0') {
				CHECKF(r.type == 101 && r.status == 2 &&
						strcmp(r.msg, "No such user") == 0, "%s", ex[i].path);
			} else {
				CHECKF(r.type == 104 && strcmp(r.name0, want) == 0, "%s", ex[i].path);
			}
		}
	}

	/* rename does not replace; posix-rename does; both audited */
	memset(audits, 0, sizeof(audits));
	pb_begin(&p, 18, next_id++);
	pb_cstr(&p, "d/hard");
	pb_cstr(&p, "d/copy");
	CHECK(roundtrip(&p, &r) == 0 && r.type == 101 && r.status == 4);
	pb_begin(&p, 18, next_id++);
	pb_cstr(&p, "d/hard");
	pb_cstr(&p, "d/moved");
	CHECK(roundtrip(&p, &r) == 0 && r.type == 101 && r.status == 0);
	pb_begin(&p, 200, next_id++);
	pb_cstr(&p, "posix-rename@openssh.com");
	pb_cstr(&p, "d/moved");
	pb_cstr(&p, "d/copy");
	CHECK(roundtrip(&p, &r) == 0 && r.type == 101 && r.status == 0);
	CHECK(audits[BP_SFTP_AUDIT_RENAME] == 2);
	CHECK(access("d/moved", F_OK) != 0 && access("d/copy", F_OK) == 0);

	/* remove, rmdir; not empty; missing */
	CHECK(status_of_path(15, "d") == 4);
	path_req(15, "d", &r);
	CHECK(strcmp(r.msg, "Directory not empty") == 0);
	CHECK(status_of_path(13, "d/copy") == 0);
	CHECK(status_of_path(13, "d/copy") == 2);
	CHECK(status_of_path(13, "d/l") == 0);
	CHECK(status_of_path(13, "d/f") == 0);
	CHECK(status_of_path(15, "d") == 0);
	CHECK(audits[BP_SFTP_AUDIT_REMOVE] == 4);
	CHECK(status_of_path(13, "big") == 0);

	/* statvfs@openssh.com and limits@openssh.com */
	pb_begin(&p, 200, next_id++);
	pb_cstr(&p, "statvfs@openssh.com");
	pb_cstr(&p, ".");
	CHECK(roundtrip(&p, &r) == 0 && r.type == 201 && r.datalen == 88);
	pb_begin(&p, 200, next_id++);
	pb_cstr(&p, "limits@openssh.com");
	CHECK(roundtrip(&p, &r) == 0 && r.type == 201 && r.datalen == 32);
	CHECK(g64(r.data) == BP_SFTP_MAX_PACKET && g64(r.data + 8) == BP_SFTP_MAX_READ &&
			g64(r.data + 16) == BP_SFTP_MAX_WRITE && g64(r.data + 24) == BP_SFTP_MAX_HANDLES);

	/* unknown extension and unknown request type */
	pb_begin(&p, 200, next_id++);
	pb_cstr(&p, "nonsense@example.com");
	CHECK(roundtrip(&p, &r) == 0 && r.type == 101 && r.status == 8);
	pb_begin(&p, 99, next_id++);
	CHECK(roundtrip(&p, &r) == 0 && r.type == 101 && r.status == 8);

	/* handles that were never given out */
	memcpy(h, "\0\0\0\x7f", 4);
	CHECK(handle_req(4, h, &r) == 4);
	CHECK(handle_req(12, h, &r) == 4);
	pb_begin(&p, 4, next_id++);
	pb_cstr(&p, "toolonghandle");
	CHECK(roundtrip(&p, &r) == 0 && r.type == 101 && r.status == 4);
}

static void test_limits(void) {
	unsigned char h[4];
	struct reply r;
	struct pb p;
	int i, ok = 1;
	size_t len;

	new_session();
	/* the handle limit */
	for (i = 0; i < BP_SFTP_MAX_HANDLES; i++) {
		if (open_file(".", 0x01, -1, h, &r) < 0) {
			ok = 0;
		}
	}
	CHECK(ok);
	CHECK(bp_sftp_handles(S) == BP_SFTP_MAX_HANDLES);
	CHECK(open_file(".", 0x01, -1, h, &r) == -1 && r.status == 4);
	path_req(11, ".", &r);
	CHECK(r.type == 101 && r.status == 4);
	/* freeing one makes room */
	memcpy(h, "\0\0\0\x05", 4);
	CHECK(handle_req(4, h, &r) == 0);
	CHECK(open_file(".", 0x01, -1, h, &r) == 0);
	new_session();
	CHECK(bp_sftp_handles(S) == 0);

	/* pipelining: three requests in one buffer, byte by byte */
	{
		unsigned char buf[256];
		size_t n = 0, k;
		uint32_t ids[3];
		for (i = 0; i < 3; i++) {
			ids[i] = next_id++;
			pb_begin(&p, 17, ids[i]);
			pb_cstr(&p, i == 1 ? "missing" : ".");
			pb_end(&p);
			memcpy(buf + n, p.b, p.len);
			n += p.len;
		}
		for (k = 0; k < n; k++) {
			CHECK(bp_sftp_input(S, buf + k, 1) == 0);
		}
		CHECK(next_reply(&r) == 0 && r.id == ids[0] && r.type == 105);
		CHECK(next_reply(&r) == 0 && r.id == ids[1] && r.type == 101 && r.status == 2);
		CHECK(next_reply(&r) == 0 && r.id == ids[2] && r.type == 105);
		bp_sftp_output(S, &len);
		CHECK(len == 0);
	}

	/* a packet longer than the limit ends the session */
	logged = 0;
	pb_begin(&p, 6, next_id++);
	pb_end(&p);
	p.b[0] = 0; p.b[1] = 0x04; p.b[2] = 0; p.b[3] = 1;   /* 256 KiB + 1 */
	CHECK(bp_sftp_input(S, p.b, 5) == -1 && logged == 1);
	/* exactly the limit is accepted: a write of the largest payload */
	new_session();
	CHECK(open_file("w", 0x02 | 0x08, -1, h, &r) == 0);
	pb_begin(&p, 6, next_id++);
	pb_str(&p, h, 4);
	pb_u64(&p, 0);
	{
		size_t room = BP_SFTP_MAX_PACKET - (p.len - 4) - 4;
		pb_u32(&p, (uint32_t)room);
		memset(p.b + p.len, 'x', room);
		p.len += room;
	}
	CHECK(p.len - 4 == BP_SFTP_MAX_PACKET);
	CHECK(roundtrip(&p, &r) == 0 && r.type == 101 && r.status == 0);
	CHECK(handle_req(4, h, &r) == 0);
	CHECK(unlink("w") == 0);
}

/* every truncation of valid requests ends the session, never crashes */
static void test_malformed(void) {
	struct pb p, full;
	unsigned char h[4];
	struct reply r;
	size_t cut;
	int bad = 0, i;
	static const unsigned types[] = { 3, 4, 5, 6, 9, 10, 16, 18, 20, 200 };

	for (i = 0; i < (int)(sizeof(types) / sizeof(types[0])); i++) {
		pb_begin(&full, types[i], 7);
		switch (types[i]) {
		case 3: pb_cstr(&full, "x"); pb_u32(&full, 1); pb_u32(&full, 0x8000000f);
			pb_u64(&full, 1); pb_u32(&full, 1); pb_u32(&full, 2); pb_u32(&full, 0644);
			pb_u32(&full, 1); pb_u32(&full, 2); pb_u32(&full, 1); pb_cstr(&full, "a"); pb_cstr(&full, "b"); break;
		case 4: pb_str(&full, "\0\0\0\0", 4); break;
		case 5: pb_str(&full, "\0\0\0\0", 4); pb_u64(&full, 0); pb_u32(&full, 10); break;
		case 6: pb_str(&full, "\0\0\0\0", 4); pb_u64(&full, 0); pb_cstr(&full, "data"); break;
		case 9: pb_cstr(&full, "x"); pb_u32(&full, 4); pb_u32(&full, 0644); break;
		case 10: pb_str(&full, "\0\0\0\0", 4); pb_u32(&full, 1); pb_u64(&full, 0); break;
		case 16: pb_cstr(&full, "."); break;
		case 18: pb_cstr(&full, "a"); pb_cstr(&full, "b"); break;
		case 20: pb_cstr(&full, "a"); pb_cstr(&full, "b"); break;
		case 200: pb_cstr(&full, "posix-rename@openssh.com"); pb_cstr(&full, "a"); pb_cstr(&full, "b"); break;
		}
		/* cut after the type byte... up to one byte short */
		for (cut = 5; cut < full.len; cut++) {
			new_session();
			logged = 0;
			memcpy(p.b, full.b, cut);
			p.len = cut;
			pb_end(&p);
			if (bp_sftp_input(S, p.b, p.len) != -1 || logged != 1) {
				bad++;
				fprintf(stderr, "type %u cut %zu accepted\n", types[i], cut);
			}
		}
	}
	CHECK(bad == 0);

	/* a path with a NUL byte */
	new_session();
	logged = 0;
	pb_begin(&p, 17, 1);
	pb_str(&p, "a\0b", 3);
	pb_end(&p);
	CHECK(bp_sftp_input(S, p.b, p.len) == -1 && logged == 1);
	/* an empty packet */
	new_session();
	memset(p.b, 0, 4);
	CHECK(bp_sftp_input(S, p.b, 4) == -1);
	/* trailing bytes after a request are ignored, as OpenSSH does */
	new_session();
	pb_begin(&p, 17, 1);
	pb_cstr(&p, ".");
	pb_u32(&p, 12345);
	CHECK(roundtrip(&p, &r) == 0 && r.type == 105);
	(void)h;
}

int main(void) {
	char tmpl[] = "/tmp/bp-sftp-test.XXXXXX";
	char *dir = mkdtemp(tmpl);

	umask(022);
	if (dir == NULL || chdir(dir) < 0 || getcwd(cwd, sizeof(cwd)) == NULL) {
		perror("temp dir");
		return 1;
	}
	test_init();
	test_files();
	test_links_dirs();
	test_limits();
	test_malformed();
	bp_sftp_free(S);
	S = NULL;
	if (chdir("/") == 0) {
		(void)!system("true");
	}
	{
		char cmd[PATH_MAX + 16];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		(void)!system(cmd);
	}
	return T_DONE("test_sftp");
}
