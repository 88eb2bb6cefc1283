/*
 * bearpass - SHA-1 (FIPS 180-4).  Used only to match the SHA-1
 * fingerprint sections of OpenSSH key revocation lists; never for
 * anything that needs collision resistance.
 */
#ifndef BP_SHA1_H
#define BP_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define BP_SHA1_LEN 20

struct bp_sha1 {
	uint32_t h[5];
	uint64_t nbytes;          /* total input length */
	unsigned char block[64];
	size_t fill;              /* bytes in block */
};

void bp_sha1_init(struct bp_sha1 *c);
void bp_sha1_update(struct bp_sha1 *c, const void *data, size_t len);
void bp_sha1_final(struct bp_sha1 *c, unsigned char out[BP_SHA1_LEN]);
void bp_sha1(const void *data, size_t len, unsigned char out[BP_SHA1_LEN]);

#endif /* BP_SHA1_H */
