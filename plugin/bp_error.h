/*
 * bearpass - one flat list of error codes with fixed reason strings.
 *
 * The reason string is what the audit log's "reason" field carries and
 * what operators grep for, so a string never changes meaning once
 * released.  Add new codes at the end of their section.
 */
#ifndef BP_ERROR_H
#define BP_ERROR_H

#define BP_ERRORS(X) \
	X(BP_OK,                      "ok") \
	X(BP_ERR_INTERNAL,            "internal error") \
	X(BP_ERR_NOMEM,               "out of memory") \
	X(BP_ERR_TOO_LONG,            "input too long") \
	/* wire data */ \
	X(BP_ERR_TRUNCATED,           "truncated data") \
	X(BP_ERR_TRAILING,            "trailing data") \
	X(BP_ERR_BAD_FORMAT,          "malformed data") \
	/* certificates */ \
	X(BP_ERR_CERT_UNKNOWN_TYPE,   "unsupported certificate key type") \
	X(BP_ERR_CERT_NOT_USER,       "not a user certificate") \
	X(BP_ERR_CERT_NOT_YET_VALID,  "certificate not yet valid") \
	X(BP_ERR_CERT_EXPIRED,        "certificate expired") \
	X(BP_ERR_CERT_NO_PRINCIPALS,  "certificate has no principals") \
	X(BP_ERR_CERT_PRINCIPAL,      "principal not allowed") \
	X(BP_ERR_CERT_TOO_MANY_PRINCIPALS, "too many principals") \
	X(BP_ERR_CERT_UNKNOWN_CA,     "certificate authority not trusted") \
	X(BP_ERR_CERT_CA_IS_CERT,     "certificate signed by a certificate") \
	X(BP_ERR_CERT_SIGNATURE,      "certificate signature invalid") \
	X(BP_ERR_CERT_SIG_ALGO,       "certificate signature algorithm not allowed") \
	X(BP_ERR_CERT_CRITICAL_OPTION, "unsupported critical option") \
	X(BP_ERR_CERT_OPTION_ORDER,   "certificate options out of order or duplicated") \
	X(BP_ERR_CERT_SOURCE_ADDRESS, "source address not allowed") \
	X(BP_ERR_CERT_BAD_SOURCE_ADDRESS, "invalid source-address option") \
	X(BP_ERR_CERT_REVOKED,        "certificate revoked") \
	X(BP_ERR_CERT_KEY_REVOKED,    "key revoked") \
	X(BP_ERR_CERT_CA_REVOKED,     "certificate authority revoked") \
	X(BP_ERR_REVOCATION_UNAVAILABLE, "revocation list unavailable") \
	X(BP_ERR_CA_KEY_AS_USER_KEY,  "certificate authority key used as user key") \
	X(BP_ERR_PLAIN_KEY,           "plain key not accepted") \
	X(BP_ERR_PRINCIPALS_FILE,     "authorized principals file unavailable") \
	X(BP_ERR_CA_UNAVAILABLE,      "trusted CA keys unavailable") \
	/* users */ \
	X(BP_ERR_USER_UNKNOWN,        "unknown user") \
	X(BP_ERR_USER_DENIED,         "unknown user denied") \
	X(BP_ERR_USER_BAD_ENTRY,      "malformed user entry") \
	/* network */ \
	X(BP_ERR_PEER_NOT_ALLOWED,    "peer address not allowed") \
	X(BP_ERR_NO_6PN,              "no 6PN address") \
	/* sessions and forwarding */ \
	X(BP_ERR_SESSION_TIME,        "maximum session time reached") \
	X(BP_ERR_FWD_CONFIG,          "forwarding disabled by configuration") \
	X(BP_ERR_FWD_CERT_PORT,       "certificate lacks permit-port-forwarding") \
	X(BP_ERR_FWD_CERT_AGENT,      "certificate lacks permit-agent-forwarding") \
	X(BP_ERR_FWD_KEY,             "key restrictions do not permit forwarding") \
	X(BP_ERR_FWD_SERVER,          "forwarding disabled by server options")

enum bp_error {
#define BP_ERROR_ENUM(code, text) code,
	BP_ERRORS(BP_ERROR_ENUM)
#undef BP_ERROR_ENUM
	BP_ERR_COUNT
};

/* The fixed reason string of an error code; never NULL. */
const char *bp_strerror(enum bp_error err);

#endif /* BP_ERROR_H */
