/*
 * bearpass - unit tests of krl.c (RevokedKeys).
 *
 * Fixtures come from tests/fixtures/mkcerts.sh: the directory is argv[1],
 * else $BP_FIXTURES, else the script is run into a temporary directory.
 * KRLs are made by ssh-keygen -k (the independent implementation) into a
 * temporary directory, from table rows; edge cases ssh-keygen cannot
 * produce are built by hand.  Every truncation and every byte flip of a
 * KRL is checked too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base64.h"
#include "cert.h"
#include "krl.h"
#include "sha1.h"
#include "sha256.h"
#include "t.h"
#include "fixtures.h"

static char tmpdir[] = "/tmp/bp_krl.XXXXXX";

/* A subject: "c:NAME" is NAME-cert.pub, "k:NAME" the plain key NAME.pub. */
struct subj {
	unsigned char *blob;
	size_t len;
	struct bp_cert cert;
	int is_cert;
};

static int subj_load(struct subj *s, const char *spec) {
	char name[256];

	memset(s, 0, sizeof(*s));
	s->is_cert = spec[0] == 'c';
	snprintf(name, sizeof(name), "%s%s", spec + 2,
		s->is_cert ? "-cert.pub" : ".pub");
	if ((s->blob = fx_blob(name, &s->len)) == NULL) {
		return -1;
	}
	if (s->is_cert && bp_cert_parse(&s->cert, s->blob, s->len) != BP_OK) {
		fprintf(stderr, "cannot parse %s\n", name);
		free(s->blob);
		s->blob = NULL;
		return -1;
	}
	return 0;
}

static void subj_free(struct subj *s) {
	if (s->is_cert) {
		bp_cert_free(&s->cert);
	}
	free(s->blob);
	memset(s, 0, sizeof(*s));
}

static enum bp_error subj_check(const struct subj *s,
		const unsigned char *f, size_t flen) {
	if (s->is_cert) {
		return bp_revoked_check(f, flen, &s->cert,
			s->cert.pubkey, s->cert.pubkey_len);
	}
	return bp_revoked_check(f, flen, NULL, s->blob, s->len);
}

static enum bp_error check_one(const char *spec,
		const unsigned char *f, size_t flen) {
	struct subj s;
	enum bp_error e;

	if (subj_load(&s, spec) != 0) {
		return BP_ERR_INTERNAL;
	}
	e = subj_check(&s, f, flen);
	subj_free(&s);
	return e;
}

/* Run SNIPPET (may write the spec file $S, or the revocation file $K
 * itself) and then, if args is not NULL, "ssh-keygen -k -f $K ARGS", in
 * the fixtures directory; return $K's contents. */
static unsigned char *make_file(const char *snippet, const char *args,
		size_t *len) {
	char cmd[4096], path[1024];

	snprintf(path, sizeof(path), "%s/krl", tmpdir);
	snprintf(cmd, sizeof(cmd), "cd '%s' && S='%s/spec' K='%s' && "
		"rm -f \"$S\" \"$K\" && : > \"$S\" && { %s; } && %s%s%s",
		fx_dir, tmpdir, path, snippet,
		args != NULL ? "ssh-keygen -q -k -f \"$K\" " : "true",
		args != NULL ? args : "", args != NULL ? " >/dev/null" : "");
	if (system(cmd) != 0) {
		fprintf(stderr, "failed: %s\n", cmd);
		*len = 0;
		return NULL;
	}
	return (unsigned char *)fx_read_path(path, len);
}

#define MAXCHECKS 6
#define OK BP_OK
#define REV BP_ERR_CERT_REVOKED
#define KEY BP_ERR_CERT_KEY_REVOKED
#define CA BP_ERR_CERT_CA_REVOKED
#define UNAV BP_ERR_REVOCATION_UNAVAILABLE

