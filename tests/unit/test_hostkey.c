/*
 * bearpass - unit tests of plugin/hostkey.c.
 */
#include <stdlib.h>
#include <string.h>

#include "hostkey.h"
#include "t.h"

static void test_path(void) {
	char out[64];
	/* dir, size of out, expected ("" = does not fit) */
	static const struct {
		const char *dir;
		size_t size;
		const char *want;
	} rows[] = {
		{ "/etc/dropbear",  64, "/etc/dropbear/k" },
		{ "/etc/dropbear/", 64, "/etc/dropbear/k" },
		{ "/etc/dropbear//", 64, "/etc/dropbear/k" },
		{ "/",              64, "/k" },
		{ "/ab",             6, "/ab/k" },   /* exactly fits */
		{ "/ab",             5, "" },        /* no room for the NUL */
		{ "/abc",            5, "" },
		{ "/abcdef",         3, "" },
		{ "/ab",             1, "" },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int rc = bp_hostkey_path(out, rows[i].size, rows[i].dir,
				strlen(rows[i].dir), "k");

		CHECKF(rc == (rows[i].want[0] ? 0 : -1), "row %zu rc %d", i, rc);
		CHECKF(strcmp(out, rows[i].want) == 0, "row %zu: \"%s\"", i, out);
	}
	CHECK(bp_hostkey_path(out, 0, "/", 1, "k") == -1);
	/* the dir is taken by length, not up to a NUL */
	CHECK(bp_hostkey_path(out, sizeof(out), "/etc/dropbearXYZ", 13, "k") == 0);
	CHECK_STREQ(out, "/etc/dropbear/k");
	CHECK_STREQ(bp_hostkey_files[BP_HOSTKEY_ED25519], "dropbear_ed25519_host_key");
}

static void test_pack_roundtrip(void) {
	static unsigned char big[BP_HOSTKEY_MAX_SIZE];
	struct bp_hostkey in[BP_HOSTKEY_MAX_KEYS + 1], out[BP_HOSTKEY_MAX_KEYS + 1];
	unsigned char buf[BP_HOSTKEY_MAX_PACKED + 16];
	size_t n, size;
	int got;

	memset(big, 'k', sizeof(big));
	in[0].data = (const unsigned char *)"first";
	in[0].len = 5;
	in[1].data = big;
	in[1].len = sizeof(big);
	in[2].data = (const unsigned char *)"x";
	in[2].len = 1;
	in[3] = in[0];
	for (n = 1; n <= BP_HOSTKEY_MAX_KEYS; n++) {
		size = bp_hostkeys_pack(buf, sizeof(buf), in, n);
		CHECKF(size == bp_hostkeys_packed_size(in, n) && size > 0, "n %zu", n);
		memset(out, 0, sizeof(out));
		got = bp_hostkeys_unpack(buf, size, out, BP_HOSTKEY_MAX_KEYS);
		CHECKF(got == (int)n, "n %zu got %d", n, got);
		CHECK(out[0].len == 5 && memcmp(out[0].data, "first", 5) == 0);
		CHECK(out[0].data == buf + 4);
		if (n > 1) {
			CHECK(out[1].len == sizeof(big) && memcmp(out[1].data, big, sizeof(big)) == 0);
		}
		/* a caller with room for fewer keys */
		CHECK(bp_hostkeys_unpack(buf, size, out, n - 1) == -1);
	}
	CHECK(bp_hostkeys_packed_size(in, BP_HOSTKEY_MAX_KEYS) == 4 + 5 + 4 + sizeof(big) + 4 + 1);
	/* refused sets */
	CHECK(bp_hostkeys_packed_size(in, 0) == 0);
	CHECK(bp_hostkeys_packed_size(in, BP_HOSTKEY_MAX_KEYS + 1) == 0);
	CHECK(bp_hostkeys_pack(buf, 5 + 3, in, 1) == 0);   /* too small */
	CHECK(bp_hostkeys_pack(buf, 5 + 4, in, 1) == 9);   /* exact */
	in[2].len = 0;
	CHECK(bp_hostkeys_packed_size(in, 3) == 0);
	in[2].len = 1;
	in[2].data = NULL;
	CHECK(bp_hostkeys_packed_size(in, 3) == 0);
	in[1].len = sizeof(big) + 1;
	CHECK(bp_hostkeys_packed_size(in, 2) == 0);
}

