/*
 * bearpass - known-answer tests of the AEAD ciphers, through the code
 * Dropbear calls: its cipher modes (dropbear_mode_chachapoly and
 * dropbear_mode_gcm: start, aead_crypt, aead_getlength) and the
 * primitives under them (libsodium's ChaCha20 and Poly1305, gcm-aesni.c's
 * AES-GCM of both key sizes, libtomcrypt's GCM).
 *
 * Every mode test also runs against the portable build of the same
 * files (portable_mode_*: chachapoly.c and gcm.c compiled with
 * DROPBEAR_CHACHAPOLY_SODIUM=0 and DROPBEAR_GCM_AESNI=0, see the
 * Makefile), and both builds must agree packet by packet.
 *
 * Vectors: RFC 8439 (ChaCha20, Poly1305, Poly1305 key generation), the
 * GCM specification's test cases (McGrew and Viega, test cases 1-4 and
 * 13-16), and SSH packets computed by tests/unit/mkciphervectors.py
 * with python3-cryptography (OpenSSL), an implementation independent of
 * all the above.
 */
#include <setjmp.h>
#include <sodium.h>

#include "includes.h"
#include "algo.h"
#include "dbutil.h"
#include "chachapoly.h"
#include "gcm.h"
#include "t.h"

void crypto_init(void);

/* chachapoly.c and gcm.c built without their fast paths */
extern const struct dropbear_cipher_mode portable_mode_chachapoly;
extern const struct dropbear_cipher_mode portable_mode_gcm;

#define TAG_LEN 16
#define MAX_PACKET 2048

static jmp_buf exit_jmp;

ATTRIB_NORETURN static void test_exit(int code, const char *format, va_list param) {
	(void)code;
	fprintf(stderr, "dropbear_exit: ");
	vfprintf(stderr, format, param);
	fputc('\n', stderr);
	longjmp(exit_jmp, 1);
}

/* a cipher state big enough for either build of either mode */
typedef union {
	dropbear_chachapoly_state chachapoly;
	dropbear_gcm_state gcm;
	unsigned char any[8192];
} cipher_state;

/* ---- RFC 8439 primitives, as chachapoly.c calls them ---------------- */

static const char rfc_a1_1[] = "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
	"da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586";
static const char rfc_a1_5[] = "c2c64d378cd536374ae204b9ef933fcd1a8b2288b3dfa49672ab765b54ee27c7"
	"8a970e0e955c14f3a88e741b97c286f75f8fc299e8148362fa198a39531bed6d";
/* A.2 #2, the first 160 of 375 bytes */
static const char rfc_a2_2[] = "a3fbf07df3fa2fde4f376ca23e827370"
	"41605d9f4f4f57bd8cff2c1d4b7955ec2a97948bd3722915c8f3d337f7d37005"
	"0e9e96d647b7c39f56e031ca5eb6250d4042e02785ececfa4b4bb5e8ead0440e"
	"20b6e8db09d881a7c6132f420e52795042bdfa7773d8a9051447b3291ce1411c"
	"680465552aa6c405b7764d5e87bea85ad00f8449ed8f72d0d662ab052691ca66";
static const char rfc_text[] = "Any submission to the IETF intended by the Contributor for "
	"publication as all or part of an IETF Internet-Draft or RFC and any statement made within "
	"the context of an IETF activity is considered an \"IETF Contribution\". Such statements "
	"include oral statements in IETF sessions, as well as written and electronic communications "
	"made at any time or place, which are addressed to";