static const struct row {
	const char *name;
	const char *snippet;  /* writes $S (or $K when args is NULL) */
	const char *args;     /* ssh-keygen -k -f $K ARGS, or NULL */
	struct {
		const char *subj;
		enum bp_error want;
	} checks[MAXCHECKS];
} rows[] = {
	{ "serial", "echo 'serial: 1000' > $S", "-s ca_ed25519.pub $S",
	  { { "c:m_ed25519_ed25519", REV }, { "c:m_ed25519_p256", OK },
	    { "c:alice", OK }, { "k:user_ed25519", OK },
	    { "c:m_p256_ed25519", OK } } },
	{ "serial, other CA", "echo 'serial: 1000-1001' > $S",
	  "-s ca_p256.pub $S",
	  { { "c:m_ed25519_p256", REV }, { "c:m_ed25519_ed25519", OK },
	    { "c:m_ed25519_p384", OK } } },
	{ "serial, RSA CA", "echo 'serial: 1005' > $S", "-s ca_rsa.pub $S",
	  { { "c:m_ed25519_rsa512", REV }, { "c:m_ed25519_rsa256", OK },
	    { "c:m_p256_rsa512", OK } } },
	/* ssh-keygen hashes a certificate's plain key, as sshd checks it */
	{ "sha256: of a certificate",
	  "printf 'sha256: %s\\n' \"$(cat m_p256_p384-cert.pub)\" > $S", "$S",
	  { { "k:user_p256", KEY }, { "c:m_p256_ed25519", KEY },
	    { "c:m_p384_p384", OK } } },
	{ "serial range", "echo 'serial: 1000-1015' > $S",
	  "-s ca_ed25519.pub $S",
	  { { "c:m_ed25519_ed25519", REV }, { "c:m_p256_ed25519", REV },
	    { "c:m_p384_ed25519", OK }, { "c:m_ed25519_p256", OK },
	    { "c:alice", OK } } },
	{ "serial bitmap",
	  "printf 'serial: 1000\\nserial: 1002\\nserial: 1004\\n"
	  "serial: 1010\\nserial: 1013\\n' > $S",
	  "-s ca_ed25519.pub $S",
	  { { "c:m_ed25519_ed25519", REV }, { "c:m_p256_ed25519", REV },
	    { "c:m_p384_ed25519", OK }, { "c:m_ed25519_p384", OK },
	    { "c:m_p521_ed25519", OK } } },
	{ "serial 2^64-1",
	  "echo 'serial: 18446744073709551000-18446744073709551615' > $S",
	  "-s ca_ed25519.pub $S",
	  { { "c:bigserial", REV }, { "c:alice", OK } } },
	{ "key id", "echo 'id: alice' > $S", "-s ca_ed25519.pub $S",
	  { { "c:alice", REV }, { "c:m_ed25519_ed25519", OK },
	    { "k:user_ed25519", OK } } },
	{ "key id, other CA", "echo 'id: alice' > $S", "-s ca_p256.pub $S",
	  { { "c:alice", OK } } },
	{ "wildcard CA key id", "echo 'id: id-p256-rsa512' > $S",
	  "-s none $S",
	  { { "c:m_p256_rsa512", REV }, { "c:m_p256_rsa256", OK } } },
	{ "wildcard CA serial", "echo 'serial: 1000-1001' > $S",
	  "-s none $S",
	  { { "c:m_ed25519_ed25519", REV }, { "c:m_ed25519_p256", REV },
	    { "c:m_ed25519_p384", OK } } },
	{ "explicit key", ":", "user_p256.pub",
	  { { "k:user_p256", KEY }, { "c:m_p256_ed25519", KEY },
	    { "c:m_p256_rsa512", KEY }, { "k:user_ed25519", OK },
	    { "c:m_ed25519_ed25519", OK } } },
	{ "key: line", "printf 'key: %s\\n' \"$(cat user_rsa.pub)\" > $S",
	  "$S",
	  { { "k:user_rsa", KEY }, { "c:m_rsa_p521", KEY },
	    { "k:user_p521", OK } } },
	{ "sha256: line",
	  "printf 'sha256: %s\\n' \"$(cat user_p384.pub)\" > $S", "$S",
	  { { "c:m_p384_ed25519", KEY }, { "k:user_p384", KEY },
	    { "c:m_p521_ed25519", OK } } },
	{ "hash: line",
	  "printf 'hash: %s\\n' \"$(ssh-keygen -lf user_p521.pub"
	  " | cut -d' ' -f2)\" > $S", "$S",
	  { { "c:m_p521_p256", KEY }, { "k:user_p521", KEY },
	    { "c:m_p384_p256", OK } } },
	{ "sha1: line",
	  "printf 'sha1: %s\\n' \"$(cat user_p521.pub)\" > $S", "$S",
	  { { "c:m_p521_ed25519", KEY }, { "k:user_p521", KEY },
	    { "k:user_p384", OK }, { "c:m_p384_rsa256", OK } } },
	{ "CA explicit key", ":", "ca_p384.pub",
	  { { "c:m_ed25519_p384", CA }, { "c:m_rsa_p384", CA },
	    { "k:ca_p384", KEY }, { "c:m_ed25519_ed25519", OK } } },
	{ "CA sha256", "printf 'sha256: %s\\n' \"$(cat ca_rsa.pub)\" > $S",
	  "$S",
	  { { "c:m_p256_rsa256", CA }, { "c:m_p256_rsa512", CA },
	    { "c:m_rsa_rsa256", CA }, { "c:m_p256_p256", OK } } },
	{ "CA sha1", "printf 'sha1: %s\\n' \"$(cat ca_p521.pub)\" > $S",
	  "$S",
	  { { "c:m_ed25519_p521", CA }, { "c:m_ed25519_p384", OK } } },
	{ "certificate file", ":", "alice-cert.pub",
	  { { "c:alice", REV }, { "c:forever", OK },
	    { "k:user_ed25519", OK } } },
	{ "key before CA",
	  "printf 'key: %s\\nsha256: %s\\n' \"$(cat user_ed25519.pub)\""
	  " \"$(cat ca_ed25519.pub)\" > $S", "$S",
	  { { "c:m_ed25519_ed25519", KEY }, { "c:m_p256_ed25519", CA },
	    { "c:m_p256_p256", OK } } },
	{ "serial before CA",
	  "printf 'serial: 1000\\nsha256: %s\\n' \"$(cat ca_ed25519.pub)\""
	  " > $S", "-s ca_ed25519.pub $S",
	  { { "c:m_ed25519_ed25519", REV }, { "c:m_p256_ed25519", CA } } },
	{ "unrelated KRL",
	  "printf 'serial: 1000\\nid: alice\\nserial: 1-20\\n' > $S",
	  "-s ca_other.pub $S",
	  { { "c:m_ed25519_ed25519", OK }, { "c:alice", OK },
	    { "c:other", REV }, { "k:user_ed25519", OK },
	    { "k:ca_other", OK } } },
	{ "KRL without sections", ":", "-s ca_ed25519.pub $S",
	  { { "c:alice", OK }, { "k:user_ed25519", OK } } },
	/* text lists (sshkey_in_file) */
	{ "text list",
	  "{ echo '# revoked'; echo; cat user_p256.pub;"
	  " echo '   # indented'; cat ca_p384.pub; } > $K", NULL,
	  { { "k:user_p256", KEY }, { "c:m_p256_ed25519", KEY },
	    { "c:m_ed25519_p384", CA }, { "c:m_ed25519_ed25519", OK },
	    { "k:user_ed25519", OK }, { "k:ca_p384", KEY } } },
	{ "text CRLF, no final newline",
	  "{ sed 's/$/\\r/' user_p521.pub; printf '%s' \"$(cat ca_rsa.pub)\"; }"
	  " > $K", NULL,
	  { { "c:m_p521_ed25519", KEY }, { "c:m_p256_rsa512", CA },
	    { "c:m_p256_p256", OK } } },
	{ "empty file", ": > $K", NULL,
	  { { "c:alice", OK }, { "k:user_ed25519", OK } } },
	{ "comments only", "printf '# nothing\\n\\n   \\n' > $K", NULL,
	  { { "c:alice", OK }, { "k:user_ed25519", OK } } },
	{ "text bad line", "{ cat user_p256.pub; echo garbage; } > $K", NULL,
	  { { "k:user_p256", UNAV }, { "c:alice", UNAV } } },
	/* sshd would revoke the certified key; we fail closed */
	{ "text certificate line", "cat alice-cert.pub > $K", NULL,
	  { { "c:alice", UNAV } } },
	{ "magic only", "printf 'SSHKRL\\n' > $K", NULL,
	  { { "c:alice", UNAV } } },
};