/* every truncation and every length byte of a valid set */
static void test_unpack_mutations(void) {
	struct bp_hostkey in[2], out[BP_HOSTKEY_MAX_KEYS];
	unsigned char buf[64], mut[64];
	size_t size, i, bit;
	int got;

	in[0].data = (const unsigned char *)"abc";
	in[0].len = 3;
	in[1].data = (const unsigned char *)"defgh";
	in[1].len = 5;
	size = bp_hostkeys_pack(buf, sizeof(buf), in, 2);
	CHECK(size == 4 + 3 + 4 + 5);
	/* a cut after the first key is a valid set of one key */
	for (i = 0; i < size; i++) {
		out[0].data = NULL;
		got = bp_hostkeys_unpack(buf, i, out, BP_HOSTKEY_MAX_KEYS);
		CHECKF(got == (i == 7 ? 1 : -1), "len %zu got %d", i, got);
		if (i != 7) {
			CHECK(out[0].data == NULL);
		}
	}
	/* a flipped bit in a length byte: never accepted as another split */
	for (i = 0; i < size; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(mut, buf, size);
			mut[i] ^= (unsigned char)(1u << bit);
			got = bp_hostkeys_unpack(mut, size, out, BP_HOSTKEY_MAX_KEYS);
			if (i < 4 || (i >= 7 && i < 11)) {
				CHECKF(got == -1, "byte %zu bit %zu got %d", i, bit, got);
			} else {
				CHECKF(got == 2, "byte %zu bit %zu got %d", i, bit, got);
			}
		}
	}
	/* trailing bytes, an empty key, an oversized length, too many keys */
	memcpy(mut, buf, size);
	mut[size] = 0;
	CHECK(bp_hostkeys_unpack(mut, size + 1, out, BP_HOSTKEY_MAX_KEYS) == -1);
	CHECK(bp_hostkeys_unpack((const unsigned char *)"\0\0\0\0", 4, out, BP_HOSTKEY_MAX_KEYS) == -1);
	CHECK(bp_hostkeys_unpack((const unsigned char *)"\0\0\x10\x01", 4, out, BP_HOSTKEY_MAX_KEYS) == -1);
	CHECK(bp_hostkeys_unpack(NULL, 0, out, BP_HOSTKEY_MAX_KEYS) == -1);
	{
		const unsigned char four[] = "\0\0\0\1a\0\0\0\1b\0\0\0\1c\0\0\0\1d";

		CHECK(bp_hostkeys_unpack(four, 15, out, BP_HOSTKEY_MAX_KEYS) == 3);
		CHECK(bp_hostkeys_unpack(four, 20, out, BP_HOSTKEY_MAX_KEYS + 1) == -1);
	}
}

/* Dropbear-format keys as dropbearkey writes them (ed25519: name, then
 * the 32-byte seed and 32-byte public key as one string) */
static void test_check(void) {
	unsigned char k[256], m[256];
	size_t len = 0, i;

	memcpy(k, "\0\0\0\x0bssh-ed25519\0\0\0\x40", 19);
	memset(k + 19, 0x5a, 64);
	len = 19 + 64;
	CHECK(bp_hostkey_check(k, len) == 0);
	/* every truncation */
	for (i = 0; i < len; i++) {
		CHECKF(bp_hostkey_check(k, i) == -1, "len %zu", i);
	}
	/* trailing bytes */
	k[len] = 0;
	CHECK(bp_hostkey_check(k, len + 1) == -1);
	/* another type name, or a name only */
	memcpy(m, k, len);
	m[8] = 'X';
	CHECK(bp_hostkey_check(m, len) == -1);
	CHECK(bp_hostkey_check((const unsigned char *)"\0\0\0\x0bssh-ed25519", 15) == -1);
	/* RSA: name, then mpints e, n, d, p, q */
	memcpy(m, "\0\0\0\x07ssh-rsa", 11);
	for (i = 0; i < 5; i++) {
		memcpy(m + 11 + i * 6, "\0\0\0\x02\x01\x01", 6);
	}
	CHECK(bp_hostkey_check(m, 11 + 30) == 0);
	/* an OpenSSH-format key file */
	CHECK(bp_hostkey_check((const unsigned char *)"-----BEGIN OPENSSH PRIVATE KEY-----\n", 36) == -1);
	CHECK(bp_hostkey_check(NULL, 0) == -1);
}

int main(void) {
	test_check();
	test_path();
	test_pack_roundtrip();
	test_unpack_mutations();
	return T_DONE("hostkey");
}
