/*
 * bearpass - unit tests of cert.c (and cakeys.c on real key files).
 *
 * Fixtures come from tests/fixtures/mkcerts.sh (ssh-keygen): the directory
 * is argv[1], else $BP_FIXTURES, else the script is run into a temporary
 * directory.  A fake verifier stands in for the CA signature check; the
 * real one is exercised by dbtest_cert.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "base64.h"
#include "cakeys.h"
#include "cert.h"
#include "t.h"
#include "fixtures.h"

#define VALID_AFTER  1735689600ULL  /* 2025-01-01T00:00:00Z */
#define VALID_BEFORE 2051222400ULL  /* 2035-01-01T00:00:00Z */
#define EXP_AFTER    946684800ULL   /* 2000-01-01 */
#define EXP_BEFORE   978307200ULL   /* 2001-01-01 */
#define FUT_AFTER    3786912000ULL  /* 2090-01-01 */
#define FUT_BEFORE   3818448000ULL  /* 2091-01-01 */
#define NOW          1750000000ULL  /* 2025-06-15 */

#define ALL_FLAGS (BP_CERT_PERMIT_X11 | BP_CERT_PERMIT_AGENT \
	| BP_CERT_PERMIT_PORT | BP_CERT_PERMIT_PTY | BP_CERT_PERMIT_USER_RC)

static struct bp_cakeys trusted;

/* ---- helpers ---- */

static const char *str(const char *s) {
	return s;
}

static int blob_is(struct bp_blob b, const char *s) {
	return b.p != NULL && b.len == strlen(s) && memcmp(b.p, s, b.len) == 0;
}

/* A verifier that records its calls.  In strict mode it accepts only the
 * exact key, signature and signed data saved from a good certificate. */
struct fake {
	int calls;
	int result;              /* returned when not strict */
	int strict;
	unsigned char *key, *sig, *data;
	size_t keylen, siglen, datalen;
};

static int fake_verify(void *ctx, const unsigned char *key, size_t keylen,
		const unsigned char *sig, size_t siglen,
		const unsigned char *data, size_t datalen) {
	struct fake *f = ctx;

	f->calls++;
	if (!f->strict) {
		f->keylen = keylen;
		f->datalen = datalen;
		f->siglen = siglen;
		return f->result;
	}
	if (keylen != f->keylen || memcmp(key, f->key, keylen) != 0
			|| siglen != f->siglen || memcmp(sig, f->sig, siglen) != 0
			|| datalen != f->datalen || memcmp(data, f->data, datalen) != 0) {
		return -1;
	}
	return 0;
}

static void fake_save(struct fake *f, const struct bp_cert *c) {
	memset(f, 0, sizeof(*f));
	f->strict = 1;
	f->keylen = c->ca_key.len;
	f->siglen = c->signature.len;
	f->datalen = c->signed_len;
	f->key = malloc(f->keylen + 1);
	f->sig = malloc(f->siglen + 1);
	f->data = malloc(f->datalen + 1);
	memcpy(f->key, c->ca_key.p, f->keylen);
	memcpy(f->sig, c->signature.p, f->siglen);
	memcpy(f->data, c->blob, f->datalen);
}

static void fake_free(struct fake *f) {
	free(f->key);
	free(f->sig);
	free(f->data);
	memset(f, 0, sizeof(*f));
}

static unsigned char peer_addr[16];

static void policy(struct bp_cert_policy *pol, struct fake *f) {
	memset(pol, 0, sizeof(*pol));
	pol->ca_keys = trusted.keys;
	pol->nca_keys = trusted.n;
	pol->now = NOW;
	pol->user = "root";
	pol->userlen = 4;
	pol->peer_family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", peer_addr);
	pol->peer_addr = peer_addr;
	pol->verify = fake_verify;
	pol->verify_ctx = f;
}

/* ---- a writer to build certificates with chosen fields ---- */

struct wbuf {
	unsigned char b[128 * 1024];
	size_t len;
};

static void w_u32(struct wbuf *w, uint32_t v) {
	w->b[w->len++] = (unsigned char)(v >> 24);
	w->b[w->len++] = (unsigned char)(v >> 16);
	w->b[w->len++] = (unsigned char)(v >> 8);
	w->b[w->len++] = (unsigned char)v;
}

static void w_u64(struct wbuf *w, uint64_t v) {
	w_u32(w, (uint32_t)(v >> 32));
	w_u32(w, (uint32_t)v);
}

static void w_raw(struct wbuf *w, const void *p, size_t n) {
	if (n > 0) {
		memcpy(w->b + w->len, p, n);
	}
	w->len += n;
}

static void w_str(struct wbuf *w, const void *p, size_t n) {
	w_u32(w, (uint32_t)n);
	w_raw(w, p, n);
}

static void w_cstr(struct wbuf *w, const char *s) {
	w_str(w, s, strlen(s));
}

/* Certificate fields; built from a parsed certificate, then changed. */
struct spec {
	struct bp_blob type_name, nonce, keyfields;
	uint64_t serial;
	uint32_t type;
	struct bp_blob key_id, principals, crit, ext, reserved, ca_key, sig;
	uint64_t va, vb;
	struct wbuf *pbuf;
};

static void spec_from(struct spec *s, const struct bp_cert *c, struct wbuf *pbuf) {
	size_t i, namelen;

	memset(s, 0, sizeof(*s));
	s->type_name = c->cert_type_name;
	s->nonce = c->nonce;
	namelen = ((size_t)c->pubkey[2] << 8) | c->pubkey[3];
	s->keyfields.p = c->pubkey + 4 + namelen;
	s->keyfields.len = c->pubkey_len - 4 - namelen;
	s->serial = c->serial;
	s->type = c->type;
	s->key_id = c->key_id;
	pbuf->len = 0;
	for (i = 0; i < c->nprincipals; i++) {
		w_str(pbuf, c->principals[i].p, c->principals[i].len);
	}
	s->principals.p = pbuf->b;
	s->principals.len = pbuf->len;
	s->va = c->valid_after;
	s->vb = c->valid_before;
	s->crit = c->critical;
	s->ext = c->extensions;
	s->reserved = c->reserved;
	s->ca_key = c->ca_key;
	s->sig = c->signature;
}

