/*
 * bearpass - certificate and key fixtures for the unit tests.
 *
 * The fixtures are made by tests/fixtures/mkcerts.sh (ssh-keygen).  Their
 * directory is argv[1] or $BP_FIXTURES; run by hand from the top of the
 * checkout without either, fx_init() makes them in a fresh directory.
 * Each test is one program: everything here is static.
 */
#ifndef BP_FIXTURES_H
#define BP_FIXTURES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"

static const char *fx_dir;

/* The contents of PATH, NUL-terminated (not counted in *len); NULL if it
 * cannot be read. */
static inline char *fx_read_path(const char *path, size_t *len) {
	FILE *f = fopen(path, "rb");
	char *buf = NULL, *nb;
	size_t cap = 0, n;

	*len = 0;
	if (f == NULL) {
		return NULL;
	}
	for (;;) {
		if (*len + 4096 > cap) {
			cap = cap * 2 + 8192;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				fclose(f);
				*len = 0;
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + *len, 1, cap - *len - 1, f);
		*len += n;
		if (n == 0) {
			break;
		}
	}
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

/* The contents of fixture NAME, as fx_read_path(). */
static inline char *fx_read(const char *name, size_t *len) {
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", fx_dir, name);
	return fx_read_path(path, len);
}

/* The key blob of the first line "type base64 [comment]" of fixture NAME. */
static inline unsigned char *fx_blob(const char *name, size_t *len) {
	size_t flen, b64len;
	char *text = fx_read(name, &flen), *b64;
	unsigned char *blob = NULL;

	*len = 0;
	if (text == NULL) {
		fprintf(stderr, "cannot read %s/%s\n", fx_dir, name);
		return NULL;
	}
	b64 = strchr(text, ' ');
	if (b64 != NULL) {
		b64++;
		b64len = strcspn(b64, " \n");
		blob = malloc(BP_BASE64_DECODED_MAX(b64len) + 1);
		if (blob != NULL && bp_base64_decode(blob, b64len, len, b64,
				b64len) != 0) {
			free(blob);
			blob = NULL;
		}
	}
	free(text);
	return blob;
}

/* Finds (or makes) the fixtures; 0 when fixture CHECKNAME is readable. */
static inline int fx_init(int argc, char **argv, const char *checkname) {
	static char tmpl[] = "/tmp/bp_fixtures.XXXXXX";
	char cmd[512];
	size_t len;
	char *text;

	fx_dir = argc > 1 ? argv[1] : getenv("BP_FIXTURES");
	if (fx_dir == NULL || fx_dir[0] == '\0') {
		if (mkdtemp(tmpl) == NULL) {
			perror("mkdtemp");
			return -1;
		}
		snprintf(cmd, sizeof(cmd), "sh tests/fixtures/mkcerts.sh %s", tmpl);
		if (system(cmd) != 0) {
			fprintf(stderr, "failed: %s\n", cmd);
			return -1;
		}
		fx_dir = tmpl;
	}
	if ((text = fx_read(checkname, &len)) == NULL) {
		fprintf(stderr, "no fixtures in %s (run tests/fixtures/mkcerts.sh)\n",
				fx_dir);
		return -1;
	}
	free(text);
	return 0;
}

#endif /* BP_FIXTURES_H */
