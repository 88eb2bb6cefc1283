/*
 * bearpass - unit tests of policy.c: the time limit of a connection
 * (MaxSessionTime, DisconnectExpiredCert) and the reasons of refused
 * forwarding requests, table-driven.
 */
#include <stdint.h>

#include "cert.h"
#include "policy.h"
#include "t.h"

#define NOW 1800000000ULL
#define FOREVER UINT64_MAX

static const struct {
	unsigned int max;       /* MaxSessionTime */
	int dec;                /* DisconnectExpiredCert */
	int is_cert;
	uint64_t valid_before;
	unsigned long secs;     /* expected */
	enum bp_error why;      /* expected */
} limits[] = {
	/* nothing configured */
	{ 0,     0, 1, NOW + 60,     0,     BP_OK },
	{ 0,     1, 0, NOW + 60,     0,     BP_OK },      /* not a certificate */
	{ 0,     1, 1, FOREVER,      0,     BP_OK },      /* valid forever */
	{ 0,     1, 1, NOW + BP_LIMIT_MAX_SECS + 1, 0, BP_OK },
	/* MaxSessionTime alone */
	{ 3600,  0, 1, NOW + 60,     3600,  BP_ERR_SESSION_TIME },
	{ 1,     0, 0, 0,            1,     BP_ERR_SESSION_TIME },
	{ 31536000, 1, 1, FOREVER,   31536000, BP_ERR_SESSION_TIME },
	/* DisconnectExpiredCert alone */
	{ 0,     1, 1, NOW + 60,     60,    BP_ERR_CERT_EXPIRED },
	{ 0,     1, 1, NOW + 1,      1,     BP_ERR_CERT_EXPIRED },
	{ 0,     1, 1, NOW,          1,     BP_ERR_CERT_EXPIRED },   /* at least 1 s */
	{ 0,     1, 1, NOW - 5,      1,     BP_ERR_CERT_EXPIRED },
	{ 0,     1, 1, NOW + BP_LIMIT_MAX_SECS, BP_LIMIT_MAX_SECS, BP_ERR_CERT_EXPIRED },
	/* both: the earlier wins, the certificate on a tie */
	{ 3600,  1, 1, NOW + 60,     60,    BP_ERR_CERT_EXPIRED },
	{ 60,    1, 1, NOW + 3600,   60,    BP_ERR_SESSION_TIME },
	{ 60,    1, 1, NOW + 60,     60,    BP_ERR_CERT_EXPIRED },
	{ 60,    1, 0, NOW + 30,     60,    BP_ERR_SESSION_TIME },
	{ 60,    1, 1, FOREVER,      60,    BP_ERR_SESSION_TIME },
};

static void test_session_limit(void) {
	size_t i;
	unsigned long secs;
	enum bp_error why;

	for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		secs = 12345;
		why = bp_session_limit(limits[i].max, limits[i].dec, limits[i].is_cert,
				limits[i].valid_before, NOW, &secs);
		CHECKF(why == limits[i].why && secs == limits[i].secs,
				"row %zu: got %lu (%s)", i, secs, bp_strerror(why));
	}
}

static const struct {
	enum bp_fwd_kind kind;
	enum bp_fwd_policy policy;
	int is_cert;
	unsigned int flags;
	int by_server;
	enum bp_error why;
} refusals[] = {
	/* the server's options come first */
	{ BP_FWD_KIND_PORT,  BP_FWD_NO,          1, 0, 1, BP_ERR_FWD_SERVER },
	{ BP_FWD_KIND_AGENT, BP_FWD_YES,         1, BP_CERT_PERMIT_AGENT, 1, BP_ERR_FWD_SERVER },
	/* the keyword */
	{ BP_FWD_KIND_PORT,  BP_FWD_NO,          1, BP_CERT_PERMIT_PORT, 0, BP_ERR_FWD_CONFIG },
	{ BP_FWD_KIND_AGENT, BP_FWD_NO,          0, 0, 0, BP_ERR_FWD_CONFIG },
	/* the certificate's extensions */
	{ BP_FWD_KIND_PORT,  BP_FWD_CERTIFICATE, 1, 0, 0, BP_ERR_FWD_CERT_PORT },
	{ BP_FWD_KIND_PORT,  BP_FWD_CERTIFICATE, 1, BP_CERT_PERMIT_AGENT, 0, BP_ERR_FWD_CERT_PORT },
	{ BP_FWD_KIND_AGENT, BP_FWD_CERTIFICATE, 1, BP_CERT_PERMIT_PORT | BP_CERT_PERMIT_PTY, 0,
		BP_ERR_FWD_CERT_AGENT },
	/* the key's other restrictions */
	{ BP_FWD_KIND_PORT,  BP_FWD_CERTIFICATE, 1, BP_CERT_PERMIT_PORT, 0, BP_ERR_FWD_KEY },
	{ BP_FWD_KIND_AGENT, BP_FWD_CERTIFICATE, 1, BP_CERT_PERMIT_AGENT, 0, BP_ERR_FWD_KEY },
	{ BP_FWD_KIND_PORT,  BP_FWD_CERTIFICATE, 0, 0, 0, BP_ERR_FWD_KEY },  /* authorized_keys */
	{ BP_FWD_KIND_PORT,  BP_FWD_YES,         1, 0, 0, BP_ERR_FWD_KEY },
};

static void test_forward_refusal(void) {
	size_t i;
	enum bp_error why;

	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		why = bp_forward_refusal(refusals[i].kind, refusals[i].policy,
				refusals[i].is_cert, refusals[i].flags, refusals[i].by_server);
		CHECKF(why == refusals[i].why, "row %zu: got %s", i, bp_strerror(why));
	}
	CHECK_STREQ(bp_strerror(BP_ERR_FWD_CERT_PORT), "certificate lacks permit-port-forwarding");
	CHECK_STREQ(bp_strerror(BP_ERR_SESSION_TIME), "maximum session time reached");
}

int main(void) {
	test_session_limit();
	test_forward_refusal();
	return T_DONE("policy");
}
