/*
 * bearpass - libFuzzer target for plugin/cert.c and plugin/cakeys.c.
 *
 * The input is a certificate blob (the key blob of a publickey userauth
 * request, attacker-controlled before any signature check).  It is parsed
 * and, when it parses, checked against a policy whose trusted CA list is
 * the certificate's own CA key and whose verifier accepts everything, so
 * that every later rule runs too.  The same bytes are also fed to the CA
 * key file parser as text.  Besides memory errors it aborts if a
 * certificate is accepted that breaks a rule the checker promises.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cakeys.h"
#include "cert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int accept_all(void *ctx, const unsigned char *key, size_t keylen,
		const unsigned char *sig, size_t siglen,
		const unsigned char *d, size_t dlen) {
	(void)ctx; (void)key; (void)keylen; (void)sig; (void)siglen; (void)d; (void)dlen;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	struct bp_cert cert;
	struct bp_cert_policy pol;
	struct bp_blob principal;
	struct bp_cakeys ca;
	static const unsigned char peer[4] = { 127, 0, 0, 1 };

	if (bp_cert_parse(&cert, data, size) == BP_OK) {
		memset(&pol, 0, sizeof(pol));
		pol.ca_keys = &cert.ca_key;
		pol.nca_keys = 1;
		pol.now = 1800000000;
		pol.user = "root";
		pol.userlen = 4;
		pol.peer_family = AF_INET;
		pol.peer_addr = peer;
		pol.verify = accept_all;
		if (bp_cert_check(&cert, &pol, &principal) == BP_OK) {
			if (cert.type != BP_CERT_TYPE_USER
					|| cert.valid_after > pol.now || pol.now >= cert.valid_before
					|| principal.len != 4 || memcmp(principal.p, "root", 4) != 0
					|| cert.unknown_critical.p != NULL) {
				abort();
			}
		}
		bp_cert_free(&cert);
	}
	memset(&ca, 0, sizeof(ca));
	(void)bp_cakeys_parse(&ca, (const char *)data, size, NULL, NULL);
	bp_cakeys_free(&ca);
	return 0;
}
