/*
 * bearpass - OpenSSH user certificates (PROTOCOL.certkeys).
 *
 * Semantics follow OpenSSH's sshkey.c (cert_parse,
 * sshkey_cert_check_authority), auth-options.c (cert_option_list) and
 * auth2-pubkey.c (user_cert_trusted_ca); the differences are listed at
 * bp_cert_check().
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cert.h"
#include "config.h"
#include "sshbuf.h"

#define BP_ED25519_PK_LEN 32
/* longest entry of a source-address list, as OpenSSH's addr.c */
#define BP_SOURCE_ADDRESS_MAX_ENTRY (46 + 3)

struct key_info {
	enum bp_keytype type;
	const char *name;          /* plain key type */
	const char *cert_name;     /* certificate type */
	const char *curve;         /* ECDSA curve identifier, or NULL */
	size_t point_len;          /* uncompressed ECDSA point length */
	const char *sig_alg;       /* the one CA signature algorithm, or NULL */
};

static const struct key_info key_infos[] = {
	{ BP_KEY_ED25519, "ssh-ed25519", "ssh-ed25519-cert-v01@openssh.com",
		NULL, 0, "ssh-ed25519" },
	{ BP_KEY_ECDSA_P256, "ecdsa-sha2-nistp256",
		"ecdsa-sha2-nistp256-cert-v01@openssh.com",
		"nistp256", 1 + 2 * 32, "ecdsa-sha2-nistp256" },
	{ BP_KEY_ECDSA_P384, "ecdsa-sha2-nistp384",
		"ecdsa-sha2-nistp384-cert-v01@openssh.com",
		"nistp384", 1 + 2 * 48, "ecdsa-sha2-nistp384" },
	{ BP_KEY_ECDSA_P521, "ecdsa-sha2-nistp521",
		"ecdsa-sha2-nistp521-cert-v01@openssh.com",
		"nistp521", 1 + 2 * 66, "ecdsa-sha2-nistp521" },
	/* RSA: rsa-sha2-256 or rsa-sha2-512, never SHA-1 "ssh-rsa" */
	{ BP_KEY_RSA, "ssh-rsa", "ssh-rsa-cert-v01@openssh.com",
		NULL, 0, NULL },
};
#define NKEY_INFOS (sizeof(key_infos) / sizeof(key_infos[0]))

static const struct key_info *key_info_by_type(enum bp_keytype type) {
	size_t i;

	for (i = 0; i < NKEY_INFOS; i++) {
		if (key_infos[i].type == type) {
			return &key_infos[i];
		}
	}
	return NULL;
}

static const struct key_info *key_info_by_name(const unsigned char *name,
		size_t len, int cert) {
	size_t i;

	for (i = 0; i < NKEY_INFOS; i++) {
		if (bp_sshbuf_eq(name, len,
				cert ? key_infos[i].cert_name : key_infos[i].name)) {
			return &key_infos[i];
		}
	}
	return NULL;
}

const char *bp_key_type_name(enum bp_keytype type) {
	const struct key_info *ki = key_info_by_type(type);

	return ki != NULL ? ki->name : NULL;
}

int bp_cert_is_cert_type(const unsigned char *name, size_t len) {
	return key_info_by_name(name, len, 1) != NULL;
}

/* Whether name ends in "-cert-v01@openssh.com" (any certificate type,
 * supported or not). */
static int is_any_cert_name(const unsigned char *name, size_t len) {
	static const char suffix[] = "-cert-v01@openssh.com";
	size_t n = sizeof(suffix) - 1;

	return len > n && memcmp(name + len - n, suffix, n) == 0;
}

/* An mpint that must be positive; *bits is its size in bits. */
static int get_positive_mpint(struct bp_sshbuf *b, size_t *bits) {
	struct bp_sshbuf t = *b;
	const unsigned char *p;
	size_t n;
	unsigned char top;

	if (bp_sshbuf_get_string(&t, &p, &n) != 0) {
		return -1;
	}
	if (n == 0 || (p[0] & 0x80) != 0) {
		return -1;	/* zero or negative */
	}
	while (n > 0 && p[0] == 0) {
		p++;
		n--;
	}
	if (n == 0) {
		return -1;	/* zero */
	}
	if (n > BP_RSA_MAX_BITS / 8 + 1) {
		return -1;
	}
	*bits = n * 8;
	for (top = p[0]; (top & 0x80) == 0; top <<= 1) {
		(*bits)--;
	}
	*b = t;
	return 0;
}

