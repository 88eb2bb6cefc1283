/*
 * bearpass - unit tests of cakeys.c (TrustedUserCAKeys files) and of
 * bp_key_parse_plain() in cert.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "cakeys.h"
#include "cert.h"
#include "t.h"

/* real keys, as ssh-keygen wrote them */
#define ED25519_B64 "AAAAC3NzaC1lZDI1NTE5AAAAIOBUfUMdg0arepRkEgYe3e/g0T8WKbQ7HLvpVjN7pgFh"
#define P256_B64 "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBHaK7+jQmN3qBuID" \
	"G3nPR9tVuXu64txt7QwNlzx9V3My971jBXCMxgF3NEMJLSEIdz/LEiVvsn1kHW9meytKoIM="
#define P384_B64 "AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBH3uGzxsIPKF0Kiy" \
	"9jHku5UWD1fIJ09lkPlAYAmnP/BM3dqXrgmoR71DY4vLVVLg4ZXvRG/2pkJaMyroiHMVga0t" \
	"e0dtbzYA7uFZzavgkFqn0Zuv1X4rTmy07DX3b829IA=="

struct wbuf {
	unsigned char b[4096];
	size_t len;
};

static void w_str(struct wbuf *w, const void *p, size_t n) {
	w->b[w->len++] = (unsigned char)(n >> 24);
	w->b[w->len++] = (unsigned char)(n >> 16);
	w->b[w->len++] = (unsigned char)(n >> 8);
	w->b[w->len++] = (unsigned char)n;
	memcpy(w->b + w->len, p, n);
	w->len += n;
}

static void w_cstr(struct wbuf *w, const char *s) {
	w_str(w, s, strlen(s));
}

/* "TYPE base64(blob) COMMENT" into out */
static void line(char *out, size_t cap, const char *type,
		const struct wbuf *w, const char *comment) {
	char b64[BP_BASE64_ENCODED_SIZE(4096)];

	bp_base64_encode(b64, sizeof(b64), NULL, w->b, w->len, 1);
	snprintf(out, cap, "%s %s%s%s", type, b64, comment[0] ? " " : "", comment);
}

static void ed25519_blob(struct wbuf *w, unsigned int seed) {
	unsigned char pk[32];
	size_t i;

	for (i = 0; i < sizeof(pk); i++) {
		pk[i] = (unsigned char)(seed * 31 + i);
	}
	w->len = 0;
	w_cstr(w, "ssh-ed25519");
	w_str(w, pk, sizeof(pk));
}

static void rsa_blob(struct wbuf *w, size_t bits, int negative) {
	unsigned char n[2050];
	size_t bytes = (bits + 7) / 8, i;

	memset(n, 0x5a, sizeof(n));
	n[0] = 0;
	n[1] = (unsigned char)(0xff >> ((8 - bits % 8) % 8));
	n[1] |= (unsigned char)(0x80 >> ((8 - bits % 8) % 8));
	for (i = 2; i < bytes + 1; i++) {
		n[i] = (unsigned char)i;
	}
	w->len = 0;
	w_cstr(w, "ssh-rsa");
	w_str(w, "\x01\x00\x01", 3);
	if (negative) {
		w_str(w, n + 1, bytes);
	} else {
		w_str(w, n, bytes + 1);
	}
}

struct diag {
	size_t n;
	size_t lines[200];
	enum bp_error errs[200];
};

static void diag_cb(void *ctx, size_t lineno, enum bp_error err) {
	struct diag *d = ctx;

	if (d->n < 200) {
		d->lines[d->n] = lineno;
		d->errs[d->n] = err;
	}
	d->n++;
}

static struct bp_cakeys list;

/* Parse text into a fresh list; returns the error. */
static enum bp_error parse(const char *text, struct diag *d) {
	bp_cakeys_free(&list);
	memset(d, 0, sizeof(*d));
	return bp_cakeys_parse(&list, text, strlen(text), diag_cb, d);
}

