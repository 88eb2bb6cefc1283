/*
 * bearpass - unit tests of sha256.c and base64.c: FIPS 180-4 / NIST
 * example vectors, every split of the input, and fingerprints as
 * "ssh-keygen -l" printed them.
 */
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "sha256.h"
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

static const struct {
	const char *msg;
	const char *md;
} vectors[] = {
	{ "abc",
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "",
	  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	  "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	/* 55, 56, 63, 64, 65 bytes: padding edge cases (digests by Python's hashlib) */
	{ "0123456789012345678901234567890123456789012345678901234",
	  "f34d5a0f80c0cbf84c8c0b90218c22637abd199965249da736a20143c8c9c9d9" },
	{ "01234567890123456789012345678901234567890123456789012345",
	  "83aa034bda83e458a0dc9cbce0d4e354716aa0ff770ed37ac0ed2b292052e4af" },
	{ "012345678901234567890123456789012345678901234567890123456789012",
	  "074f6e9ac301d5d1b6df6f1dfb8c6f89c187ea945d352ce6a29279a9c630680b" },
	{ "0123456789012345678901234567890123456789012345678901234567890123",
	  "9674d9e078535b7cec43284387a6ee39956188e735a85452b0050b55341cda56" },
	{ "01234567890123456789012345678901234567890123456789012345678901234",
	  "52774b57c10e45040a61c14d35c1c8ebefe880082313aa0a21ebb077734cd067" },
};

static const struct {
	const char *b64;  /* key blob as in a .pub line */
	const char *fp;   /* ssh-keygen -l */
} fingerprints[] = {
	{ "AAAAC3NzaC1lZDI1NTE5AAAAIOBUfUMdg0arepRkEgYe3e/g0T8WKbQ7HLvpVjN7pgFh",
	  "SHA256:QY8hyU0Ahpnmd9wRx22b01Cw+ZDJKuCkpI0Weeo39w0" },
	{ "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBHaK7+jQmN3qBuID"
	  "G3nPR9tVuXu64txt7QwNlzx9V3My971jBXCMxgF3NEMJLSEIdz/LEiVvsn1kHW9meytK"
	  "oIM=",
	  "SHA256:eZ1IIAPfByhgjuRvAYLElnQWb2OkhyMO3jplO3M5xYQ" },
};

static const struct {
	const char *in;
	const char *out;  /* NULL: must be refused */
} b64_cases[] = {
	{ "", "" },
	{ "Zg==", "f" },
	{ "Zm8=", "fo" },
	{ "Zm9v", "foo" },
	{ "Zm9vYg==", "foob" },
	{ "Zm9vYmE=", "fooba" },
	{ "Zm9vYmFy", "foobar" },
	{ "Zg", NULL },          /* unpadded */
	{ "Zg=", NULL },
	{ "Zh==", NULL },        /* nonzero unused bits */
	{ "Zm9=", NULL },
	{ "Z===", NULL },
	{ "====", NULL },
	{ "Zg==Zg==", NULL },    /* padding in the middle */
	{ "Zm9v\n", NULL },
	{ "Zm 9v", NULL },
	{ "Zm9-", NULL },        /* URL alphabet */
	{ "Zm9_", NULL },
};

int main(void) {
	unsigned char md[BP_SHA256_LEN], md2[BP_SHA256_LEN], blob[512];
	char h[2 * BP_SHA256_LEN + 1], fp[BP_SHA256_FP_SIZE], enc[64];
	struct bp_sha256 c;
	unsigned char *million;
	size_t i, j, n, len;

	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		len = strlen(vectors[i].msg);
		bp_sha256(vectors[i].msg, len, md);
		hex(h, md, sizeof(md));
		CHECKF(strcmp(h, vectors[i].md) == 0, "vector %zu: %s", i, h);
		/* every split into two updates gives the same digest */
		for (j = 0; j <= len; j++) {
			bp_sha256_init(&c);
			bp_sha256_update(&c, vectors[i].msg, j);
			bp_sha256_update(&c, vectors[i].msg + j, len - j);
			bp_sha256_final(&c, md2);
			CHECKF(memcmp(md, md2, sizeof(md)) == 0, "vector %zu split %zu", i, j);
		}
	}

	/* one million 'a' (FIPS 180-2 appendix B.3), in odd-sized pieces */
	million = malloc(1000000);
	CHECK(million != NULL);
	if (million != NULL) {
		memset(million, 'a', 1000000);
		bp_sha256_init(&c);
		for (i = 0; i < 1000000; i += n) {
			n = 1000000 - i < 997 ? 1000000 - i : 997;
			bp_sha256_update(&c, million + i, n);
		}
		bp_sha256_final(&c, md);
		hex(h, md, sizeof(md));
		CHECK_STREQ(str(h), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
		free(million);
	}

	for (i = 0; i < sizeof(fingerprints) / sizeof(fingerprints[0]); i++) {
		CHECK(bp_base64_decode(blob, sizeof(blob), &n, fingerprints[i].b64,
				strlen(fingerprints[i].b64)) == 0);
		bp_sha256_fingerprint(fp, blob, n);
		CHECK_STREQ(str(fp), fingerprints[i].fp);
		CHECK(strlen(fp) == BP_SHA256_FP_SIZE - 1);
	}

	for (i = 0; i < sizeof(b64_cases) / sizeof(b64_cases[0]); i++) {
		int r = bp_base64_decode(blob, sizeof(blob), &n, b64_cases[i].in,
				strlen(b64_cases[i].in));
		if (b64_cases[i].out == NULL) {
			CHECKF(r == -1, "decode \"%s\" accepted", b64_cases[i].in);
			continue;
		}
		CHECKF(r == 0 && n == strlen(b64_cases[i].out)
				&& memcmp(blob, b64_cases[i].out, n) == 0,
				"decode \"%s\"", b64_cases[i].in);
		CHECK(bp_base64_encode(enc, sizeof(enc), &n,
				(const unsigned char *)b64_cases[i].out,
				strlen(b64_cases[i].out), 1) == 0);
		CHECK_STREQ(str(enc), b64_cases[i].in);
		CHECK(n == strlen(b64_cases[i].in));
	}
	/* output space is checked, not overrun */
	CHECK(bp_base64_decode(blob, 5, &n, "Zm9vYmFy", 8) == -1);
	CHECK(bp_base64_decode(blob, 6, &n, "Zm9vYmFy", 8) == 0 && n == 6);
	CHECK(bp_base64_encode(enc, 8, &n, (const unsigned char *)"foobar", 6, 1) == -1);
	CHECK(bp_base64_encode(enc, 9, &n, (const unsigned char *)"foobar", 6, 1) == 0);
	CHECK(bp_base64_encode(enc, 4, &n, (const unsigned char *)"fo", 2, 0) == 0);
	CHECK_STREQ(str(enc), "Zm8");
	CHECK(bp_base64_encode(enc, 3, &n, (const unsigned char *)"fo", 2, 0) == -1);

	return T_DONE("sha256");
}