/* Read the type-specific public key fields of a key of kind ki (the same
 * in plain keys and certificates, after the nonce).  Consumes nothing on
 * failure. */
static enum bp_error get_key_fields(struct bp_sshbuf *b,
		const struct key_info *ki) {
	struct bp_sshbuf t = *b;
	const unsigned char *p;
	size_t n, bits;

	switch (ki->type) {
	case BP_KEY_ED25519:
		if (bp_sshbuf_get_string(&t, &p, &n) != 0) {
			return BP_ERR_TRUNCATED;
		}
		if (n != BP_ED25519_PK_LEN) {
			return BP_ERR_BAD_FORMAT;
		}
		break;
	case BP_KEY_ECDSA_P256:
	case BP_KEY_ECDSA_P384:
	case BP_KEY_ECDSA_P521:
		if (bp_sshbuf_get_string(&t, &p, &n) != 0) {
			return BP_ERR_TRUNCATED;
		}
		if (!bp_sshbuf_eq(p, n, ki->curve)) {
			return BP_ERR_BAD_FORMAT;
		}
		if (bp_sshbuf_get_string(&t, &p, &n) != 0) {
			return BP_ERR_TRUNCATED;
		}
		/* uncompressed point; the verifier checks it is on the curve */
		if (n != ki->point_len || p[0] != 0x04) {
			return BP_ERR_BAD_FORMAT;
		}
		break;
	case BP_KEY_RSA:
		if (bp_sshbuf_peek_string(&t, NULL, NULL) != 0) {
			return BP_ERR_TRUNCATED;
		}
		if (get_positive_mpint(&t, &bits) != 0) {
			return BP_ERR_BAD_FORMAT;	/* e */
		}
		if (bp_sshbuf_peek_string(&t, NULL, NULL) != 0) {
			return BP_ERR_TRUNCATED;
		}
		if (get_positive_mpint(&t, &bits) != 0
				|| bits < BP_RSA_MIN_BITS || bits > BP_RSA_MAX_BITS) {
			return BP_ERR_BAD_FORMAT;	/* n */
		}
		break;
	default:
		return BP_ERR_INTERNAL;
	}
	*b = t;
	return BP_OK;
}

enum bp_error bp_key_parse_plain(const unsigned char *blob, size_t len,
		enum bp_keytype *type) {
	struct bp_sshbuf b;
	const struct key_info *ki;
	const unsigned char *name;
	size_t namelen;
	enum bp_error ret = BP_ERR_BAD_FORMAT;

	if (type != NULL) {
		*type = BP_KEY_NONE;
	}
	bp_sshbuf_init(&b, blob, len);
	if (bp_sshbuf_get_string(&b, &name, &namelen) != 0) {
		ret = BP_ERR_TRUNCATED;
		goto out;
	}
	ki = key_info_by_name(name, namelen, 0);
	if (ki == NULL) {
		ret = is_any_cert_name(name, namelen) ? BP_ERR_CERT_CA_IS_CERT
			: BP_ERR_CERT_UNKNOWN_TYPE;
		goto out;
	}
	if ((ret = get_key_fields(&b, ki)) != BP_OK) {
		goto out;
	}
	if (b.len != 0) {
		ret = BP_ERR_TRAILING;
		goto out;
	}
	if (type != NULL) {
		*type = ki->type;
	}
	ret = BP_OK;
out:
	return ret;
}

/* Bytewise comparison as strcmp() would do on NUL-free strings. */
static int blob_cmp(const unsigned char *a, size_t alen,
		const unsigned char *b, size_t blen) {
	size_t n = alen < blen ? alen : blen;
	int c = n > 0 ? memcmp(a, b, n) : 0;

	if (c != 0) {
		return c;
	}
	return alen < blen ? -1 : (alen > blen ? 1 : 0);
}

/* An option's data that is one NUL-free string and nothing else. */
static enum bp_error option_cstring(const unsigned char *data, size_t len,
		struct bp_blob *out) {
	struct bp_sshbuf d;

	bp_sshbuf_init(&d, data, len);
	if (bp_sshbuf_get_cstring(&d, &out->p, &out->len) != 0 || d.len != 0) {
		out->p = NULL;
		out->len = 0;
		return BP_ERR_BAD_FORMAT;
	}
	return BP_OK;
}

/* Parse a critical options or extensions section: (string name, string
 * data) pairs with strictly increasing names. */