static void test_rows(void) {
	size_t i, j, len;
	unsigned char *f;
	enum bp_error e;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		f = make_file(rows[i].snippet, rows[i].args, &len);
		CHECKF(f != NULL || rows[i].args == NULL, "%s: no file",
			rows[i].name);
		if (f == NULL && len != 0) {
			continue;
		}
		if (rows[i].args != NULL) {
			CHECKF(bp_revoked_validate(f, len, NULL) == BP_OK,
				"%s: not valid", rows[i].name);
		}
		for (j = 0; j < MAXCHECKS && rows[i].checks[j].subj; j++) {
			e = check_one(rows[i].checks[j].subj, f, len);
			CHECKF(e == rows[i].checks[j].want, "%s: %s: %s, not %s",
				rows[i].name, rows[i].checks[j].subj,
				bp_strerror(e), bp_strerror(rows[i].checks[j].want));
		}
		free(f);
	}
}

/* A growing byte buffer for hand-made KRLs. */
struct wbuf {
	unsigned char *b;
	size_t len, cap;
};

static void w_bytes(struct wbuf *w, const void *p, size_t n) {
	unsigned char *nb;

	if (w->len + n > w->cap) {
		w->cap = (w->len + n) * 2 + 64;
		if ((nb = realloc(w->b, w->cap)) == NULL) {
			abort();
		}
		w->b = nb;
	}
	if (n > 0) {
		memcpy(w->b + w->len, p, n);
	}
	w->len += n;
}

