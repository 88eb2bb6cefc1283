/*
 * bearpass - strict standard base64.
 */
#include "base64.h"

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* The 6-bit value of c, or -1. */
static int b64_value(unsigned char c) {
	if (c >= 'A' && c <= 'Z') {
		return c - 'A';
	}
	if (c >= 'a' && c <= 'z') {
		return c - 'a' + 26;
	}
	if (c >= '0' && c <= '9') {
		return c - '0' + 52;
	}
	if (c == '+') {
		return 62;
	}
	if (c == '/') {
		return 63;
	}
	return -1;
}

int bp_base64_decode(unsigned char *out, size_t outcap, size_t *outlen,
		const char *in, size_t inlen) {
	size_t i, n = 0, npad = 0;
	unsigned long acc;
	int k, v;

	if (outlen != NULL) {
		*outlen = 0;
	}
	if (inlen % 4 != 0) {
		return -1;
	}
	if (inlen >= 1 && in[inlen - 1] == '=') {
		npad++;
		if (inlen >= 2 && in[inlen - 2] == '=') {
			npad++;
		}
	}
	for (i = 0; i < inlen; i += 4) {
		acc = 0;
		for (k = 0; k < 4; k++) {
			if (i + k >= inlen - npad) {
				/* padding: only in the last quantum, see npad */
				acc <<= 6;
				continue;
			}
			v = b64_value((unsigned char)in[i + k]);
			if (v < 0) {
				return -1;
			}
			acc = (acc << 6) | (unsigned long)v;
		}
		k = (i + 4 == inlen) ? 3 - (int)npad : 3;
		if (k == 1 && (acc & 0xffff) != 0) {
			return -1;	/* nonzero unused bits */
		}
		if (k == 2 && (acc & 0xff) != 0) {
			return -1;
		}
		if ((size_t)k > outcap - n) {
			return -1;
		}
		out[n++] = (unsigned char)(acc >> 16);
		if (k > 1) {
			out[n++] = (unsigned char)(acc >> 8);
		}
		if (k > 2) {
			out[n++] = (unsigned char)acc;
		}
	}
	if (outlen != NULL) {
		*outlen = n;
	}
	return 0;
}

int bp_base64_encode(char *out, size_t outcap, size_t *outlen,
		const unsigned char *in, size_t inlen, int pad) {
	size_t i, n = 0, need;
	unsigned long acc;
	size_t rem = inlen % 3;

	if (outlen != NULL) {
		*outlen = 0;
	}
	if (inlen > ((size_t)-1 - 3) / 4 * 3 - 3) {
		return -1;
	}
	need = inlen / 3 * 4;
	if (rem != 0) {
		need += pad ? 4 : rem + 1;
	}
	if (outcap < need + 1) {
		return -1;
	}
	for (i = 0; i + 3 <= inlen; i += 3) {
		acc = ((unsigned long)in[i] << 16) | ((unsigned long)in[i + 1] << 8)
			| in[i + 2];
		out[n++] = b64_alphabet[(acc >> 18) & 63];
		out[n++] = b64_alphabet[(acc >> 12) & 63];
		out[n++] = b64_alphabet[(acc >> 6) & 63];
		out[n++] = b64_alphabet[acc & 63];
	}
	if (rem != 0) {
		acc = (unsigned long)in[i] << 16;
		if (rem == 2) {
			acc |= (unsigned long)in[i + 1] << 8;
		}
		out[n++] = b64_alphabet[(acc >> 18) & 63];
		out[n++] = b64_alphabet[(acc >> 12) & 63];
		if (rem == 2) {
			out[n++] = b64_alphabet[(acc >> 6) & 63];
		} else if (pad) {
			out[n++] = '=';
		}
		if (pad) {
			out[n++] = '=';
		}
	}
	out[n] = '\0';
	if (outlen != NULL) {
		*outlen = n;
	}
	return 0;
}
