/*
 * bearpass - host keys kept in HostKeyDir; the packed set of host keys.
 */
#include <string.h>

#include "hostkey.h"
#include "sshbuf.h"

/* Dropbear's names (RSA_PRIV_FILENAME and so on, without the directory) */
const char *const bp_hostkey_files[BP_HOSTKEY_NFILES] = {
	"dropbear_ed25519_host_key",
	"dropbear_ecdsa_host_key",
	"dropbear_rsa_host_key",
};

/* key type names Dropbear writes in a host key file */
static const char *const bp_hostkey_types[] = {
	"ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
	"ecdsa-sha2-nistp521", "ssh-rsa",
};

int bp_hostkey_check(const unsigned char *p, size_t len) {
	struct bp_sshbuf b;
	const unsigned char *name;
	size_t namelen, i;

	bp_sshbuf_init(&b, p, len);
	if (len > BP_HOSTKEY_MAX_SIZE || bp_sshbuf_get_string(&b, &name, &namelen) < 0) {
		return -1;
	}
	for (i = 0; i < sizeof(bp_hostkey_types) / sizeof(bp_hostkey_types[0]); i++) {
		if (bp_sshbuf_eq(name, namelen, bp_hostkey_types[i])) {
			break;
		}
	}
	if (i == sizeof(bp_hostkey_types) / sizeof(bp_hostkey_types[0]) || b.len == 0) {
		return -1;
	}
	while (b.len > 0) {
		if (bp_sshbuf_get_string(&b, NULL, NULL) < 0) {
			return -1;
		}
	}
	return 0;
}

int bp_hostkey_path(char *out, size_t outsize, const char *dir, size_t dirlen,
		const char *name) {
	size_t namelen = strlen(name);

	if (outsize == 0) {
		return -1;
	}
	out[0] = '\0';
	while (dirlen > 0 && dir[dirlen - 1] == '/') {
		dirlen--;
	}
	/* dir, "/", name, NUL */
	if (dirlen > outsize || outsize - dirlen < namelen + 2) {
		return -1;
	}
	memcpy(out, dir, dirlen);
	out[dirlen] = '/';
	memcpy(out + dirlen + 1, name, namelen);
	out[dirlen + 1 + namelen] = '\0';
	return 0;
}

size_t bp_hostkeys_packed_size(const struct bp_hostkey *keys, size_t n) {
	size_t i, size = 0;

	if (n == 0 || n > BP_HOSTKEY_MAX_KEYS) {
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (keys[i].data == NULL || keys[i].len == 0
				|| keys[i].len > BP_HOSTKEY_MAX_SIZE) {
			return 0;
		}
		size += 4 + keys[i].len;
	}
	return size;
}

size_t bp_hostkeys_pack(unsigned char *out, size_t outsize,
		const struct bp_hostkey *keys, size_t n) {
	size_t i, off = 0, size = bp_hostkeys_packed_size(keys, n);

	if (size == 0 || size > outsize) {
		return 0;
	}
	for (i = 0; i < n; i++) {
		out[off] = (unsigned char)(keys[i].len >> 24);
		out[off + 1] = (unsigned char)(keys[i].len >> 16);
		out[off + 2] = (unsigned char)(keys[i].len >> 8);
		out[off + 3] = (unsigned char)keys[i].len;
		memcpy(out + off + 4, keys[i].data, keys[i].len);
		off += 4 + keys[i].len;
	}
	return size;
}

int bp_hostkeys_unpack(const unsigned char *p, size_t len,
		struct bp_hostkey *keys, size_t max) {
	struct bp_hostkey got[BP_HOSTKEY_MAX_KEYS];
	struct bp_sshbuf b;
	size_t n = 0;

	bp_sshbuf_init(&b, p, len);
	while (b.len > 0) {
		if (n == max || n == BP_HOSTKEY_MAX_KEYS
				|| bp_sshbuf_get_string(&b, &got[n].data, &got[n].len) < 0
				|| got[n].len == 0 || got[n].len > BP_HOSTKEY_MAX_SIZE) {
			return -1;
		}
		n++;
	}
	if (n == 0) {
		return -1;
	}
	memcpy(keys, got, n * sizeof(got[0]));
	return (int)n;
}
