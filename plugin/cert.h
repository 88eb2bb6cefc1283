/*
 * bearpass - OpenSSH user certificates (PROTOCOL.certkeys), with the
 * semantics of sshd's TrustedUserCAKeys.
 *
 * bp_cert_parse() checks the wire format only; bp_cert_check() applies
 * policy.  Both are pure: the time, the trusted keys, the principals file
 * contents, the peer address and the signature verifier are parameters.
 */
#ifndef BP_CERT_H
#define BP_CERT_H

#include <stddef.h>
#include <stdint.h>

#include "bp_error.h"

#define BP_CERT_MAX_LEN         (64 * 1024)  /* whole certificate blob */
#define BP_CERT_MAX_PRINCIPALS  256          /* as SSHKEY_CERT_MAX_PRINCIPALS */
#define BP_CERT_MAX_PRINCIPALS_FILE (1024 * 1024) /* principals file size */
#define BP_RSA_MIN_BITS         1024         /* as SSH_RSA_MINIMUM_MODULUS_SIZE */
#define BP_RSA_MAX_BITS         16384        /* as SSHBUF_MAX_BIGNUM * 8 */

#define BP_CERT_TYPE_USER 1
#define BP_CERT_TYPE_HOST 2

/* Extensions that become flags (struct bp_cert.flags). */
#define BP_CERT_PERMIT_X11     0x01  /* permit-X11-forwarding */
#define BP_CERT_PERMIT_AGENT   0x02  /* permit-agent-forwarding */
#define BP_CERT_PERMIT_PORT    0x04  /* permit-port-forwarding */
#define BP_CERT_PERMIT_PTY     0x08  /* permit-pty */
#define BP_CERT_PERMIT_USER_RC 0x10  /* permit-user-rc */

/* A byte string that lives elsewhere. */
struct bp_blob {
	const unsigned char *p;
	size_t len;
};

enum bp_keytype {
	BP_KEY_NONE = 0,
	BP_KEY_ED25519,
	BP_KEY_ECDSA_P256,
	BP_KEY_ECDSA_P384,
	BP_KEY_ECDSA_P521,
	BP_KEY_RSA
};

struct bp_cert {
	enum bp_keytype keytype;       /* of the certified key */
	struct bp_blob cert_type_name; /* e.g. "ssh-ed25519-cert-v01@openssh.com" */
	struct bp_blob nonce;
	uint64_t serial;
	uint32_t type;                 /* BP_CERT_TYPE_USER or _HOST (or junk) */
	struct bp_blob key_id;         /* no NUL inside; attacker-chosen text */
	struct bp_blob principals[BP_CERT_MAX_PRINCIPALS];
	size_t nprincipals;
	uint64_t valid_after;
	uint64_t valid_before;
	struct bp_blob critical;       /* the raw critical options section */
	struct bp_blob extensions;     /* the raw extensions section */
	struct bp_blob reserved;
	unsigned int flags;            /* BP_CERT_PERMIT_* */
	struct bp_blob force_command;  /* .p NULL if absent; no NUL inside */
	struct bp_blob source_address; /* .p NULL if absent; no NUL inside */
	struct bp_blob unknown_critical; /* first unsupported critical option
	                                  * name, .p NULL if none */
	struct bp_blob ca_key;         /* signature key blob (a plain key) */
	enum bp_keytype ca_keytype;
	struct bp_blob signature;      /* signature blob: string alg, string sig */
	struct bp_blob sig_alg;        /* e.g. "rsa-sha2-512" */
	size_t signed_len;             /* bytes of the blob the CA signed */
	const unsigned char *blob;     /* the whole certificate, for signed_len */

	/* The embedded plain public key (e.g. string "ssh-ed25519", string
	 * pk), malloc'ed: verify the user's signature and fingerprint the
	 * user key with it.  Freed by bp_cert_free(). */
	unsigned char *pubkey;
	size_t pubkey_len;
};

/* Returns 0 if sig (a signature blob: string alg, string sig) is a valid
 * signature of data by key (a public key blob). */
typedef int (*bp_verify_fn)(void *ctx,
		const unsigned char *key, size_t keylen,
		const unsigned char *sig, size_t siglen,
		const unsigned char *data, size_t datalen);

struct bp_cert_policy {
	const struct bp_blob *ca_keys;  /* trusted CA public key blobs */
	size_t nca_keys;
	uint64_t now;                   /* seconds since the epoch */
	const char *user;               /* login name */
	size_t userlen;
	/* contents of the AuthorizedPrincipalsFile, or NULL: then a
	 * principal must equal the login name */
	const char *principals_file;
	size_t principals_file_len;
	int peer_family;                /* AF_INET, AF_INET6, or 0 if unknown */
	const unsigned char *peer_addr; /* 4 or 16 bytes, network order */
	bp_verify_fn verify;
	void *verify_ctx;
};

/* Parse a certificate blob (the key blob of a publickey userauth request).
 * *out is cleared first and filled only on success; its blobs point into
 * blob, which must outlive it.  Free with bp_cert_free(). */
enum bp_error bp_cert_parse(struct bp_cert *out,
		const unsigned char *blob, size_t len);

void bp_cert_free(struct bp_cert *cert);

/* Whether a certificate may log in as pol->user, checking in this order:
 *   type is user                       BP_ERR_CERT_NOT_USER
 *   CA key is trusted                  BP_ERR_CERT_UNKNOWN_CA
 *   CA signature (pol->verify)         BP_ERR_CERT_SIGNATURE
 *   now >= valid_after                 BP_ERR_CERT_NOT_YET_VALID
 *   now < valid_before                 BP_ERR_CERT_EXPIRED
 *   some principal                     BP_ERR_CERT_NO_PRINCIPALS
 *   a principal is allowed             BP_ERR_CERT_PRINCIPAL
 *   no unsupported critical option     BP_ERR_CERT_CRITICAL_OPTION
 *   source-address well-formed         BP_ERR_CERT_BAD_SOURCE_ADDRESS
 *   peer within source-address         BP_ERR_CERT_SOURCE_ADDRESS
 * The verifier is called only for a trusted CA, so an untrusted CA costs
 * no public-key operation.  On success *principal (if not NULL) is the
 * certificate's principal that matched. */
enum bp_error bp_cert_check(const struct bp_cert *cert,
		const struct bp_cert_policy *pol, struct bp_blob *principal);

/* Whether key (a public key blob) is one of the trusted CA keys: a CA key
 * offered as a plain user key must not log in
 * (BP_ERR_CA_KEY_AS_USER_KEY). */
int bp_cert_is_ca_key(const struct bp_blob *ca_keys, size_t nca_keys,
		const unsigned char *key, size_t keylen);

/* Whether name is a supported certificate key type name. */
int bp_cert_is_cert_type(const unsigned char *name, size_t len);

/* Validate a plain public key blob of a supported type (fields complete,
 * no trailing data) and return its type.  Cert blobs give
 * BP_ERR_CERT_CA_IS_CERT, other types BP_ERR_CERT_UNKNOWN_TYPE. */
enum bp_error bp_key_parse_plain(const unsigned char *blob, size_t len,
		enum bp_keytype *type);

/* The SSH name of a plain key type ("ssh-ed25519", ...), or NULL. */
const char *bp_key_type_name(enum bp_keytype type);

#endif /* BP_CERT_H */