static void build(struct wbuf *w, const struct spec *s) {
	w->len = 0;
	w_str(w, s->type_name.p, s->type_name.len);
	w_str(w, s->nonce.p, s->nonce.len);
	w_raw(w, s->keyfields.p, s->keyfields.len);
	w_u64(w, s->serial);
	w_u32(w, s->type);
	w_str(w, s->key_id.p, s->key_id.len);
	w_str(w, s->principals.p, s->principals.len);
	w_u64(w, s->va);
	w_u64(w, s->vb);
	w_str(w, s->crit.p, s->crit.len);
	w_str(w, s->ext.p, s->ext.len);
	w_str(w, s->reserved.p, s->reserved.len);
	w_str(w, s->ca_key.p, s->ca_key.len);
	w_str(w, s->sig.p, s->sig.len);
}

static struct bp_blob wblob(const struct wbuf *w) {
	struct bp_blob b;

	b.p = w->b;
	b.len = w->len;
	return b;
}

/* parse + check with the lenient fake verifier */
static enum bp_error outcome(const unsigned char *blob, size_t len,
		const struct bp_cert_policy *pol) {
	struct bp_cert c;
	enum bp_error e = bp_cert_parse(&c, blob, len);

	if (e == BP_OK) {
		e = bp_cert_check(&c, pol, NULL);
		bp_cert_free(&c);
	}
	return e;
}

/* ---- tests ---- */

static const char *const users[] = { "ed25519", "p256", "p384", "p521", "rsa" };
static const enum bp_keytype user_types[] = { BP_KEY_ED25519,
	BP_KEY_ECDSA_P256, BP_KEY_ECDSA_P384, BP_KEY_ECDSA_P521, BP_KEY_RSA };
static const char *const user_cert_names[] = {
	"ssh-ed25519-cert-v01@openssh.com",
	"ecdsa-sha2-nistp256-cert-v01@openssh.com",
	"ecdsa-sha2-nistp384-cert-v01@openssh.com",
	"ecdsa-sha2-nistp521-cert-v01@openssh.com",
	"ssh-rsa-cert-v01@openssh.com" };
static const char *const cas[] = { "ed25519", "p256", "p384", "p521",
	"rsa256", "rsa512" };
static const char *const ca_files[] = { "ca_ed25519.pub", "ca_p256.pub",
	"ca_p384.pub", "ca_p521.pub", "ca_rsa.pub", "ca_rsa.pub" };
static const enum bp_keytype ca_types[] = { BP_KEY_ED25519,
	BP_KEY_ECDSA_P256, BP_KEY_ECDSA_P384, BP_KEY_ECDSA_P521, BP_KEY_RSA,
	BP_KEY_RSA };
static const char *const ca_algs[] = { "ssh-ed25519", "ecdsa-sha2-nistp256",
	"ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-256",
	"rsa-sha2-512" };

/* Every user key type signed by every CA type: fields as requested by
 * mkcerts.sh; then every byte flip and every truncation. */
static void test_matrix(void) {
	size_t u, k, i, len, ulen, calen, n;
	char name[128], id[64];
	unsigned char *blob, *ublob, *cablob, *m;
	struct bp_cert c;
	struct bp_cert_policy pol;
	struct bp_blob principal;
	struct fake f;
	enum bp_error e;
	int flips_ok;

	for (u = 0; u < 5; u++) {
		snprintf(name, sizeof(name), "user_%s.pub", users[u]);
		ublob = fx_blob(name, &ulen);
		CHECKF(ublob != NULL, "%s", name);
		for (k = 0; k < 6 && ublob != NULL; k++) {
			snprintf(name, sizeof(name), "m_%s_%s-cert.pub", users[u], cas[k]);
			blob = fx_blob(name, &len);
			cablob = fx_blob(ca_files[k], &calen);
			CHECKF(blob != NULL && cablob != NULL, "%s", name);
			if (blob == NULL || cablob == NULL) {
				free(blob);
				free(cablob);
				continue;
			}
			e = bp_cert_parse(&c, blob, len);
			CHECKF(e == BP_OK, "%s: %s", name, bp_strerror(e));
			if (e != BP_OK) {
				free(blob);
				free(cablob);
				continue;
			}
			snprintf(id, sizeof(id), "id-%s-%s", users[u], cas[k]);
			CHECKF(c.keytype == user_types[u], "%s", name);
			CHECKF(blob_is(c.cert_type_name, user_cert_names[u]), "%s", name);
			CHECKF(c.serial == 1000 + 10 * u + k, "%s", name);
			CHECKF(c.type == BP_CERT_TYPE_USER, "%s", name);
			CHECKF(blob_is(c.key_id, id), "%s", name);
			CHECKF(c.nprincipals == 2 && blob_is(c.principals[0], "root")
					&& blob_is(c.principals[1], "fly"), "%s", name);
			CHECKF(c.valid_after == VALID_AFTER
					&& c.valid_before == VALID_BEFORE, "%s", name);
			CHECKF(c.flags == ALL_FLAGS, "%s", name);
			CHECKF(c.force_command.p == NULL && c.source_address.p == NULL
					&& c.unknown_critical.p == NULL, "%s", name);
			CHECKF(c.ca_keytype == ca_types[k], "%s", name);
			CHECKF(blob_is(c.sig_alg, ca_algs[k]), "%s", name);
			CHECKF(c.ca_key.len == calen
					&& memcmp(c.ca_key.p, cablob, calen) == 0, "%s", name);
			CHECKF(c.pubkey_len == ulen
					&& memcmp(c.pubkey, ublob, ulen) == 0, "%s", name);
			CHECKF(c.signed_len + 4 + c.signature.len == len, "%s", name);
			CHECKF(bp_cert_is_ca_key(trusted.keys, trusted.n, cablob, calen),
					"%s", name);
			CHECKF(!bp_cert_is_ca_key(trusted.keys, trusted.n, ublob, ulen),
					"%s", name);

			memset(&f, 0, sizeof(f));
			policy(&pol, &f);
			e = bp_cert_check(&c, &pol, &principal);
			CHECKF(e == BP_OK && blob_is(principal, "root"), "%s: %s",
					name, bp_strerror(e));
			CHECKF(f.calls == 1 && f.keylen == calen
					&& f.datalen == c.signed_len
					&& f.siglen == c.signature.len, "%s", name);
			pol.user = "fly";
			pol.userlen = 3;
			e = bp_cert_check(&c, &pol, &principal);
			CHECKF(e == BP_OK && blob_is(principal, "fly"), "%s", name);

			/* every flip of every byte changes the outcome */
			fake_save(&f, &c);
			pol.user = "root";
			pol.userlen = 4;
			CHECKF(bp_cert_check(&c, &pol, NULL) == BP_OK, "%s strict", name);
			bp_cert_free(&c);
			m = malloc(len + 1);
			flips_ok = 1;
			for (i = 0; i < len; i++) {
				static const unsigned char masks[] = { 0x01, 0x80, 0xff };
				for (n = 0; n < sizeof(masks); n++) {
					memcpy(m, blob, len);
					m[i] ^= masks[n];
					if (outcome(m, len, &pol) == BP_OK) {
						flips_ok = 0;
						CHECKF(0, "%s: flip byte %zu ^ 0x%02x accepted",
								name, i, masks[n]);
					}
				}
			}
			CHECKF(flips_ok, "%s flips", name);
			/* every truncation fails to parse; extra bytes are trailing */
			for (i = 0; i < len; i++) {
				memcpy(m, blob, i);
				e = bp_cert_parse(&c, m, i);
				if (e == BP_OK) {
					bp_cert_free(&c);
					CHECKF(0, "%s: truncation to %zu parsed", name, i);
				}
			}
			memcpy(m, blob, len);
			m[len] = 0;
			CHECKF(bp_cert_parse(&c, m, len + 1) == BP_ERR_TRAILING, "%s", name);
			free(m);
			fake_free(&f);
			free(blob);
			free(cablob);
		}
		free(ublob);
	}
}