static void test_rfc8439(void) {
	/* the original ChaCha20's 64-bit nonce: RFC 8439's 96-bit nonces
	 * 0 and 00..02 are the same state words as nonce 0 and 00..02 */
	static const unsigned char n0[8] = {0}, n2[8] = {0, 0, 0, 0, 0, 0, 0, 2};
	unsigned char key[32], out[400], tag[16], msg[64];
	size_t n;

	memset(key, 0, sizeof(key));
	memset(msg, 0, sizeof(msg));
	crypto_stream_chacha20(out, 64, n0, key);			/* A.1 #1 */
	CHECK(t_eqhex(out, rfc_a1_1));
	crypto_stream_chacha20_xor_ic(out, msg, 64, n2, 0, key);	/* A.1 #5 */
	CHECK(t_eqhex(out, rfc_a1_5));
	key[31] = 1;
	crypto_stream_chacha20(out, 32, n2, key);			/* A.4 #2 */
	CHECK(t_eqhex(out, "ecfa254f845f647473d3cb140da9e87606cb33066c447b87bc2666dde3fbb739"));
	n = strlen(rfc_text);
	CHECK(n == 375);
	crypto_stream_chacha20_xor_ic(out, (const unsigned char *)rfc_text, n, n2, 1, key); /* A.2 #2 */
	CHECK(t_eqhex(out, rfc_a2_2));

	/* Poly1305: section 2.5.2, A.3 #5, #6, #9 */
	t_unhex(key, "85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
	crypto_onetimeauth_poly1305(tag, (const unsigned char *)"Cryptographic Forum Research Group",
		34, key);
	CHECK(t_eqhex(tag, "a8061dc1305136c6c22b8baf0c0127a9"));
	CHECK(crypto_onetimeauth_poly1305_verify(tag, (const unsigned char *)
		"Cryptographic Forum Research Group", 34, key) == 0);
	memset(key, 0, sizeof(key));
	key[0] = 2;
	memset(msg, 0xff, 16);
	crypto_onetimeauth_poly1305(tag, msg, 16, key);
	CHECK(t_eqhex(tag, "03000000000000000000000000000000"));
	msg[0] = 0xfd;
	crypto_onetimeauth_poly1305(tag, msg, 16, key);
	CHECK(t_eqhex(tag, "faffffffffffffffffffffffffffffff"));
	memset(key + 16, 0xff, 16);
	memset(msg, 0, 16);
	msg[0] = 2;
	crypto_onetimeauth_poly1305(tag, msg, 16, key);
	CHECK(t_eqhex(tag, "03000000000000000000000000000000"));
}

/* ---- GCM specification test cases, on each GCM primitive ------------ */

struct gcm_case {
	const char *key, *iv, *aad, *plain, *cipher, *tag;
};

#define MV_K3 "feffe9928665731c6d6a8f9467308308"
#define MV_P3 "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
#define MV_A4 "feedfacedeadbeeffeedfacedeadbeefabaddad2"
static const struct gcm_case gcm_cases[] = {
	/* 1-4: AES-128 */
	{"00000000000000000000000000000000", "000000000000000000000000", "", "", "",
		"58e2fccefa7e3061367f1d57a4e7455a"},
	{"00000000000000000000000000000000", "000000000000000000000000", "",
		"00000000000000000000000000000000", "0388dace60b6a392f328c2b971b2fe78",
		"ab6e47d42cec13bdf53a67b21257bddf"},
	{MV_K3, "cafebabefacedbaddecaf888", "", MV_P3,
		"42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
		"21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
		"4d5c2af327cd64a62cf35abd2ba6fab4"},
	{MV_K3, "cafebabefacedbaddecaf888", MV_A4, MV_P3,
		"42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
		"21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
		"5bc94fbc3221a5db94fae95ae7121a47"},
	/* 13-16: AES-256 */
	{"0000000000000000000000000000000000000000000000000000000000000000",
		"000000000000000000000000", "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"},
	{"0000000000000000000000000000000000000000000000000000000000000000",
		"000000000000000000000000", "", "00000000000000000000000000000000",
		"cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
	{MV_K3 MV_K3, "cafebabefacedbaddecaf888", "", MV_P3,
		"522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
		"8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
		"b094dac5d93471bdec1a502270e3cc6c"},
	{MV_K3 MV_K3, "cafebabefacedbaddecaf888", MV_A4, MV_P3,
		"522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
		"8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
		"76fc6ece0f4e1768cddf8853bb2d551b"},
};

static void test_gcm_cases(void) {
	unsigned char key[32], iv[12], aad[32], plain[64], out[64], tag[16];
	unsigned long taglen;
	size_t i, keylen, aadlen, clen;
	int aes = find_cipher("aes");

	for (i = 0; i < sizeof(gcm_cases) / sizeof(gcm_cases[0]); i++) {
		const struct gcm_case *c = &gcm_cases[i];

		keylen = t_unhex(key, c->key);
		t_unhex(iv, c->iv);
		aadlen = t_unhex(aad, c->aad);
		t_unhex(plain, c->plain);
		clen = strlen(c->cipher) / 2;

		/* libtomcrypt: the portable path of both key sizes */
		taglen = sizeof(tag);
		CHECKF(gcm_memory(aes, key, keylen, iv, 12, aad, aadlen, plain, clen, out,
			tag, &taglen, GCM_ENCRYPT) == CRYPT_OK
			&& t_eqhex(out, c->cipher) && t_eqhex(tag, c->tag), "libtomcrypt case %zu", i);

#if DROPBEAR_GCM_AESNI
		if (aesni_gcm_available()) {
			aesni_gcm_key k;
			int wide;

			CHECK(aesni_gcm_init(&k, key, keylen) == 0);
			CHECK(k.nr == (keylen == 16 ? 10 : 14));
			CHECK(k.wide == aesni_gcm_wide_available());
			/* with wide set where the CPU has it, then clear (these
			 * cases are shorter than the eight-block loops:
			 * test_wide_agree() runs those) */
			for (wide = k.wide; wide >= 0; wide--) {
				k.wide = wide;
				aesni_gcm_encrypt(&k, iv, aad, aadlen, plain, out, clen, tag);
				CHECKF(t_eqhex(out, c->cipher) && t_eqhex(tag, c->tag),
					"AES-NI (wide %d) case %zu", wide, i);
				CHECKF(aesni_gcm_decrypt(&k, iv, aad, aadlen, out, out, clen, tag) == 0
					&& memcmp(out, plain, clen) == 0,
					"AES-NI (wide %d) decrypt case %zu", wide, i);
				tag[i] ^= 0x80;
				CHECKF(aesni_gcm_decrypt(&k, iv, aad, aadlen, out, out, clen, tag) == -1,
					"AES-NI (wide %d) bad tag case %zu", wide, i);
			}
			/* AES-192 is not offered: the fast path refuses it and
			 * gcm.c falls back to libtomcrypt */
			CHECK(aesni_gcm_init(&k, key, 24) == -1);
		}
#endif
	}
}

/* ---- SSH packets through Dropbear's cipher modes ------------------------ */

/* cp_*, gcm*: made by tests/unit/mkciphervectors.py */
#include "dbtest_ciphers_vectors.h"

struct packet {
	unsigned int seq;
	const unsigned char *plain, *cipher;	/* cipher: packet then tag */
	size_t len;
};

/* encrypts and decrypts each packet with mode, in place as packet.c
 * does, in order (GCM's invocation counter advances per packet) */
static void check_packets(const char *what, const struct dropbear_cipher_mode *mode,
		const unsigned char *key, int keylen, const unsigned char *iv,
		const struct packet *p, size_t npackets) {
	static cipher_state enc, dec;
	unsigned char buf[MAX_PACKET + TAG_LEN];
	unsigned int plen;
	size_t i;

	CHECK(mode->start(find_cipher("aes"), iv, key, keylen, 0, &enc) == CRYPT_OK);
	CHECK(mode->start(find_cipher("aes"), iv, key, keylen, 0, &dec) == CRYPT_OK);
	for (i = 0; i < npackets; i++) {
		memcpy(buf, p[i].plain, p[i].len);
		CHECKF(mode->aead_crypt(p[i].seq, buf, buf, p[i].len, TAG_LEN, &enc,
			LTC_ENCRYPT) == CRYPT_OK, "%s packet %zu", what, i);
		CHECKF(memcmp(buf, p[i].cipher, p[i].len + TAG_LEN) == 0,
			"%s packet %zu differs from the reference", what, i);
		CHECKF(mode->aead_getlength(p[i].seq, buf, &plen, 4, &dec) == CRYPT_OK
			&& plen == p[i].len - 4, "%s length of packet %zu", what, i);
		CHECKF(mode->aead_crypt(p[i].seq, buf, buf, p[i].len, TAG_LEN, &dec,
			LTC_DECRYPT) == CRYPT_OK && memcmp(buf, p[i].plain, p[i].len) == 0,
			"%s decrypting packet %zu", what, i);
	}
}

/* any changed bit of a packet or its tag, or the wrong sequence number,
 * is refused */
static void check_forgeries(const char *what, const struct dropbear_cipher_mode *mode,
		const unsigned char *key, int keylen, const unsigned char *iv,
		const struct packet *p) {
	static cipher_state dec;
	unsigned char buf[MAX_PACKET + TAG_LEN];
	size_t i, bad = 0;

	CHECK(mode->start(find_cipher("aes"), iv, key, keylen, 0, &dec) == CRYPT_OK);
	for (i = 0; i < (p->len + TAG_LEN) * 8; i++) {
		memcpy(buf, p->cipher, p->len + TAG_LEN);
		buf[i / 8] ^= 1 << (i % 8);
		bad += mode->aead_crypt(p->seq, buf, buf, p->len, TAG_LEN, &dec,
			LTC_DECRYPT) == CRYPT_OK;
	}
	CHECKF(bad == 0, "%s accepted %zu changed packets", what, bad);
	if (mode == &dropbear_mode_chachapoly || mode == &portable_mode_chachapoly) {
		memcpy(buf, p->cipher, p->len + TAG_LEN);
		CHECKF(mode->aead_crypt(p->seq + 1, buf, buf, p->len, TAG_LEN, &dec,
			LTC_DECRYPT) != CRYPT_OK, "%s accepted a replayed packet", what);
	}
}

static void test_chachapoly(const char *what, const struct dropbear_cipher_mode *mode) {
	unsigned char key[64], rfc_pkt[4 + 375], rfc_out[4 + 375 + TAG_LEN];
	static cipher_state st;
	const struct packet packets[] = {
		{0x12345678, cp_plain1, cp_cipher1, sizeof(cp_plain1)},
		{0, cp_plain2, cp_cipher2, sizeof(cp_plain2)},
	};

	memcpy(key, cp_key, sizeof(key));
	check_packets(what, mode, key, 64, NULL, packets, 2);
	check_forgeries(what, mode, key, 64, NULL, &packets[0]);

	/* RFC 8439 A.2 #2 as the payload of packet 2: K_1 = 00..01, K_2 = 0
	 * (its keystream at nonce 2 is A.1 #5) */
	memset(key, 0, sizeof(key));
	key[31] = 1;
	STORE32H(375, rfc_pkt);
	memcpy(rfc_pkt + 4, rfc_text, 375);
	CHECK(mode->start(0, NULL, key, 64, 0, &st) == CRYPT_OK);
	CHECK(mode->aead_crypt(2, rfc_pkt, rfc_out, sizeof(rfc_pkt), TAG_LEN, &st,
		LTC_ENCRYPT) == CRYPT_OK);
	CHECKF(t_eqhex(rfc_out + 4, rfc_a2_2), "%s: RFC 8439 A.2 #2", what);
	CHECKF((rfc_out[0] ^ 0xc2) == 0 && (rfc_out[1] ^ 0xc6) == 0
		&& (rfc_out[2] ^ 0x4d) == (375 >> 8) && (rfc_out[3] ^ 0x37) == (375 & 0xff),
		"%s: RFC 8439 A.1 #5 as the length keystream", what);
	CHECKF(memcmp(rfc_out + sizeof(rfc_pkt), cp_rfc_tag, TAG_LEN) == 0,
		"%s: tag of the RFC packet", what);

	/* a bad key length is refused */
	CHECK(mode->start(0, NULL, key, 32, 0, &st) != CRYPT_OK);
}

static void test_gcm(const char *what, const struct dropbear_cipher_mode *mode) {
	unsigned char key[32], iv[12];
	const struct packet p128[] = {
		{0, cp_plain1, gcm128_cipher1, sizeof(cp_plain1)},
		{1, cp_plain2, gcm128_cipher2, sizeof(cp_plain2)},
	};
	const struct packet p256[] = {
		{0, cp_plain1, gcm256_cipher1, sizeof(cp_plain1)},
		{1, cp_plain2, gcm256_cipher2, sizeof(cp_plain2)},
	};

	memcpy(iv, gcm_iv, sizeof(iv));
	memcpy(key, gcm128_key, 16);
	check_packets(what, mode, key, 16, iv, p128, 2);
	check_forgeries(what, mode, key, 16, iv, &p128[0]);
	memcpy(key, gcm256_key, 32);
	check_packets(what, mode, key, 32, iv, p256, 2);
	check_forgeries(what, mode, key, 32, iv, &p256[0]);
}

#if DROPBEAR_GCM_AESNI
/* gcm-aesni.c's 128-bit and 256-bit loops give the same ciphertext and
 * tag, and each decrypts the other's, for every length from 0 to 2 kB
 * (the eight-block loops, their stitching and what is left after them) */
static void test_wide_agree(int keylen) {
	static unsigned char a[MAX_PACKET], b[MAX_PACKET];
	unsigned char key[32], iv[12], ta[16], tb[16], aad[4] = {0, 0, 1, 2};
	aesni_gcm_key narrow, wide;
	size_t len, j, diff = 0, undecrypted = 0, forged = 0;

	if (!aesni_gcm_wide_available()) {
		return;
	}
	for (j = 0; j < sizeof(key); j++) {
		key[j] = (unsigned char)(j * 7 + keylen);
	}
	memset(iv, 0x5a, sizeof(iv));
	CHECK(aesni_gcm_init(&narrow, key, keylen) == 0);
	CHECK(aesni_gcm_init(&wide, key, keylen) == 0);
	CHECK(wide.wide == 1);
	narrow.wide = 0;
	for (len = 0; len <= MAX_PACKET; len++) {
		for (j = 0; j < len; j++) {
			a[j] = b[j] = (unsigned char)(j * 11 + len);
		}
		aesni_gcm_encrypt(&narrow, iv, aad, sizeof(aad), a, a, len, ta);
		aesni_gcm_encrypt(&wide, iv, aad, sizeof(aad), b, b, len, tb);
		if (memcmp(a, b, len) != 0 || memcmp(ta, tb, sizeof(ta)) != 0) {
			diff++;
		}
		if (aesni_gcm_decrypt(&wide, iv, aad, sizeof(aad), a, a, len, ta) != 0
				|| aesni_gcm_decrypt(&narrow, iv, aad, sizeof(aad), b, b, len, tb) != 0) {
			undecrypted++;
			continue;
		}
		for (j = 0; j < len; j++) {
			if (a[j] != (unsigned char)(j * 11 + len) || b[j] != a[j]) {
				undecrypted++;
				break;
			}
		}
		/* one flipped bit, in the ciphertext (the wide loop's part of
		 * it where there is one) or in the tag: both refuse it */
		aesni_gcm_encrypt(&wide, iv, aad, sizeof(aad), a, a, len, ta);
		memcpy(tb, ta, sizeof(tb));
		if (len > 0) {
			a[len < 128 ? len - 1 : (len * 5) % 128] ^= 0x10;
		} else {
			ta[len % 16] ^= 1;
			tb[len % 16] ^= 1;
		}
		memcpy(b, a, len);
		if (aesni_gcm_decrypt(&wide, iv, aad, sizeof(aad), a, a, len, ta) != -1
				|| aesni_gcm_decrypt(&narrow, iv, aad, sizeof(aad), b, b, len, tb) != -1) {
			forged++;
		}
	}
	CHECKF(diff == 0, "AES-%d-GCM: wide and narrow loops differ for %zu lengths",
		keylen * 8, diff);
	CHECKF(forged == 0, "AES-%d-GCM: a forged packet decrypted for %zu lengths",
		keylen * 8, forged);
	CHECKF(undecrypted == 0, "AES-%d-GCM: wide/narrow decryption failed for %zu lengths",
		keylen * 8, undecrypted);
}
#endif

/* the fast and the portable build produce the same packets for every
 * length from the smallest to several blocks, in place, and the fast
 * build decrypts what the portable one encrypted */
static void test_agree(const char *what, const struct dropbear_cipher_mode *fast,
		const struct dropbear_cipher_mode *portable, int keylen) {
	static cipher_state sf, sp, sd;
	unsigned char key[64], iv[12], a[MAX_PACKET + TAG_LEN], b[MAX_PACKET + TAG_LEN];
	size_t len, diff = 0, undecrypted = 0;
	unsigned int seq = 0xfffffff0;	/* wraps, as packet.c's counter may */

	for (len = 0; len < sizeof(key); len++) {
		key[len] = (unsigned char)(len * 29 + keylen);
	}
	memset(iv, 0xfe, sizeof(iv));
	CHECK(fast->start(find_cipher("aes"), iv, key, keylen, 0, &sf) == CRYPT_OK);
	CHECK(portable->start(find_cipher("aes"), iv, key, keylen, 0, &sp) == CRYPT_OK);
	CHECK(fast->start(find_cipher("aes"), iv, key, keylen, 0, &sd) == CRYPT_OK);
	for (len = 4; len <= MAX_PACKET; len += len < 300 ? 1 : 61, seq++) {
		size_t j;

		for (j = 0; j < len; j++) {
			a[j] = b[j] = (unsigned char)(j * 13 + len);
		}
		if (fast->aead_crypt(seq, a, a, len, TAG_LEN, &sf, LTC_ENCRYPT) != CRYPT_OK
				|| portable->aead_crypt(seq, b, b, len, TAG_LEN, &sp,
					LTC_ENCRYPT) != CRYPT_OK
				|| memcmp(a, b, len + TAG_LEN) != 0) {
			diff++;
		}
		if (fast->aead_crypt(seq, b, b, len, TAG_LEN, &sd, LTC_DECRYPT) != CRYPT_OK) {
			undecrypted++;
			continue;
		}
		for (j = 0; j < len; j++) {
			if (b[j] != (unsigned char)(j * 13 + len)) {
				undecrypted++;
				break;
			}
		}
	}
	CHECKF(diff == 0, "%s: fast and portable differ for %zu lengths", what, diff);
	CHECKF(undecrypted == 0, "%s: fast decryption failed for %zu lengths", what,
		undecrypted);
}

/* the committed vectors are what the generator prints (run from the top
 * of the tree, as tests/run.sh does) */
static void test_generator(void) {
	static char want[65536], got[65536];
	FILE *f = fopen("tests/unit/dbtest_ciphers_vectors.h", "r");
	FILE *p = popen("python3 tests/unit/mkciphervectors.py", "r");
	size_t nwant = 0, ngot = 0;

	if (f != NULL) {
		nwant = fread(want, 1, sizeof(want), f);
		fclose(f);
	}
	if (p != NULL) {
		ngot = fread(got, 1, sizeof(got), p);
		CHECK(pclose(p) == 0);
	}
	CHECKF(nwant > 0 && nwant == ngot && memcmp(want, got, nwant) == 0,
		"tests/unit/dbtest_ciphers_vectors.h is not mkciphervectors.py's output");
}

int main(void) {
	static cipher_state st;
	unsigned char key[32] = {1}, iv[12] = {0};

	_dropbear_exit = test_exit;
	crypto_init();
	if (setjmp(exit_jmp) != 0) {
		CHECK(!"dropbear_exit");
		return T_DONE("dbtest_ciphers");
	}

	test_generator();
	test_rfc8439();
	test_gcm_cases();

	test_chachapoly("chacha20-poly1305 (libsodium)", &dropbear_mode_chachapoly);
	test_chachapoly("chacha20-poly1305 (portable)", &portable_mode_chachapoly);
	test_gcm("aes-gcm (fast)", &dropbear_mode_gcm);
	test_gcm("aes-gcm (portable)", &portable_mode_gcm);
	test_agree("chacha20-poly1305", &dropbear_mode_chachapoly, &portable_mode_chachapoly, 64);
	test_agree("aes128-gcm", &dropbear_mode_gcm, &portable_mode_gcm, 16);
	test_agree("aes256-gcm", &dropbear_mode_gcm, &portable_mode_gcm, 32);
#if DROPBEAR_GCM_AESNI
	test_wide_agree(16);
	test_wide_agree(32);
#endif

	/* this CPU's fast GCM paths are the ones in use */
	CHECK(dropbear_mode_gcm.start(find_cipher("aes"), iv, key, 16, 0, &st) == CRYPT_OK);
	CHECK(st.gcm.impl == (aesni_gcm_available() ? DROPBEAR_GCM_USE_AESNI : DROPBEAR_GCM_USE_LTC));
	CHECK(dropbear_mode_gcm.start(find_cipher("aes"), iv, key, 32, 0, &st) == CRYPT_OK);
	CHECK(st.gcm.impl == (aesni_gcm_available() ? DROPBEAR_GCM_USE_AESNI : DROPBEAR_GCM_USE_LTC));
	printf("dbtest_ciphers: this CPU: AES-GCM %s\n", !aesni_gcm_available() ? "libtomcrypt"
		: aesni_gcm_wide_available() ? "AES-NI, VAES and VPCLMULQDQ" : "AES-NI");

	return T_DONE("dbtest_ciphers");
}