static enum bp_error parse_options(struct bp_cert *c, struct bp_blob sect,
		int critical) {
	static const struct {
		const char *name;
		unsigned int flag;
	} flag_exts[] = {
		{ "permit-X11-forwarding", BP_CERT_PERMIT_X11 },
		{ "permit-agent-forwarding", BP_CERT_PERMIT_AGENT },
		{ "permit-port-forwarding", BP_CERT_PERMIT_PORT },
		{ "permit-pty", BP_CERT_PERMIT_PTY },
		{ "permit-user-rc", BP_CERT_PERMIT_USER_RC },
	};
	struct bp_sshbuf b;
	const unsigned char *name, *data, *last = NULL;
	size_t namelen, datalen, lastlen = 0, i;
	enum bp_error err;

	bp_sshbuf_init(&b, sect.p, sect.len);
	while (b.len > 0) {
		if (bp_sshbuf_get_cstring(&b, &name, &namelen) != 0
				|| bp_sshbuf_get_string(&b, &data, &datalen) != 0) {
			return BP_ERR_BAD_FORMAT;
		}
		if (last != NULL && blob_cmp(last, lastlen, name, namelen) >= 0) {
			return BP_ERR_CERT_OPTION_ORDER;
		}
		last = name;
		lastlen = namelen;
		if (critical) {
			if (bp_sshbuf_eq(name, namelen, "force-command")) {
				err = option_cstring(data, datalen, &c->force_command);
				if (err != BP_OK) {
					return err;
				}
			} else if (bp_sshbuf_eq(name, namelen, "source-address")) {
				err = option_cstring(data, datalen, &c->source_address);
				if (err != BP_OK) {
					return err;
				}
			} else if (c->unknown_critical.p == NULL) {
				/* refused by bp_cert_check(), as sshd does */
				c->unknown_critical.p = name;
				c->unknown_critical.len = namelen;
			}
			continue;
		}
		for (i = 0; i < sizeof(flag_exts) / sizeof(flag_exts[0]); i++) {
			if (bp_sshbuf_eq(name, namelen, flag_exts[i].name)) {
				if (datalen != 0) {
					return BP_ERR_BAD_FORMAT;
				}
				c->flags |= flag_exts[i].flag;
				break;
			}
		}
		/* other extensions are ignored, as sshd does */
	}
	return BP_OK;
}

/* Whether sig_alg is the right signature algorithm for a CA key type. */
static int sig_alg_fits(enum bp_keytype ca, const unsigned char *alg,
		size_t len) {
	const struct key_info *ki = key_info_by_type(ca);

	if (ki == NULL) {
		return 0;
	}
	if (ca == BP_KEY_RSA) {
		return bp_sshbuf_eq(alg, len, "rsa-sha2-256")
			|| bp_sshbuf_eq(alg, len, "rsa-sha2-512");
	}
	return bp_sshbuf_eq(alg, len, ki->sig_alg);
}

/* Whether a signature blob (string algorithm, string signature) has the
 * shape its CA key type needs: Ed25519 64 bytes, ECDSA exactly the mpints
 * r and s, RSA not empty.  A verifier need not then cope with malformed
 * input (Dropbear's ends the connection on an ECDSA signature whose
 * mpints overrun it, before any audit record). */
static int sig_well_formed(enum bp_keytype ca, const unsigned char *blob,
		size_t len) {
	struct bp_sshbuf b, inner;
	const unsigned char *p;
	size_t n;

	bp_sshbuf_init(&b, blob, len);
	if (bp_sshbuf_get_string(&b, NULL, NULL) != 0
			|| bp_sshbuf_get_string(&b, &p, &n) != 0 || b.len != 0) {
		return 0;
	}
	switch (ca) {
	case BP_KEY_ED25519:
		return n == 64;
	case BP_KEY_ECDSA_P256:
	case BP_KEY_ECDSA_P384:
	case BP_KEY_ECDSA_P521:
		bp_sshbuf_init(&inner, p, n);
		return bp_sshbuf_get_string(&inner, NULL, NULL) == 0
			&& bp_sshbuf_get_string(&inner, NULL, NULL) == 0
			&& inner.len == 0;
	case BP_KEY_RSA:
		return n > 0;
	default:
		return 0;
	}
}