struct rule {
	const char *file;
	const char *user;
	uint64_t now;
	const char *principals_file;   /* NULL: none */
	const char *peer;              /* NULL: 127.0.0.1; "" : unknown */
	int verify_result;
	enum bp_error parse_err;
	enum bp_error check_err;
	int verify_calls;
	const char *principal;         /* expected match on success */
};

static const struct rule rules[] = {
	{ "m_ed25519_ed25519-cert.pub", "root", NOW, NULL, NULL, 0, BP_OK, BP_OK, 1, "root" },
	{ "host-cert.pub", "root", NOW, NULL, NULL, 0, BP_OK, BP_ERR_CERT_NOT_USER, 0, NULL },
	{ "other-cert.pub", "root", NOW, NULL, NULL, 0, BP_OK, BP_ERR_CERT_UNKNOWN_CA, 0, NULL },
	{ "m_ed25519_ed25519-cert.pub", "root", NOW, NULL, NULL, -1, BP_OK, BP_ERR_CERT_SIGNATURE, 1, NULL },
	{ "m_rsa_rsa512-cert.pub", "root", NOW, NULL, NULL, 1, BP_OK, BP_ERR_CERT_SIGNATURE, 1, NULL },
	/* validity window edges */
	{ "m_ed25519_ed25519-cert.pub", "root", VALID_AFTER, NULL, NULL, 0, BP_OK, BP_OK, 1, "root" },
	{ "m_ed25519_ed25519-cert.pub", "root", VALID_AFTER - 1, NULL, NULL, 0, BP_OK, BP_ERR_CERT_NOT_YET_VALID, 1, NULL },
	{ "m_ed25519_ed25519-cert.pub", "root", VALID_BEFORE - 1, NULL, NULL, 0, BP_OK, BP_OK, 1, "root" },
	{ "m_ed25519_ed25519-cert.pub", "root", VALID_BEFORE, NULL, NULL, 0, BP_OK, BP_ERR_CERT_EXPIRED, 1, NULL },
	{ "expired-cert.pub", "root", NOW, NULL, NULL, 0, BP_OK, BP_ERR_CERT_EXPIRED, 1, NULL },
	{ "expired-cert.pub", "root", EXP_BEFORE - 1, NULL, NULL, 0, BP_OK, BP_OK, 1, "root" },
	{ "future-cert.pub", "root", NOW, NULL, NULL, 0, BP_OK, BP_ERR_CERT_NOT_YET_VALID, 1, NULL },
	{ "future-cert.pub", "root", FUT_AFTER, NULL, NULL, 0, BP_OK, BP_OK, 1, "root" },
	{ "forever-cert.pub", "root", 0, NULL, NULL, 0, BP_OK, BP_OK, 1, "root" },
	{ "forever-cert.pub", "root", UINT64_MAX - 1, NULL, NULL, 0, BP_OK, BP_OK, 1, "root" },
	/* an expired certificate with a bad signature: signature first */
	{ "expired-cert.pub", "root", NOW, NULL, NULL, -1, BP_OK, BP_ERR_CERT_SIGNATURE, 1, NULL },
	/* principals */
	{ "noprinc-cert.pub", "root", NOW, NULL, NULL, 0, BP_OK, BP_ERR_CERT_NO_PRINCIPALS, 1, NULL },
	{ "noprinc-cert.pub", "root", NOW, "root\n", NULL, 0, BP_OK, BP_ERR_CERT_NO_PRINCIPALS, 1, NULL },
	{ "alice-cert.pub", "root", NOW, NULL, NULL, 0, BP_OK, BP_ERR_CERT_PRINCIPAL, 1, NULL },
	{ "alice-cert.pub", "alice", NOW, NULL, NULL, 0, BP_OK, BP_OK, 1, "alice" },
	{ "alice-cert.pub", "alic", NOW, NULL, NULL, 0, BP_OK, BP_ERR_CERT_PRINCIPAL, 1, NULL },
	{ "alice-cert.pub", "alice2", NOW, NULL, NULL, 0, BP_OK, BP_ERR_CERT_PRINCIPAL, 1, NULL },
	{ "m_ed25519_ed25519-cert.pub", "Root", NOW, NULL, NULL, 0, BP_OK, BP_ERR_CERT_PRINCIPAL, 1, NULL },
	/* AuthorizedPrincipalsFile contents (login name not used) */
	{ "m_ed25519_ed25519-cert.pub", "root", NOW, "alice\n", NULL, 0, BP_OK, BP_ERR_CERT_PRINCIPAL, 1, NULL },
	{ "m_ed25519_ed25519-cert.pub", "root", NOW, "", NULL, 0, BP_OK, BP_ERR_CERT_PRINCIPAL, 1, NULL },
	{ "m_ed25519_ed25519-cert.pub", "root", NOW, "# root\n\n", NULL, 0, BP_OK, BP_ERR_CERT_PRINCIPAL, 1, NULL },
	{ "m_ed25519_ed25519-cert.pub", "root", NOW, "# x\n\n \t fly \t\n", NULL, 0, BP_OK, BP_OK, 1, "fly" },
	{ "m_ed25519_ed25519-cert.pub", "root", NOW, "fly # the fly user", NULL, 0, BP_OK, BP_OK, 1, "fly" },
	{ "m_ed25519_ed25519-cert.pub", "alice", NOW, "alice\nfly\nroot\n", NULL, 0, BP_OK, BP_OK, 1, "fly" },
	{ "m_ed25519_ed25519-cert.pub", "root", NOW, "fl\nflyy\nroo\n", NULL, 0, BP_OK, BP_ERR_CERT_PRINCIPAL, 1, NULL },
	{ "m_ed25519_ed25519-cert.pub", "root", NOW, "from=\"10.0.0.0/8\" fly\n", NULL, 0, BP_OK, BP_ERR_CERT_PRINCIPAL, 1, NULL },
	{ "m_ed25519_ed25519-cert.pub", "root", NOW, "root\r\n", NULL, 0, BP_OK, BP_ERR_CERT_PRINCIPAL, 1, NULL },
	{ "many256-cert.pub", "root", NOW, NULL, NULL, 0, BP_OK, BP_OK, 1, "root" },
	{ "many256-cert.pub", "p255", NOW, NULL, NULL, 0, BP_OK, BP_OK, 1, "p255" },
	/* critical options */
	{ "critfoo-cert.pub", "root", NOW, NULL, NULL, 0, BP_OK, BP_ERR_CERT_CRITICAL_OPTION, 1, NULL },
	{ "critfoo-cert.pub", "alice", NOW, NULL, NULL, 0, BP_OK, BP_ERR_CERT_PRINCIPAL, 1, NULL },
	{ "force-cert.pub", "root", NOW, NULL, NULL, 0, BP_OK, BP_OK, 1, "root" },
	{ "source-cert.pub", "root", NOW, NULL, NULL, 0, BP_OK, BP_OK, 1, "root" },
	{ "source-cert.pub", "root", NOW, NULL, "10.1.255.254", 0, BP_OK, BP_OK, 1, "root" },
	{ "source-cert.pub", "root", NOW, NULL, "10.2.0.1", 0, BP_OK, BP_ERR_CERT_SOURCE_ADDRESS, 1, NULL },
	{ "source-cert.pub", "root", NOW, NULL, "127.0.0.2", 0, BP_OK, BP_ERR_CERT_SOURCE_ADDRESS, 1, NULL },
	{ "source-cert.pub", "root", NOW, NULL, "fdaa:0:1::2", 0, BP_OK, BP_OK, 1, "root" },
	{ "source-cert.pub", "root", NOW, NULL, "fdab::2", 0, BP_OK, BP_ERR_CERT_SOURCE_ADDRESS, 1, NULL },
	{ "source-cert.pub", "root", NOW, NULL, "::ffff:127.0.0.1", 0, BP_OK, BP_OK, 1, "root" },
	{ "source-cert.pub", "root", NOW, NULL, "::1", 0, BP_OK, BP_ERR_CERT_SOURCE_ADDRESS, 1, NULL },
	{ "source-cert.pub", "root", NOW, NULL, "", 0, BP_OK, BP_ERR_CERT_SOURCE_ADDRESS, 1, NULL },
	{ "source-cert.pub", "alice", NOW, NULL, "10.2.0.1", 0, BP_OK, BP_ERR_CERT_PRINCIPAL, 1, NULL },
	{ "badsource-cert.pub", "root", NOW, NULL, NULL, 0, BP_OK, BP_ERR_CERT_BAD_SOURCE_ADDRESS, 1, NULL },
	/* extensions */
	{ "clear-cert.pub", "root", NOW, NULL, NULL, 0, BP_OK, BP_OK, 1, "root" },
	{ "selected-cert.pub", "root", NOW, NULL, NULL, 0, BP_OK, BP_OK, 1, "root" },
	{ "extunknown-cert.pub", "root", NOW, NULL, NULL, 0, BP_OK, BP_OK, 1, "root" },
	{ "extdata-cert.pub", "root", NOW, NULL, NULL, 0, BP_ERR_BAD_FORMAT, BP_OK, 0, NULL },
	/* SHA-1 RSA CA signature */
	{ "sha1-cert.pub", "root", NOW, NULL, NULL, 0, BP_ERR_CERT_SIG_ALGO, BP_OK, 0, NULL },
	{ "keyid-cert.pub", "root", NOW, NULL, NULL, 0, BP_OK, BP_OK, 1, "root" },
	{ "bigserial-cert.pub", "root", NOW, NULL, NULL, 0, BP_OK, BP_OK, 1, "root" },
};

