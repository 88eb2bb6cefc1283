/*
 * bearpass - libFuzzer target for plugin/krl.c (RevokedKeys).
 *
 * The input is a whole revocation file (KRL or text key list).  It is
 * checked against a fixed certificate (made by ssh-keygen: key ID
 * "alice", serial 3, ed25519 key and CA), its plain key, and its CA key
 * as a plain key.  Besides memory errors (build with
 * -fsanitize=fuzzer,address,undefined) it aborts when a promise of
 * krl.h is broken: only the documented results; a file is unavailable
 * for every subject or for none, and exactly when bp_revoked_validate()
 * says so; a plain key is never "certificate revoked" or "CA revoked";
 * passing key NULL for a certificate means its embedded key.
 * Seeds: KRLs from "ssh-keygen -k" and .pub files.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "cert.h"
#include "krl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char cert_b64[] =
	"AAAAIHNzaC1lZDI1NTE5LWNlcnQtdjAxQG9wZW5zc2guY29tAAAAIEq28lyB86IK"
	"1rLfUSc+Q4vhfaYQlZsWWFqgkfEbLeChAAAAIAO0FTPOoQxrnWVi0JxprgMTh5sD"
	"oLFGCbOSo7idMyJ/AAAAAAAAAAMAAAABAAAABWFsaWNlAAAACQAAAAVhbGljZQAA"
	"AABndIWAAAAAAHpDK4AAAAAAAAAAggAAABVwZXJtaXQtWDExLWZvcndhcmRpbmcA"
	"AAAAAAAAF3Blcm1pdC1hZ2VudC1mb3J3YXJkaW5nAAAAAAAAABZwZXJtaXQtcG9y"
	"dC1mb3J3YXJkaW5nAAAAAAAAAApwZXJtaXQtcHR5AAAAAAAAAA5wZXJtaXQtdXNl"
	"ci1yYwAAAAAAAAAAAAAAMwAAAAtzc2gtZWQyNTUxOQAAACABXkTkGfhTD4n6GKge"
	"abTbgz2EslAe1A1O3XRXLZUuNQAAAFMAAAALc3NoLWVkMjU1MTkAAABAC2ZqFgqb"
	"bQwKBnMRYblIKyS5I0VyTSndwMENOA/lZenwJ1E1DqJUYF/geAn+Jlex2g6+Oyw2"
	"0eTk3KszkCIWCA==";

static int known(enum bp_error e) {
	return e == BP_OK || e == BP_ERR_CERT_REVOKED
		|| e == BP_ERR_CERT_KEY_REVOKED || e == BP_ERR_CERT_CA_REVOKED
		|| e == BP_ERR_REVOCATION_UNAVAILABLE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	unsigned char blob[sizeof(cert_b64)];
	size_t bloblen;
	struct bp_cert cert;
	enum bp_error ec, ec2, ek, eca, ev, why;

	if (bp_base64_decode(blob, sizeof(blob), &bloblen, cert_b64,
			strlen(cert_b64)) != 0
			|| bp_cert_parse(&cert, blob, bloblen) != BP_OK) {
		abort();
	}
	ec = bp_revoked_check(data, size, &cert, cert.pubkey, cert.pubkey_len);
	ec2 = bp_revoked_check(data, size, &cert, NULL, 0);
	ek = bp_revoked_check(data, size, NULL, cert.pubkey, cert.pubkey_len);
	eca = bp_revoked_check(data, size, NULL, cert.ca_key.p, cert.ca_key.len);
	ev = bp_revoked_validate(data, size, &why);

	if (!known(ec) || !known(ek) || !known(eca) || ec2 != ec) {
		abort();
	}
	if (ev != BP_OK && ev != BP_ERR_REVOCATION_UNAVAILABLE) {
		abort();
	}
	if ((ev == BP_OK) != (why == BP_OK)) {
		abort();
	}
	if ((ec == BP_ERR_REVOCATION_UNAVAILABLE) != (ev != BP_OK)
			|| (ek == BP_ERR_REVOCATION_UNAVAILABLE) != (ev != BP_OK)
			|| (eca == BP_ERR_REVOCATION_UNAVAILABLE) != (ev != BP_OK)) {
		abort();
	}
	if (ek == BP_ERR_CERT_REVOKED || ek == BP_ERR_CERT_CA_REVOKED
			|| eca == BP_ERR_CERT_REVOKED
			|| eca == BP_ERR_CERT_CA_REVOKED) {
		abort();
	}
	/* the certificate's key listed means the certificate's key revoked;
	 * the CA key listed revokes the certificate one way or another */
	if ((ek == BP_ERR_CERT_KEY_REVOKED) != (ec == BP_ERR_CERT_KEY_REVOKED)) {
		abort();
	}
	if (eca == BP_ERR_CERT_KEY_REVOKED && ec == BP_OK) {
		abort();
	}
	bp_cert_free(&cert);
	return 0;
}
