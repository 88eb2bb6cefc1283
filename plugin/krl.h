/*
 * bearpass - RevokedKeys: an OpenSSH key revocation list (PROTOCOL.krl)
 * or a text file of OpenSSH public keys, checked with the semantics of
 * sshd's RevokedKeys (sshkey_check_revoked, ssh_krl_check_key).
 *
 * Format: a file starting with the magic "SSHKRL\n\0" is a KRL; any other
 * file (an empty one too) is a list of one-line public keys, blank lines
 * and '#' comments as in a TrustedUserCAKeys file.
 *
 * What revokes what, in the order sshd checks it:
 *   the user's plain key (for a certificate its embedded key) listed by
 *   SHA-1 or SHA-256 of its blob, or as an explicit key  BP_ERR_CERT_KEY_REVOKED
 *   a certificate's serial (serial list, range or bitmap; serial 0 is
 *   never revoked by serial) or key ID, in a certificates section for
 *   its CA key or for any CA (empty CA key)             BP_ERR_CERT_REVOKED
 *   the certificate's CA key listed by SHA-1, SHA-256 or
 *   as an explicit key                                  BP_ERR_CERT_CA_REVOKED
 * In a text list a line revokes the equal plain key, the certificates of
 * that key, and the certificates signed by it as a CA.
 *
 * The whole file is always validated before any verdict: a file that is
 * neither a valid KRL nor a valid key list gives
 * BP_ERR_REVOCATION_UNAVAILABLE (fail closed), whatever it lists.
 *
 * Pure: the file's contents are passed in; nothing here opens a file or
 * allocates in proportion to the file.  Time is linear in the file size.
 */
#ifndef BP_KRL_H
#define BP_KRL_H

#include <stddef.h>

#include "bp_error.h"
#include "cert.h"

#define BP_KRL_MAX_FILE      (16 * 1024 * 1024) /* bytes of a revocation file */
#define BP_KRL_MAX_SECTIONS  (1024 * 1024)      /* sections + cert subsections */
#define BP_KRL_MAX_BITMAP    2048               /* bitmap bytes, as OpenSSH's
                                                 * SSHBUF_MAX_BIGNUM */
#define BP_KRL_FORMAT_VERSION 1

#define BP_KRL_MAGIC     "SSHKRL\n"  /* + NUL: 8 bytes */
#define BP_KRL_MAGIC_LEN 8

/* Whether key (with cert, when it is a certificate) is revoked by a
 * revocation file's contents.
 *   cert    the parsed certificate, or NULL for a plain key
 *   key     the plain key blob: for a certificate cert->pubkey (NULL
 *           means cert->pubkey); for a plain key the key blob
 * Returns BP_OK (not revoked), BP_ERR_CERT_KEY_REVOKED,
 * BP_ERR_CERT_REVOKED, BP_ERR_CERT_CA_REVOKED (first match in the order
 * above), or BP_ERR_REVOCATION_UNAVAILABLE for a bad or oversized file.
 * With cert and key both NULL it only validates the file. */
enum bp_error bp_revoked_check(const unsigned char *file, size_t filelen,
		const struct bp_cert *cert,
		const unsigned char *key, size_t keylen);

/* Validate a revocation file (e.g. for "dropbear -C").  Returns BP_OK or
 * BP_ERR_REVOCATION_UNAVAILABLE; then *why (if not NULL) says what is
 * wrong: BP_ERR_TOO_LONG, BP_ERR_TRUNCATED, BP_ERR_TRAILING,
 * BP_ERR_BAD_FORMAT, or a key line's error from bp_cakeys_parse(). */
enum bp_error bp_revoked_validate(const unsigned char *file, size_t filelen,
		enum bp_error *why);

#endif /* BP_KRL_H */
