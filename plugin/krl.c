/*
 * bearpass - RevokedKeys files: OpenSSH KRLs (PROTOCOL.krl) and text
 * lists of public keys, with the semantics of sshd (krl.c
 * ssh_krl_from_blob / ssh_krl_check_key, authfile.c sshkey_in_file).
 *
 * One pass over the file both validates it and notes which of the
 * subject's keys it lists; the verdict is returned only if the whole file
 * is valid.  Nothing is allocated per section, so no input can make the
 * check quadratic or large.
 */
#include <stdint.h>
#include <string.h>

#include "cakeys.h"
#include "krl.h"
#include "sha1.h"
#include "sha256.h"
#include "sshbuf.h"

/* section types (PROTOCOL.krl) */
#define KRL_SECTION_CERTIFICATES        1
#define KRL_SECTION_EXPLICIT_KEY        2
#define KRL_SECTION_FINGERPRINT_SHA1    3
#define KRL_SECTION_SIGNATURE           4
#define KRL_SECTION_FINGERPRINT_SHA256  5
#define KRL_SECTION_EXTENSION           255

#define KRL_SECTION_CERT_SERIAL_LIST    0x20
#define KRL_SECTION_CERT_SERIAL_RANGE   0x21
#define KRL_SECTION_CERT_SERIAL_BITMAP  0x22
#define KRL_SECTION_CERT_KEY_ID         0x23
#define KRL_SECTION_CERT_EXTENSION      0x39

/* What is checked: a plain key, or a certificate and its CA. */
struct subject {
	const struct bp_cert *cert;      /* NULL for a plain key */
	const unsigned char *key;        /* plain key blob, NULL: validate only */
	size_t keylen;
	unsigned char key_sha1[BP_SHA1_LEN];
	unsigned char key_sha256[BP_SHA256_LEN];
	unsigned char ca_sha1[BP_SHA1_LEN];
	unsigned char ca_sha256[BP_SHA256_LEN];
};

/* What the file lists. */
struct verdict {
	int key;   /* the plain key */
	int cert;  /* the certificate, by serial or key ID */
	int ca;    /* the certificate's CA key */
};

struct krl_parser {
	const struct subject *s;
	struct verdict v;
	size_t nsections;
	enum bp_error why;  /* set with the first error */
};

static int fail(struct krl_parser *k, enum bp_error why) {
	if (k->why == BP_OK) {
		k->why = why;
	}
	return -1;
}

static int blob_eq(const unsigned char *a, size_t alen,
		const unsigned char *b, size_t blen) {
	return a != NULL && b != NULL && alen == blen && memcmp(a, b, alen) == 0;
}

static int get_u8(struct bp_sshbuf *b, unsigned char *v) {
	if (b->len < 1) {
		return -1;
	}
	*v = b->p[0];
	b->p++;
	b->len--;
	return 0;
}

static int count_section(struct krl_parser *k) {
	if (k->nsections >= BP_KRL_MAX_SECTIONS) {
		return fail(k, BP_ERR_TOO_LONG);
	}
	k->nsections++;
	return 0;
}

/* Whether serial is revoked by a matching section; serial 0 never is
 * (is_cert_revoked in krl.c). */
static void revoke_serials(struct krl_parser *k, int applies,
		uint64_t lo, uint64_t hi) {
	uint64_t serial;

	if (!applies) {
		return;
	}
	serial = k->s->cert->serial;
	if (serial != 0 && serial >= lo && serial <= hi) {
		k->v.cert = 1;
	}
}

/* An extension (section or cert subsection): string name (no NUL),
 * byte is_critical, string contents, nothing more.  None is supported,
 * so a critical one fails the file; others are ignored. */
static int extension(struct krl_parser *k, struct bp_sshbuf *b) {
	unsigned char critical = 1;

	if (bp_sshbuf_get_cstring(b, NULL, NULL) != 0
			|| get_u8(b, &critical) != 0
			|| bp_sshbuf_get_string(b, NULL, NULL) != 0) {
		return fail(k, BP_ERR_TRUNCATED);
	}
	if (b->len != 0) {
		return fail(k, BP_ERR_TRAILING);
	}
	if (critical != 0) {
		return fail(k, BP_ERR_BAD_FORMAT);
	}
	return 0;
}

/* Serial bitmap: uint64 serial_offset, mpint bitmap.  Bit N (counted from
 * the least significant bit of the big-endian number) revokes serial
 * offset + N.  As OpenSSH: the mpint must be non-negative and at most
 * BP_KRL_MAX_BITMAP bytes (plus a leading zero), the bitmap must not
 * wrap past 2^64 - 1, and serial 0 cannot be revoked. */
