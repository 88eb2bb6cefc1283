/*
 * bearpass - a tiny bounded reader for SSH wire data (RFC 4251 types).
 *
 * Every getter either consumes one whole valid item and returns 0, or
 * consumes nothing and returns -1.  Strings are returned as (pointer,
 * length) into the caller's buffer; nothing is copied or allocated.
 */
#ifndef BP_SSHBUF_H
#define BP_SSHBUF_H

#include <stddef.h>
#include <stdint.h>

struct bp_sshbuf {
	const unsigned char *p;  /* next unread byte */
	size_t len;              /* bytes left */
};

void bp_sshbuf_init(struct bp_sshbuf *b, const unsigned char *p, size_t len);

int bp_sshbuf_get_u32(struct bp_sshbuf *b, uint32_t *v);
int bp_sshbuf_get_u64(struct bp_sshbuf *b, uint64_t *v);

/* uint32 length + bytes.  *s and *slen may be NULL. */
int bp_sshbuf_get_string(struct bp_sshbuf *b,
		const unsigned char **s, size_t *slen);
/* Like bp_sshbuf_get_string but consumes nothing. */
int bp_sshbuf_peek_string(const struct bp_sshbuf *b,
		const unsigned char **s, size_t *slen);
/* A string that must not contain a NUL byte (OpenSSH's get_cstring). */
int bp_sshbuf_get_cstring(struct bp_sshbuf *b,
		const unsigned char **s, size_t *slen);

/* Whether (s, slen) equals the NUL-terminated name. */
int bp_sshbuf_eq(const unsigned char *s, size_t slen, const char *name);

#endif /* BP_SSHBUF_H */
