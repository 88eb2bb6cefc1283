/*
 * bearpass - TrustedUserCAKeys file parser.
 */
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "cakeys.h"
#include "sshbuf.h"

static int is_blank(char c) {
	return c == ' ' || c == '\t' || c == '\r';
}

/* Parse one line (without newline) that is not blank or a comment into a
 * freshly malloc'ed key blob. */
static enum bp_error parse_line(const char *s, size_t len,
		unsigned char **blob, size_t *bloblen) {
	const char *end = s + len, *type, *b64;
	size_t typelen, b64len, n;
	unsigned char *buf = NULL;
	struct bp_sshbuf b;
	const unsigned char *name;
	size_t namelen;
	enum bp_keytype kt;
	enum bp_error ret = BP_ERR_BAD_FORMAT;

	*blob = NULL;
	*bloblen = 0;
	type = s;
	while (s < end && !is_blank(*s)) {
		s++;
	}
	typelen = (size_t)(s - type);
	while (s < end && is_blank(*s)) {
		s++;
	}
	b64 = s;
	while (s < end && !is_blank(*s)) {
		s++;
	}
	b64len = (size_t)(s - b64);
	/* the rest is a comment */
	if (b64len == 0) {
		goto out;
	}
	if ((buf = malloc(BP_BASE64_DECODED_MAX(b64len) + 1)) == NULL) {
		ret = BP_ERR_NOMEM;
		goto out;
	}
	if (bp_base64_decode(buf, BP_BASE64_DECODED_MAX(b64len), &n,
			b64, b64len) != 0) {
		goto out;
	}
	if ((ret = bp_key_parse_plain(buf, n, &kt)) != BP_OK) {
		goto out;
	}
	/* the type named on the line must be the one inside the blob */
	bp_sshbuf_init(&b, buf, n);
	if (bp_sshbuf_get_string(&b, &name, &namelen) != 0
			|| namelen != typelen || memcmp(name, type, typelen) != 0) {
		ret = BP_ERR_BAD_FORMAT;
		goto out;
	}
	*blob = buf;
	*bloblen = n;
	buf = NULL;
	ret = BP_OK;
out:
	free(buf);
	return ret;
}

static int have_key(const struct bp_cakeys *l, const unsigned char *k,
		size_t klen) {
	return bp_cert_is_ca_key(l->keys, l->n, k, klen);
}

enum bp_error bp_cakeys_parse(struct bp_cakeys *list,
		const char *buf, size_t len, bp_cakeys_diag_fn diag, void *ctx) {
	struct bp_cakeys *tmp = NULL;
	const char *p = buf, *end = buf + len, *eol, *s, *e;
	size_t lineno = 0, i;
	unsigned char *blob;
	size_t bloblen;
	enum bp_error err, ret = BP_ERR_INTERNAL;

	if (list->n > BP_CAKEYS_MAX) {
		goto out;
	}
	if ((tmp = calloc(1, sizeof(*tmp))) == NULL) {
		ret = BP_ERR_NOMEM;
		goto out;
	}
	/* work on a copy of the list's view; new blobs are owned by tmp
	 * until published */
	ret = BP_OK;
	while (buf != NULL && p < end) {
		lineno++;
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL) {
			eol = end;
		}
		s = p;
		p = eol < end ? eol + 1 : end;
		err = BP_OK;
		if ((size_t)(eol - s) > BP_CAKEYS_MAX_LINE) {
			err = BP_ERR_TOO_LONG;
		} else if (memchr(s, '\0', (size_t)(eol - s)) != NULL) {
			err = BP_ERR_BAD_FORMAT;
		}
		if (err == BP_OK) {
			e = eol;
			while (s < e && is_blank(*s)) {
				s++;
			}
			while (e > s && is_blank(e[-1])) {
				e--;
			}
			if (s == e || *s == '#') {
				continue;
			}
			err = parse_line(s, (size_t)(e - s), &blob, &bloblen);
		}
		if (err == BP_OK) {
			if (have_key(list, blob, bloblen)
					|| have_key(tmp, blob, bloblen)) {
				free(blob);
				continue;
			}
			if (list->n + tmp->n >= BP_CAKEYS_MAX) {
				free(blob);
				err = BP_ERR_TOO_LONG;
			} else {
				tmp->keys[tmp->n].p = blob;
				tmp->keys[tmp->n].len = bloblen;
				tmp->n++;
				continue;
			}
		}
		if (diag != NULL) {
			diag(ctx, lineno, err);
		}
		if (ret == BP_OK) {
			ret = err;
		}
	}
	if (ret != BP_OK) {
		goto out;
	}
	for (i = 0; i < tmp->n; i++) {
		list->keys[list->n++] = tmp->keys[i];
	}
	tmp->n = 0;
out:
	if (tmp != NULL) {
		bp_cakeys_free(tmp);
		free(tmp);
	}
	return ret;
}

void bp_cakeys_free(struct bp_cakeys *list) {
	size_t i;

	for (i = 0; i < list->n && i < BP_CAKEYS_MAX; i++) {
		free((void *)list->keys[i].p);
	}
	memset(list, 0, sizeof(*list));
}