int main(void) {
	static char text[200 * 1024], l1[4096], l2[4096];
	unsigned char blob[4096];
	struct wbuf w, w2;
	struct diag d;
	size_t n, i, len;
	enum bp_error e;
	enum bp_keytype kt;

	/* a good file: comments, blanks, CRLF, no final newline */
	snprintf(text, sizeof(text),
		"# org CA keys\n"
		"\n"
		"  \t\n"
		"ssh-ed25519 " ED25519_B64 " ca_ed25519\n"
		"   ecdsa-sha2-nistp256 " P256_B64 " ca p256 with spaces\r\n"
		"\t# indented comment\n"
		"ecdsa-sha2-nistp384\t" P384_B64 "");
	e = parse(text, &d);
	CHECK(e == BP_OK && d.n == 0 && list.n == 3);
	CHECK(bp_base64_decode(blob, sizeof(blob), &n, ED25519_B64,
			strlen(ED25519_B64)) == 0);
	CHECK(list.keys[0].len == n && memcmp(list.keys[0].p, blob, n) == 0);
	CHECK(bp_key_parse_plain(list.keys[0].p, list.keys[0].len, &kt) == BP_OK
			&& kt == BP_KEY_ED25519);
	CHECK(bp_key_parse_plain(list.keys[1].p, list.keys[1].len, &kt) == BP_OK
			&& kt == BP_KEY_ECDSA_P256);
	CHECK(bp_key_parse_plain(list.keys[2].p, list.keys[2].len, &kt) == BP_OK
			&& kt == BP_KEY_ECDSA_P384);
	CHECK(bp_cert_is_ca_key(list.keys, list.n, blob, n));
	CHECK(!bp_cert_is_ca_key(list.keys, list.n, blob, n - 1));

	/* empty input and comment-only input: no keys, no error */
	CHECK(parse("", &d) == BP_OK && list.n == 0);
	CHECK(parse("# nothing\n\n", &d) == BP_OK && list.n == 0);

	/* appending, duplicates counted once, all or nothing */
	CHECK(parse("ssh-ed25519 " ED25519_B64 "\n", &d) == BP_OK && list.n == 1);
	snprintf(text, sizeof(text), "ssh-ed25519 " ED25519_B64 " again\n"
		"ecdsa-sha2-nistp256 " P256_B64 "\necdsa-sha2-nistp256 " P256_B64 "\n");
	CHECK(bp_cakeys_parse(&list, text, strlen(text), NULL, NULL) == BP_OK);
	CHECK(list.n == 2);
	snprintf(text, sizeof(text), "ecdsa-sha2-nistp384 " P384_B64 "\nbogus\n");
	CHECK(bp_cakeys_parse(&list, text, strlen(text), NULL, NULL)
			== BP_ERR_BAD_FORMAT);
	CHECK(list.n == 2);

	/* RSA: modulus size limits, sign */
	rsa_blob(&w, 1024, 0);
	line(l1, sizeof(l1), "ssh-rsa", &w, "rsa1024");
	CHECK(parse(l1, &d) == BP_OK && list.n == 1);
	CHECK(bp_key_parse_plain(w.b, w.len, &kt) == BP_OK && kt == BP_KEY_RSA);
	rsa_blob(&w, 1023, 0);
	CHECK(bp_key_parse_plain(w.b, w.len, &kt) == BP_ERR_BAD_FORMAT);
	rsa_blob(&w, 16384, 0);
	CHECK(bp_key_parse_plain(w.b, w.len, &kt) == BP_OK);
	rsa_blob(&w, 16385, 0);
	CHECK(bp_key_parse_plain(w.b, w.len, &kt) == BP_ERR_BAD_FORMAT);
	rsa_blob(&w, 2048, 1);
	CHECK(bp_key_parse_plain(w.b, w.len, &kt) == BP_ERR_BAD_FORMAT);

	/* bad lines, each reported with its number */
	ed25519_blob(&w, 1);
	{
		static const struct {
			const char *type;
			const char *fmt;   /* %s: the base64 */
			enum bp_error want;
		} bad[] = {
			{ "", "ssh-dss %s", BP_ERR_BAD_FORMAT },   /* type mismatch */
			{ "", "ecdsa-sha2-nistp256 %s", BP_ERR_BAD_FORMAT },
			{ "", "ssh-ed25519", BP_ERR_BAD_FORMAT },  /* no base64 */
			{ "", "ssh-ed25519 %s=", BP_ERR_BAD_FORMAT },
			{ "", "ssh-ed25519 !%s", BP_ERR_BAD_FORMAT },
			{ "", "cert-authority ssh-ed25519 %s", BP_ERR_BAD_FORMAT },
			{ "", "%s", BP_ERR_BAD_FORMAT },
			{ "", "SSH-ED25519 %s", BP_ERR_BAD_FORMAT },
		};
		char b64[256];
		bp_base64_encode(b64, sizeof(b64), NULL, w.b, w.len, 1);
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			snprintf(l2, sizeof(l2), bad[i].fmt, b64);
			snprintf(text, sizeof(text), "# head\nssh-ed25519 %s\n%s\n", b64, l2);
			e = parse(text, &d);
			CHECKF(e == bad[i].want && d.n == 1 && d.lines[0] == 3
					&& d.errs[0] == bad[i].want && list.n == 0,
					"bad line %zu: %s", i, bp_strerror(e));
		}
	}
	/* unsupported and certificate key types */
	w2.len = 0;
	w_cstr(&w2, "ssh-dss");
	w_str(&w2, "p", 1);
	line(l1, sizeof(l1), "ssh-dss", &w2, "");
	CHECK(parse(l1, &d) == BP_ERR_CERT_UNKNOWN_TYPE && d.lines[0] == 1);
	w2.len = 0;
	w_cstr(&w2, "sk-ssh-ed25519@openssh.com");
	w_str(&w2, "p", 1);
	line(l1, sizeof(l1), "sk-ssh-ed25519@openssh.com", &w2, "");
	CHECK(parse(l1, &d) == BP_ERR_CERT_UNKNOWN_TYPE);
	w2.len = 0;
	w_cstr(&w2, "ssh-ed25519-cert-v01@openssh.com");
	w_str(&w2, "nonce", 5);
	line(l1, sizeof(l1), "ssh-ed25519-cert-v01@openssh.com", &w2, "");
	CHECK(parse(l1, &d) == BP_ERR_CERT_CA_IS_CERT);
	/* trailing bytes inside the blob; ed25519 key of the wrong size */
	w2 = w;
	w2.b[w2.len++] = 0;
	line(l1, sizeof(l1), "ssh-ed25519", &w2, "");
	CHECK(parse(l1, &d) == BP_ERR_TRAILING);
	w2.len = 0;
	w_cstr(&w2, "ssh-ed25519");
	w_str(&w2, "0123456789012345678901234567890123", 33);
	line(l1, sizeof(l1), "ssh-ed25519", &w2, "");
	CHECK(parse(l1, &d) == BP_ERR_BAD_FORMAT);
	/* ecdsa: wrong curve name, compressed point */
	CHECK(bp_base64_decode(blob, sizeof(blob), &n, P256_B64,
			strlen(P256_B64)) == 0);
	CHECK(bp_key_parse_plain(blob, n, &kt) == BP_OK);
	blob[4 + 19 + 4 + 7] = '4';          /* nistp256 -> nistp254 */
	CHECK(bp_key_parse_plain(blob, n, &kt) == BP_ERR_BAD_FORMAT);
	blob[4 + 19 + 4 + 7] = '6';
	blob[4 + 19 + 4 + 8 + 4] = 0x02;     /* compressed point */
	CHECK(bp_key_parse_plain(blob, n, &kt) == BP_ERR_BAD_FORMAT);
	/* every truncation of a key blob is refused */
	blob[4 + 19 + 4 + 8 + 4] = 0x04;
	for (i = 0; i < n; i++) {
		CHECKF(bp_key_parse_plain(blob, i, &kt) != BP_OK, "truncated %zu", i);
	}

	/* several bad lines: all reported, first error returned */
	line(l1, sizeof(l1), "ssh-ed25519", &w, "good");
	snprintf(text, sizeof(text), "junk\n%s\n\nssh-ed25519 AAAA\n%s\nfoo bar\n",
			l1, l1);
	e = parse(text, &d);
	CHECK(e == BP_ERR_BAD_FORMAT && list.n == 0 && d.n == 3);
	CHECK(d.lines[0] == 1 && d.lines[1] == 4 && d.lines[2] == 6);

	/* a NUL byte in a line */
	len = strlen(l1);
	memcpy(text, l1, len);
	text[len] = '\0';
	memcpy(text + len + 1, " x\n", 3);
	memset(&d, 0, sizeof(d));
	bp_cakeys_free(&list);
	CHECK(bp_cakeys_parse(&list, text, len + 4, diag_cb, &d)
			== BP_ERR_BAD_FORMAT && d.n == 1 && list.n == 0);

	/* line length limit: BP_CAKEYS_MAX_LINE characters are fine */
	len = strlen(l1);
	memcpy(text, l1, len);
	memset(text + len, ' ', BP_CAKEYS_MAX_LINE - len);
	text[BP_CAKEYS_MAX_LINE] = '\n';
	text[BP_CAKEYS_MAX_LINE + 1] = '\0';
	CHECK(parse(text, &d) == BP_OK && list.n == 1);
	text[BP_CAKEYS_MAX_LINE] = ' ';
	text[BP_CAKEYS_MAX_LINE + 1] = '\n';
	text[BP_CAKEYS_MAX_LINE + 2] = '\0';
	CHECK(parse(text, &d) == BP_ERR_TOO_LONG && d.n == 1 && d.lines[0] == 1
			&& list.n == 0);

	/* at most BP_CAKEYS_MAX keys */
	text[0] = '\0';
	len = 0;
	for (i = 0; i <= BP_CAKEYS_MAX; i++) {
		ed25519_blob(&w, (unsigned int)i + 100);
		line(l1, sizeof(l1), "ssh-ed25519", &w, "k");
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s\n", l1);
		if (i == BP_CAKEYS_MAX - 1) {
			CHECK(parse(text, &d) == BP_OK && list.n == BP_CAKEYS_MAX);
		}
	}
	CHECK(parse(text, &d) == BP_ERR_TOO_LONG && d.n == 1
			&& d.lines[0] == BP_CAKEYS_MAX + 1 && list.n == 0);
	/* a full list takes no more, but duplicates are no problem */
	text[len - strlen(l1) - 1] = '\0';
	CHECK(parse(text, &d) == BP_OK && list.n == BP_CAKEYS_MAX);
	CHECK(bp_cakeys_parse(&list, text, strlen(text), NULL, NULL) == BP_OK
			&& list.n == BP_CAKEYS_MAX);
	CHECK(bp_cakeys_parse(&list, l1, strlen(l1), NULL, NULL)
			== BP_ERR_TOO_LONG && list.n == BP_CAKEYS_MAX);

	bp_cakeys_free(&list);
	CHECK(list.n == 0);
	return T_DONE("cakeys");
}
