/*
 * bearpass - SHA-256 and HMAC-SHA-256 through the libtomcrypt code
 * Dropbear calls (patch 0034: the SHA extensions where the CPU has them),
 * linked with a Dropbear build's objects:
 *
 * - FIPS 180-2 examples (one block, two blocks, a million 'a') and the
 *   HMAC-SHA-256 cases 1, 2 and 6 of RFC 4231, through sha256_desc and
 *   through the same file built without the fast path (portable_*);
 * - both agree with libsodium's SHA-256 for every length 0..1100, fed
 *   in one piece and in pieces of 1, 63 and 65 bytes.
 */
#include "includes.h"
#include "dbutil.h"

#include <cpuid.h>
#include <sodium.h>

#include "t.h"
#include "dbexit.h"

extern const struct ltc_hash_descriptor portable_sha256_desc;

static const char *const fips[][2] = {
	{ "abc",
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
};
#define MILLION_A "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

/* RFC 4231 test cases 1, 2 and 6 (a key longer than the block) */
struct hmac_case {
	const char *key_hex, *data, *mac;
};
static const struct hmac_case hmac_cases[] = {
	{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There",
	  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
	{ "4a656665", "what do ya want for nothing?",
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	{ NULL, "Test Using Larger Than Block-Size Key - Hash Key First",
	  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
};

static void digest(const struct ltc_hash_descriptor *d, const unsigned char *in,
		unsigned long len, unsigned long piece, unsigned char out[32]) {
	hash_state hs;
	unsigned long done = 0;

	d->init(&hs);
	if (piece == 0) {
		piece = len ? len : 1;
	}
	while (done < len) {
		unsigned long n = len - done < piece ? len - done : piece;
		d->process(&hs, in + done, n);
		done += n;
	}
	d->done(&hs, out);
}

static int hexeq(const unsigned char *got, const char *hex) {
	unsigned char want[64];
	size_t n = t_unhex(want, hex);

	return memcmp(got, want, n) == 0;
}

static void test_known(const char *name, const struct ltc_hash_descriptor *d) {
	unsigned char out[32], *a;
	size_t i;

	for (i = 0; i < sizeof(fips) / sizeof(fips[0]); i++) {
		digest(d, (const unsigned char *)fips[i][0], strlen(fips[i][0]), 0, out);
		CHECKF(hexeq(out, fips[i][1]), "%s: FIPS 180-2 example %zu", name, i + 1);
	}
	a = m_malloc(1000000);
	memset(a, 'a', 1000000);
	digest(d, a, 1000000, 0, out);
	CHECKF(hexeq(out, MILLION_A), "%s: a million 'a'", name);
	digest(d, a, 1000000, 4096 + 3, out);
	CHECKF(hexeq(out, MILLION_A), "%s: a million 'a' in pieces", name);
	m_free(a);
}

static void test_hmac(const char *name, int idx) {
	unsigned char key[131], mac[32];
	unsigned long keylen, maclen;
	size_t i;

	for (i = 0; i < sizeof(hmac_cases) / sizeof(hmac_cases[0]); i++) {
		if (hmac_cases[i].key_hex) {
			keylen = t_unhex(key, hmac_cases[i].key_hex);
		} else {
			keylen = sizeof(key);
			memset(key, 0xaa, keylen);
		}
		maclen = sizeof(mac);
		CHECK(hmac_memory(idx, key, keylen,
			(const unsigned char *)hmac_cases[i].data,
			strlen(hmac_cases[i].data), mac, &maclen) == CRYPT_OK);
		CHECKF(maclen == 32 && hexeq(mac, hmac_cases[i].mac),
			"%s: RFC 4231 case %zu", name, i);
	}
}

/* every length to 1100 (past 17 blocks), in one piece and in pieces */
static void test_agree(void) {
	static const unsigned long pieces[] = { 0, 1, 63, 65 };
	unsigned char in[1100], ref[32], fast[32], port[32];
	unsigned long len;
	size_t p;
	int bad = 0;

	for (len = 0; len < sizeof(in); len++) {
		in[len] = (unsigned char)(len * 131 + 7);
	}
	for (len = 0; len <= sizeof(in); len++) {
		crypto_hash_sha256(ref, in, len);
		for (p = 0; p < sizeof(pieces) / sizeof(pieces[0]); p++) {
			digest(&sha256_desc, in, len, pieces[p], fast);
			digest(&portable_sha256_desc, in, len, pieces[p], port);
			if (memcmp(fast, ref, 32) != 0 || memcmp(port, ref, 32) != 0) {
				if (bad++ < 5) {
					CHECKF(0, "length %lu, pieces of %lu", len, pieces[p]);
				}
			}
		}
	}
	CHECKF(bad == 0, "%d lengths disagree with libsodium", bad);
}

int main(void) {
	unsigned int eax, ebx, ecx, edx;
	int shani = __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) && (ebx & (1u << 29));
	int fast_idx, port_idx;

	_dropbear_exit = test_exit;
	_dropbear_log = test_log;
	fast_idx = register_hash(&sha256_desc);
	port_idx = register_hash(&portable_sha256_desc);
	if (sodium_init() < 0 || fast_idx < 0 || port_idx < 0 || fast_idx == port_idx) {
		CHECK(!"setup");
		return T_DONE("dbtest_sha256");
	}
	/* on a CPU without the extensions both descriptors run the C code */
	printf("SHA extensions: %s\n", shani ? "yes, tested against the C code"
		: "no: only the C code is tested");

	test_known("sha256 (fast)", &sha256_desc);
	test_known("sha256 (portable)", &portable_sha256_desc);
	test_hmac("hmac-sha256 (fast)", fast_idx);
	test_hmac("hmac-sha256 (portable)", port_idx);
	test_agree();

	return T_DONE("dbtest_sha256");
}