static void w_u8(struct wbuf *w, unsigned int v) {
	unsigned char c = (unsigned char)v;

	w_bytes(w, &c, 1);
}

static void w_u32(struct wbuf *w, uint32_t v) {
	unsigned char c[4];

	c[0] = (unsigned char)(v >> 24);
	c[1] = (unsigned char)(v >> 16);
	c[2] = (unsigned char)(v >> 8);
	c[3] = (unsigned char)v;
	w_bytes(w, c, 4);
}

static void w_u64(struct wbuf *w, uint64_t v) {
	w_u32(w, (uint32_t)(v >> 32));
	w_u32(w, (uint32_t)v);
}

static void w_str(struct wbuf *w, const void *p, size_t n) {
	w_u32(w, (uint32_t)n);
	w_bytes(w, p, n);
}

static void w_cstr(struct wbuf *w, const char *s) {
	w_str(w, s, strlen(s));
}

/* byte type, string contents of sub (which is then emptied) */
static void w_sect(struct wbuf *w, unsigned int type, struct wbuf *sub) {
	w_u8(w, type);
	w_str(w, sub->b, sub->len);
	sub->len = 0;
}

static void w_header(struct wbuf *w, uint32_t version) {
	w->len = 0;
	w_bytes(w, "SSHKRL\n", 8);
	w_u32(w, version);
	w_u64(w, 7);        /* krl_version */
	w_u64(w, 1700000000); /* generated_date */
	w_u64(w, 0);        /* flags */
	w_cstr(w, "");      /* reserved */
	w_cstr(w, "hand made");
}

/* A KRL with one certificates section for ca (NULL: any CA) holding one
 * subsection of type subtype with contents sub. */
static void w_cert_krl(struct wbuf *w, const unsigned char *ca, size_t calen,
		unsigned int subtype, struct wbuf *sub) {
	struct wbuf s = { NULL, 0, 0 };

	w_header(w, 1);
	w_str(&s, ca, calen);
	w_cstr(&s, "");
	w_sect(&s, subtype, sub);
	w_sect(w, 1, &s);
	free(s.b);
}

static enum bp_error built(const char *subj, const struct wbuf *w) {
	return check_one(subj, w->b, w->len);
}