static void test_rules(void) {
	size_t i, len;
	unsigned char *blob;
	unsigned char addr[16];
	struct bp_cert c;
	struct bp_cert_policy pol;
	struct bp_blob principal;
	struct fake f;
	enum bp_error e;
	const struct rule *r;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		r = &rules[i];
		blob = fx_blob(r->file, &len);
		CHECKF(blob != NULL, "rule %zu: %s", i, r->file);
		if (blob == NULL) {
			continue;
		}
		memset(&f, 0, sizeof(f));
		f.result = r->verify_result;
		policy(&pol, &f);
		pol.user = r->user;
		pol.userlen = strlen(r->user);
		pol.now = r->now;
		if (r->principals_file != NULL) {
			pol.principals_file = r->principals_file;
			pol.principals_file_len = strlen(r->principals_file);
		}
		if (r->peer != NULL && r->peer[0] == '\0') {
			pol.peer_family = 0;
			pol.peer_addr = NULL;
		} else if (r->peer != NULL) {
			pol.peer_family = strchr(r->peer, ':') ? AF_INET6 : AF_INET;
			CHECK(inet_pton(pol.peer_family, r->peer, addr) == 1);
			pol.peer_addr = addr;
		}
		e = bp_cert_parse(&c, blob, len);
		CHECKF(e == r->parse_err, "rule %zu (%s): parse: %s", i, r->file,
				bp_strerror(e));
		if (e == BP_OK) {
			e = bp_cert_check(&c, &pol, &principal);
			CHECKF(e == r->check_err, "rule %zu (%s as %s): %s, want %s",
					i, r->file, r->user, bp_strerror(e),
					bp_strerror(r->check_err));
			CHECKF(f.calls == r->verify_calls, "rule %zu: %d verify calls",
					i, f.calls);
			if (r->principal != NULL) {
				CHECKF(blob_is(principal, r->principal), "rule %zu", i);
			} else {
				CHECKF(principal.p == NULL, "rule %zu", i);
			}
			bp_cert_free(&c);
		}
		free(blob);
	}
}

