/*
 * bearpass - SHA-256 (FIPS 180-4) and OpenSSH-style key fingerprints.
 */
#ifndef BP_SHA256_H
#define BP_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define BP_SHA256_LEN 32
/* "SHA256:" + 43 unpadded base64 characters + NUL */
#define BP_SHA256_FP_SIZE (7 + 43 + 1)

struct bp_sha256 {
	uint32_t h[8];
	uint64_t nbytes;          /* total input length */
	unsigned char block[64];
	size_t fill;              /* bytes in block */
};

void bp_sha256_init(struct bp_sha256 *c);
void bp_sha256_update(struct bp_sha256 *c, const void *data, size_t len);
void bp_sha256_final(struct bp_sha256 *c, unsigned char out[BP_SHA256_LEN]);
void bp_sha256(const void *data, size_t len, unsigned char out[BP_SHA256_LEN]);

/* The fingerprint of a public key blob as "ssh-keygen -l" prints it:
 * "SHA256:" followed by the unpadded standard base64 of the blob's
 * SHA-256.  out must hold BP_SHA256_FP_SIZE bytes. */
void bp_sha256_fingerprint(char out[BP_SHA256_FP_SIZE],
		const unsigned char *blob, size_t len);

#endif /* BP_SHA256_H */
