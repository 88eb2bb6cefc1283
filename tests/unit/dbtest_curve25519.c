/*
 * bearpass - known-answer tests for X25519 and Ed25519 through the code
 * Dropbear calls, linked with a Dropbear build's objects and its libsodium
 * (patch 0012, DROPBEAR_LIBSODIUM):
 *
 * - RFC 7748 section 5.2 (two vectors, 1 and 1000 iterations) and 6.1
 *   (both key pairs and the shared secret), through the key exchange's
 *   own functions; small-order public values (all-zero secret) and a
 *   wrong length stop the key exchange.
 * - RFC 8032 section 7.1 TEST 1, 2, 3 and SHA(abc): the public key, the
 *   signature Dropbear's host key code makes, and its verification by the
 *   glue's verifier (the certificate CA and user signature path); a
 *   changed byte, a non-canonical S, a small-order key or a signature of
 *   the wrong size are refused.
 */
#include "includes.h"
#include "dbutil.h"
#include "buffer.h"
#include "dbrandom.h"
#include "crypto_desc.h"
#include "kex.h"
#include "curve25519.h"
#include "ed25519.h"

#include "t.h"
#include "dbexit.h"

int bp_verify_dropbear(void *ctx, const unsigned char *key, size_t keylen,
		const unsigned char *sig, size_t siglen,
		const unsigned char *data, size_t datalen);

/* --- X25519 -------------------------------------------------------------- */

/* RFC 7748 section 5.2 */
static const struct {
	const char *scalar, *u, *out;
} x25519_vectors[] = {
	{ "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
	  "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
	  "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552" },
	{ "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
	  "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
	  "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957" },
};

/* RFC 7748 section 6.1 */
#define ALICE_PRIV "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"
#define ALICE_PUB  "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
#define BOB_PRIV   "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"
#define BOB_PUB    "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"
#define SHARED     "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"

/* public values whose product with any clamped scalar is all zeroes:
 * the small-order points (and non-canonical encodings of them, with and
 * without the ignored top bit) */
static const char *const small_order[] = {
	"0000000000000000000000000000000000000000000000000000000000000000",
	"0100000000000000000000000000000000000000000000000000000000000000",
	"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
	"5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"0000000000000000000000000000000000000000000000000000000000000080",
	"0100000000000000000000000000000000000000000000000000000000000080",
	"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880",
	"5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f11d7",
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
};

/* kexcurve25519_derive() on pub; 1 if it stopped the session */
static int derive_exits(const struct kex_curve25519_param *param,
		const unsigned char *pub, unsigned int len, unsigned char *out) {
	buffer *b = buf_new(len);
	volatile int stopped = 0;

	buf_putbytes(b, pub, len);
	buf_setpos(b, 0);
	if (setjmp(exit_jmp) == 0) {
		kexcurve25519_derive(param, b, out);
	} else {
		stopped = 1;
	}
	buf_free(b);
	return stopped;
}