static void test_built(void) {
	struct wbuf w = { NULL, 0, 0 }, sub = { NULL, 0, 0 },
		sec = { NULL, 0, 0 };
	unsigned char *ca, *key, md[BP_SHA256_LEN], md1[BP_SHA1_LEN];
	size_t calen, keylen, i;
	unsigned char bitmap[BP_KRL_MAX_BITMAP + 2];
	struct subj s;
	enum bp_error why;

	ca = fx_blob("ca_ed25519.pub", &calen);
	key = fx_blob("user_p256.pub", &keylen);
	CHECK(ca != NULL && key != NULL);
	if (ca == NULL || key == NULL) {
		goto out;
	}

	CHECK(bp_revoked_check(NULL, 0, NULL, key, keylen) == OK);
	CHECK(bp_revoked_check(NULL, 1, NULL, key, keylen) == UNAV);

	/* header only; version 2; comment with a NUL */
	w_header(&w, 1);
	CHECK(built("c:alice", &w) == OK);
	w_header(&w, 2);
	CHECK(built("c:alice", &w) == UNAV);
	w.len = 0;
	w_bytes(&w, "SSHKRL\n", 8);
	w_u32(&w, 1);
	w_u64(&w, 1);
	w_u64(&w, 1);
	w_u64(&w, 0xffffffffffffffffULL);  /* flags are ignored */
	w_cstr(&w, "");
	w_str(&w, "a\0b", 3);
	CHECK(built("c:alice", &w) == UNAV);
	CHECK(bp_revoked_validate(w.b, w.len, &why) == UNAV
		&& why == BP_ERR_BAD_FORMAT);

	/* bitmap: offset 995, bits 5 (1000) and 15 (1010) */
	w_u64(&sub, 995);
	w_str(&sub, "\x80\x20", 2);  /* negative */
	w_cert_krl(&w, ca, calen, 0x22, &sub);
	CHECK(built("c:alice", &w) == UNAV);
	w_u64(&sub, 995);
	w_str(&sub, "\x00\x80\x20", 3);
	w_cert_krl(&w, ca, calen, 0x22, &sub);
	CHECK(built("c:m_ed25519_ed25519", &w) == REV);
	CHECK(built("c:m_p256_ed25519", &w) == REV);
	CHECK(built("c:m_p384_ed25519", &w) == OK);
	CHECK(built("c:m_ed25519_p256", &w) == OK);
	CHECK(built("c:alice", &w) == OK);
	/* the same for any CA */
	w_u64(&sub, 995);
	w_str(&sub, "\x00\x00\x80\x20", 4);  /* leading zeros are allowed */
	w_cert_krl(&w, NULL, 0, 0x22, &sub);
	CHECK(built("c:m_ed25519_p256", &w) == OK);
	CHECK(built("c:m_ed25519_ed25519", &w) == REV);
	CHECK(built("c:m_p256_p521", &w) == OK);
	/* serial 0 cannot be revoked */
	w_u64(&sub, 0);
	w_str(&sub, "\x01", 1);
	w_cert_krl(&w, ca, calen, 0x22, &sub);
	CHECK(built("c:alice", &w) == UNAV);
	w_u64(&sub, 0);
	w_str(&sub, "\x08", 1);  /* serial 3 */
	w_cert_krl(&w, ca, calen, 0x22, &sub);
	CHECK(built("c:alice", &w) == REV);
	/* must not wrap past 2^64 - 1 */
	w_u64(&sub, 0xffffffffffffffffULL);
	w_str(&sub, "\x01", 1);
	w_cert_krl(&w, ca, calen, 0x22, &sub);
	CHECK(built("c:bigserial", &w) == REV);
	CHECK(built("c:alice", &w) == OK);
	w_u64(&sub, 0xffffffffffffffffULL);
	w_str(&sub, "\x02", 1);
	w_cert_krl(&w, ca, calen, 0x22, &sub);
	CHECK(built("c:bigserial", &w) == UNAV);
	w_u64(&sub, 0xfffffffffffffff0ULL);
	w_str(&sub, "\x80\x00", 2);  /* negative */
	w_cert_krl(&w, ca, calen, 0x22, &sub);
	CHECK(built("c:bigserial", &w) == UNAV);
	w_u64(&sub, 0xfffffffffffffff0ULL);
	w_str(&sub, "\x40\x00", 2);  /* bit 14: 2^64 - 2, nbits 15 fits */
	w_cert_krl(&w, ca, calen, 0x22, &sub);
	CHECK(built("c:bigserial", &w) == OK);
	w_u64(&sub, 0xfffffffffffffff1ULL);
	w_str(&sub, "\x40\x00", 2);  /* bit 14: 2^64 - 1 */
	w_cert_krl(&w, ca, calen, 0x22, &sub);
	CHECK(built("c:bigserial", &w) == REV);
	w_u64(&sub, 0xfffffffffffffff2ULL);
	w_str(&sub, "\x40\x00", 2);  /* wraps */
	w_cert_krl(&w, ca, calen, 0x22, &sub);
	CHECK(built("c:bigserial", &w) == UNAV);
	/* size limit: 2048 bytes, plus one leading zero */
	memset(bitmap, 0, sizeof(bitmap));
	bitmap[1] = 0x40;
	bitmap[BP_KRL_MAX_BITMAP] = 0x08;  /* bit 3: serial 3 */
	w_u64(&sub, 0);
	w_str(&sub, bitmap, BP_KRL_MAX_BITMAP + 1);
	w_cert_krl(&w, ca, calen, 0x22, &sub);
	CHECK(built("c:alice", &w) == REV);
	bitmap[0] = 0x01;
	w_u64(&sub, 0);
	w_str(&sub, bitmap, BP_KRL_MAX_BITMAP + 1);
	w_cert_krl(&w, ca, calen, 0x22, &sub);
	CHECK(built("c:alice", &w) == UNAV);
	bitmap[0] = 0;
	w_u64(&sub, 0);
	w_str(&sub, bitmap, BP_KRL_MAX_BITMAP + 2);
	w_cert_krl(&w, ca, calen, 0x22, &sub);
	CHECK(built("c:alice", &w) == UNAV);
	w_u64(&sub, 0);
	w_str(&sub, "\x08", 1);
	w_u8(&sub, 0);  /* trailing */
	w_cert_krl(&w, ca, calen, 0x22, &sub);
	CHECK(built("c:alice", &w) == UNAV);

	/* serial list: 0, partial entry; range: reversed, lo 0, trailing */
	w_u64(&sub, 3);
	w_cert_krl(&w, ca, calen, 0x20, &sub);
	CHECK(built("c:alice", &w) == REV);
	w_u64(&sub, 3);
	w_u64(&sub, 3);  /* duplicates are fine */
	w_cert_krl(&w, ca, calen, 0x20, &sub);
	CHECK(built("c:alice", &w) == REV);
	w_u64(&sub, 5);
	w_u64(&sub, 0);
	w_cert_krl(&w, ca, calen, 0x20, &sub);
	CHECK(built("c:alice", &w) == UNAV);
	w_u64(&sub, 3);
	w_u32(&sub, 0);
	w_cert_krl(&w, ca, calen, 0x20, &sub);
	CHECK(built("c:alice", &w) == UNAV);
	w_u64(&sub, 3);
	w_u64(&sub, 3);
	w_cert_krl(&w, ca, calen, 0x21, &sub);
	CHECK(built("c:alice", &w) == REV);
	w_u64(&sub, 4);
	w_u64(&sub, 3);
	w_cert_krl(&w, ca, calen, 0x21, &sub);
	CHECK(built("c:alice", &w) == UNAV);
	w_u64(&sub, 0);
	w_u64(&sub, 3);
	w_cert_krl(&w, ca, calen, 0x21, &sub);
	CHECK(built("c:alice", &w) == UNAV);
	w_u64(&sub, 1);
	w_u64(&sub, 3);
	w_u8(&sub, 0);
	w_cert_krl(&w, ca, calen, 0x21, &sub);
	CHECK(built("c:alice", &w) == UNAV);

	/* key IDs: exact match, NUL refused, empty allowed */
	w_cstr(&sub, "alic");
	w_cstr(&sub, "alice ");
	w_cstr(&sub, "");
	w_cert_krl(&w, ca, calen, 0x23, &sub);
	CHECK(built("c:alice", &w) == OK);
	w_cstr(&sub, "x");
	w_cstr(&sub, "alice");
	w_cert_krl(&w, ca, calen, 0x23, &sub);
	CHECK(built("c:alice", &w) == REV);
	w_str(&sub, "alice\0", 6);
	w_cert_krl(&w, ca, calen, 0x23, &sub);
	CHECK(built("c:alice", &w) == UNAV);

	/* unknown subsection; cert extensions */
	w_u64(&sub, 3);
	w_cert_krl(&w, ca, calen, 0x24, &sub);
	CHECK(built("c:alice", &w) == UNAV);
	w_cstr(&sub, "x@example.com");
	w_u8(&sub, 0);
	w_cstr(&sub, "data");
	w_cert_krl(&w, ca, calen, 0x39, &sub);
	CHECK(built("c:alice", &w) == OK);
	w_cstr(&sub, "x@example.com");
	w_u8(&sub, 1);
	w_cstr(&sub, "data");
	w_cert_krl(&w, ca, calen, 0x39, &sub);
	CHECK(built("c:alice", &w) == UNAV);

	/* malformed CA key; a CA key of a type we do not know is kept */
	w_u64(&sub, 3);
	w_cert_krl(&w, ca, calen - 1, 0x20, &sub);
	CHECK(built("c:alice", &w) == UNAV);
	w_u64(&sub, 3);
	w_cert_krl(&w, (const unsigned char *)"\0\0\0\x07ssh-foo", 11, 0x20,
		&sub);
	CHECK(built("c:alice", &w) == OK);

	/* top-level sections: explicit key, hashes, extension, signature,
	 * unknown type, trailing data inside a section */
	w_header(&w, 1);
	w_str(&sec, key, keylen);
	w_sect(&w, 2, &sec);
	CHECK(built("k:user_p256", &w) == KEY);
	CHECK(built("c:m_p256_p384", &w) == KEY);
	CHECK(built("c:m_p384_p384", &w) == OK);
	w_header(&w, 1);
	bp_sha1(key, keylen, md1);
	w_str(&sec, md1, sizeof(md1));
	w_sect(&w, 3, &sec);
	CHECK(built("c:m_p256_p384", &w) == KEY);
	w_header(&w, 1);
	w_str(&sec, md1, sizeof(md1) - 1);
	w_sect(&w, 3, &sec);
	CHECK(built("c:m_p256_p384", &w) == UNAV);
	w_header(&w, 1);
	bp_sha256(key, keylen, md);
	w_str(&sec, md1, sizeof(md1));  /* SHA-1 length in a SHA-256 section */
	w_sect(&w, 5, &sec);
	CHECK(built("c:m_p256_p384", &w) == UNAV);
	w_header(&w, 1);
	w_str(&sec, md, sizeof(md));
	w_str(&sec, md, sizeof(md));
	w_sect(&w, 5, &sec);
	CHECK(built("c:m_p256_p384", &w) == KEY);
	/* a signature section is skipped (both strings), wherever it is */
	w_u8(&w, 4);
	w_str(&w, ca, calen);
	w_cstr(&w, "not a signature");
	w_cstr(&sec, "x@example.com");
	w_u8(&sec, 0);
	w_cstr(&sec, "");
	w_sect(&w, 255, &sec);
	CHECK(built("c:m_p256_p384", &w) == KEY);
	CHECK(built("c:alice", &w) == OK);
	i = w.len;
	w_u8(&w, 4);
	w_str(&w, ca, calen);
	CHECK(built("c:alice", &w) == UNAV);  /* signature string missing */
	w.len = i;
	w_cstr(&sec, "x@example.com");
	w_u8(&sec, 1);
	w_cstr(&sec, "");
	w_sect(&w, 255, &sec);
	CHECK(built("c:alice", &w) == UNAV);  /* critical extension */
	w.len = i;
	w_cstr(&sec, "x@example.com");
	w_u8(&sec, 0);
	w_cstr(&sec, "");
	w_u8(&sec, 0);
	w_sect(&w, 255, &sec);
	CHECK(built("c:alice", &w) == UNAV);  /* trailing */
	w.len = i;
	w_sect(&w, 6, &sec);
	CHECK(built("c:alice", &w) == UNAV);  /* unknown section */
	w.len = i;
	w_sect(&w, 0, &sec);
	CHECK(built("c:alice", &w) == UNAV);
	w.len = i;
	w_str(&sec, md, sizeof(md));
	w_u8(&sec, 0);
	w_sect(&w, 5, &sec);
	CHECK(built("c:alice", &w) == UNAV);
	w.len = i;
	w_u8(&w, 2);
	CHECK(built("c:alice", &w) == UNAV);

	/* a big serial list is linear: 1M serials (8 MiB), last one alice */
	w_header(&w, 1);
	w_str(&sec, ca, calen);
	w_cstr(&sec, "");
	w_u8(&sec, 0x20);
	w_u32(&sec, 8u * 1000000);
	for (i = 0; i < 999999; i++) {
		w_u64(&sec, 1000000 + i);
	}
	w_u64(&sec, 3);
	w_sect(&w, 1, &sec);
	CHECK(built("c:alice", &w) == REV);
	CHECK(built("c:m_ed25519_ed25519", &w) == OK);

	/* file size limit: one big explicit key up to exactly the limit */
	w_header(&w, 1);
	i = BP_KRL_MAX_FILE - w.len - 5 - 4;
	w_u8(&w, 2);
	w_u32(&w, (uint32_t)(i + 4));
	w_u32(&w, (uint32_t)i);
	while (w.len < BP_KRL_MAX_FILE) {
		w_bytes(&w, bitmap, w.len + sizeof(bitmap) <= BP_KRL_MAX_FILE
			? sizeof(bitmap) : BP_KRL_MAX_FILE - w.len);
	}
	CHECK(w.len == BP_KRL_MAX_FILE);
	CHECK(bp_revoked_validate(w.b, w.len, NULL) == BP_OK);
	w_u8(&w, 0);
	CHECK(bp_revoked_validate(w.b, w.len, &why) == UNAV
		&& why == BP_ERR_TOO_LONG);

	/* validate-only and the "key NULL means cert->pubkey" shortcut */
	if (subj_load(&s, "c:m_p256_ed25519") == 0) {
		w_header(&w, 1);
		w_str(&sec, key, keylen);
		w_sect(&w, 2, &sec);
		CHECK(bp_revoked_check(w.b, w.len, &s.cert, NULL, 0) == KEY);
		CHECK(bp_revoked_check(w.b, w.len, NULL, NULL, 0) == BP_OK);
		subj_free(&s);
	} else {
		CHECK(0);
	}
out:
	free(ca);
	free(key);
	free(w.b);
	free(sub.b);
	free(sec.b);
}

