/*
 * bearpass - the message buffering and padding that SHA-1 and SHA-256
 * share (FIPS 180-4 section 5.1.1: 64-byte blocks, 0x80, zeros, the
 * 64-bit big-endian bit length).  Each hash supplies its block function.
 */
#ifndef BP_MD_PAD_H
#define BP_MD_PAD_H

#include <stddef.h>
#include <stdint.h>

#define BP_MD_BLOCK 64

/* compress one 64-byte block into the state h */
typedef void (*bp_md_block_fn)(uint32_t *h, const unsigned char *block);

/* Add len bytes of data: full blocks go straight to fn, the rest waits
 * in block (fill bytes of it used). */
void bp_md_update(uint32_t *h, unsigned char block[BP_MD_BLOCK], size_t *fill,
		uint64_t *nbytes, bp_md_block_fn fn, const void *data, size_t len);

/* Pad, compress the last block(s) and write the nwords state words to
 * out big-endian. */
void bp_md_final(uint32_t *h, size_t nwords, unsigned char block[BP_MD_BLOCK],
		size_t fill, uint64_t nbytes, bp_md_block_fn fn, unsigned char *out);

#endif /* BP_MD_PAD_H */
