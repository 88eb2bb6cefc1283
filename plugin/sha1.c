/*
 * bearpass - SHA-1 (FIPS 180-4 section 6.1), written from the standard.
 */
#include <string.h>

#include "md_pad.h"
#include "sha1.h"

#define ROTL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))

static void sha1_block(uint32_t *h, const unsigned char *p) {
	uint32_t w[80], a, b, c, d, e, f, k, t;
	int i;

	for (i = 0; i < 16; i++) {
		w[i] = ((uint32_t)p[4 * i] << 24) | ((uint32_t)p[4 * i + 1] << 16)
			| ((uint32_t)p[4 * i + 2] << 8) | (uint32_t)p[4 * i + 3];
	}
	for (i = 16; i < 80; i++) {
		w[i] = ROTL(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	}
	a = h[0]; b = h[1]; c = h[2]; d = h[3]; e = h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = ROTL(a, 5) + f + e + k + w[i];
		e = d; d = c; c = ROTL(b, 30); b = a; a = t;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
}

void bp_sha1_init(struct bp_sha1 *c) {
	static const uint32_t iv[5] = {
		0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0
	};

	memcpy(c->h, iv, sizeof(iv));
	c->nbytes = 0;
	c->fill = 0;
}

void bp_sha1_update(struct bp_sha1 *c, const void *data, size_t len) {
	bp_md_update(c->h, c->block, &c->fill, &c->nbytes, sha1_block, data, len);
}

void bp_sha1_final(struct bp_sha1 *c, unsigned char out[BP_SHA1_LEN]) {
	bp_md_final(c->h, 5, c->block, c->fill, c->nbytes, sha1_block, out);
	memset(c, 0, sizeof(*c));
}

void bp_sha1(const void *data, size_t len, unsigned char out[BP_SHA1_LEN]) {
	struct bp_sha1 c;

	bp_sha1_init(&c);
	bp_sha1_update(&c, data, len);
	bp_sha1_final(&c, out);
}