static int serial_bitmap(struct krl_parser *k, struct bp_sshbuf *b,
		int applies) {
	const unsigned char *d;
	size_t len, nbits, idx;
	uint64_t off, serial;
	unsigned char top;

	if (bp_sshbuf_get_u64(b, &off) != 0
			|| bp_sshbuf_get_string(b, &d, &len) != 0) {
		return fail(k, BP_ERR_TRUNCATED);
	}
	if (b->len != 0) {
		return fail(k, BP_ERR_TRAILING);
	}
	if (len != 0 && (d[0] & 0x80) != 0) {
		return fail(k, BP_ERR_BAD_FORMAT);
	}
	if (len > BP_KRL_MAX_BITMAP + 1
			|| (len == BP_KRL_MAX_BITMAP + 1 && d[0] != 0)) {
		return fail(k, BP_ERR_TOO_LONG);
	}
	while (len > 0 && d[0] == 0) {
		d++;
		len--;
	}
	if (len == 0) {
		return 0;
	}
	/* bits up to and including the most significant set bit */
	nbits = (len - 1) * 8;
	for (top = d[0]; top != 0; top >>= 1) {
		nbits++;
	}
	if (off != 0 && nbits - 1 > UINT64_MAX - off) {
		return fail(k, BP_ERR_BAD_FORMAT);
	}
	if (off == 0 && (d[len - 1] & 1) != 0) {
		return fail(k, BP_ERR_BAD_FORMAT);
	}
	if (!applies) {
		return 0;
	}
	serial = k->s->cert->serial;
	if (serial == 0 || serial < off || serial - off >= nbits) {
		return 0;
	}
	idx = (size_t)(serial - off);
	if ((d[len - 1 - idx / 8] >> (idx % 8)) & 1) {
		k->v.cert = 1;
	}
	return 0;
}

/* KRL_SECTION_CERTIFICATES: string ca_key, string reserved, then
 * subsections (byte type, string data). */
static int cert_section(struct krl_parser *k, struct bp_sshbuf *b) {
	const struct bp_cert *cert = k->s->cert;
	struct bp_sshbuf sub;
	const unsigned char *ca, *p;
	size_t calen, plen;
	uint64_t lo, hi;
	unsigned char type;
	int applies;
	enum bp_error err;

	if (bp_sshbuf_get_string(b, &ca, &calen) != 0
			|| bp_sshbuf_get_string(b, NULL, NULL) != 0) {
		return fail(k, BP_ERR_TRUNCATED);
	}
	if (calen != 0) {
		/* sshkey_from_blob must succeed in OpenSSH; we only compare
		 * blobs, so key types we do not support are kept (they can
		 * match no certificate we accept), malformed keys fail */
		err = bp_key_parse_plain(ca, calen, NULL);
		if (err != BP_OK && err != BP_ERR_CERT_UNKNOWN_TYPE
				&& err != BP_ERR_CERT_CA_IS_CERT) {
			return fail(k, BP_ERR_BAD_FORMAT);
		}
	}
	applies = cert != NULL && (calen == 0
		|| blob_eq(ca, calen, cert->ca_key.p, cert->ca_key.len));

	while (b->len > 0) {
		if (count_section(k) != 0) {
			return -1;
		}
		if (get_u8(b, &type) != 0
				|| bp_sshbuf_get_string(b, &p, &plen) != 0) {
			return fail(k, BP_ERR_TRUNCATED);
		}
		bp_sshbuf_init(&sub, p, plen);
		switch (type) {
		case KRL_SECTION_CERT_SERIAL_LIST:
			while (sub.len > 0) {
				if (bp_sshbuf_get_u64(&sub, &lo) != 0) {
					return fail(k, BP_ERR_TRUNCATED);
				}
				if (lo == 0) {
					return fail(k, BP_ERR_BAD_FORMAT);
				}
				revoke_serials(k, applies, lo, lo);
			}
			break;
		case KRL_SECTION_CERT_SERIAL_RANGE:
			if (bp_sshbuf_get_u64(&sub, &lo) != 0
					|| bp_sshbuf_get_u64(&sub, &hi) != 0) {
				return fail(k, BP_ERR_TRUNCATED);
			}
			if (lo == 0 || lo > hi) {
				return fail(k, BP_ERR_BAD_FORMAT);
			}
			revoke_serials(k, applies, lo, hi);
			break;
		case KRL_SECTION_CERT_SERIAL_BITMAP:
			if (serial_bitmap(k, &sub, applies) != 0) {
				return -1;
			}
			break;
		case KRL_SECTION_CERT_KEY_ID:
			while (sub.len > 0) {
				if (bp_sshbuf_get_cstring(&sub, &p, &plen) != 0) {
					return fail(k, sub.len >= 4
						&& bp_sshbuf_peek_string(&sub, NULL, NULL) == 0
						? BP_ERR_BAD_FORMAT : BP_ERR_TRUNCATED);
				}
				if (applies && plen == cert->key_id.len
						&& (plen == 0 || memcmp(p,
						cert->key_id.p, plen) == 0)) {
					k->v.cert = 1;
				}
			}
			break;
		case KRL_SECTION_CERT_EXTENSION:
			if (extension(k, &sub) != 0) {
				return -1;
			}
			break;
		default:
			return fail(k, BP_ERR_BAD_FORMAT);
		}
		if (sub.len != 0) {
			return fail(k, BP_ERR_TRAILING);
		}
	}
	return 0;
}