/* Parsed values of the special certificates. */
static void test_fields(void) {
	unsigned char *blob;
	size_t len;
	struct bp_cert c;
	char want[256];

	blob = fx_blob("force-cert.pub", &len);
	CHECK(blob != NULL && bp_cert_parse(&c, blob, len) == BP_OK);
	if (blob != NULL && c.blob != NULL) {
		CHECK(blob_is(c.force_command, "/bin/echo forced"));
		CHECK(c.serial == 7 && blob_is(c.key_id, "force"));
		CHECK(c.nprincipals == 1 && blob_is(c.principals[0], "root"));
		bp_cert_free(&c);
	}
	free(blob);

	blob = fx_blob("source-cert.pub", &len);
	CHECK(blob != NULL && bp_cert_parse(&c, blob, len) == BP_OK);
	if (blob != NULL && c.blob != NULL) {
		CHECK(blob_is(c.source_address, "10.1.0.0/16,127.0.0.1,fdaa::/16"));
		CHECK(c.force_command.p == NULL);
		bp_cert_free(&c);
	}
	free(blob);

	blob = fx_blob("critfoo-cert.pub", &len);
	CHECK(blob != NULL && bp_cert_parse(&c, blob, len) == BP_OK);
	if (blob != NULL && c.blob != NULL) {
		CHECK(blob_is(c.unknown_critical, "foo"));
		bp_cert_free(&c);
	}
	free(blob);

	blob = fx_blob("clear-cert.pub", &len);
	CHECK(blob != NULL && bp_cert_parse(&c, blob, len) == BP_OK);
	if (blob != NULL && c.blob != NULL) {
		CHECK(c.flags == 0 && c.extensions.len == 0);
		bp_cert_free(&c);
	}
	free(blob);

	blob = fx_blob("selected-cert.pub", &len);
	CHECK(blob != NULL && bp_cert_parse(&c, blob, len) == BP_OK);
	if (blob != NULL && c.blob != NULL) {
		CHECK(c.flags == (BP_CERT_PERMIT_PTY | BP_CERT_PERMIT_AGENT));
		bp_cert_free(&c);
	}
	free(blob);

	blob = fx_blob("extunknown-cert.pub", &len);
	CHECK(blob != NULL && bp_cert_parse(&c, blob, len) == BP_OK);
	if (blob != NULL && c.blob != NULL) {
		CHECK(c.flags == ALL_FLAGS);
		bp_cert_free(&c);
	}
	free(blob);

	blob = fx_blob("keyid-cert.pub", &len);
	CHECK(blob != NULL && bp_cert_parse(&c, blob, len) == BP_OK);
	if (blob != NULL && c.blob != NULL) {
		snprintf(want, sizeof(want), "q\"uote\\back\tt\001\033[31mred%0200d", 0);
		CHECK(blob_is(c.key_id, want));
		CHECK(c.key_id.len == 222);
		bp_cert_free(&c);
	}
	free(blob);

	blob = fx_blob("bigserial-cert.pub", &len);
	CHECK(blob != NULL && bp_cert_parse(&c, blob, len) == BP_OK);
	if (blob != NULL && c.blob != NULL) {
		CHECK(c.serial == UINT64_MAX);
		bp_cert_free(&c);
	}
	free(blob);

	blob = fx_blob("forever-cert.pub", &len);
	CHECK(blob != NULL && bp_cert_parse(&c, blob, len) == BP_OK);
	if (blob != NULL && c.blob != NULL) {
		CHECK(c.valid_after == 0 && c.valid_before == UINT64_MAX);
		bp_cert_free(&c);
	}
	free(blob);

	blob = fx_blob("many256-cert.pub", &len);
	CHECK(blob != NULL && bp_cert_parse(&c, blob, len) == BP_OK);
	if (blob != NULL && c.blob != NULL) {
		CHECK(c.nprincipals == 256 && blob_is(c.principals[0], "p1")
				&& blob_is(c.principals[255], "root"));
		bp_cert_free(&c);
	}
	free(blob);

	blob = fx_blob("host-cert.pub", &len);
	CHECK(blob != NULL && bp_cert_parse(&c, blob, len) == BP_OK);
	if (blob != NULL && c.blob != NULL) {
		CHECK(c.type == BP_CERT_TYPE_HOST);
		bp_cert_free(&c);
	}
	free(blob);
}

/* A section of (name, data) options; data NULL = empty. */
static void opts(struct wbuf *w, const char *const *names,
		const struct bp_blob *data, size_t n) {
	size_t i;

	w->len = 0;
	for (i = 0; i < n; i++) {
		w_cstr(w, names[i]);
		w_str(w, data[i].p, data[i].len);
	}
}

