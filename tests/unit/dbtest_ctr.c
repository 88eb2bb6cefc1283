/*
 * bearpass - aes128-ctr and aes256-ctr through the mode Dropbear calls
 * (dropbear_mode_ctr: gcm-aesni.c's AES on a CPU with AES-NI, patch
 * 0035; libtomcrypt elsewhere), linked with a Dropbear build's objects:
 *
 * - NIST SP 800-38A F.5.1 and F.5.5 (CTR-AES128 and CTR-AES256), both
 *   directions;
 * - agreement with libtomcrypt's own CTR mode (big-endian counter) over
 *   a run of calls of every whole-block length to 2 kB, from counters
 *   whose low 64 bits, or all 128, are about to wrap;
 * - a length that is not whole blocks is refused.
 */
#include "includes.h"
#include "algo.h"
#include "dbutil.h"

#include "t.h"
#include "dbexit.h"

void crypto_init(void);

#define SP_IV "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
#define SP_PT "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51" \
	"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710"
static const struct {
	const char *name, *key, *ct;
} sp800[] = {
	{ "F.5.1 CTR-AES128", "2b7e151628aed2a6abf7158809cf4f3c",
	  "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
	  "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee" },
	{ "F.5.5 CTR-AES256",
	  "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
	  "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
	  "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6" },
};

static int aes;

static int start(dropbear_ctr_state *st, const unsigned char *key, int keylen,
		const unsigned char *iv) {
	return dropbear_mode_ctr.start(aes, iv, key, keylen, 0, st);
}

static void test_sp800(void) {
	unsigned char key[32], iv[16], pt[64], ct[64], out[64];
	dropbear_ctr_state st;
	size_t i;
	int keylen;

	t_unhex(iv, SP_IV);
	t_unhex(pt, SP_PT);
	for (i = 0; i < sizeof(sp800) / sizeof(sp800[0]); i++) {
		keylen = (int)t_unhex(key, sp800[i].key);
		t_unhex(ct, sp800[i].ct);
		CHECK(start(&st, key, keylen, iv) == CRYPT_OK);
#if DROPBEAR_CTR_AESNI
		CHECKF(st.aesni == aesni_gcm_available(), "%s: fast path when the CPU has it",
			sp800[i].name);
#endif
		/* one block, then three: the counter carries over */
		CHECK(dropbear_mode_ctr.encrypt(pt, out, 16, &st) == CRYPT_OK);
		CHECK(dropbear_mode_ctr.encrypt(pt + 16, out + 16, 48, &st) == CRYPT_OK);
		CHECKF(memcmp(out, ct, 64) == 0, "%s: encrypt", sp800[i].name);
		CHECK(start(&st, key, keylen, iv) == CRYPT_OK);
		CHECK(dropbear_mode_ctr.decrypt(ct, out, 64, &st) == CRYPT_OK);
		CHECKF(memcmp(out, pt, 64) == 0, "%s: decrypt", sp800[i].name);
		/* in place */
		memcpy(out, pt, 64);
		CHECK(start(&st, key, keylen, iv) == CRYPT_OK);
		CHECK(dropbear_mode_ctr.encrypt(out, out, 64, &st) == CRYPT_OK);
		CHECKF(memcmp(out, ct, 64) == 0, "%s: in place", sp800[i].name);
	}
}

/* a run of calls of growing whole-block lengths from counter iv, through
 * dropbear_mode_ctr and through libtomcrypt's CTR, must give the same */
static int agree(const unsigned char *key, int keylen, const unsigned char *iv,
		const char *what) {
	static unsigned char in[2048], a[2048], b[2048];
	dropbear_ctr_state st;
	symmetric_CTR ref;
	unsigned long len;
	size_t i;

	for (i = 0; i < sizeof(in); i++) {
		in[i] = (unsigned char)(i * 29 + 3);
	}
	if (start(&st, key, keylen, iv) != CRYPT_OK
			|| ctr_start(aes, iv, key, keylen, 0, CTR_COUNTER_BIG_ENDIAN, &ref) != CRYPT_OK) {
		CHECKF(0, "%s: start", what);
		return 0;
	}
	for (len = 0; len <= sizeof(in); len += 16) {
		if (dropbear_mode_ctr.encrypt(in, a, len, &st) != CRYPT_OK
				|| ctr_encrypt(in, b, len, &ref) != CRYPT_OK
				|| memcmp(a, b, len) != 0) {
			CHECKF(0, "%s: differs at a call of %lu bytes", what, len);
			return 0;
		}
	}
	return 1;
}

static void test_agree(void) {
	static const char *const ivs[] = {
		"000102030405060708090a0b0c0d0e0f",
		/* the low 64 bits wrap within the first calls */
		"0123456789abcdeffffffffffffffff0",
		"0123456789abcdeffffffffffffffff9",
		/* all 128 bits wrap */
		"fffffffffffffffffffffffffffffffe",
	};
	unsigned char key[32], iv[16];
	size_t i, k;
	int ok = 0, n = 0;

	for (k = 0; k < sizeof(key); k++) {
		key[k] = (unsigned char)(k * 7 + 1);
	}
	for (i = 0; i < sizeof(ivs) / sizeof(ivs[0]); i++) {
		t_unhex(iv, ivs[i]);
		ok += agree(key, 16, iv, "aes128-ctr");
		ok += agree(key, 32, iv, "aes256-ctr");
		n += 2;
	}
	CHECKF(ok == n, "%d of %d runs agree with libtomcrypt", ok, n);
}

static void test_partial(void) {
	unsigned char key[16] = { 1 }, iv[16] = { 2 }, buf[32] = { 0 };
	dropbear_ctr_state st;

	CHECK(start(&st, key, 16, iv) == CRYPT_OK);
#if DROPBEAR_CTR_AESNI
	if (st.aesni) {
		CHECK(dropbear_mode_ctr.encrypt(buf, buf, 17, &st) != CRYPT_OK);
		return;
	}
#endif
	/* libtomcrypt carries a partial block over: nothing to refuse */
	CHECK(dropbear_mode_ctr.encrypt(buf, buf, 17, &st) == CRYPT_OK);
}

int main(void) {
	_dropbear_exit = test_exit;
	_dropbear_log = test_log;
	crypto_init();
	aes = find_cipher("aes");
	CHECK(aes >= 0);
	if (setjmp(exit_jmp) != 0) {
		CHECK(!"dropbear_exit");
		return T_DONE("dbtest_ctr");
	}
#if DROPBEAR_CTR_AESNI
	printf("AES-NI: %s\n", aesni_gcm_available() ? "yes, tested against libtomcrypt"
		: "no: only libtomcrypt is tested");
#endif

	test_sp800();
	test_agree();
	test_partial();

	return T_DONE("dbtest_ctr");
}