static void test_x25519(void) {
	unsigned char k[32], u[32], q[32], t[32];
	struct kex_curve25519_param alice, bob;
	size_t i;
	int n;

	for (i = 0; i < sizeof(x25519_vectors) / sizeof(x25519_vectors[0]); i++) {
		t_unhex(k, x25519_vectors[i].scalar);
		t_unhex(u, x25519_vectors[i].u);
		dropbear_curve25519_scalarmult(q, k, u);
		CHECKF(t_eqhex(q, x25519_vectors[i].out), "RFC 7748 5.2 vector %zu", i + 1);
	}

	/* k = u = 9; k, u = X25519(k, u), k */
	memset(k, 0, sizeof(k));
	k[0] = 9;
	memcpy(u, k, sizeof(u));
	for (n = 1; n <= 1000; n++) {
		dropbear_curve25519_scalarmult(q, k, u);
		memcpy(u, k, sizeof(u));
		memcpy(k, q, sizeof(k));
		if (n == 1) {
			CHECKF(t_eqhex(k, "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079"),
				"RFC 7748 5.2 after one iteration");
		}
	}
	CHECKF(t_eqhex(k, "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51"),
		"RFC 7748 5.2 after 1000 iterations");

	/* the key exchange's own key pair and secret computation */
	t_unhex(alice.priv, ALICE_PRIV);
	t_unhex(bob.priv, BOB_PRIV);
	dropbear_curve25519_scalarmult_base(alice.pub, alice.priv);
	dropbear_curve25519_scalarmult_base(bob.pub, bob.priv);
	CHECKF(t_eqhex(alice.pub, ALICE_PUB), "RFC 7748 6.1 Alice's public key");
	CHECKF(t_eqhex(bob.pub, BOB_PUB), "RFC 7748 6.1 Bob's public key");
	memset(q, 0, sizeof(q));
	memset(t, 0, sizeof(t));
	CHECK(derive_exits(&alice, bob.pub, 32, q) == 0);
	CHECK(derive_exits(&bob, alice.pub, 32, t) == 0);
	CHECKF(t_eqhex(q, SHARED) && t_eqhex(t, SHARED), "RFC 7748 6.1 shared secret");

	/* the variable-base and fixed-base paths agree */
	for (n = 0; n < 32; n++) {
		memset(k, n * 7 + 1, sizeof(k));
		memset(u, 0, sizeof(u));
		u[0] = 9;
		dropbear_curve25519_scalarmult(q, k, u);
		dropbear_curve25519_scalarmult_base(t, k);
		if (memcmp(q, t, 32) != 0) {
			break;
		}
	}
	CHECKF(n == 32, "scalarmult(k, 9) != scalarmult_base(k) for k byte %d", n * 7 + 1);

	/* an all-zero shared secret stops the session */
	for (i = 0; i < sizeof(small_order) / sizeof(small_order[0]); i++) {
		t_unhex(u, small_order[i]);
		CHECKF(derive_exits(&alice, u, 32, q) == 1, "small-order public value %s accepted",
			small_order[i]);
	}
	t_unhex(u, BOB_PUB);
	CHECK(derive_exits(&alice, u, 31, q) == 1);
	CHECK(derive_exits(&alice, u, 0, q) == 1);
}

/* --- Ed25519 ------------------------------------------------------------- */

/* RFC 8032 section 7.1; the message of SHA(abc) is SHA-512("abc") */
static const struct {
	const char *name, *seed, *pub, *msg, *sig;
} ed25519_vectors[] = {
	{ "TEST 1",
	  "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
	  "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
	  "",
	  "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b" },
	{ "TEST 2",
	  "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
	  "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
	  "72",
	  "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00" },
	{ "TEST 3",
	  "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
	  "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
	  "af82",
	  "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a" },
	{ "TEST SHA(abc)",
	  "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
	  "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
	  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
	  "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704" },
};

/* the group order L, little endian */
static const unsigned char order_l[32] = {
	0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2,
	0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10
};

static void put_string(buffer *b, const void *p, unsigned int len) {
	buf_putstring(b, (const char *)p, len);
}

/* the glue's verifier (certificate CA and user signatures) on an
 * ssh-ed25519 key and signature; 0 when it verifies */
static int glue_verify(const unsigned char *pub, const unsigned char *sig,
		unsigned int siglen, const unsigned char *msg, size_t msglen) {
	buffer *key = buf_new(100), *sb = buf_new(200);
	int r;

	put_string(key, "ssh-ed25519", 11);
	put_string(key, pub, 32);
	put_string(sb, "ssh-ed25519", 11);
	put_string(sb, sig, siglen);
	if (setjmp(exit_jmp) == 0) {
		r = bp_verify_dropbear(NULL, key->data, key->len, sb->data, sb->len,
			msg, msglen);
	} else {
		r = -2;
	}
	buf_free(key);
	buf_free(sb);
	return r;
}