/* Offsets where a KRL could end: after the header and after every
 * top-level section.  A walk independent of krl.c, trusting the input. */
static size_t boundaries(const unsigned char *p, size_t len, size_t *out,
		size_t max) {
	size_t off = 8 + 4 + 24, n = 0, i, nstr;
	unsigned int type;

#define STRLEN(o) (((size_t)p[o] << 24) | ((size_t)p[(o) + 1] << 16) \
	| ((size_t)p[(o) + 2] << 8) | (size_t)p[(o) + 3])
	for (i = 0; i < 2; i++) {
		off += 4 + STRLEN(off);
	}
	out[n++] = off;
	while (off < len && n < max) {
		type = p[off++];
		for (nstr = type == 4 ? 2 : 1; nstr > 0; nstr--) {
			off += 4 + STRLEN(off);
		}
		out[n++] = off;
	}
#undef STRLEN
	return n;
}

static void test_mutations(void) {
	static const char *subjects[] = {
		"c:m_ed25519_ed25519", "c:alice", "k:user_p256",
		"c:m_p384_ed25519", "c:m_p521_ed25519"
	};
	struct subj s[sizeof(subjects) / sizeof(subjects[0])];
	enum bp_error full[sizeof(subjects) / sizeof(subjects[0])], e;
	size_t len, i, j, k, nb, bnd[64], bad;
	unsigned char *f, *copy;
	int is_bnd;

	f = make_file("printf 'serial: 1000\\nserial: 1002-1009\\n"
		"serial: 1012\\nserial: 1014\\nid: alice\\nkey: %s\\n"
		"sha1: %s\\nsha256: %s\\n' \"$(cat user_p256.pub)\""
		" \"$(cat user_p384.pub)\" \"$(cat user_p521.pub)\" > $S",
		"-s ca_ed25519.pub $S", &len);
	CHECK(f != NULL);
	if (f == NULL) {
		return;
	}
	for (i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++) {
		CHECK(subj_load(&s[i], subjects[i]) == 0);
		full[i] = subj_check(&s[i], f, len);
	}
	CHECK(full[0] == REV && full[1] == REV && full[2] == KEY
		&& full[3] == KEY && full[4] == KEY);
	nb = boundaries(f, len, bnd, 64);
	CHECK(nb >= 4 && bnd[nb - 1] == len);

	/* every truncation: a valid KRL only where a section ends */
	copy = malloc(len);
	CHECK(copy != NULL);
	if (copy == NULL) {
		goto out;
	}
	bad = 0;
	for (k = 0; k < len; k++) {
		memcpy(copy, f, k);
		is_bnd = k == 0;
		for (j = 0; j < nb; j++) {
			if (bnd[j] == k) {
				is_bnd = 1;
			}
		}
		for (i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++) {
			e = subj_check(&s[i], copy, k);
			if ((e == UNAV) == is_bnd) {
				bad++;
				fprintf(stderr, "truncated at %zu of %zu: %s: %s\n",
					k, len, subjects[i], bp_strerror(e));
			}
		}
	}
	CHECK(bad == 0);

	/* every byte flipped (three ways): never a crash; the magic and the
	 * version are fatal, krl_version, date and flags are ignored */
	bad = 0;
	for (k = 0; k < len; k++) {
		for (j = 0; j < 3; j++) {
			memcpy(copy, f, len);
			copy[k] ^= j == 0 ? 0xff : j == 1 ? 0x01 : 0x80;
			for (i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++) {
				e = subj_check(&s[i], copy, len);
				if ((k < 12 && e != UNAV)
						|| (k >= 12 && k < 36 && e != full[i])) {
					bad++;
					fprintf(stderr, "flip %zu/%zu: %s: %s\n",
						k, j, subjects[i], bp_strerror(e));
				}
			}
		}
	}
	CHECK(bad == 0);
	free(copy);
out:
	for (i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++) {
		subj_free(&s[i]);
	}
	free(f);
}

int main(int argc, char **argv) {
	char cmd[512];

	if (fx_init(argc, argv, "alice-cert.pub") != 0
			|| mkdtemp(tmpdir) == NULL) {
		CHECK(0);
		return T_DONE("krl");
	}

	test_rows();
	test_built();
	test_mutations();

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	CHECK(system(cmd) == 0);
	return T_DONE("krl");
}
