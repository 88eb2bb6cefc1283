/*
 * bearpass - a TrustedUserCAKeys file: OpenSSH one-line public keys,
 * "type base64 [comment]".  Blank lines and '#' comment lines are
 * ignored.  The type name must equal the one inside the key blob, and the
 * blob must be a complete plain key of a supported type.
 *
 * Pure: the file's contents are passed in; nothing here opens a file.
 */
#ifndef BP_CAKEYS_H
#define BP_CAKEYS_H

#include <stddef.h>

#include "bp_error.h"
#include "cert.h"

#define BP_CAKEYS_MAX       64          /* keys in one list */
#define BP_CAKEYS_MAX_LINE  (8 * 1024)  /* one line, without newline */

struct bp_cakeys {
	struct bp_blob keys[BP_CAKEYS_MAX];  /* .p malloc'ed */
	size_t n;
};

/* Called once per bad line, with its 1-based number and why. */
typedef void (*bp_cakeys_diag_fn)(void *ctx, size_t line, enum bp_error err);

/* Parse a file's contents and append its keys to *list (which may already
 * hold keys, e.g. from another source; start from a zeroed struct).
 * All or nothing: *list changes only if every line is good.  Keys
 * already in the list are not added twice.  Returns BP_OK, or the error
 * of the first bad line (each bad line was reported through diag, which
 * may be NULL), or BP_ERR_TOO_LONG when the list would exceed
 * BP_CAKEYS_MAX keys (reported with that line's number).
 * A file without keys is not an error here: fail closed in the caller. */
enum bp_error bp_cakeys_parse(struct bp_cakeys *list,
		const char *buf, size_t len, bp_cakeys_diag_fn diag, void *ctx);

/* Free the key blobs and clear the list. */
void bp_cakeys_free(struct bp_cakeys *list);

#endif /* BP_CAKEYS_H */
