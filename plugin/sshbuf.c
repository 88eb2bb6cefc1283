/*
 * bearpass - a tiny bounded reader for SSH wire data.
 */
#include <string.h>

#include "sshbuf.h"

void bp_sshbuf_init(struct bp_sshbuf *b, const unsigned char *p, size_t len) {
	b->p = p;
	b->len = p != NULL ? len : 0;
}

int bp_sshbuf_get_u32(struct bp_sshbuf *b, uint32_t *v) {
	if (b->len < 4) {
		return -1;
	}
	if (v != NULL) {
		*v = ((uint32_t)b->p[0] << 24) | ((uint32_t)b->p[1] << 16)
			| ((uint32_t)b->p[2] << 8) | (uint32_t)b->p[3];
	}
	b->p += 4;
	b->len -= 4;
	return 0;
}

int bp_sshbuf_get_u64(struct bp_sshbuf *b, uint64_t *v) {
	uint64_t x = 0;
	size_t i;

	if (b->len < 8) {
		return -1;
	}
	for (i = 0; i < 8; i++) {
		x = (x << 8) | b->p[i];
	}
	if (v != NULL) {
		*v = x;
	}
	b->p += 8;
	b->len -= 8;
	return 0;
}

int bp_sshbuf_peek_string(const struct bp_sshbuf *b,
		const unsigned char **s, size_t *slen) {
	uint32_t n;

	if (b->len < 4) {
		return -1;
	}
	n = ((uint32_t)b->p[0] << 24) | ((uint32_t)b->p[1] << 16)
		| ((uint32_t)b->p[2] << 8) | (uint32_t)b->p[3];
	/* compare without adding, so no overflow on 32-bit size_t */
	if (n > b->len - 4) {
		return -1;
	}
	if (s != NULL) {
		*s = b->p + 4;
	}
	if (slen != NULL) {
		*slen = n;
	}
	return 0;
}

int bp_sshbuf_get_string(struct bp_sshbuf *b,
		const unsigned char **s, size_t *slen) {
	const unsigned char *p;
	size_t n;

	if (bp_sshbuf_peek_string(b, &p, &n) != 0) {
		return -1;
	}
	if (s != NULL) {
		*s = p;
	}
	if (slen != NULL) {
		*slen = n;
	}
	b->p += 4 + n;
	b->len -= 4 + n;
	return 0;
}

int bp_sshbuf_get_cstring(struct bp_sshbuf *b,
		const unsigned char **s, size_t *slen) {
	const unsigned char *p;
	size_t n;

	if (bp_sshbuf_peek_string(b, &p, &n) != 0) {
		return -1;
	}
	if (n > 0 && memchr(p, '\0', n) != NULL) {
		return -1;
	}
	return bp_sshbuf_get_string(b, s, slen);
}

int bp_sshbuf_eq(const unsigned char *s, size_t slen, const char *name) {
	size_t n = strlen(name);

	return s != NULL && slen == n && memcmp(s, name, n) == 0;
}
