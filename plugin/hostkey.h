/*
 * bearpass - host keys kept in HostKeyDir, and the set of host keys the
 * listener hands to its connections.
 *
 * HostKeyDir holds Dropbear-format private keys under Dropbear's own file
 * names (what dropbearkey writes and -R makes); the ed25519 one is always
 * among the host keys (generated when absent).  The listener packs the
 * keys it uses into one buffer of SSH strings (uint32 length + bytes,
 * RFC 4251), which each connection unpacks, so that every connection
 * presents the listener's keys.
 *
 * Pure: no file is opened here.
 */
#ifndef BP_HOSTKEY_H
#define BP_HOSTKEY_H

#include <stddef.h>

/* Host key files in HostKeyDir, in the order they are offered; the first
 * (ed25519) is generated when absent */
#define BP_HOSTKEY_NFILES   3
extern const char *const bp_hostkey_files[BP_HOSTKEY_NFILES];
#define BP_HOSTKEY_ED25519  0

#define BP_HOSTKEY_MAX_KEYS BP_HOSTKEY_NFILES
#define BP_HOSTKEY_MAX_SIZE 4096    /* one key file; Dropbear's are smaller */
/* a packed set: each key and its length */
#define BP_HOSTKEY_MAX_PACKED (BP_HOSTKEY_MAX_KEYS * (4 + BP_HOSTKEY_MAX_SIZE))
/* longest path of a key file (HostKeyDir + "/" + name + NUL) */
#define BP_HOSTKEY_MAX_PATH 4096

struct bp_hostkey {
	const unsigned char *data;
	size_t len;
};

/* Whether (p, len) has the shape of a private key in Dropbear's key file
 * format: the name of a host key type, then length-prefixed fields
 * (strings and mpints) up to the end.  Dropbear's parser then checks the
 * fields; this keeps it from reading lengths past the end (it exits on
 * those, naming no file), e.g. of an OpenSSH-format key.  Returns 0 or
 * -1. */
int bp_hostkey_check(const unsigned char *p, size_t len);

/* out = dir + "/" + name (one slash, whatever dir ends with).  Returns 0,
 * or -1 if it does not fit in outsize bytes (out is then ""). */
int bp_hostkey_path(char *out, size_t outsize, const char *dir, size_t dirlen,
		const char *name);

/* The packed size of keys[0..n-1], or 0 if there are none, more than
 * BP_HOSTKEY_MAX_KEYS, or one is empty or larger than BP_HOSTKEY_MAX_SIZE. */
size_t bp_hostkeys_packed_size(const struct bp_hostkey *keys, size_t n);
/* Packs keys[0..n-1] into out, which holds bp_hostkeys_packed_size()
 * bytes.  Returns that size, or 0 as bp_hostkeys_packed_size(). */
size_t bp_hostkeys_pack(unsigned char *out, size_t outsize,
		const struct bp_hostkey *keys, size_t n);
/* Unpacks a packed set into keys[0..max-1], pointing into p.  The whole
 * buffer must be 1 to max keys, each 1 to BP_HOSTKEY_MAX_SIZE bytes, with
 * nothing after the last.  Returns how many, or -1 (keys untouched). */
int bp_hostkeys_unpack(const unsigned char *p, size_t len,
		struct bp_hostkey *keys, size_t max);

#endif /* BP_HOSTKEY_H */