/* Certificates ssh-keygen will not make, built from a good one. */
static void test_built(void) {
	static struct wbuf w, pb, basepb, rpb, ob, db, db2, kb;
	struct spec s, base;
	struct bp_cert c, good, rsa;
	struct bp_cert_policy pol;
	struct fake f;
	unsigned char *blob, *rsablob, *plain;
	size_t len, rsalen, plainlen, i;
	const char *names[3];
	struct bp_blob data[3];
	enum bp_error e;
	char p[16];

	blob = fx_blob("m_ed25519_ed25519-cert.pub", &len);
	rsablob = fx_blob("m_ed25519_rsa512-cert.pub", &rsalen);
	plain = fx_blob("user_ed25519.pub", &plainlen);
	if (blob == NULL || rsablob == NULL || plain == NULL
			|| bp_cert_parse(&good, blob, len) != BP_OK
			|| bp_cert_parse(&rsa, rsablob, rsalen) != BP_OK) {
		CHECK(0);
		return;
	}
	memset(&f, 0, sizeof(f));
	policy(&pol, &f);
	spec_from(&base, &good, &basepb);

	/* rebuilt unchanged: identical bytes */
	build(&w, &base);
	CHECK(w.len == len && memcmp(w.b, blob, len) == 0);

	/* a plain key is not a certificate */
	CHECK(bp_cert_parse(&c, plain, plainlen) == BP_ERR_CERT_UNKNOWN_TYPE);
	CHECK(bp_cert_parse(&c, NULL, 0) == BP_ERR_TRUNCATED);
	CHECK(bp_cert_parse(&c, blob, BP_CERT_MAX_LEN + 1) == BP_ERR_TOO_LONG);

	/* unsupported certificate types */
	s = base;
	s.type_name.p = (const unsigned char *)"ssh-dss-cert-v01@openssh.com";
	s.type_name.len = strlen((const char *)s.type_name.p);
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) == BP_ERR_CERT_UNKNOWN_TYPE);
	s.type_name.p = (const unsigned char *)"sk-ssh-ed25519-cert-v01@openssh.com";
	s.type_name.len = strlen((const char *)s.type_name.p);
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) == BP_ERR_CERT_UNKNOWN_TYPE);
	/* type name and key fields disagree */
	s.type_name.p = (const unsigned char *)"ecdsa-sha2-nistp256-cert-v01@openssh.com";
	s.type_name.len = strlen((const char *)s.type_name.p);
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) != BP_OK);

	/* certificate types other than user */
	for (i = 0; i < 5; i++) {
		static const uint32_t types[] = { 0, 2, 3, 0x80000001u, 0xffffffffu };
		s = base;
		s.type = types[i];
		build(&w, &s);
		CHECKF(outcome(w.b, w.len, &pol) == BP_ERR_CERT_NOT_USER, "type %u",
				(unsigned)types[i]);
	}

	/* principals: 256 parse, 257 do not; NUL inside; bad framing */
	pb.len = 0;
	for (i = 0; i < 257; i++) {
		snprintf(p, sizeof(p), i == 0 ? "root" : "p%zu", i);
		w_cstr(&pb, p);
		if (i == 255) {
			s = base;
			s.principals = wblob(&pb);
			build(&w, &s);
			CHECK(outcome(w.b, w.len, &pol) == BP_OK);
		}
	}
	s = base;
	s.principals = wblob(&pb);
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) == BP_ERR_CERT_TOO_MANY_PRINCIPALS);
	pb.len = 0;
	w_str(&pb, "root\0x", 6);
	s.principals = wblob(&pb);
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) == BP_ERR_BAD_FORMAT);
	pb.len = 0;
	w_cstr(&pb, "root");
	w_u32(&pb, 5);
	w_raw(&pb, "fly", 3);
	s.principals = wblob(&pb);
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) == BP_ERR_BAD_FORMAT);
	pb.len = 0;
	w_cstr(&pb, "");        /* an empty principal never equals a login */
	s.principals = wblob(&pb);
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) == BP_ERR_CERT_PRINCIPAL);

	/* key ID with a NUL byte */
	s = base;
	s.key_id.p = (const unsigned char *)"a\0b";
	s.key_id.len = 3;
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) == BP_ERR_BAD_FORMAT);

	/* critical options: order, duplicates, framing, data */
	db.len = 0;
	w_cstr(&db, "/bin/true");
	db2.len = 0;
	w_cstr(&db2, "10.0.0.0/8");
	s = base;
	names[0] = "force-command"; data[0] = wblob(&db);
	names[1] = "source-address"; data[1] = wblob(&db2);
	opts(&ob, names, data, 2);
	s.crit = wblob(&ob);
	build(&w, &s);
	e = bp_cert_parse(&c, w.b, w.len);
	CHECK(e == BP_OK);
	if (e == BP_OK) {
		CHECK(blob_is(c.force_command, "/bin/true"));
		CHECK(blob_is(c.source_address, "10.0.0.0/8"));
		bp_cert_free(&c);
	}
	names[0] = "source-address"; data[0] = wblob(&db2);
	names[1] = "force-command"; data[1] = wblob(&db);
	opts(&ob, names, data, 2);
	s.crit = wblob(&ob);
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) == BP_ERR_CERT_OPTION_ORDER);
	names[0] = "force-command"; data[0] = wblob(&db);
	names[1] = "force-command"; data[1] = wblob(&db);
	opts(&ob, names, data, 2);
	s.crit = wblob(&ob);
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) == BP_ERR_CERT_OPTION_ORDER);
	/* a name that is a prefix of the previous one is out of order */
	names[0] = "foo-bar"; data[0] = wblob(&db);
	names[1] = "foo"; data[1] = wblob(&db);
	opts(&ob, names, data, 2);
	s.crit = wblob(&ob);
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) == BP_ERR_CERT_OPTION_ORDER);
	names[0] = "foo"; names[1] = "foo-bar";
	opts(&ob, names, data, 2);
	s.crit = wblob(&ob);
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) == BP_ERR_CERT_CRITICAL_OPTION);
	/* force-command data: trailing bytes, not a string, NUL inside */
	{
		static const struct {
			const char *d;
			size_t n;
		} bad[] = {
			{ "\0\0\0\x04/bin/", 9 },
			{ "\0\0\0\x05/bin", 8 },
			{ "/bin/true", 9 },
			{ "\0\0\0\x03a\0b", 7 },
			{ "", 0 },
		};
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			names[0] = "force-command";
			data[0].p = (const unsigned char *)bad[i].d;
			data[0].len = bad[i].n;
			opts(&ob, names, data, 1);
			s.crit = wblob(&ob);
			build(&w, &s);
			CHECKF(outcome(w.b, w.len, &pol) == BP_ERR_BAD_FORMAT, "bad %zu", i);
			names[0] = "source-address";
			opts(&ob, names, data, 1);
			s.crit = wblob(&ob);
			build(&w, &s);
			CHECKF(outcome(w.b, w.len, &pol) == BP_ERR_BAD_FORMAT, "bad %zu", i);
		}
	}
	/* a name without data, and a name with a NUL */
	ob.len = 0;
	w_cstr(&ob, "force-command");
	s.crit = wblob(&ob);
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) == BP_ERR_BAD_FORMAT);
	ob.len = 0;
	w_str(&ob, "force-command\0", 14);
	w_str(&ob, db.b, db.len);
	s.crit = wblob(&ob);
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) == BP_ERR_BAD_FORMAT);

	/* source-address contents, as OpenSSH's addr_match_cidr_list */
	{
		static const struct {
			const char *list;
			enum bp_error want;
		} sa[] = {
			{ "127.0.0.1", BP_OK },
			{ "127.0.0.0/8", BP_OK },
			{ "0.0.0.0/0", BP_OK },
			{ "::/0,0.0.0.0/0", BP_OK },
			{ "10.0.0.0/8,127.0.0.1/32", BP_OK },
			{ "10.0.0.0/8", BP_ERR_CERT_SOURCE_ADDRESS },
			{ "fdaa::/16", BP_ERR_CERT_SOURCE_ADDRESS },
			{ "", BP_ERR_CERT_BAD_SOURCE_ADDRESS },
			{ ",127.0.0.1", BP_ERR_CERT_BAD_SOURCE_ADDRESS },
			{ "127.0.0.1,", BP_ERR_CERT_BAD_SOURCE_ADDRESS },
			{ "127.0.0.1,,10.0.0.0/8", BP_ERR_CERT_BAD_SOURCE_ADDRESS },
			{ " 127.0.0.1", BP_ERR_CERT_BAD_SOURCE_ADDRESS },
			{ "127.0.0.1/8", BP_ERR_CERT_BAD_SOURCE_ADDRESS },
			{ "127.0.0.0/33", BP_ERR_CERT_BAD_SOURCE_ADDRESS },
			{ "127.0.0.0/", BP_ERR_CERT_BAD_SOURCE_ADDRESS },
			{ "127.0.0.0/-1", BP_ERR_CERT_BAD_SOURCE_ADDRESS },
			{ "127.1", BP_ERR_CERT_BAD_SOURCE_ADDRESS },
			{ "localhost", BP_ERR_CERT_BAD_SOURCE_ADDRESS },
			{ "!10.0.0.0/8", BP_ERR_CERT_BAD_SOURCE_ADDRESS },
			{ "*", BP_ERR_CERT_BAD_SOURCE_ADDRESS },
			{ "fdaa::1/16", BP_ERR_CERT_BAD_SOURCE_ADDRESS },
			{ "fdaa::/129", BP_ERR_CERT_BAD_SOURCE_ADDRESS },
			/* malformed after a match is still malformed */
			{ "127.0.0.1,bogus", BP_ERR_CERT_BAD_SOURCE_ADDRESS },
		};
		for (i = 0; i < sizeof(sa) / sizeof(sa[0]); i++) {
			db2.len = 0;
			w_cstr(&db2, sa[i].list);
			names[0] = "source-address";
			data[0] = wblob(&db2);
			opts(&ob, names, data, 1);
			s.crit = wblob(&ob);
			build(&w, &s);
			e = outcome(w.b, w.len, &pol);
			CHECKF(e == sa[i].want, "source-address \"%s\": %s", sa[i].list,
					bp_strerror(e));
		}
	}

	/* extensions: order, duplicates, data on a flag */
	s = base;
	names[0] = "permit-pty"; data[0].p = NULL; data[0].len = 0;
	names[1] = "permit-X11-forwarding"; data[1] = data[0];
	opts(&ob, names, data, 2);
	s.ext = wblob(&ob);
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) == BP_ERR_CERT_OPTION_ORDER);
	names[1] = "permit-pty";
	opts(&ob, names, data, 2);
	s.ext = wblob(&ob);
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) == BP_ERR_CERT_OPTION_ORDER);
	names[0] = "permit-port-forwarding";
	names[1] = "permit-user-rc";
	names[2] = "zz@example.com";
	data[2].p = (const unsigned char *)"anything";
	data[2].len = 8;
	opts(&ob, names, data, 3);
	s.ext = wblob(&ob);
	build(&w, &s);
	e = bp_cert_parse(&c, w.b, w.len);
	CHECK(e == BP_OK);
	if (e == BP_OK) {
		CHECK(c.flags == (BP_CERT_PERMIT_PORT | BP_CERT_PERMIT_USER_RC));
		bp_cert_free(&c);
	}
	/* an unknown extension with a critical-sounding name is ignored */
	names[0] = "force-command";
	data[0] = wblob(&db);
	opts(&ob, names, data, 1);
	s.ext = wblob(&ob);
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) == BP_OK);
	ob.len = 0;
	w_cstr(&ob, "permit-pty");
	s.ext = wblob(&ob);
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) == BP_ERR_BAD_FORMAT);

	/* the signature key: a certificate, an unknown type, truncated */
	s = base;
	s.ca_key.p = blob;
	s.ca_key.len = len;
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) == BP_ERR_CERT_CA_IS_CERT);
	kb.len = 0;
	w_cstr(&kb, "ssh-dss");
	w_str(&kb, "x", 1);
	s.ca_key = wblob(&kb);
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) == BP_ERR_CERT_UNKNOWN_TYPE);
	s.ca_key.len = good.ca_key.len - 1;
	s.ca_key.p = good.ca_key.p;
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) == BP_ERR_BAD_FORMAT);
	/* a plain user key as signature key: untrusted */
	s.ca_key.p = plain;
	s.ca_key.len = plainlen;
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) == BP_ERR_CERT_UNKNOWN_CA);

	/* signature algorithm must fit the CA key */
	{
		static const struct {
			int rsa;
			const char *alg;
			enum bp_error want;
		} sig[] = {
			{ 0, "ssh-ed25519", BP_OK },
			{ 0, "ecdsa-sha2-nistp256", BP_ERR_CERT_SIG_ALGO },
			{ 0, "rsa-sha2-512", BP_ERR_CERT_SIG_ALGO },
			{ 0, "ssh-ed25519-cert-v01@openssh.com", BP_ERR_CERT_SIG_ALGO },
			{ 0, "", BP_ERR_CERT_SIG_ALGO },
			{ 1, "rsa-sha2-512", BP_OK },
			{ 1, "rsa-sha2-256", BP_OK },
			{ 1, "ssh-rsa", BP_ERR_CERT_SIG_ALGO },
			{ 1, "ssh-ed25519", BP_ERR_CERT_SIG_ALGO },
			{ 1, "rsa-sha2-512-cert-v01@openssh.com", BP_ERR_CERT_SIG_ALGO },
		};
		struct spec rs;
		for (i = 0; i < sizeof(sig) / sizeof(sig[0]); i++) {
			spec_from(&rs, sig[i].rsa ? &rsa : &good, &rpb);
			static const unsigned char sig64[64];

			kb.len = 0;
			w_cstr(&kb, sig[i].alg);
			/* the length an Ed25519 signature has; any for RSA */
			w_str(&kb, sig64, sizeof(sig64));
			rs.sig = wblob(&kb);
			build(&w, &rs);
			e = outcome(w.b, w.len, &pol);
			CHECKF(e == sig[i].want, "sig alg %s: %s", sig[i].alg,
					bp_strerror(e));
		}
		/* signature blob framing: trailing data, missing signature */
		spec_from(&rs, &good, &rpb);
		kb.len = 0;
		w_cstr(&kb, "ssh-ed25519");
		w_str(&kb, "sig", 3);
		w_raw(&kb, "x", 1);
		rs.sig = wblob(&kb);
		build(&w, &rs);
		CHECK(outcome(w.b, w.len, &pol) == BP_ERR_BAD_FORMAT);
		kb.len = 0;
		w_cstr(&kb, "ssh-ed25519");
		rs.sig = wblob(&kb);
		build(&w, &rs);
		CHECK(outcome(w.b, w.len, &pol) == BP_ERR_BAD_FORMAT);
	}

	/* the signature inside the blob must have its key type's shape before
	 * the verifier sees it (Dropbear's ends the connection on ECDSA mpints
	 * that overrun their string): refused as an invalid signature */
	{
		static const struct {
			const char *fixture, *alg;
			unsigned char inner[16];
			size_t innerlen;
			int ok;
		} shape[] = {
			/* ECDSA: string r, string s, nothing after */
			{ "m_ed25519_p256-cert.pub", "ecdsa-sha2-nistp256",
				{ 0,0,0,1, 1, 0,0,0,1, 2 }, 10, 1 },
			{ "m_ed25519_p256-cert.pub", "ecdsa-sha2-nistp256",
				{ 0,0,0,0x58, 1, 0,0,0,1, 2 }, 10, 0 },
			{ "m_ed25519_p384-cert.pub", "ecdsa-sha2-nistp384",
				{ 0,0,0,1, 1, 0,0,0,9, 2 }, 10, 0 },
			{ "m_ed25519_p521-cert.pub", "ecdsa-sha2-nistp521",
				{ 0,0,0,1, 1 }, 5, 0 },
			{ "m_ed25519_p256-cert.pub", "ecdsa-sha2-nistp256",
				{ 0,0,0,1, 1, 0,0,0,1, 2, 3 }, 11, 0 },
			{ "m_ed25519_p256-cert.pub", "ecdsa-sha2-nistp256",
				{ 0 }, 0, 0 },
			/* Ed25519: 64 bytes, not 16 */
			{ "m_ed25519_ed25519-cert.pub", "ssh-ed25519", { 1 }, 16, 0 },
			/* RSA: not empty */
			{ "m_ed25519_rsa512-cert.pub", "rsa-sha2-512", { 1 }, 1, 1 },
			{ "m_ed25519_rsa512-cert.pub", "rsa-sha2-512", { 0 }, 0, 0 },
		};
		struct spec rs;
		struct bp_cert sc;
		unsigned char *sb;
		size_t sblen;

		for (i = 0; i < sizeof(shape) / sizeof(shape[0]); i++) {
			sb = fx_blob(shape[i].fixture, &sblen);
			if (sb == NULL || bp_cert_parse(&sc, sb, sblen) != BP_OK) {
				CHECKF(0, "fixture %s", shape[i].fixture);
				free(sb);
				continue;
			}
			spec_from(&rs, &sc, &rpb);
			kb.len = 0;
			w_cstr(&kb, shape[i].alg);
			w_str(&kb, shape[i].inner, shape[i].innerlen);
			rs.sig = wblob(&kb);
			build(&w, &rs);
			memset(&f, 0, sizeof(f));
			e = outcome(w.b, w.len, &pol);
			CHECKF(shape[i].ok ? e == BP_OK && f.calls == 1
					: e == BP_ERR_CERT_SIGNATURE && f.calls == 0,
					"signature shape %zu (%s): %s, %d verify calls",
					i, shape[i].alg, bp_strerror(e), f.calls);
			bp_cert_free(&sc);
			free(sb);
		}
	}

	/* key fields: ed25519 key of the wrong length */
	s = base;
	kb.len = 0;
	w_str(&kb, "0123456789012345678901234567890", 31);
	s.keyfields = wblob(&kb);
	build(&w, &s);
	CHECK(outcome(w.b, w.len, &pol) == BP_ERR_BAD_FORMAT);

	/* a certificate is parsed fresh: a failed parse leaves *out empty */
	memset(&c, 0xa5, sizeof(c));
	CHECK(bp_cert_parse(&c, blob, len - 1) != BP_OK);
	CHECK(c.pubkey == NULL && c.blob == NULL && c.nprincipals == 0);

	/* the policy's principals file is bounded */
	pol.principals_file = "root\n";
	pol.principals_file_len = BP_CERT_MAX_PRINCIPALS_FILE + 1;
	CHECK(bp_cert_check(&good, &pol, NULL) == BP_ERR_PRINCIPALS_FILE);

	bp_cert_free(&good);
	bp_cert_free(&rsa);
	free(blob);
	free(rsablob);
	free(plain);
}

int main(int argc, char **argv) {
	size_t len;
	char *text;
	enum bp_error e;

	CHECK(fx_init(argc, argv, "trusted.pub") == 0);
	text = fx_read("trusted.pub", &len);
	if (text == NULL) {
		return T_DONE("cert");
	}
	e = bp_cakeys_parse(&trusted, text, len, NULL, NULL);
	CHECK(e == BP_OK && trusted.n == 5);
	free(text);

	test_matrix();
	test_rules();
	test_fields();
	test_built();

	bp_cakeys_free(&trusted);
	(void)str;
	return T_DONE("cert");
}