/* Explicit key and fingerprint sections: strings, each a plain key blob
 * (hashlen 0, not validated, as OpenSSH) or a hash of hashlen bytes. */
static int blob_section(struct krl_parser *k, struct bp_sshbuf *b,
		size_t hashlen) {
	const struct subject *s = k->s;
	const unsigned char *p, *mine = NULL, *ca = NULL;
	size_t plen, minelen = 0, calen = 0;

	if (s->key != NULL) {
		switch (hashlen) {
		case 0:
			mine = s->key;
			minelen = s->keylen;
			break;
		case BP_SHA1_LEN:
			mine = s->key_sha1;
			minelen = BP_SHA1_LEN;
			break;
		default:
			mine = s->key_sha256;
			minelen = BP_SHA256_LEN;
			break;
		}
	}
	if (s->cert != NULL) {
		switch (hashlen) {
		case 0:
			ca = s->cert->ca_key.p;
			calen = s->cert->ca_key.len;
			break;
		case BP_SHA1_LEN:
			ca = s->ca_sha1;
			calen = BP_SHA1_LEN;
			break;
		default:
			ca = s->ca_sha256;
			calen = BP_SHA256_LEN;
			break;
		}
	}
	while (b->len > 0) {
		if (bp_sshbuf_get_string(b, &p, &plen) != 0) {
			return fail(k, BP_ERR_TRUNCATED);
		}
		if (hashlen != 0 && plen != hashlen) {
			return fail(k, BP_ERR_BAD_FORMAT);
		}
		if (blob_eq(p, plen, mine, minelen)) {
			k->v.key = 1;
		}
		if (blob_eq(p, plen, ca, calen)) {
			k->v.ca = 1;
		}
	}
	return 0;
}

static int krl_parse(struct krl_parser *k, const unsigned char *file,
		size_t filelen) {
	struct bp_sshbuf b, sect;
	const unsigned char *p;
	size_t plen;
	uint32_t version;
	unsigned char type;
	int r;

	bp_sshbuf_init(&b, file + BP_KRL_MAGIC_LEN, filelen - BP_KRL_MAGIC_LEN);
	if (bp_sshbuf_get_u32(&b, &version) != 0) {
		return fail(k, BP_ERR_TRUNCATED);
	}
	if (version != BP_KRL_FORMAT_VERSION) {
		return fail(k, BP_ERR_BAD_FORMAT);
	}
	/* krl_version, generated_date, flags (none defined; OpenSSH ignores
	 * them), string reserved, string comment (no NUL) */
	if (bp_sshbuf_get_u64(&b, NULL) != 0
			|| bp_sshbuf_get_u64(&b, NULL) != 0
			|| bp_sshbuf_get_u64(&b, NULL) != 0
			|| bp_sshbuf_get_string(&b, NULL, NULL) != 0) {
		return fail(k, BP_ERR_TRUNCATED);
	}
	if (bp_sshbuf_get_cstring(&b, NULL, NULL) != 0) {
		return fail(k, bp_sshbuf_peek_string(&b, NULL, NULL) == 0
			? BP_ERR_BAD_FORMAT : BP_ERR_TRUNCATED);
	}

	while (b.len > 0) {
		if (count_section(k) != 0) {
			return -1;
		}
		if (get_u8(&b, &type) != 0
				|| bp_sshbuf_get_string(&b, &p, &plen) != 0) {
			return fail(k, BP_ERR_TRUNCATED);
		}
		bp_sshbuf_init(&sect, p, plen);
		switch (type) {
		case KRL_SECTION_CERTIFICATES:
			r = cert_section(k, &sect);
			break;
		case KRL_SECTION_EXPLICIT_KEY:
			r = blob_section(k, &sect, 0);
			break;
		case KRL_SECTION_FINGERPRINT_SHA1:
			r = blob_section(k, &sect, BP_SHA1_LEN);
			break;
		case KRL_SECTION_FINGERPRINT_SHA256:
			r = blob_section(k, &sect, BP_SHA256_LEN);
			break;
		case KRL_SECTION_EXTENSION:
			r = extension(k, &sect);
			break;
		case KRL_SECTION_SIGNATURE:
			/* string signature_key (read above), string signature.
			 * Skipped unverified, as OpenSSH's ssh_krl_from_blob
			 * does: KRL signatures are not supported and are no
			 * reason to trust or refuse the file. */
			if (bp_sshbuf_get_string(&b, NULL, NULL) != 0) {
				return fail(k, BP_ERR_TRUNCATED);
			}
			sect.len = 0;
			r = 0;
			break;
		default:
			r = fail(k, BP_ERR_BAD_FORMAT);
			break;
		}
		if (r != 0) {
			return -1;
		}
		if (sect.len != 0) {
			return fail(k, BP_ERR_TRAILING);
		}
	}
	return 0;
}

