/*
 * bearpass - unit tests of sha1.c: FIPS 180 example vectors (and the
 * million-'a' vector), padding edge cases (digests by coreutils sha1sum),
 * every split of the input into two updates.
 */
#include <stdlib.h>
#include <string.h>

#include "sha1.h"
#include "t.h"

static void hex(char *out, const unsigned char *md, size_t n) {
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[2 * n] = '\0';
}

/* CHECK_STREQ on an array trips -Werror=address; pass a pointer */
static const char *str(const char *s) {
	return s;
}

#define D200 "0123456789012345678901234567890123456789" \
	"0123456789012345678901234567890123456789" \
	"0123456789012345678901234567890123456789" \
	"0123456789012345678901234567890123456789"

static const struct {
	const char *msg;
	size_t len;       /* 0: strlen(msg) */
	const char *md;
} vectors[] = {
	{ "abc", 0, "a9993e364706816aba3e25717850c26c9cd0d89d" },
	{ "", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 0,
	  "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
	{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	  "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", 0,
	  "a49b2446a02c645bf419f995b67091253a04a259" },
	/* padding edge cases: prefixes of "0123456789..." */
	{ D200, 55, "9f3a4ce7f66b1b74c34da2c5d732c39f81e0f8df" },
	{ D200, 56, "0a40b8fbdaafb7c29651618ac15d27e772287130" },
	{ D200, 63, "984b0f2f6d78c24020f5a79d409f67ab99302891" },
	{ D200, 64, "cf0800f7644ace3cb4c3fa33388d3ba0ea3c8b6e" },
	{ D200, 65, "92de3a8444fe6d15268f0ba810aa43bc8b3a4ffe" },
	{ D200, 119, "d1ba16c5f745875597b6d0b9061f30b5a5c89092" },
	{ D200, 120, "deb4cf0a6f315d8403e5eff0923a8c5c52f21ac8" },
	{ D200, 128, "b5d36071c0845df9e0727b58ec97d2796f3312d0" },
};

int main(void) {
	unsigned char md[BP_SHA1_LEN], md2[BP_SHA1_LEN];
	char h[2 * BP_SHA1_LEN + 1];
	struct bp_sha1 c;
	unsigned char *million;
	size_t i, j, n, len;

	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		len = vectors[i].len ? vectors[i].len : strlen(vectors[i].msg);
		bp_sha1(vectors[i].msg, len, md);
		hex(h, md, sizeof(md));
		CHECKF(strcmp(h, vectors[i].md) == 0, "vector %zu: %s", i, h);
		for (j = 0; j <= len; j++) {
			bp_sha1_init(&c);
			bp_sha1_update(&c, vectors[i].msg, j);
			bp_sha1_update(&c, vectors[i].msg + j, len - j);
			bp_sha1_final(&c, md2);
			CHECKF(memcmp(md, md2, sizeof(md)) == 0,
				"vector %zu split %zu", i, j);
		}
	}

	million = malloc(1000000);
	CHECK(million != NULL);
	if (million != NULL) {
		memset(million, 'a', 1000000);
		bp_sha1_init(&c);
		for (i = 0; i < 1000000; i += n) {
			n = 1000000 - i < 997 ? 1000000 - i : 997;
			bp_sha1_update(&c, million + i, n);
		}
		bp_sha1_final(&c, md);
		hex(h, md, sizeof(md));
		CHECK_STREQ(str(h), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
		free(million);
	}
	return T_DONE("sha1");
}
