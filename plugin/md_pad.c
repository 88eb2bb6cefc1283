/*
 * bearpass - message buffering and padding shared by SHA-1 and SHA-256.
 */
#include <string.h>

#include "md_pad.h"

void bp_md_update(uint32_t *h, unsigned char block[BP_MD_BLOCK], size_t *fill,
		uint64_t *nbytes, bp_md_block_fn fn, const void *data, size_t len) {
	const unsigned char *p = data;
	size_t n;

	*nbytes += len;
	while (len > 0) {
		if (*fill == 0 && len >= BP_MD_BLOCK) {
			fn(h, p);
			p += BP_MD_BLOCK;
			len -= BP_MD_BLOCK;
			continue;
		}
		n = BP_MD_BLOCK - *fill;
		if (n > len) {
			n = len;
		}
		memcpy(block + *fill, p, n);
		*fill += n;
		p += n;
		len -= n;
		if (*fill == BP_MD_BLOCK) {
			fn(h, block);
			*fill = 0;
		}
	}
}

void bp_md_final(uint32_t *h, size_t nwords, unsigned char block[BP_MD_BLOCK],
		size_t fill, uint64_t nbytes, bp_md_block_fn fn, unsigned char *out) {
	uint64_t bits = nbytes * 8;
	size_t i;

	block[fill++] = 0x80;
	if (fill > 56) {
		memset(block + fill, 0, BP_MD_BLOCK - fill);
		fn(h, block);
		fill = 0;
	}
	memset(block + fill, 0, 56 - fill);
	for (i = 0; i < 8; i++) {
		block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	}
	fn(h, block);
	for (i = 0; i < nwords; i++) {
		out[4 * i] = (unsigned char)(h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(h[i] >> 8);
		out[4 * i + 3] = (unsigned char)h[i];
	}
}