/* A text list: every line is checked on its own by the TrustedUserCAKeys
 * parser (so there is no limit on the number of keys). */
static int text_parse(struct krl_parser *k, const unsigned char *file,
		size_t filelen) {
	const struct subject *s = k->s;
	const char *p = (const char *)file, *end = p + filelen, *eol;
	struct bp_cakeys one;
	enum bp_error err;
	size_t i;

	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL) {
			eol = end;
		}
		memset(&one, 0, sizeof(one));
		err = bp_cakeys_parse(&one, p, (size_t)(eol - p), NULL, NULL);
		if (err != BP_OK) {
			bp_cakeys_free(&one);
			return fail(k, err);
		}
		for (i = 0; i < one.n; i++) {
			if (blob_eq(one.keys[i].p, one.keys[i].len,
					s->key, s->keylen)) {
				k->v.key = 1;
			}
			if (s->cert != NULL && blob_eq(one.keys[i].p,
					one.keys[i].len, s->cert->ca_key.p,
					s->cert->ca_key.len)) {
				k->v.ca = 1;
			}
		}
		bp_cakeys_free(&one);
		p = eol < end ? eol + 1 : end;
	}
	return 0;
}

static enum bp_error revoked_eval(const unsigned char *file, size_t filelen,
		const struct bp_cert *cert, const unsigned char *key,
		size_t keylen, enum bp_error *why) {
	struct subject s;
	struct krl_parser k;
	int r;
	enum bp_error ret = BP_ERR_REVOCATION_UNAVAILABLE;

	memset(&s, 0, sizeof(s));
	memset(&k, 0, sizeof(k));
	k.s = &s;
	if (why != NULL) {
		*why = BP_ERR_INTERNAL;
	}
	if (file == NULL && filelen != 0) {
		k.why = BP_ERR_INTERNAL;
		goto out;
	}
	if (filelen > BP_KRL_MAX_FILE) {
		k.why = BP_ERR_TOO_LONG;
		goto out;
	}
	if (cert != NULL && key == NULL) {
		key = cert->pubkey;
		keylen = cert->pubkey_len;
	}
	s.cert = cert;
	s.key = key;
	s.keylen = key != NULL ? keylen : 0;
	if (key != NULL) {
		bp_sha1(key, keylen, s.key_sha1);
		bp_sha256(key, keylen, s.key_sha256);
	}
	if (cert != NULL) {
		bp_sha1(cert->ca_key.p, cert->ca_key.len, s.ca_sha1);
		bp_sha256(cert->ca_key.p, cert->ca_key.len, s.ca_sha256);
	}

	/* sshbuf_cmp of the magic: a shorter file is not a KRL; an empty
	 * file is an empty key list (sshd accepts it) */
	if (filelen == 0) {
		r = 0;
	} else if (filelen >= BP_KRL_MAGIC_LEN
			&& memcmp(file, BP_KRL_MAGIC, BP_KRL_MAGIC_LEN) == 0) {
		r = krl_parse(&k, file, filelen);
	} else {
		r = text_parse(&k, file, filelen);
	}
	if (r != 0) {
		goto out;
	}
	if (k.v.key) {
		ret = BP_ERR_CERT_KEY_REVOKED;
	} else if (k.v.cert) {
		ret = BP_ERR_CERT_REVOKED;
	} else if (k.v.ca) {
		ret = BP_ERR_CERT_CA_REVOKED;
	} else {
		ret = BP_OK;
	}
out:
	if (why != NULL) {
		*why = ret == BP_ERR_REVOCATION_UNAVAILABLE ? k.why : BP_OK;
	}
	return ret;
}

enum bp_error bp_revoked_check(const unsigned char *file, size_t filelen,
		const struct bp_cert *cert,
		const unsigned char *key, size_t keylen) {
	return revoked_eval(file, filelen, cert, key, keylen, NULL);
}

enum bp_error bp_revoked_validate(const unsigned char *file, size_t filelen,
		enum bp_error *why) {
	return revoked_eval(file, filelen, NULL, NULL, 0, why);
}
