/*
 * bearpass - certificate tests with real signatures: cert.c linked with
 * verify_dropbear.c and Dropbear's signkey code.
 *
 * Fixtures as in test_cert.c (argv[1], $BP_FIXTURES, or generated).
 * Every fixture's CA signature verifies; every CA type works; every
 * single-byte change anywhere in a certificate is refused; a SHA-1
 * (ssh-rsa) CA signature is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "base64.h"
#include "cakeys.h"
#include "cert.h"
#include "t.h"
#include "fixtures.h"
#include "dbexit.h"

/* from Dropbear (dbutil.h, crypto_desc.h), declared here to keep
 * Dropbear's headers out of this file */
extern void (*_dropbear_exit)(int exitcode, const char *format, va_list param);
extern void (*_dropbear_log)(int priority, const char *format, va_list param);
void crypto_init(void);

int bp_verify_dropbear(void *ctx, const unsigned char *key, size_t keylen,
		const unsigned char *sig, size_t siglen,
		const unsigned char *data, size_t datalen);

#define NOW 1750000000ULL

static struct bp_cakeys trusted;

static unsigned char peer[4] = { 127, 0, 0, 1 };

static void policy(struct bp_cert_policy *pol) {
	memset(pol, 0, sizeof(*pol));
	pol->ca_keys = trusted.keys;
	pol->nca_keys = trusted.n;
	pol->now = NOW;
	pol->user = "root";
	pol->userlen = 4;
	pol->peer_family = AF_INET;
	pol->peer_addr = peer;
	pol->verify = bp_verify_dropbear;
}

/* parse + check; a dropbear_exit() inside counts as a refusal */
static enum bp_error outcome(const unsigned char *blob, size_t len,
		const struct bp_cert_policy *pol) {
	static struct bp_cert c;
	volatile enum bp_error e;

	e = bp_cert_parse(&c, blob, len);
	if (e != BP_OK) {
		return e;
	}
	if (setjmp(exit_jmp) != 0) {
		bp_cert_free(&c);
		return BP_ERR_INTERNAL;
	}
	e = bp_cert_check(&c, pol, NULL);
	bp_cert_free(&c);
	return e;
}

static const char *const users[] = { "ed25519", "p256", "p384", "p521", "rsa" };
static const char *const cas[] = { "ed25519", "p256", "p384", "p521",
	"rsa256", "rsa512" };

/* parseable fixtures whose CA signature must verify, and their outcome
 * under the default policy */
static const struct {
	const char *file;
	enum bp_error want;
} specials[] = {
	{ "host-cert.pub", BP_ERR_CERT_NOT_USER },
	{ "noprinc-cert.pub", BP_ERR_CERT_NO_PRINCIPALS },
	{ "alice-cert.pub", BP_ERR_CERT_PRINCIPAL },
	{ "expired-cert.pub", BP_ERR_CERT_EXPIRED },
	{ "future-cert.pub", BP_ERR_CERT_NOT_YET_VALID },
	{ "forever-cert.pub", BP_OK },
	{ "force-cert.pub", BP_OK },
	{ "source-cert.pub", BP_OK },
	{ "badsource-cert.pub", BP_ERR_CERT_BAD_SOURCE_ADDRESS },
	{ "critfoo-cert.pub", BP_ERR_CERT_CRITICAL_OPTION },
	{ "clear-cert.pub", BP_OK },
	{ "selected-cert.pub", BP_OK },
	{ "extunknown-cert.pub", BP_OK },
	{ "other-cert.pub", BP_ERR_CERT_UNKNOWN_CA },
	{ "keyid-cert.pub", BP_OK },
	{ "bigserial-cert.pub", BP_OK },
	{ "many256-cert.pub", BP_OK },
};

static void test_cert_file(const char *name, enum bp_error want, int flips) {
	struct bp_cert c;
	struct bp_cert_policy pol;
	unsigned char *blob, *m;
	size_t len, i;
	enum bp_error e;
	int bad = 0;

	blob = fx_blob(name, &len);
	CHECKF(blob != NULL, "%s", name);
	if (blob == NULL) {
		return;
	}
	policy(&pol);
	e = bp_cert_parse(&c, blob, len);
	CHECKF(e == BP_OK, "%s: %s", name, bp_strerror(e));
	if (e == BP_OK) {
		if (setjmp(exit_jmp) == 0) {
			CHECKF(bp_verify_dropbear(NULL, c.ca_key.p, c.ca_key.len,
					c.signature.p, c.signature.len,
					blob, c.signed_len) == 0, "%s: CA signature", name);
			/* the signature does not cover the signature itself */
			CHECKF(bp_verify_dropbear(NULL, c.ca_key.p, c.ca_key.len,
					c.signature.p, c.signature.len,
					blob, c.signed_len - 1) != 0, "%s", name);
		} else {
			CHECKF(0, "%s: dropbear_exit", name);
		}
		bp_cert_free(&c);
	}
	e = outcome(blob, len, &pol);
	CHECKF(e == want, "%s: %s", name, bp_strerror(e));
	if (flips && want == BP_OK) {
		m = malloc(len);
		for (i = 0; i < len; i++) {
			memcpy(m, blob, len);
			m[i] ^= (unsigned char)(1u << (i % 8));
			if (outcome(m, len, &pol) == BP_OK) {
				bad++;
				CHECKF(0, "%s: flip of byte %zu accepted", name, i);
			}
		}
		CHECKF(bad == 0, "%s flips", name);
		free(m);
	}
	free(blob);
}

int main(int argc, char **argv) {
	char name[128];
	size_t len, u, k;
	char *text;

	_dropbear_exit = test_exit;
	_dropbear_log = test_log;
	crypto_init();

	CHECK(fx_init(argc, argv, "trusted.pub") == 0);
	text = fx_read("trusted.pub", &len);
	if (text == NULL) {
		return T_DONE("dbtest_cert");
	}
	CHECK(bp_cakeys_parse(&trusted, text, len, NULL, NULL) == BP_OK
			&& trusted.n == 5);
	free(text);

	/* every user key type under every CA type, every byte changed */
	for (u = 0; u < 5; u++) {
		for (k = 0; k < 6; k++) {
			snprintf(name, sizeof(name), "m_%s_%s-cert.pub", users[u], cas[k]);
			test_cert_file(name, BP_OK, 1);
		}
	}
	for (u = 0; u < sizeof(specials) / sizeof(specials[0]); u++) {
		test_cert_file(specials[u].file, specials[u].want, 0);
	}

	/* SHA-1 CA signature: refused by the parser, and Dropbear (built
	 * without DROPBEAR_RSA_SHA1) would not verify it either */
	{
		unsigned char *blob = fx_blob("sha1-cert.pub", &len);
		struct bp_cert_policy pol;
		policy(&pol);
		CHECK(blob != NULL && outcome(blob, len, &pol) == BP_ERR_CERT_SIG_ALGO);
		free(blob);
	}

	bp_cakeys_free(&trusted);
	printf("dropbear_exit calls caught: %d\n", exits);
	return T_DONE("dbtest_cert");
}
