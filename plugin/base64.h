/*
 * bearpass - strict standard base64 (RFC 4648 section 4).
 */
#ifndef BP_BASE64_H
#define BP_BASE64_H

#include <stddef.h>

/* Bytes needed to decode inlen characters (an upper bound). */
#define BP_BASE64_DECODED_MAX(inlen) (((inlen) / 4) * 3)
/* Characters (including the NUL) needed to encode inlen bytes, padded. */
#define BP_BASE64_ENCODED_SIZE(inlen) (((inlen) + 2) / 3 * 4 + 1)

/* Decode padded base64: length a multiple of 4, only alphabet characters,
 * '=' only as the last one or two characters, unused bits zero; no
 * whitespace.  Writes at most outcap bytes.  Returns 0, or -1 if the input
 * is not canonical base64 or does not fit (nothing meaningful in out). */
int bp_base64_decode(unsigned char *out, size_t outcap, size_t *outlen,
		const char *in, size_t inlen);

/* Encode, with '=' padding if pad is nonzero, and NUL-terminate.
 * Returns 0, or -1 if outcap is too small. */
int bp_base64_encode(char *out, size_t outcap, size_t *outlen,
		const unsigned char *in, size_t inlen, int pad);

#endif /* BP_BASE64_H */
