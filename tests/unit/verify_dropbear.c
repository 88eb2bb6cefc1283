/*
 * bearpass - a bp_verify_fn over Dropbear's signkey code, for
 * dbtest_cert.c (and a model for the glue).
 *
 * Dropbear 2025.89 verifies ssh-ed25519, ecdsa-sha2-nistp{256,384,521}
 * and rsa-sha2-256, but not rsa-sha2-512, which ssh-keygen uses by
 * default for RSA CAs.  rsa-sha2-512 is done here with libtommath and
 * libtomcrypt's SHA-512, the way Dropbear's buf_rsa_verify() does
 * rsa-sha2-256: signature length equal to the modulus length, s < n,
 * s^e mod n equal to the EMSA-PKCS1-v1_5 encoding of the hash.
 *
 * Dropbear's buffer code calls dropbear_exit() on malformed data; the
 * certificate parser has checked the framing of key and signature
 * blobs before this is called, and the key is one of the trusted CA
 * keys, so only the inside of the signature string is attacker-chosen.
 */
#include "includes.h"
#include "buffer.h"
#include "dbutil.h"
#include "signkey.h"
#include "bignum.h"
#include "rsa.h"

#include "cert.h"

int bp_verify_dropbear(void *ctx, const unsigned char *key, size_t keylen,
		const unsigned char *sig, size_t siglen,
		const unsigned char *data, size_t datalen);

static unsigned long get_u32(const unsigned char *p) {
	return ((unsigned long)p[0] << 24) | ((unsigned long)p[1] << 16)
		| ((unsigned long)p[2] << 8) | (unsigned long)p[3];
}

#if DROPBEAR_RSA && DROPBEAR_SHA512
/* rsa-sha2-512 (RFC 8332) over a Dropbear RSA key; s is the raw
 * signature value. */
static int rsa_sha512_verify(const dropbear_rsa_key *rsa,
		const unsigned char *s, size_t slen,
		const unsigned char *data, size_t datalen) {
	static const unsigned char digest_info[] = {
		0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
		0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40
	};
	unsigned char *em = NULL;
	hash_state hs;
	size_t k, tlen = sizeof(digest_info) + 64;
	DEF_MP_INT(ms);
	DEF_MP_INT(mm);
	DEF_MP_INT(me);
	int ret = -1;

	m_mp_init_multi(&ms, &mm, &me, NULL);
	k = mp_ubin_size(rsa->n);
	if (slen != k || k < tlen + 11) {
		goto out;
	}
	if (mp_from_ubin(&ms, s, slen) != MP_OKAY
			|| mp_cmp(&ms, rsa->n) != MP_LT) {
		goto out;
	}
	em = m_malloc(k);
	em[0] = 0x00;
	em[1] = 0x01;
	memset(em + 2, 0xff, k - tlen - 3);
	em[k - tlen - 1] = 0x00;
	memcpy(em + k - tlen, digest_info, sizeof(digest_info));
	sha512_init(&hs);
	sha512_process(&hs, data, (unsigned long)datalen);
	sha512_done(&hs, em + k - 64);
	if (mp_from_ubin(&me, em, k) != MP_OKAY
			|| mp_exptmod(&ms, rsa->e, rsa->n, &mm) != MP_OKAY) {
		goto out;
	}
	if (mp_cmp(&me, &mm) == MP_EQ) {
		ret = 0;
	}
out:
	m_free(em);
	mp_clear_multi(&ms, &mm, &me, NULL);
	return ret;
}
#endif

int bp_verify_dropbear(void *ctx, const unsigned char *key, size_t keylen,
		const unsigned char *sig, size_t siglen,
		const unsigned char *data, size_t datalen) {
	sign_key *sk = NULL;
	buffer *kb = NULL, *sb = NULL, *db = NULL;
	enum signkey_type keytype = DROPBEAR_SIGNKEY_ANY;
	enum signature_type sigtype;
	unsigned long namelen, rawlen;
	int ret = -1;

	(void)ctx;
	/* signature blob: string name, string raw signature, nothing else */
	if (siglen < 4 || (namelen = get_u32(sig)) > siglen - 4
			|| siglen - 4 - namelen < 4
			|| (rawlen = get_u32(sig + 4 + namelen)) != siglen - 8 - namelen) {
		goto out;
	}
	if (keylen > 65536 || siglen > 65536 || datalen > 1024 * 1024) {
		goto out;
	}
	sk = new_sign_key();
	kb = buf_new(keylen);
	buf_putbytes(kb, key, keylen);
	buf_setpos(kb, 0);
	if (buf_get_pub_key(kb, sk, &keytype) != DROPBEAR_SUCCESS
			|| kb->pos != kb->len) {
		goto out;
	}
#if DROPBEAR_RSA && DROPBEAR_SHA512
	if (namelen == 12 && memcmp(sig + 4, "rsa-sha2-512", 12) == 0) {
		if (keytype == DROPBEAR_SIGNKEY_RSA && sk->rsakey != NULL) {
			ret = rsa_sha512_verify(sk->rsakey, sig + 8 + namelen, rawlen,
					data, datalen);
		}
		goto out;
	}
#endif
	sigtype = signature_type_from_name((const char *)sig + 4,
			(unsigned int)namelen);
	if (sigtype == DROPBEAR_SIGNATURE_NONE
			|| signkey_type_from_signature(sigtype) != keytype) {
		goto out;
	}
	/* buf_verify() reads the signature as a string */
	sb = buf_new(siglen + 4);
	buf_putstring(sb, (const char *)sig, siglen);
	buf_setpos(sb, 0);
	db = buf_new(datalen);
	buf_putbytes(db, data, datalen);
	buf_setpos(db, 0);
	if (buf_verify(sb, sk, sigtype, db) == DROPBEAR_SUCCESS) {
		ret = 0;
	}
out:
	if (sk != NULL) {
		sign_key_free(sk);
	}
	if (kb != NULL) {
		buf_free(kb);
	}
	if (sb != NULL) {
		buf_free(sb);
	}
	if (db != NULL) {
		buf_free(db);
	}
	return ret;
}