static void put_u32(unsigned char *p, size_t v) {
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

enum bp_error bp_cert_parse(struct bp_cert *out,
		const unsigned char *blob, size_t len) {
	struct bp_cert *c = NULL;
	struct bp_sshbuf b, sb;
	const struct key_info *ki;
	const unsigned char *fields;
	size_t fieldslen, namelen;
	struct bp_blob principals, sig;
	enum bp_error ret = BP_ERR_INTERNAL;

	memset(out, 0, sizeof(*out));
	if (blob == NULL) {
		ret = BP_ERR_TRUNCATED;
		goto out;
	}
	if (len > BP_CERT_MAX_LEN) {
		ret = BP_ERR_TOO_LONG;
		goto out;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		ret = BP_ERR_NOMEM;
		goto out;
	}
	c->blob = blob;
	bp_sshbuf_init(&b, blob, len);

	ret = BP_ERR_TRUNCATED;
	if (bp_sshbuf_get_string(&b, &c->cert_type_name.p,
			&c->cert_type_name.len) != 0) {
		goto out;
	}
	ki = key_info_by_name(c->cert_type_name.p, c->cert_type_name.len, 1);
	if (ki == NULL) {
		ret = BP_ERR_CERT_UNKNOWN_TYPE;
		goto out;
	}
	c->keytype = ki->type;
	if (bp_sshbuf_get_string(&b, &c->nonce.p, &c->nonce.len) != 0) {
		goto out;
	}
	fields = b.p;
	if ((ret = get_key_fields(&b, ki)) != BP_OK) {
		goto out;
	}
	fieldslen = (size_t)(b.p - fields);

	ret = BP_ERR_TRUNCATED;
	if (bp_sshbuf_get_u64(&b, &c->serial) != 0
			|| bp_sshbuf_get_u32(&b, &c->type) != 0) {
		goto out;
	}
	if (bp_sshbuf_peek_string(&b, NULL, NULL) != 0) {
		goto out;
	}
	if (bp_sshbuf_get_cstring(&b, &c->key_id.p, &c->key_id.len) != 0) {
		ret = BP_ERR_BAD_FORMAT;
		goto out;
	}
	if (bp_sshbuf_get_string(&b, &principals.p, &principals.len) != 0
			|| bp_sshbuf_get_u64(&b, &c->valid_after) != 0
			|| bp_sshbuf_get_u64(&b, &c->valid_before) != 0
			|| bp_sshbuf_get_string(&b, &c->critical.p,
				&c->critical.len) != 0
			|| bp_sshbuf_get_string(&b, &c->extensions.p,
				&c->extensions.len) != 0
			|| bp_sshbuf_get_string(&b, &c->reserved.p,
				&c->reserved.len) != 0
			|| bp_sshbuf_get_string(&b, &c->ca_key.p,
				&c->ca_key.len) != 0) {
		goto out;
	}
	c->signed_len = len - b.len;
	if (bp_sshbuf_get_string(&b, &c->signature.p, &c->signature.len) != 0) {
		goto out;
	}
	if (b.len != 0) {
		ret = BP_ERR_TRAILING;
		goto out;
	}

	/* principals: a string of strings */
	bp_sshbuf_init(&sb, principals.p, principals.len);
	while (sb.len > 0) {
		if (c->nprincipals >= BP_CERT_MAX_PRINCIPALS) {
			ret = BP_ERR_CERT_TOO_MANY_PRINCIPALS;
			goto out;
		}
		if (bp_sshbuf_get_cstring(&sb, &c->principals[c->nprincipals].p,
				&c->principals[c->nprincipals].len) != 0) {
			ret = BP_ERR_BAD_FORMAT;
			goto out;
		}
		c->nprincipals++;
	}

	if ((ret = parse_options(c, c->critical, 1)) != BP_OK
			|| (ret = parse_options(c, c->extensions, 0)) != BP_OK) {
		goto out;
	}

	/* the CA key must be a plain key of a supported type */
	if ((ret = bp_key_parse_plain(c->ca_key.p, c->ca_key.len,
			&c->ca_keytype)) != BP_OK) {
		if (ret == BP_ERR_TRUNCATED || ret == BP_ERR_TRAILING) {
			ret = BP_ERR_BAD_FORMAT;
		}
		goto out;
	}

	/* signature blob: string algorithm, string signature */
	bp_sshbuf_init(&sb, c->signature.p, c->signature.len);
	if (bp_sshbuf_get_string(&sb, &c->sig_alg.p, &c->sig_alg.len) != 0
			|| bp_sshbuf_get_string(&sb, &sig.p, &sig.len) != 0
			|| sb.len != 0) {
		ret = BP_ERR_BAD_FORMAT;
		goto out;
	}
	if (!sig_alg_fits(c->ca_keytype, c->sig_alg.p, c->sig_alg.len)) {
		ret = BP_ERR_CERT_SIG_ALGO;
		goto out;
	}

	/* the embedded plain key: string name, then the same fields */
	namelen = strlen(ki->name);
	c->pubkey_len = 4 + namelen + fieldslen;
	if ((c->pubkey = malloc(c->pubkey_len)) == NULL) {
		ret = BP_ERR_NOMEM;
		goto out;
	}
	put_u32(c->pubkey, namelen);
	memcpy(c->pubkey + 4, ki->name, namelen);
	memcpy(c->pubkey + 4 + namelen, fields, fieldslen);

	*out = *c;
	c->pubkey = NULL;	/* now owned by *out */
	ret = BP_OK;
out:
	if (c != NULL) {
		free(c->pubkey);
		free(c);
	}
	return ret;
}

void bp_cert_free(struct bp_cert *cert) {
	if (cert == NULL) {
		return;
	}
	free(cert->pubkey);
	memset(cert, 0, sizeof(*cert));
}

int bp_cert_is_ca_key(const struct bp_blob *ca_keys, size_t nca_keys,
		const unsigned char *key, size_t keylen) {
	size_t i;

	for (i = 0; i < nca_keys; i++) {
		if (ca_keys[i].len == keylen && keylen > 0
				&& memcmp(ca_keys[i].p, key, keylen) == 0) {
			return 1;
		}
	}
	return 0;
}

/* The first line of an AuthorizedPrincipalsFile that names one of the
 * certificate's principals, as sshd's process_principals() reads it:
 * leading blanks skipped, '#' starts a comment anywhere, trailing blanks
 * trimmed.  A line with inner blanks carries authorized_keys options in
 * OpenSSH; bearpass does not support them, so such a line never matches
 * (fail closed rather than ignore a restriction). */
static int match_principals_file(const struct bp_cert *c, const char *file,
		size_t filelen, struct bp_blob *matched) {
	const char *line = file, *end = file + filelen, *eol, *s, *e, *q;
	size_t i;

	while (line < end) {
		eol = memchr(line, '\n', (size_t)(end - line));
		if (eol == NULL) {
			eol = end;
		}
		s = line;
		line = eol < end ? eol + 1 : end;
		while (s < eol && (*s == ' ' || *s == '\t')) {
			s++;
		}
		/* find '#' by hand: gcc -O2 cannot see that eol >= s here
		 * and warns about memchr's bound */
		for (e = s; e < eol && *e != '#'; e++) {
		}
		while (e > s && (e[-1] == ' ' || e[-1] == '\t')) {
			e--;
		}
		if (e == s) {
			continue;
		}
		for (q = s; q < e; q++) {
			if (*q == ' ' || *q == '\t' || *q == '\0') {
				break;
			}
		}
		if (q < e) {
			continue;	/* options, or a NUL byte */
		}
		for (i = 0; i < c->nprincipals; i++) {
			if (blob_cmp(c->principals[i].p, c->principals[i].len,
					(const unsigned char *)s, (size_t)(e - s)) == 0) {
				*matched = c->principals[i];
				return 1;
			}
		}
	}
	return 0;
}

/* Check a source-address list the way OpenSSH's addr_match_cidr_list()
 * does: comma-separated, no empty entries, only address characters, host
 * bits clear.  Returns 1 if the peer matches, 0 if not, -1 if the list is
 * malformed (checked in full even after a match). */
static int match_source_address(const struct bp_blob *list, int family,
		const unsigned char *addr) {
	static const char valid[] = "0123456789abcdefABCDEF.:/";
	const char *p = (const char *)list->p;
	const char *end = p + list->len, *comma, *slash;
	struct bp_prefix pfx, host;
	unsigned char v4[4];
	int v4family = 0, matched = 0;
	size_t n, i;

	/* a v4-mapped IPv6 peer is matched as IPv4, as sshd normalises it */
	if (family == AF_INET6 && addr != NULL) {
		static const unsigned char mapped[12] = {
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
		};
		if (memcmp(addr, mapped, sizeof(mapped)) == 0) {
			memcpy(v4, addr + 12, 4);
			v4family = AF_INET;
		}
	}
	for (;;) {
		comma = memchr(p, ',', (size_t)(end - p));
		if (comma == NULL) {
			comma = end;
		}
		n = (size_t)(comma - p);
		if (n == 0 || n > BP_SOURCE_ADDRESS_MAX_ENTRY) {
			return -1;
		}
		for (i = 0; i < n; i++) {
			if (strchr(valid, p[i]) == NULL || p[i] == '\0') {
				return -1;
			}
		}
		if (bp_prefix_parse(&pfx, p, n) != 0) {
			return -1;
		}
		slash = memchr(p, '/', n);
		if (slash != NULL) {
			/* the address alone must equal the network address */
			if (bp_prefix_parse(&host, p, (size_t)(slash - p)) != 0
					|| host.family != pfx.family
					|| memcmp(host.addr, pfx.addr, sizeof(host.addr)) != 0) {
				return -1;
			}
		}
		if (addr != NULL && family != 0) {
			if (bp_prefix_match(&pfx, family, addr)) {
				matched = 1;
			}
			if (v4family != 0 && bp_prefix_match(&pfx, v4family, v4)) {
				matched = 1;
			}
		}
		if (comma == end) {
			break;
		}
		p = comma + 1;
	}
	return matched;
}

/*
 * Differences from sshd, on purpose:
 * - sshd verifies the CA signature while parsing, for any CA; we verify
 *   only after the CA is found trusted (an attacker's certificate from an
 *   unknown CA costs no public-key operation), and before any check that
 *   reads attacker-chosen fields beyond the type.
 * - sshd checks the principals file and the options before the validity
 *   window; we check the window first, then principals, then options, so
 *   the reason names the most basic problem.  The accept/reject decision
 *   is the same.
 * - An empty principal list is refused with or without a principals file
 *   (sshd: "Certificate lacks principal list" or no match).
 */
enum bp_error bp_cert_check(const struct bp_cert *c,
		const struct bp_cert_policy *pol, struct bp_blob *principal) {
	struct bp_blob matched;
	size_t i;
	int r;
	enum bp_error ret = BP_ERR_INTERNAL;

	matched.p = NULL;
	matched.len = 0;
	if (principal != NULL) {
		*principal = matched;
	}
	if (c == NULL || c->blob == NULL || pol == NULL || pol->verify == NULL) {
		goto out;
	}
	if (c->type != BP_CERT_TYPE_USER) {
		ret = BP_ERR_CERT_NOT_USER;
		goto out;
	}
	if (!bp_cert_is_ca_key(pol->ca_keys, pol->nca_keys,
			c->ca_key.p, c->ca_key.len)) {
		ret = BP_ERR_CERT_UNKNOWN_CA;
		goto out;
	}
	if (!sig_well_formed(c->ca_keytype, c->signature.p, c->signature.len)
			|| pol->verify(pol->verify_ctx, c->ca_key.p, c->ca_key.len,
			c->signature.p, c->signature.len,
			c->blob, c->signed_len) != 0) {
		ret = BP_ERR_CERT_SIGNATURE;
		goto out;
	}
	if (pol->now < c->valid_after) {
		ret = BP_ERR_CERT_NOT_YET_VALID;
		goto out;
	}
	if (pol->now >= c->valid_before) {
		ret = BP_ERR_CERT_EXPIRED;
		goto out;
	}
	if (c->nprincipals == 0) {
		ret = BP_ERR_CERT_NO_PRINCIPALS;
		goto out;
	}
	if (pol->principals_file != NULL) {
		if (pol->principals_file_len > BP_CERT_MAX_PRINCIPALS_FILE) {
			ret = BP_ERR_PRINCIPALS_FILE;
			goto out;
		}
		if (!match_principals_file(c, pol->principals_file,
				pol->principals_file_len, &matched)) {
			ret = BP_ERR_CERT_PRINCIPAL;
			goto out;
		}
	} else {
		for (i = 0; i < c->nprincipals; i++) {
			if (pol->user != NULL && blob_cmp(c->principals[i].p,
					c->principals[i].len,
					(const unsigned char *)pol->user,
					pol->userlen) == 0) {
				matched = c->principals[i];
				break;
			}
		}
		if (matched.p == NULL) {
			ret = BP_ERR_CERT_PRINCIPAL;
			goto out;
		}
	}
	if (c->unknown_critical.p != NULL) {
		ret = BP_ERR_CERT_CRITICAL_OPTION;
		goto out;
	}
	if (c->source_address.p != NULL) {
		r = match_source_address(&c->source_address, pol->peer_family,
				pol->peer_addr);
		if (r < 0) {
			ret = BP_ERR_CERT_BAD_SOURCE_ADDRESS;
			goto out;
		}
		if (r == 0) {
			ret = BP_ERR_CERT_SOURCE_ADDRESS;
			goto out;
		}
	}
	if (principal != NULL) {
		*principal = matched;
	}
	ret = BP_OK;
out:
	return ret;
}