static void test_ed25519(void) {
	unsigned char msg[64], sig[64], bad[65], pub[32];
	dropbear_ed25519_key key;
	buffer *data, *out;
	size_t i, msglen, j;
	unsigned long slen;
	unsigned int carry;
	int accepted;

	for (i = 0; i < sizeof(ed25519_vectors) / sizeof(ed25519_vectors[0]); i++) {
		const char *name = ed25519_vectors[i].name;

		t_unhex(key.priv, ed25519_vectors[i].seed);
		t_unhex(key.pub, ed25519_vectors[i].pub);
		msglen = t_unhex(msg, ed25519_vectors[i].msg);
		t_unhex(sig, ed25519_vectors[i].sig);

		/* the public key of the seed (what dropbearkey writes) */
		memset(pub, 0, sizeof(pub));
		memset(bad, 0, sizeof(bad));
		dropbear_ed25519_sign(msg, msglen, bad, &slen, key.priv, key.pub);
		CHECKF(slen == 64 && t_eqhex(bad, ed25519_vectors[i].sig), "%s: signature", name);

		/* the host key signature as it goes on the wire */
		data = buf_new(64);
		buf_putbytes(data, msg, msglen);
		out = buf_new(200);
		buf_put_ed25519_sign(out, &key, data);
		buf_setpos(out, 0);
		buf_free(buf_getstringbuf(out));
		CHECKF(buf_getint(out) == 64 && t_eqhex(buf_getptr(out, 64),
			ed25519_vectors[i].sig), "%s: buf_put_ed25519_sign", name);
		buf_setpos(out, 4 + 11);
		CHECKF(buf_ed25519_verify(out, &key, data) == DROPBEAR_SUCCESS,
			"%s: buf_ed25519_verify", name);
		buf_free(out);
		buf_free(data);

		CHECKF(dropbear_ed25519_verify(msg, msglen, sig, 64, key.pub) == 0,
			"%s: verify", name);
		CHECKF(glue_verify(key.pub, sig, 64, msg, msglen) == 0, "%s: glue verify", name);

		/* every changed signature byte and a changed message are refused */
		accepted = 0;
		for (j = 0; j < 64; j++) {
			memcpy(bad, sig, 64);
			bad[j] ^= (unsigned char)(1u << (j % 8));
			accepted += glue_verify(key.pub, bad, 64, msg, msglen) == 0;
		}
		CHECKF(accepted == 0, "%s: %d changed signatures accepted", name, accepted);
		msg[msglen] = 0;
		CHECKF(glue_verify(key.pub, sig, 64, msg, msglen + 1) != 0,
			"%s: longer message accepted", name);
		if (msglen > 0) {
			msg[0] ^= 1;
			CHECKF(glue_verify(key.pub, sig, 64, msg, msglen) != 0,
				"%s: changed message accepted", name);
			msg[0] ^= 1;
		}

		/* S + L verifies the same equation; it is refused (TweetNaCl,
		 * Dropbear's own code, accepted it) */
		memcpy(bad, sig, 64);
		carry = 0;
		for (j = 0; j < 32; j++) {
			carry += bad[32 + j] + order_l[j];
			bad[32 + j] = (unsigned char)carry;
			carry >>= 8;
		}
		CHECKF(carry == 0 && glue_verify(key.pub, bad, 64, msg, msglen) != 0,
			"%s: non-canonical S accepted", name);
		CHECKF(dropbear_ed25519_verify(msg, msglen, bad, 64, key.pub) != 0,
			"%s: non-canonical S accepted", name);

		/* a signature of the wrong size */
		memcpy(bad, sig, 64);
		bad[64] = 0;
		CHECKF(dropbear_ed25519_verify(msg, msglen, bad, 65, key.pub) != 0,
			"%s: 65 byte signature accepted", name);
		CHECKF(dropbear_ed25519_verify(msg, msglen, bad, 63, key.pub) != 0,
			"%s: 63 byte signature accepted", name);
		CHECKF(glue_verify(key.pub, bad, 65, msg, msglen) != 0,
			"%s: 65 byte signature accepted", name);
	}

	/* the identity as public key: R = identity, S = 0 satisfies the
	 * equation for any message; a small-order key is refused */
	memset(pub, 0, sizeof(pub));
	pub[0] = 1;
	memset(sig, 0, sizeof(sig));
	sig[0] = 1;
	CHECK(glue_verify(pub, sig, 64, (const unsigned char *)"abc", 3) != 0);
	CHECK(dropbear_ed25519_verify((const unsigned char *)"abc", 3, sig, 64, pub) != 0);

	/* a new key (dropbearkey, or a host key made at start with -R) signs
	 * and verifies */
	dropbear_ed25519_make_key(key.pub, key.priv);
	dropbear_ed25519_sign(msg, 64, sig, &slen, key.priv, key.pub);
	CHECK(slen == 64 && glue_verify(key.pub, sig, 64, msg, 64) == 0);
	key.pub[0] ^= 1;
	CHECK(glue_verify(key.pub, sig, 64, msg, 64) != 0);
}

int main(void) {
	_dropbear_exit = test_exit;
	_dropbear_log = test_log;
	/* as the server: libsodium picks its code for this CPU here */
	crypto_init();
	seedrandom();

	test_x25519();
	test_ed25519();

	printf("dropbear_exit calls caught: %d\n", exits);
	return T_DONE("dbtest_curve25519");
}
