/*
 * bearpass - libFuzzer target for plugin/sftp.c.
 *
 * The input is a client's byte stream: an SSH_FXP_INIT is sent first,
 * then the input is fed in chunks of varying size to the packet parser and
 * dispatcher, which works in a temporary directory (created once, emptied
 * after each input); run as root, it serves with the effective ids of
 * nobody, so that fuzzed paths cannot touch the system's files.  Besides memory errors it checks that the
 * output is a sequence of well-formed packets within the packet limit and
 * that a dead session stays dead.
 */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <grp.h>
#include <unistd.h>

#include "sftp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOBODY 65534

static char dir[64];
static int as_nobody;

static void drop(void) {
	if (as_nobody && (setegid(NOBODY) < 0 || seteuid(NOBODY) < 0)) {
		abort();
	}
}

static void undrop(void) {
	if (as_nobody && (seteuid(0) < 0 || setegid(0) < 0)) {
		abort();
	}
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
	(void)st; (void)flag;
	if (ftw->level > 0) {
		remove(path);
	}
	return 0;
}

static void check_output(struct bp_sftp *s) {
	size_t len, at = 0, n;
	const unsigned char *p = bp_sftp_output(s, &len);

	while (at < len) {
		if (len - at < 5) {
			abort();
		}
		n = ((size_t)p[at] << 24) | ((size_t)p[at + 1] << 16) |
			((size_t)p[at + 2] << 8) | p[at + 3];
		if (n < 1 || n > BP_SFTP_MAX_PACKET || n > len - at - 4) {
			abort();
		}
		at += 4 + n;
	}
	bp_sftp_consume(s, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	static const unsigned char init[] = { 0, 0, 0, 5, 1, 0, 0, 0, 3 };
	struct bp_sftp *s;
	size_t at = 0, chunk;
	int rc = 0;

	if (dir[0] == '\0') {
		snprintf(dir, sizeof(dir), "/tmp/bp-fuzz-sftp.%ld", (long)getpid());
		if (mkdir(dir, 0700) < 0 || chdir(dir) < 0) {
			abort();
		}
		/* the requests may name any path, "/etc/passwd" or "../x": as
		 * root, the server runs with the effective ids of nobody, who
		 * owns only this directory (libFuzzer itself stays root to
		 * write its corpus) */
		if (geteuid() == 0) {
			as_nobody = 1;
			if (chown(dir, NOBODY, NOBODY) < 0 || setgroups(0, NULL) < 0) {
				abort();
			}
		}
	}
	drop();
	s = bp_sftp_new(NULL);
	if (s == NULL) {
		undrop();
		return 0;
	}
	if (bp_sftp_input(s, init, sizeof(init)) < 0) {
		abort();
	}
	check_output(s);
	while (at < size && rc == 0) {
		/* the first byte picks the chunking */
		chunk = 1 + (size_t)(data[0] % 64) * 7;
		if (chunk > size - at) {
			chunk = size - at;
		}
		rc = bp_sftp_input(s, data + at, chunk);
		check_output(s);
		at += chunk;
	}
	if (rc < 0 && bp_sftp_input(s, data, 0) != -1) {
		abort();
	}
	bp_sftp_free(s);
	undrop();
	/* empty the directory again; the fuzzer's paths are relative */
	nftw(".", rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
