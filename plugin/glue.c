/*
 * bearpass - the only file that knows Dropbear's plugin API.
 *
 * Dropbear creates an instance with plugin_new() once in the listening
 * process at start-up (addrstring NULL; also for -C) and once per
 * connection.  Everything here is glue: read files, call the pure modules
 * in plugin/, turn their answers into Dropbear's terms, and log.
 */
#include "includes.h"
#include "dbutil.h"
#include <sys/mman.h>
#include "pubkeyapi.h"

#include "signkey.h"
#include "dbrandom.h"
#include "gened25519.h"

#include "audit.h"
#include "bp_error.h"
#include "cakeys.h"
#include "cert.h"
#include "config.h"
#include "environ.h"
#include "hostkey.h"
#include "krl.h"
#include "passwd.h"
#include "policy.h"
#include "sha256.h"
#include "sixpn.h"
#include "runopts.h"
#include "session.h"
#include "sftp.h"

#define BP_PLUGIN_NAME "bearpass"

/* Largest files read (a bigger one is an error, never truncated) */
#define BP_CAKEYS_MAX_FILE (1024 * 1024)
#define BP_USERDB_MAX_FILE (16 * 1024 * 1024)

/* The environment of the app, for TrustedUserCAKeysEnv */
#define BP_PID1_ENVIRON "/proc/1/environ"

struct bp_instance {
	struct PluginInstance base;     /* must be first */
	struct bp_config cfg;
	char *config_path;
	int errors;
	int listener;                   /* created in the listener or for -C */
	int listen_6pn;                 /* listener: listening on the 6PN address */

	/* the client, NULL in the listener */
	char *peer;                     /* "host:port" as Dropbear gives it */
	char peer_audit[BP_AUDIT_MAX_PEER];  /* "[addr]:port" */
	int peer_family;                /* AF_INET, AF_INET6 or 0 */
	unsigned char peer_addr[16];

	/* trusted CA keys, from TrustedUserCAKeys and TrustedUserCAKeysEnv */
	struct bp_cakeys ca;
	/* RevokedKeys contents; revoked_ok is 0 if it could not be used */
	unsigned char *revoked;
	size_t revoked_len;
	int revoked_ok;
	/* in a session: TrustedUserCAKeys(Env) could not be loaded; every
	 * certificate is refused (and audited) instead of dropping the
	 * connection */
	int ca_unavailable;
	/* listener: the configuration text it checked, for bp_snapshot_publish() */
	char *config_text;
	size_t config_len;
	/* the host keys, packed (hostkey.h): the listener's from HostKeyDir,
	 * a connection's from the listener (BP_HOSTKEYS_FD) */
	char *hostkeys;
	size_t hostkeys_len;
};

/* What a successful checkpubkey() decided, kept for auth_success() */
struct bp_session {
	struct PluginSession base;      /* must be first */
	struct bp_instance *inst;
	char *options;                  /* authorized_keys-style restrictions */
	char *user;
	char *key_id;
	size_t key_id_len;
	unsigned long long serial;
	char *principal;
	size_t principal_len;
	char ca_fp[BP_SHA256_FP_SIZE];
	char key_fp[BP_SHA256_FP_SIZE];
	/* a certificate login: its permit-* flags and end of validity */
	int is_cert;
	unsigned int cert_flags;
	uint64_t valid_before;
};

/* --- files ------------------------------------------------------------ */

/* Read the whole regular file open at fd, of at most max bytes, into a
 * NUL-terminated buffer.  pread() from offset 0: the descriptor may be
 * shared with other processes (the configuration snapshot), whose file
 * offset must not matter.  Returns 0, or -1 with errno set (EFBIG if the
 * file is larger than max). */
static int bp_read_fd(int fd, size_t max, char **out, size_t *outlen) {
	char *buf = NULL, *grown;
	size_t len = 0, cap;
	ssize_t n;
	int saved;
	struct stat st;

	*out = NULL;
	*outlen = 0;
	if (fstat(fd, &st) < 0) {
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		return -1;
	}
	/* cap is what may be read, one byte past max to detect an oversized
	 * file; start from the size the file claims (0 for /proc files) and
	 * grow, so that a large max costs nothing for a small file */
	cap = (st.st_size > 0 && (uintmax_t)st.st_size <= max) ? (size_t)st.st_size + 1 : 4096;
	if (cap > max + 1) {
		cap = max + 1;
	}
	for (;;) {
		if (buf == NULL || len == cap) {
			if (buf != NULL) {
				cap = (cap > (max + 1) / 2) ? max + 1 : cap * 2;
			}
			/* + 1 for the terminating NUL */
			if ((grown = realloc(buf, cap + 1)) == NULL) {
				errno = ENOMEM;
				goto fail;
			}
			buf = grown;
		}
		n = pread(fd, buf + len, cap - len, (off_t)len);
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			goto fail;
		}
		if (n == 0) {
			break;
		}
		len += (size_t)n;
		if (len > max) {
			errno = EFBIG;
			goto fail;
		}
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
fail:
	saved = errno;
	free(buf);
	errno = saved;
	return -1;
}

/* Read a whole file of at most max bytes, as bp_read_fd(). */
static int bp_read_file(const char *path, size_t max, char **out, size_t *outlen) {
	int ret, saved;
	/* a FIFO or a device in a file's place must neither block nor feed us */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0) {
		*out = NULL;
		*outlen = 0;
		return -1;
	}
	ret = bp_read_fd(fd, max, out, outlen);
	saved = errno;
	close(fd);
	errno = saved;
	return ret;
}

/* --- configuration ------------------------------------------------------ */

static void bp_config_diag(void *ctx, const char *msg) {
	struct bp_instance *inst = ctx;

	inst->errors++;
	dropbear_log(LOG_ERR, "%s", msg);
}

/* A file the configuration names must be readable at start-up (and for
 * -C).  line is the configuration line that named it. */
static void bp_check_file(struct bp_instance *inst, const char *keyword,
		unsigned long line, const char *path, size_t max) {
	char *buf = NULL;
	size_t len;

	if (path == NULL) {
		return;
	}
	if (bp_read_file(path, max, &buf, &len) < 0) {
		inst->errors++;
		dropbear_log(LOG_ERR, "%s:%lu: %s %s: cannot read: %s",
				inst->config_path, line, keyword, path,
				errno == EFBIG ? "file too large" : strerror(errno));
	}
	free(buf);
}

static void bp_check_files(struct bp_instance *inst) {
	struct bp_config *cfg = &inst->cfg;

	/* The default /etc/passwd and /etc/group may be absent (a scratch
	 * image: UnknownUser applies), but a file the operator named must be
	 * there. */
	if (cfg->line_passwd_file) {
		bp_check_file(inst, "PasswdFile", cfg->line_passwd_file,
				cfg->passwd_file, BP_USERDB_MAX_FILE);
	}
	if (cfg->line_group_file) {
		bp_check_file(inst, "GroupFile", cfg->line_group_file,
				cfg->group_file, BP_USERDB_MAX_FILE);
	}
}

/* --- configuration snapshot -------------------------------------------
 *
 * The listener checks the configuration at start and on SIGHUP; every
 * connection must then use exactly the text the listener accepted, not
 * whatever the file holds when the connection arrives (an edit in
 * progress, or a broken file that a reload refused).  Connection
 * processes are re-executed, so the text is handed down in a sealed
 * memfd at a fixed descriptor number, which fork and exec keep (the same
 * way sshd hands its configuration to the processes it re-executes).
 * Without memfd support, connections read the file as before. */
#define BP_SNAPSHOT_FD 199
/* the host keys the listener uses (HostKeyDir), the same way */
#define BP_HOSTKEYS_FD 198
#define BP_MEMFD_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

/* Write all len bytes of data to fd.  Returns 0, or -1 with errno set
 * (EIO if nothing could be written). */
static int bp_write_all(int fd, const void *data, size_t len) {
	size_t off = 0;
	ssize_t n;

	while (off < len) {
		n = write(fd, (const char *)data + off, len - off);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			if (n == 0) {
				errno = EIO;
			}
			return -1;
		}
		off += (size_t)n;
	}
	return 0;
}

/* Listener: put len bytes of data into a sealed memfd at descriptor
 * target, for the connections to come.  Returns 0, or -1 with errno set;
 * then target is closed (never leave older contents in place). */
static int bp_memfd_publish(const char *name, int target, const void *data, size_t len) {
	int saved, ret = -1;
	int fd = memfd_create(name, MFD_ALLOW_SEALING);

	if (fd >= 0 && bp_write_all(fd, data, len) == 0
			&& fcntl(fd, F_ADD_SEALS, BP_MEMFD_SEALS) == 0
			&& dup2(fd, target) == target) {
		ret = 0;
	}
	saved = errno;
	if (ret < 0) {
		close(target);
	}
	if (fd >= 0 && fd != target) {
		close(fd);
	}
	errno = saved;
	return ret;
}

/* Connection: the contents of the listener's sealed memfd at descriptor
 * fd, of at most max bytes.  Returns 0, or -1 if there is none. */
static int bp_memfd_read(int fd, size_t max, char **out, size_t *outlen) {
	*out = NULL;
	*outlen = 0;
	if (fcntl(fd, F_GET_SEALS) != BP_MEMFD_SEALS) {
		return -1;
	}
	/* not for the programs this connection runs */
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	return bp_read_fd(fd, max, out, outlen);
}

/* Listener: make TEXT the configuration of the connections to come. */
static void bp_snapshot_publish(const struct bp_instance *inst) {
	if (bp_memfd_publish("bearpass-config", BP_SNAPSHOT_FD,
			inst->config_text, inst->config_len) < 0) {
		dropbear_log(LOG_WARNING, "%s: cannot hand the checked configuration "
				"to connections (%s): each reads %s itself",
				BP_PLUGIN_NAME, strerror(errno), inst->config_path);
	}
}

/* Connection: the listener's checked configuration text.  Returns 0, or
 * -1 if there is none (then the file is read). */
static int bp_snapshot_read(char **out, size_t *outlen) {
	return bp_memfd_read(BP_SNAPSHOT_FD, BP_CONFIG_MAX_SIZE, out, outlen);
}

static int bp_load_config(struct bp_instance *inst) {
	char *buf = NULL;
	size_t len = 0;

	if ((inst->listener || bp_snapshot_read(&buf, &len) < 0)
			&& bp_read_file(inst->config_path, BP_CONFIG_MAX_SIZE, &buf, &len) < 0) {
		inst->errors++;
		dropbear_log(LOG_ERR, "%s: cannot read: %s", inst->config_path,
				errno == EFBIG ? "file too large" : strerror(errno));
		return -1;
	}
	bp_config_parse(&inst->cfg, inst->config_path, buf, len, bp_config_diag, inst);
	if (inst->listener) {
		inst->config_text = buf;
		inst->config_len = len;
	} else {
		free(buf);
	}
	if (inst->errors == 0) {
		bp_check_files(inst);
	}
	return inst->errors ? -1 : 0;
}

/* --- trust material ------------------------------------------------------ */

struct bp_cakeys_ctx {
	struct bp_instance *inst;
	const char *what;
	unsigned long line;
};

static void bp_cakeys_diag(void *ctx, size_t line, enum bp_error err) {
	struct bp_cakeys_ctx *c = ctx;

	c->inst->errors++;
	dropbear_log(LOG_ERR, "%s:%lu: %s line %lu: %s", c->inst->config_path,
			c->line, c->what, (unsigned long)line, bp_strerror(err));
}

/* Load the CA keys.  An unreadable or broken CA file, or no CA key at
 * all, is an error: it never means "accept anything". */
static void bp_load_ca_keys(struct bp_instance *inst) {
	struct bp_config *cfg = &inst->cfg;
	struct bp_cakeys_ctx c;
	struct bp_environ env;
	char *buf = NULL;
	size_t len;
	const char *val;
	size_t vallen;
	enum bp_error err;

	memset(&env, 0, sizeof(env));
	c.inst = inst;
	if (cfg->trusted_user_ca_keys) {
		c.what = cfg->trusted_user_ca_keys;
		c.line = cfg->line_trusted_user_ca_keys;
		if (bp_read_file(cfg->trusted_user_ca_keys, BP_CAKEYS_MAX_FILE, &buf, &len) < 0) {
			inst->errors++;
			dropbear_log(LOG_ERR, "%s:%lu: TrustedUserCAKeys %s: cannot read: %s",
					inst->config_path, c.line, cfg->trusted_user_ca_keys,
					errno == EFBIG ? "file too large" : strerror(errno));
		} else {
			err = bp_cakeys_parse(&inst->ca, buf, len, bp_cakeys_diag, &c);
			if (err != BP_OK && inst->errors == 0) {
				bp_cakeys_diag(&c, 0, err);
			}
		}
		free(buf);
		buf = NULL;
	}
	if (cfg->trusted_user_ca_keys_env) {
		c.what = BP_PID1_ENVIRON;
		c.line = 0;
		if (bp_read_file(BP_PID1_ENVIRON, BP_ENVIRON_MAX_SIZE, &buf, &len) < 0
				|| bp_environ_parse(buf, len, &env) != BP_OK) {
			dropbear_log(LOG_WARNING, "%s: cannot read %s: %s",
					BP_PLUGIN_NAME, BP_PID1_ENVIRON, strerror(errno));
		} else if (bp_environ_get(&env, cfg->trusted_user_ca_keys_env,
				strlen(cfg->trusted_user_ca_keys_env), &val, &vallen) == 0) {
			/* the variable may hold several keys separated by newlines */
			err = bp_cakeys_parse(&inst->ca, val, vallen, bp_cakeys_diag, &c);
			if (err != BP_OK && inst->errors == 0) {
				bp_cakeys_diag(&c, 0, err);
			}
		} else {
			dropbear_log(LOG_WARNING, "%s: PID 1 has no variable %s",
					BP_PLUGIN_NAME, cfg->trusted_user_ca_keys_env);
		}
		bp_environ_free(&env);
		free(buf);
		buf = NULL;
	}
	if (inst->errors == 0 && inst->ca.n == 0) {
		inst->errors++;
		dropbear_log(LOG_ERR, "%s: no trusted CA key (TrustedUserCAKeys%s): "
				"no certificate can log in", inst->config_path,
				cfg->trusted_user_ca_keys_env ? ", TrustedUserCAKeysEnv" : "");
	}
}

/* Load RevokedKeys.  Unusable at start-up is an error; in a session every
 * certificate is then refused (fail closed). */
static void bp_load_revoked(struct bp_instance *inst) {
	struct bp_config *cfg = &inst->cfg;
	char *buf = NULL;
	size_t len = 0;
	enum bp_error why = BP_OK;
	const char *reason = NULL;

	if (cfg->revoked_keys == NULL) {
		return;
	}
	if (bp_read_file(cfg->revoked_keys, BP_KRL_MAX_FILE, &buf, &len) < 0) {
		reason = errno == EFBIG ? "file too large" : strerror(errno);
	} else if (bp_revoked_validate((unsigned char *)buf, len, &why) != BP_OK) {
		reason = bp_strerror(why);
	}
	if (reason) {
		inst->errors++;
		dropbear_log(LOG_ERR, "%s:%lu: RevokedKeys %s: cannot read: %s%s",
				inst->config_path, cfg->line_revoked_keys, cfg->revoked_keys,
				reason, inst->listener ? "" : " (refusing every certificate)");
		free(buf);
		return;
	}
	inst->revoked = (unsigned char *)buf;
	inst->revoked_len = len;
	inst->revoked_ok = 1;
}

/* Split Dropbear's "host:port" (host may be IPv6) for audit and for
 * source-address checks. */
static void bp_parse_peer(struct bp_instance *inst, const char *addrstring) {
	char host[INET6_ADDRSTRLEN + 1];
	const char *colon = strrchr(addrstring, ':');
	size_t hostlen;
	int port = 0;

	if (colon == NULL || (hostlen = (size_t)(colon - addrstring)) >= sizeof(host)) {
		snprintf(inst->peer_audit, sizeof(inst->peer_audit), "%.40s", addrstring);
		return;
	}
	memcpy(host, addrstring, hostlen);
	host[hostlen] = '\0';
	port = atoi(colon + 1);
	if (inet_pton(AF_INET, host, inst->peer_addr) == 1) {
		inst->peer_family = AF_INET;
	} else if (inet_pton(AF_INET6, host, inst->peer_addr) == 1) {
		inst->peer_family = AF_INET6;
	}
	if (inst->peer_family == 0 || bp_audit_format_peer(inst->peer_audit,
			sizeof(inst->peer_audit), inst->peer_family, inst->peer_addr, port) == 0) {
		snprintf(inst->peer_audit, sizeof(inst->peer_audit), "%.40s", addrstring);
	}
}

/* --- audit --------------------------------------------------------------- */

/* Complete rec (time, pid, peer) and format it into line.  With AuditLog
 * syslog the record is sent there and 0 returned; otherwise the length
 * of the line to write to the file or stderr sink (0: nothing to write). */
static size_t bp_audit_prepare(struct bp_instance *inst, struct bp_audit_rec *rec,
		char *line, size_t size) {
	size_t len;

	rec->ts = time(NULL);
	rec->pid = (long)getpid();
	if (rec->peer == NULL && inst->peer) {
		rec->peer = inst->peer_audit;
		rec->peer_len = strlen(inst->peer_audit);
	}
	len = bp_audit_format(line, size, rec);
	if (len > 0 && inst->cfg.audit_kind == BP_AUDIT_SYSLOG) {
		line[len - 1] = '\0';
		syslog(LOG_AUTHPRIV | LOG_NOTICE, "%s", line);
		return 0;
	}
	return len;
}

static void bp_audit_write(struct bp_instance *inst, struct bp_audit_rec *rec) {
	char line[BP_AUDIT_MAX_LINE + 1];
	size_t len;
	int fd;
	ssize_t n;

	len = bp_audit_prepare(inst, rec, line, sizeof(line));
	if (len == 0) {
		return;
	}
	switch (inst->cfg.audit_kind) {
	case BP_AUDIT_FILE:
		fd = open(inst->cfg.audit_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
		break;
	case BP_AUDIT_STDERR:
	default:
		fd = STDERR_FILENO;
		break;
	}
	if (fd < 0) {
		dropbear_log(LOG_WARNING, "%s: cannot open audit log %s: %s", BP_PLUGIN_NAME,
				inst->cfg.audit_path, strerror(errno));
		return;
	}
	/* one write() per record: records from several processes never mix */
	do {
		n = write(fd, line, len);
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)len) {
		dropbear_log(LOG_WARNING, "%s: cannot write audit log: %s", BP_PLUGIN_NAME,
				n < 0 ? strerror(errno) : "short write");
	}
	if (fd != STDERR_FILENO) {
		close(fd);
	}
}

/* --- certificate login ------------------------------------------------- */

/* bp_verify_fn over Dropbear's signature code: sig is "string algorithm,
 * string signature", key a plain public key blob.  Both were framed by
 * the certificate parser; key is one of the trusted CA keys. */
int bp_verify_dropbear(void *ctx, const unsigned char *key, size_t keylen,
		const unsigned char *sig, size_t siglen,
		const unsigned char *data, size_t datalen) {
	sign_key *sk = NULL;
	buffer *kb = NULL, *sb = NULL, *db = NULL;
	enum signkey_type keytype = DROPBEAR_SIGNKEY_ANY;
	enum signature_type sigtype;
	unsigned long namelen;
	int ret = -1;

	(void)ctx;
	if (siglen < 4 || keylen > BP_CERT_MAX_LEN || siglen > BP_CERT_MAX_LEN
			|| datalen > BP_CERT_MAX_LEN) {
		goto out;
	}
	namelen = ((unsigned long)sig[0] << 24) | ((unsigned long)sig[1] << 16)
		| ((unsigned long)sig[2] << 8) | (unsigned long)sig[3];
	if (namelen > siglen - 4) {
		goto out;
	}
	sk = new_sign_key();
	kb = buf_new(keylen);
	buf_putbytes(kb, key, keylen);
	buf_setpos(kb, 0);
	if (buf_get_pub_key(kb, sk, &keytype) != DROPBEAR_SUCCESS || kb->pos != kb->len) {
		goto out;
	}
	sigtype = signature_type_from_name((const char *)sig + 4, (unsigned int)namelen);
	if (sigtype == DROPBEAR_SIGNATURE_NONE
			|| signkey_type_from_signature(sigtype) != keytype) {
		goto out;
	}
	/* buf_verify() reads the signature blob as a string */
	sb = buf_new(siglen + 4);
	buf_putstring(sb, (const char *)sig, siglen);
	buf_setpos(sb, 0);
	db = buf_new(datalen);
	buf_putbytes(db, data, datalen);
	buf_setpos(db, 0);
	if (buf_verify(sb, sk, sigtype, db) == DROPBEAR_SUCCESS) {
		ret = 0;
	}
out:
	if (sk) {
		sign_key_free(sk);
	}
	if (kb) {
		buf_free(kb);
	}
	if (sb) {
		buf_free(sb);
	}
	if (db) {
		buf_free(db);
	}
	return ret;
}

static void bp_passwd_warn(void *ctx, size_t lineno, const char *reason) {
	struct bp_instance *inst = ctx;

	dropbear_log(LOG_WARNING, "%s:%lu: skipped: %s", inst->cfg.passwd_file,
			(unsigned long)lineno, reason);
}

/* The home directory of user (len bytes) in PasswdFile, into *home.
 * Returns the lookup's result (BP_PASSWD_FOUND, ...; NOT_FOUND when the
 * file cannot be read) or -1 when out of memory. */
static int bp_passwd_home(struct bp_instance *inst, const char *user, size_t len,
		bp_passwd_warn_fn warn, char **home) {
	struct bp_pwent pw;
	char *buf = NULL;
	size_t buflen = 0;
	int r = BP_PASSWD_NOT_FOUND;

	*home = NULL;
	memset(&pw, 0, sizeof(pw));
	if (bp_read_file(inst->cfg.passwd_file, BP_USERDB_MAX_FILE, &buf, &buflen) == 0) {
		r = bp_passwd_lookup_name(buf, buflen, user, len, &pw, warn, inst);
	}
	free(buf);
	if (r == BP_PASSWD_FOUND) {
		*home = pw.dir;
		pw.dir = NULL;
	}
	bp_pwent_free(&pw);
	return r;
}

/* The user's home directory, for a relative AuthorizedPrincipalsFile:
 * from PasswdFile, else "/root" when UnknownUser is root. */
static enum bp_error bp_user_home(struct bp_instance *inst, const char *user,
		char **home) {
	int r;

	r = bp_passwd_home(inst, user, strlen(user), bp_passwd_warn, home);
	if (r == BP_PASSWD_FOUND) {
		return BP_OK;
	}
	if (r == BP_PASSWD_NOT_FOUND && inst->cfg.unknown_user == BP_UNKNOWN_USER_ROOT) {
		*home = strdup("/root");
		return *home ? BP_OK : BP_ERR_NOMEM;
	}
	/* a malformed entry for this name never falls back to root */
	return r < 0 ? BP_ERR_NOMEM : BP_ERR_USER_DENIED;
}

/* Read the AuthorizedPrincipalsFile of a user. */
static enum bp_error bp_principals_file(struct bp_instance *inst, const char *user,
		char **buf, size_t *len) {
	char *home = NULL, *path = NULL;
	enum bp_error err;

	*buf = NULL;
	*len = 0;
	err = bp_user_home(inst, user, &home);
	if (err != BP_OK) {
		goto out;
	}
	if (bp_config_expand_principals_file(inst->cfg.authorized_principals_file,
			user, strlen(user), home, strlen(home), &path) != 0) {
		err = BP_ERR_PRINCIPALS_FILE;
		goto out;
	}
	if (bp_read_file(path, BP_CERT_MAX_PRINCIPALS_FILE, buf, len) < 0) {
		dropbear_log(LOG_WARNING, "%s: AuthorizedPrincipalsFile %s: %s", BP_PLUGIN_NAME,
				path, strerror(errno));
		err = BP_ERR_PRINCIPALS_FILE;
		goto out;
	}
	err = BP_OK;
out:
	free(home);
	free(path);
	return err;
}

/* Dropbear restrictions ("no-pty,command=\"...\"") for a certificate. */
static enum bp_error bp_cert_options(struct bp_instance *inst,
		const struct bp_cert *cert, char **out) {
	struct bp_config *cfg = &inst->cfg;
	size_t cap, len = 0;
	char *o;
	size_t i;

	*out = NULL;
	cap = 128 + cert->force_command.len;
	o = malloc(cap);
	if (o == NULL) {
		return BP_ERR_NOMEM;
	}
	o[0] = '\0';
#define BP_ADD(s) do { len += (size_t)snprintf(o + len, cap - len, "%s%s", len ? "," : "", (s)); } while (0)
	if (cfg->permit_tty == BP_FWD_NO || (cfg->permit_tty == BP_FWD_CERTIFICATE
			&& !(cert->flags & BP_CERT_PERMIT_PTY))) {
		BP_ADD("no-pty");
	}
	if (cfg->allow_tcp_forwarding == BP_FWD_NO
			|| (cfg->allow_tcp_forwarding == BP_FWD_CERTIFICATE
			&& !(cert->flags & BP_CERT_PERMIT_PORT))) {
		BP_ADD("no-port-forwarding");
	}
	if (cfg->allow_agent_forwarding == BP_FWD_NO
			|| (cfg->allow_agent_forwarding == BP_FWD_CERTIFICATE
			&& !(cert->flags & BP_CERT_PERMIT_AGENT))) {
		BP_ADD("no-agent-forwarding");
	}
	if (!(cert->flags & BP_CERT_PERMIT_X11)) {
		BP_ADD("no-X11-forwarding");
	}
#undef BP_ADD
	if (cert->force_command.p) {
		/* Dropbear's command="..." keeps backslashes and ends at the
		 * first unescaped quote: a command it cannot carry exactly is
		 * refused rather than altered. */
		for (i = 0; i < cert->force_command.len; i++) {
			if (cert->force_command.p[i] == '"') {
				break;
			}
		}
		if (i < cert->force_command.len || (cert->force_command.len > 0
				&& cert->force_command.p[cert->force_command.len - 1] == '\\')) {
			free(o);
			return BP_ERR_CERT_CRITICAL_OPTION;
		}
		len += (size_t)snprintf(o + len, cap - len, "%scommand=\"%.*s\"", len ? "," : "",
				(int)cert->force_command.len, (const char *)cert->force_command.p);
	}
	if (len == 0) {
		free(o);
		o = NULL;
	}
	*out = o;
	return BP_OK;
}

/* Decide on a certificate.  On BP_OK *sessp holds what auth_success needs. */
static enum bp_error bp_check_cert(struct bp_instance *inst, struct bp_session *sess,
		const unsigned char *blob, size_t bloblen, const char *user,
		struct bp_audit_rec *rec) {
	struct bp_cert cert;
	struct bp_cert_policy pol;
	struct bp_blob principal = { NULL, 0 };
	char *pfile = NULL;
	size_t pfile_len = 0;
	enum bp_error err;

	memset(&pol, 0, sizeof(pol));
	err = bp_cert_parse(&cert, blob, bloblen);
	if (err != BP_OK) {
		return err;
	}
	/* what the audit record can say about this certificate */
	bp_sha256_fingerprint(sess->ca_fp, cert.ca_key.p, cert.ca_key.len);
	bp_sha256_fingerprint(sess->key_fp, cert.pubkey, cert.pubkey_len);
	sess->key_id = malloc(cert.key_id.len + 1);
	if (sess->key_id == NULL) {
		err = BP_ERR_NOMEM;
		goto out;
	}
	memcpy(sess->key_id, cert.key_id.p, cert.key_id.len);
	sess->key_id[cert.key_id.len] = '\0';
	sess->key_id_len = cert.key_id.len;
	sess->serial = cert.serial;
	rec->key_id = sess->key_id;
	rec->key_id_len = sess->key_id_len;
	rec->has_serial = 1;
	rec->serial = sess->serial;
	rec->ca_fp = sess->ca_fp;
	rec->ca_fp_len = strlen(sess->ca_fp);
	rec->key_fp = sess->key_fp;
	rec->key_fp_len = strlen(sess->key_fp);

	if (inst->ca_unavailable) {
		err = BP_ERR_CA_UNAVAILABLE;
		goto out;
	}
	if (inst->cfg.authorized_principals_file) {
		err = bp_principals_file(inst, user, &pfile, &pfile_len);
		if (err != BP_OK) {
			goto out;
		}
	}
	pol.ca_keys = inst->ca.keys;
	pol.nca_keys = inst->ca.n;
	pol.now = (uint64_t)time(NULL);
	pol.user = user;
	pol.userlen = strlen(user);
	pol.principals_file = pfile;
	pol.principals_file_len = pfile_len;
	pol.peer_family = inst->peer_family;
	pol.peer_addr = inst->peer_addr;
	pol.verify = bp_verify_dropbear;
	pol.verify_ctx = NULL;
	err = bp_cert_check(&cert, &pol, &principal);
	if (err != BP_OK) {
		goto out;
	}
	sess->principal = malloc(principal.len + 1);
	if (sess->principal == NULL) {
		err = BP_ERR_NOMEM;
		goto out;
	}
	memcpy(sess->principal, principal.p, principal.len);
	sess->principal[principal.len] = '\0';
	sess->principal_len = principal.len;
	rec->principal = sess->principal;
	rec->principal_len = sess->principal_len;

	if (inst->cfg.revoked_keys) {
		if (!inst->revoked_ok) {
			err = BP_ERR_REVOCATION_UNAVAILABLE;
			goto out;
		}
		err = bp_revoked_check(inst->revoked, inst->revoked_len, &cert, NULL, 0);
		if (err != BP_OK) {
			goto out;
		}
	}
	err = bp_cert_options(inst, &cert, &sess->options);
	if (err == BP_OK) {
		sess->is_cert = 1;
		sess->cert_flags = cert.flags;
		sess->valid_before = cert.valid_before;
	}
out:
	free(pfile);
	bp_cert_free(&cert);
	return err;
}

/* --- listen addresses and peer filter (6PN, issue 6) ------------------- */

#define BP_HOSTS_FILE     "/etc/hosts"
#define BP_IF_INET6_FILE  "/proc/net/if_inet6"
#define BP_SIXPN_POLL_NS  (100 * 1000 * 1000)  /* re-read the files every 100 ms */

static void bp_sixpn_warn(void *ctx, const char *msg) {
	(void)ctx;
	dropbear_log(LOG_WARNING, "%s: %s", BP_PLUGIN_NAME, msg);
}

static void bp_format_prefix(char *out, size_t outlen, const struct bp_prefix *p) {
	char text[INET6_ADDRSTRLEN];

	if (inet_ntop(p->family, p->addr, text, sizeof(text)) == NULL) {
		strcpy(text, "?");
	}
	snprintf(out, outlen, "%s/%d", text, p->bits);
}

/* Whether an IPv6 address can be bound now: it is on an interface and
 * no longer tentative.  Other errors are left for Dropbear to report. */
static int bp_can_bind6(const unsigned char *addr) {
	struct sockaddr_in6 sa;
	int fd, ok;

	fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin6_family = AF_INET6;
	memcpy(&sa.sin6_addr, addr, 16);
	ok = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 || errno != EADDRNOTAVAIL;
	close(fd);
	return ok;
}

/* The 6PN addresses (sixpn.h), re-reading /etc/hosts and
 * /proc/net/if_inet6 until one can be bound or SixPNWait has passed.
 * Returns the number found, or -1 after logging why. */
static int bp_sixpn_wait(struct bp_instance *inst, struct bp_sixpn_addr *out, size_t max) {
	struct bp_config *cfg = &inst->cfg;
	struct timespec start, now, pause;
	char *hosts, *ifs;
	size_t hosts_len, ifs_len, n, i, k;
	char prefix[INET6_ADDRSTRLEN + 8];
	enum bp_error err;
	int first = 1;

	bp_format_prefix(prefix, sizeof(prefix), &cfg->sixpn_prefix);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (bp_read_file(BP_HOSTS_FILE, BP_SIXPN_MAX_FILE, &hosts, &hosts_len) < 0
				&& errno != ENOENT && first) {
			dropbear_log(LOG_WARNING, "%s: %s: %s", BP_PLUGIN_NAME, BP_HOSTS_FILE,
					errno == EFBIG ? "file too large" : strerror(errno));
		}
		if (bp_read_file(BP_IF_INET6_FILE, BP_SIXPN_MAX_FILE, &ifs, &ifs_len) < 0
				&& first) {
			dropbear_log(LOG_WARNING, "%s: %s: %s", BP_PLUGIN_NAME, BP_IF_INET6_FILE,
					errno == EFBIG ? "file too large" : strerror(errno));
		}
		/* warnings about the hosts file once, not every 100 ms */
		err = bp_sixpn_discover(hosts, hosts_len, ifs, ifs_len, &cfg->sixpn_prefix,
				out, max, &n, first ? bp_sixpn_warn : NULL, inst);
		free(hosts);
		free(ifs);
		if (err == BP_OK) {
			/* an address named in /etc/hosts may not be up yet */
			for (i = k = 0; i < n; i++) {
				if (bp_can_bind6(out[i].addr)) {
					out[k++] = out[i];
				}
			}
			if (k > 0) {
				return (int)k;
			}
		} else if (err != BP_ERR_NO_6PN) {
			dropbear_log(LOG_ERR, "%s: 6PN address discovery: %s", BP_PLUGIN_NAME,
					bp_strerror(err));
			return -1;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (ses.exitflag || (long long)(now.tv_sec - start.tv_sec) * 1000
				+ (now.tv_nsec - start.tv_nsec) / 1000000
				>= (long long)cfg->sixpn_wait * 1000) {
			break;
		}
		if (first) {
			dropbear_log(LOG_INFO, "%s: waiting up to %u s for a 6PN address in %s",
					BP_PLUGIN_NAME, cfg->sixpn_wait, prefix);
		}
		first = 0;
		pause.tv_sec = 0;
		pause.tv_nsec = BP_SIXPN_POLL_NS;
		nanosleep(&pause, NULL);
	}
	if (!ses.exitflag) {
		dropbear_log(LOG_ERR, "%s: no 6PN address in %s after %u s", BP_PLUGIN_NAME,
				prefix, cfg->sixpn_wait);
	}
	return -1;
}

/* Whether a -p address names one address (numeric, not a wildcard) */
static int bp_explicit_address(const char *s) {
	static const unsigned char zero[16];
	unsigned char a[16];

	if (inet_pton(AF_INET, s, a) == 1) {
		return memcmp(a, zero, 4) != 0;
	}
	if (inet_pton(AF_INET6, s, a) == 1) {
		return memcmp(a, zero, 16) != 0;
	}
	return 0;
}

/* Append one listen address; -1 if there is no room left */
static int bp_add_listen(char **addresses, char **ports, int max, int *n,
		const char *addr, int port) {
	char portstr[8];

	if (*n >= max) {
		dropbear_log(LOG_ERR, "%s: too many listen addresses (max %d)",
				BP_PLUGIN_NAME, max);
		return -1;
	}
	snprintf(portstr, sizeof(portstr), "%d", port);
	addresses[*n] = strdup(addr);
	ports[*n] = strdup(portstr);
	if (addresses[*n] == NULL || ports[*n] == NULL) {
		return -1;
	}
	dropbear_log(LOG_INFO, "%s: listening on %s%s%s:%s", BP_PLUGIN_NAME,
			addr[0] == '\0' ? "every address" : strchr(addr, ':') ? "[" : "",
			addr, strchr(addr, ':') ? "]" : "", portstr);
	(*n)++;
	return 0;
}

/* The listen addresses.  The configuration's ListenAddress lines decide
 * (default 6pn; -p is then ignored).  Without a ListenAddress line, -p
 * decides when it is given, but only with explicit addresses: bearpass
 * listens on a wildcard address only for "ListenAddress any". */
static int bp_listen_addresses(struct PluginInstance *instance,
		char **addresses, char **ports, int max) {
	struct bp_instance *inst = (struct bp_instance *)instance;
	struct bp_config *cfg = &inst->cfg;
	struct bp_sixpn_addr six[BP_SIXPN_MAX_ADDRS];
	struct bp_listen def;
	const struct bp_listen *list;
	char text[INET6_ADDRSTRLEN];
	size_t nlist, i;
	int given = 0, n = 0, nsix, j, port;

	while (given < max && addresses[given] != NULL) {
		given++;
	}
	if (cfg->nlisten == 0 && given > 0) {
		for (j = 0; j < given; j++) {
			if (!bp_explicit_address(addresses[j])) {
				dropbear_log(LOG_ERR, "%s: -p %s%s%s would listen on every address: "
						"give a numeric address (-p ADDRESS:PORT), or \"ListenAddress any\" in %s",
						BP_PLUGIN_NAME, addresses[j], addresses[j][0] ? ":" : "",
						ports[j] ? ports[j] : "", inst->config_path);
				return -1;
			}
		}
		return 0;
	}
	if (given > 0) {
		dropbear_log(LOG_WARNING, "%s: -p ignored: ListenAddress in %s decides",
				BP_PLUGIN_NAME, inst->config_path);
	}
	for (j = 0; j < max; j++) {
		free(addresses[j]);
		free(ports[j]);
		addresses[j] = NULL;
		ports[j] = NULL;
	}

	memset(&def, 0, sizeof(def));
	def.kind = BP_LISTEN_6PN;
	list = cfg->nlisten ? cfg->listen : &def;
	nlist = cfg->nlisten ? cfg->nlisten : 1;
	for (i = 0; i < nlist; i++) {
		port = list[i].port ? list[i].port : cfg->port;
		switch (list[i].kind) {
		case BP_LISTEN_6PN:
			nsix = bp_sixpn_wait(inst, six, BP_SIXPN_MAX_ADDRS);
			if (nsix < 0) {
				goto fail;
			}
			inst->listen_6pn = 1;
			for (j = 0; j < nsix; j++) {
				inet_ntop(AF_INET6, six[j].addr, text, sizeof(text));
				if (bp_add_listen(addresses, ports, max, &n, text, port) < 0) {
					goto fail;
				}
			}
			break;
		case BP_LISTEN_ANY:
			if (bp_add_listen(addresses, ports, max, &n, "", port) < 0) {
				goto fail;
			}
			break;
		case BP_LISTEN_ADDRESS:
		default:
			if (inet_ntop(list[i].family, list[i].addr, text, sizeof(text)) == NULL
					|| bp_add_listen(addresses, ports, max, &n, text, port) < 0) {
				goto fail;
			}
			break;
		}
	}
	return n;

fail:
	for (j = 0; j < max; j++) {
		free(addresses[j]);
		free(ports[j]);
		addresses[j] = NULL;
		ports[j] = NULL;
	}
	return -1;
}

/* The peer filter: AllowFrom, by default the 6PN prefix when listening on
 * the 6PN address, else every address. */
static int bp_accept_peer(struct PluginInstance *instance,
		const struct sockaddr *addr, socklen_t addrlen) {
	struct bp_instance *inst = (struct bp_instance *)instance;
	struct bp_config *cfg = &inst->cfg;
	const struct bp_prefix *allow;
	size_t nallow, i;
	struct bp_audit_rec rec;
	char peer[BP_AUDIT_MAX_PEER];
	const unsigned char *a = NULL;
	int family = 0, port = 0;

	if (addr->sa_family == AF_INET && addrlen >= (socklen_t)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)addr;

		family = AF_INET;
		a = (const unsigned char *)&sin->sin_addr;
		port = ntohs(sin->sin_port);
	} else if (addr->sa_family == AF_INET6
			&& addrlen >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)addr;

		family = AF_INET6;
		a = (const unsigned char *)&sin6->sin6_addr;
		port = ntohs(sin6->sin6_port);
	}
	if (cfg->allow_from_set) {
		allow = cfg->allow_from;
		nallow = cfg->nallow_from;
	} else if (inst->listen_6pn) {
		allow = &cfg->sixpn_prefix;
		nallow = 1;
	} else {
		return 1;
	}
	for (i = 0; a != NULL && i < nallow; i++) {
		if (bp_prefix_match(&allow[i], family, a)) {
			return 1;
		}
	}

	memset(&rec, 0, sizeof(rec));
	rec.event = BP_AUDIT_EV_CONN_REJECT;
	rec.reason = BP_ERR_PEER_NOT_ALLOWED;
	if (a != NULL && bp_audit_format_peer(peer, sizeof(peer), family, a, port) > 0) {
		rec.peer = peer;
		rec.peer_len = strlen(peer);
	}
	bp_audit_write(inst, &rec);
	dropbear_log(LOG_NOTICE, "%s: refused connection from %s: %s", BP_PLUGIN_NAME,
			rec.peer ? peer : "?", bp_strerror(BP_ERR_PEER_NOT_ALLOWED));
	return 0;
}

/* --- SFTP subsystem (issue 9) -------------------------------------------- */

/* The session's child serves SFTP in-process (Subsystem sftp internal).
 * Its stderr is the channel, so before the fork bp_subsystem() keeps a
 * descriptor of the server's own log (stderr) and, for AuditLog FILE,
 * the audit file opened while still privileged; both are close-on-exec. */
static int bp_sftp_log_fd = -1;
static int bp_sftp_audit_fd = -1;

struct bp_sftp_ctx {
	struct bp_instance *inst;
	const char *user;
};

static void bp_sftp_log(void *ctx, const char *msg) {
	char line[512];
	int len;

	(void)ctx;
	if (opts.usingsyslog) {
		syslog(LOG_WARNING, "%s: %s", BP_PLUGIN_NAME, msg);
		return;
	}
	len = snprintf(line, sizeof(line), "[%ld] %s: %s\n", (long)getpid(),
			BP_PLUGIN_NAME, msg);
	if (bp_sftp_log_fd >= 0 && len > 0) {
		if (write(bp_sftp_log_fd, line, MIN((size_t)len, sizeof(line) - 1)) < 0) {
			/* nowhere else to say it */
		}
	}
}

static void bp_sftp_audit(void *ctx, enum bp_sftp_audit_kind kind,
		const char *path, const char *path2, unsigned long long bytes) {
	struct bp_sftp_ctx *c = ctx;
	struct bp_instance *inst = c->inst;
	struct bp_audit_rec rec;
	char line[BP_AUDIT_MAX_LINE + 1];
	size_t len;
	int fd;

	memset(&rec, 0, sizeof(rec));
	switch (kind) {
	case BP_SFTP_AUDIT_WRITE:
		rec.event = BP_AUDIT_EV_SFTP_WRITE;
		rec.has_bytes = 1;
		rec.bytes = bytes;
		break;
	case BP_SFTP_AUDIT_REMOVE:
		rec.event = BP_AUDIT_EV_SFTP_REMOVE;
		break;
	case BP_SFTP_AUDIT_RENAME:
	default:
		rec.event = BP_AUDIT_EV_SFTP_RENAME;
		break;
	}
	if (c->user) {
		rec.user = c->user;
		rec.user_len = strlen(c->user);
	}
	rec.path = path;
	rec.path_len = strlen(path);
	if (path2) {
		rec.new_path = path2;
		rec.new_path_len = strlen(path2);
	}
	len = bp_audit_prepare(inst, &rec, line, sizeof(line));
	if (len == 0) {
		return;
	}
	switch (inst->cfg.audit_kind) {
	case BP_AUDIT_FILE:
		fd = bp_sftp_audit_fd;
		break;
	case BP_AUDIT_STDERR:
	default:
		fd = bp_sftp_log_fd;
		break;
	}
	/* one write() per record, as bp_audit_write */
	if (fd >= 0 && write(fd, line, len) != (ssize_t)len) {
		bp_sftp_log(ctx, "cannot write audit log");
	}
}

/* A line skipped in PasswdFile while the SFTP server looks up a user: to
 * the server's log (the session's stderr is the channel). */
static void bp_sftp_passwd_warn(void *ctx, size_t lineno, const char *reason) {
	struct bp_instance *inst = ctx;
	char line[256];

	snprintf(line, sizeof(line), "%s:%lu: skipped: %s", inst->cfg.passwd_file,
			(unsigned long)lineno, reason);
	bp_sftp_log(NULL, line);
}

/* expand-path@openssh.com "~name": the session's own login name has the
 * home the session started in (also under UnknownUser root); any other
 * name must have a valid PasswdFile entry.  The file is read now, with the
 * session user's privileges, as OpenSSH's sftp-server calls getpwnam()
 * as the user; UnknownUser does not make up homes for other names. */
static char *bp_sftp_user_home(void *ctx, const char *name, size_t namelen) {
	struct bp_sftp_ctx *c = ctx;
	char *home = NULL;

	if (c->user != NULL && strlen(c->user) == namelen
			&& memcmp(c->user, name, namelen) == 0) {
		return ses.authstate.pw_dir ? strdup(ses.authstate.pw_dir) : NULL;
	}
	if (bp_passwd_home(c->inst, name, namelen, bp_sftp_passwd_warn, &home)
			!= BP_PASSWD_FOUND) {
		return NULL;
	}
	return home;
}

/* Subsystem requests: only "sftp" is ours; anything else is left to
 * Dropbear, which refuses names it does not know. */
static int bp_subsystem(struct PluginInstance *instance,
		struct PluginSession *session, const char *name, char **path) {
	struct bp_instance *inst = (struct bp_instance *)instance;

	(void)session;
	*path = NULL;
	if (strcmp(name, "sftp") != 0) {
		return 0;
	}
	switch (inst->cfg.sftp) {
	case BP_SUBSYS_NONE:
		dropbear_log(LOG_INFO, "%s: sftp subsystem refused (Subsystem none)",
				BP_PLUGIN_NAME);
		return -1;
	case BP_SUBSYS_PATH:
		*path = strdup(inst->cfg.sftp_path);
		return *path ? 0 : -1;
	case BP_SUBSYS_INTERNAL:
	default:
		break;
	}
	if (bp_sftp_log_fd < 0) {
		bp_sftp_log_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	}
	if (bp_sftp_audit_fd < 0 && inst->cfg.audit_kind == BP_AUDIT_FILE) {
		bp_sftp_audit_fd = open(inst->cfg.audit_path,
				O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
		if (bp_sftp_audit_fd < 0) {
			dropbear_log(LOG_WARNING, "%s: cannot open audit log %s: %s",
					BP_PLUGIN_NAME, inst->cfg.audit_path, strerror(errno));
		}
	}
	return 1;
}

/* In the session's child: user privileges, home directory, fds 0-2 on
 * the channel.  Close Dropbear's other descriptors (the connection
 * socket among them), then serve until the client closes. */
static int bp_run_subsystem(struct PluginInstance *instance,
		struct PluginSession *session, const char *name) {
	struct bp_sftp_ctx ctx;
	struct bp_sftp_hooks hooks;
	struct bp_session *sess = (struct bp_session *)session;
	int fd, maxfd;

	(void)name;
	maxfd = (int)sysconf(_SC_OPEN_MAX);
	if (maxfd < 0 || maxfd > 65536) {
		maxfd = 65536;
	}
	for (fd = 3; fd < maxfd; fd++) {
		if (fd != bp_sftp_log_fd && fd != bp_sftp_audit_fd) {
			close(fd);
		}
	}
	ctx.inst = (struct bp_instance *)instance;
	ctx.user = (sess && sess->user) ? sess->user : ses.authstate.pw_name;
	memset(&hooks, 0, sizeof(hooks));
	hooks.ctx = &ctx;
	hooks.log = bp_sftp_log;
	hooks.audit = bp_sftp_audit;
	hooks.home = ses.authstate.pw_dir;
	hooks.user_home = bp_sftp_user_home;
	return bp_sftp_serve(STDIN_FILENO, STDOUT_FILENO, &hooks);
}

/* --- container runtime: users, PID 1's environment, session events
 *     (issue 5) -------------------------------------------------------- */

/* The session's child runs the program with fds 0-2 on the channel, and
 * Dropbear closes every descriptor up to its highest one before it
 * executes the program.  So that an exec_fail record still reaches the
 * server's log, get_user() (still privileged, in the session process)
 * keeps the server's stderr and, for AuditLog FILE, the audit file open
 * on close-on-exec descriptors at or above BP_RT_FD_MIN. */
#define BP_RT_FD_MIN 200

/* Per session process (get_user is called once per connection, in the
 * session process, before privileges are dropped). */
static struct {
	int prepared;
	struct bp_pwent pw;             /* the PluginUser's strings */
	gid_t gids[BP_GROUP_MAX_GROUPS];
	struct bp_environ env;          /* PID 1's, when env_ok */
	int env_ok;
	int log_fd;
	int audit_fd;
	time_t start;                   /* of the last session channel */
} bp_rt = { 0, { NULL, 0, 0, NULL, NULL }, { 0 }, { NULL, 0, 0 }, 0, -1, -1, 0 };

static int bp_rt_dup(int fd) {
	int r = fcntl(fd, F_DUPFD_CLOEXEC, BP_RT_FD_MIN);

	if (r < 0) {
		r = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	}
	return r;
}

/* Once per session process, while still privileged. */
static void bp_rt_prepare(struct bp_instance *inst) {
	char *buf = NULL;
	size_t len = 0;
	int fd;
	enum bp_error err;

	if (bp_rt.prepared) {
		return;
	}
	bp_rt.prepared = 1;
	bp_rt.log_fd = bp_rt_dup(STDERR_FILENO);
	if (inst->cfg.audit_kind == BP_AUDIT_FILE) {
		fd = open(inst->cfg.audit_path,
				O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
		if (fd >= 0) {
			bp_rt.audit_fd = bp_rt_dup(fd);
			close(fd);
		}
	}
	if (!inst->cfg.inherit_environment) {
		return;
	}
	if (bp_read_file(BP_PID1_ENVIRON, BP_ENVIRON_MAX_SIZE, &buf, &len) < 0) {
		dropbear_log(LOG_WARNING, "%s: InheritEnvironment: cannot read %s: %s; "
				"sessions get the default environment", BP_PLUGIN_NAME,
				BP_PID1_ENVIRON, errno == EFBIG ? "too large" : strerror(errno));
	} else if ((err = bp_environ_parse(buf, len, &bp_rt.env)) != BP_OK) {
		dropbear_log(LOG_WARNING, "%s: InheritEnvironment: %s: %s; "
				"sessions get the default environment", BP_PLUGIN_NAME,
				BP_PID1_ENVIRON, bp_strerror(err));
	} else {
		bp_rt.env_ok = 1;
		if (bp_rt.env.nskipped > 0) {
			dropbear_log(LOG_WARNING, "%s: %s: %lu malformed or duplicate "
					"entries skipped", BP_PLUGIN_NAME, BP_PID1_ENVIRON,
					(unsigned long)bp_rt.env.nskipped);
		}
	}
	free(buf);
}

static void bp_group_warn(void *ctx, size_t lineno, const char *reason) {
	struct bp_instance *inst = ctx;

	dropbear_log(LOG_WARNING, "%s:%lu: skipped: %s", inst->cfg.group_file,
			(unsigned long)lineno, reason);
}

/* Read a user database file.  A missing default file is normal (a scratch
 * image); anything else unreadable is logged.  Returns 0 or -1. */
static int bp_read_userdb(const char *path,
		unsigned long named, char **buf, size_t *len) {
	if (bp_read_file(path, BP_USERDB_MAX_FILE, buf, len) == 0) {
		return 0;
	}
	if (errno != ENOENT || named) {
		dropbear_log(LOG_WARNING, "%s: cannot read %s: %s", BP_PLUGIN_NAME, path,
				errno == EFBIG ? "file too large" : strerror(errno));
	}
	return -1;
}

static void bp_user_refused(struct bp_instance *inst, const char *username,
		enum bp_error err) {
	struct bp_audit_rec rec;

	memset(&rec, 0, sizeof(rec));
	rec.event = BP_AUDIT_EV_AUTH_REJECT;
	rec.user = username;
	rec.user_len = strlen(username);
	rec.reason = err;
	bp_audit_write(inst, &rec);
	dropbear_log(LOG_NOTICE, "%s: refused user '%s' from %s: %s", BP_PLUGIN_NAME,
			username, inst->peer ? inst->peer : "?", bp_strerror(err));
}

/* PasswdFile and GroupFile, without libc.  A missing file or entry
 * follows UnknownUser; a malformed entry for the name refuses. */
static int bp_get_user(struct PluginInstance *instance, const char *username,
		struct PluginUser *user) {
	struct bp_instance *inst = (struct bp_instance *)instance;
	struct bp_config *cfg = &inst->cfg;
	unsigned int gids[BP_GROUP_MAX_GROUPS];
	size_t ngids = 0, i;
	char *buf = NULL;
	size_t len = 0;
	struct stat st;
	int r = BP_PASSWD_NOT_FOUND;

	bp_rt_prepare(inst);
	bp_pwent_free(&bp_rt.pw);
	if (bp_read_userdb(cfg->passwd_file, cfg->line_passwd_file, &buf, &len) == 0) {
		r = bp_passwd_lookup_name(buf, len, username, strlen(username),
				&bp_rt.pw, bp_passwd_warn, inst);
	}
	free(buf);
	buf = NULL;
	if (r == BP_PASSWD_NOT_FOUND) {
		if (cfg->unknown_user == BP_UNKNOWN_USER_DENY) {
			bp_user_refused(inst, username, BP_ERR_USER_DENIED);
			return DROPBEAR_FAILURE;
		}
		/* UnknownUser root */
		bp_rt.pw.name = strdup(username);
		bp_rt.pw.dir = strdup(stat("/root", &st) == 0 && S_ISDIR(st.st_mode)
				? "/root" : "/");
		bp_rt.pw.shell = strdup("");
		bp_rt.pw.uid = 0;
		bp_rt.pw.gid = 0;
		if (bp_rt.pw.name == NULL || bp_rt.pw.dir == NULL || bp_rt.pw.shell == NULL) {
			r = -1;
		} else {
			TRACE(("bearpass: unknown user '%s' is root", username))
		}
	} else if (r == BP_PASSWD_BAD_ENTRY) {
		bp_user_refused(inst, username, BP_ERR_USER_BAD_ENTRY);
		return DROPBEAR_FAILURE;
	}
	if (r != BP_PASSWD_FOUND && r != BP_PASSWD_NOT_FOUND) {
		bp_pwent_free(&bp_rt.pw);
		bp_user_refused(inst, username, BP_ERR_NOMEM);
		return DROPBEAR_FAILURE;
	}
	if (bp_rt.pw.shell[0] == '\0') {
		free(bp_rt.pw.shell);
		bp_rt.pw.shell = strdup(cfg->default_shell);
		if (bp_rt.pw.shell == NULL) {
			bp_pwent_free(&bp_rt.pw);
			return DROPBEAR_FAILURE;
		}
	}

	/* supplementary groups: the primary group, then GroupFile's */
	gids[0] = bp_rt.pw.gid;
	ngids = 1;
	if (bp_read_userdb(cfg->group_file, cfg->line_group_file, &buf, &len) == 0
			&& bp_group_list(buf, len, bp_rt.pw.name, strlen(bp_rt.pw.name),
				bp_rt.pw.gid, gids, BP_GROUP_MAX_GROUPS, &ngids,
				bp_group_warn, inst) != 0) {
		gids[0] = bp_rt.pw.gid;
		ngids = 1;
	}
	free(buf);
	for (i = 0; i < ngids; i++) {
		bp_rt.gids[i] = (gid_t)gids[i];
	}

	memset(user, 0, sizeof(*user));
	user->name = bp_rt.pw.name;
	user->uid = (uid_t)bp_rt.pw.uid;
	user->gid = (gid_t)bp_rt.pw.gid;
	user->dir = bp_rt.pw.dir;
	user->shell = bp_rt.pw.shell;
	user->groups = bp_rt.gids;
	user->ngroups = ngids;
	return DROPBEAR_SUCCESS;
}

/* In the session's child, just before the program is executed: PID 1's
 * environment minus InheritEnvironmentExclude, overlaid with Dropbear's
 * session variables; PATH is PID 1's when it has one. */
static char **bp_session_env(struct PluginInstance *instance,
		struct PluginSession *session, char *const *session_env) {
	struct bp_instance *inst = (struct bp_instance *)instance;
	char **own = NULL, **out = NULL;
	const char *default_path = NULL;
	size_t n = 0, nown = 0, i;

	(void)session;
	if (!inst->cfg.inherit_environment || !bp_rt.env_ok || session_env == NULL) {
		return NULL;
	}
	while (session_env[n] != NULL) {
		n++;
	}
	own = calloc(n + 1, sizeof(*own));
	if (own == NULL) {
		return NULL;
	}
	/* Dropbear's PATH is only the fallback */
	for (i = 0; i < n; i++) {
		if (strncmp(session_env[i], "PATH=", 5) == 0) {
			default_path = session_env[i] + 5;
		} else if (strchr(session_env[i], '=') != NULL && session_env[i][0] != '=') {
			own[nown++] = session_env[i];
		}
	}
	if (bp_env_build(&bp_rt.env, inst->cfg.inherit_env_exclude,
			inst->cfg.ninherit_env_exclude, own, nown, default_path, &out) != BP_OK) {
		out = NULL;
	}
	free(own);
	return out;
}

static const char *bp_signal_name(int sig, char *buf, size_t buflen) {
	static const struct {
		int sig;
		const char *name;
	} names[] = {
		{ SIGHUP, "HUP" }, { SIGINT, "INT" }, { SIGQUIT, "QUIT" },
		{ SIGILL, "ILL" }, { SIGABRT, "ABRT" }, { SIGFPE, "FPE" },
		{ SIGKILL, "KILL" }, { SIGSEGV, "SEGV" }, { SIGPIPE, "PIPE" },
		{ SIGALRM, "ALRM" }, { SIGTERM, "TERM" }, { SIGUSR1, "USR1" },
		{ SIGUSR2, "USR2" }, { SIGBUS, "BUS" }
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].sig == sig) {
			return names[i].name;
		}
	}
	snprintf(buf, buflen, "%d", sig);
	return buf;
}

/* An audit record from the session's child: fds 0-2 are the channel
 * there, so write to the descriptors bp_rt_prepare() kept. */
static void bp_rt_audit_child(struct bp_instance *inst, struct bp_audit_rec *rec) {
	char line[BP_AUDIT_MAX_LINE + 1];
	size_t len;
	int fd;

	len = bp_audit_prepare(inst, rec, line, sizeof(line));
	if (len == 0) {
		return;
	}
	switch (inst->cfg.audit_kind) {
	case BP_AUDIT_FILE:
		fd = bp_rt.audit_fd;
		break;
	case BP_AUDIT_STDERR:
	default:
		fd = bp_rt.log_fd;
		break;
	}
	if (fd >= 0 && write(fd, line, len) != (ssize_t)len) {
		/* nowhere else to say it: stderr is the client's */
	}
}

/* session_start, exec_fail (in the child) and session_end records */
static void bp_session_event(struct PluginInstance *instance,
		struct PluginSession *session, const struct PluginSessionEvent *event) {
	struct bp_instance *inst = (struct bp_instance *)instance;
	struct bp_session *sess = (struct bp_session *)session;
	struct bp_audit_rec rec;
	const char *user = NULL;
	char signame[16];
	time_t now = time(NULL);

	memset(&rec, 0, sizeof(rec));
	user = sess ? sess->user : NULL;
	if (user) {
		rec.user = user;
		rec.user_len = strlen(user);
	}
	if (event->command) {
		rec.command = event->command;
		rec.command_len = strlen(event->command);
	}
	switch (event->type) {
	case PLUGIN_SESSION_START:
		bp_rt.start = now;
		rec.event = BP_AUDIT_EV_SESSION_START;
		bp_audit_write(inst, &rec);
		return;
	case PLUGIN_SESSION_EXEC_FAILED:
		rec.event = BP_AUDIT_EV_EXEC_FAIL;
		if (event->program) {
			rec.path = event->program;
			rec.path_len = strlen(event->program);
		}
		rec.error = strerror(event->error);
		rec.error_len = strlen(rec.error);
		bp_rt_audit_child(inst, &rec);
		return;
	case PLUGIN_SESSION_END:
		rec.event = BP_AUDIT_EV_SESSION_END;
		if (event->exit_signal > 0) {
			rec.exit_signal = bp_signal_name(event->exit_signal, signame,
					sizeof(signame));
			rec.exit_signal_len = strlen(rec.exit_signal);
		} else {
			rec.has_exit_status = 1;
			rec.exit_status = event->exit_status;
		}
		if (bp_rt.start != 0) {
			rec.has_duration = 1;
			rec.duration_s = now > bp_rt.start ? (unsigned long long)(now - bp_rt.start) : 0;
		}
		bp_audit_write(inst, &rec);
		return;
	default:
		return;
	}
}

/* --- plugin API --------------------------------------------------------- */

static void bp_session_clear(struct bp_session *s) {
	free(s->options);
	free(s->user);
	free(s->key_id);
	free(s->principal);
	s->options = NULL;
	s->user = NULL;
	s->key_id = NULL;
	s->principal = NULL;
	s->key_id_len = 0;
	s->principal_len = 0;
	s->serial = 0;
	s->ca_fp[0] = '\0';
	s->key_fp[0] = '\0';
	s->is_cert = 0;
	s->cert_flags = 0;
	s->valid_before = 0;
}

static void bp_delete_session(struct PluginSession *session) {
	struct bp_session *s = (struct bp_session *)session;

	if (s) {
		bp_session_clear(s);
		free(s);
	}
}

static char *bp_get_options(struct PluginSession *session) {
	return ((struct bp_session *)session)->options;
}

static int bp_checkpubkey(struct PluginInstance *instance,
		struct PluginSession **session_inout,
		const char *algo, unsigned int algolen,
		const unsigned char *keyblob, unsigned int keybloblen,
		const char *username) {
	struct bp_instance *inst = (struct bp_instance *)instance;
	struct bp_session *sess = (struct bp_session *)*session_inout;
	struct bp_audit_rec rec;
	enum bp_error err;

	memset(&rec, 0, sizeof(rec));
	if (sess == NULL) {
		sess = calloc(1, sizeof(*sess));
		if (sess == NULL) {
			return DROPBEAR_FAILURE;
		}
		sess->base.plugin_instance = instance;
		sess->base.get_options = bp_get_options;
		sess->inst = inst;
		*session_inout = &sess->base;
	}
	/* both the query and the signed request come here: decide afresh */
	bp_session_clear(sess);
	rec.user = username;
	rec.user_len = strlen(username);

	if (bp_cert_is_cert_type((const unsigned char *)algo, algolen)) {
		err = bp_check_cert(inst, sess, keyblob, keybloblen, username, &rec);
	} else if (bp_cert_is_ca_key(inst->ca.keys, inst->ca.n, keyblob, keybloblen)) {
		err = BP_ERR_CA_KEY_AS_USER_KEY;
	} else if (inst->cfg.authorized_keys) {
		/* Dropbear's authorized_keys check decides, and logs */
		return DROPBEAR_FAILURE;
	} else {
		char fp[BP_SHA256_FP_SIZE];

		bp_sha256_fingerprint(fp, keyblob, keybloblen);
		rec.key_fp = fp;
		rec.key_fp_len = strlen(fp);
		rec.event = BP_AUDIT_EV_AUTH_REJECT;
		rec.reason = BP_ERR_PLAIN_KEY;
		bp_audit_write(inst, &rec);
		return DROPBEAR_FAILURE;
	}
	if (err != BP_OK) {
		rec.event = BP_AUDIT_EV_AUTH_REJECT;
		rec.reason = err;
		bp_audit_write(inst, &rec);
		dropbear_log(LOG_NOTICE, "%s: refused %.*s for '%s' from %s: %s", BP_PLUGIN_NAME,
				(int)algolen, algo, username, inst->peer, bp_strerror(err));
		bp_session_clear(sess);
		return DROPBEAR_FAILURE;
	}
	sess->user = strdup(username);
	if (sess->user == NULL) {
		bp_session_clear(sess);
		return DROPBEAR_FAILURE;
	}
	return DROPBEAR_SUCCESS;
}

/* The login's identity in a record: the certificate's when the plugin
 * accepted one, else the user name Dropbear authenticated. */
static void bp_audit_identity(struct bp_audit_rec *rec, const struct bp_session *sess) {
	if (sess == NULL || sess->user == NULL) {
		if (ses.authstate.username) {
			rec->user = ses.authstate.username;
			rec->user_len = strlen(ses.authstate.username);
		}
		return;
	}
	rec->user = sess->user;
	rec->user_len = strlen(sess->user);
	rec->key_id = sess->key_id;
	rec->key_id_len = sess->key_id_len;
	rec->has_serial = 1;
	rec->serial = sess->serial;
	rec->principal = sess->principal;
	rec->principal_len = sess->principal_len;
	rec->ca_fp = sess->ca_fp;
	rec->ca_fp_len = strlen(sess->ca_fp);
	rec->key_fp = sess->key_fp;
	rec->key_fp_len = strlen(sess->key_fp);
}

/* Dropbear verified the client's signature: the login is accepted. */
static void bp_auth_success(struct PluginSession *session) {
	struct bp_session *sess = (struct bp_session *)session;
	struct bp_audit_rec rec;

	memset(&rec, 0, sizeof(rec));
	rec.event = BP_AUDIT_EV_AUTH_ACCEPT;
	bp_audit_identity(&rec, sess);
	bp_audit_write(sess->inst, &rec);
}

/* --- session lifetime, forwarding, start-ups (issues 8 and 10) ----------- */

/* Per session process: the time limit session_limits() set */
static struct {
	enum bp_error why;              /* BP_OK: none */
	time_t start;                   /* authentication */
	char message[80];               /* the client's disconnect message */
} bp_limit = { BP_OK, 0, "" };

/* Once authenticated: MaxSessionTime, DisconnectExpiredCert and
 * ClientAliveInterval. */
static void bp_session_limits(struct PluginInstance *instance,
		struct PluginSession *session, struct PluginSessionLimits *limits) {
	struct bp_instance *inst = (struct bp_instance *)instance;
	struct bp_session *sess = (struct bp_session *)session;
	int is_cert = sess != NULL && sess->user != NULL && sess->is_cert;
	unsigned long secs;

	if (inst->cfg.client_alive_interval > 0) {
		limits->keepalive_secs = (long)inst->cfg.client_alive_interval;
	}
	bp_limit.start = time(NULL);
	bp_limit.why = bp_session_limit(inst->cfg.max_session_time,
			inst->cfg.disconnect_expired_cert, is_cert,
			is_cert ? sess->valid_before : 0, (uint64_t)bp_limit.start, &secs);
	if (bp_limit.why == BP_OK) {
		return;
	}
	snprintf(bp_limit.message, sizeof(bp_limit.message), "%s: %s",
			BP_PLUGIN_NAME, bp_strerror(bp_limit.why));
	limits->max_secs = (long)secs;
	limits->max_secs_reason = bp_limit.message;
	TRACE(("bearpass: session ends in %lu s: %s", secs, bp_limit.message))
}

/* The time limit has passed: audited before Dropbear disconnects. */
static void bp_session_expired(struct PluginInstance *instance,
		struct PluginSession *session) {
	struct bp_instance *inst = (struct bp_instance *)instance;
	struct bp_audit_rec rec;
	time_t now = time(NULL);

	memset(&rec, 0, sizeof(rec));
	rec.event = BP_AUDIT_EV_SESSION_EXPIRE;
	bp_audit_identity(&rec, (struct bp_session *)session);
	rec.reason = bp_limit.why;
	rec.has_duration = 1;
	rec.duration_s = now > bp_limit.start ? (unsigned long long)(now - bp_limit.start) : 0;
	bp_audit_write(inst, &rec);
}

/* forward_accept and forward_reject records */
static void bp_forward_request(struct PluginInstance *instance,
		struct PluginSession *session, const struct PluginForward *fwd) {
	struct bp_instance *inst = (struct bp_instance *)instance;
	struct bp_session *sess = (struct bp_session *)session;
	struct bp_audit_rec rec;
	int is_cert = sess != NULL && sess->user != NULL && sess->is_cert;
	enum bp_fwd_kind kind = BP_FWD_KIND_PORT;
	enum bp_fwd_policy policy = inst->cfg.allow_tcp_forwarding;
	const char *name;

	memset(&rec, 0, sizeof(rec));
	switch (fwd->type) {
	case PLUGIN_FORWARD_AGENT:
		name = "agent";
		kind = BP_FWD_KIND_AGENT;
		policy = inst->cfg.allow_agent_forwarding;
		break;
	case PLUGIN_FORWARD_LOCAL:
		name = "local";
		rec.has_port = 1;
		break;
	case PLUGIN_FORWARD_REMOTE:
		name = "remote";
		rec.has_port = 1;
		break;
	case PLUGIN_FORWARD_LOCAL_STREAM:
		name = "local-stream";
		break;
	default:
		return;
	}
	bp_audit_identity(&rec, sess);
	rec.forward = name;
	rec.forward_len = strlen(name);
	if (fwd->host) {
		rec.host = fwd->host;
		rec.host_len = strlen(fwd->host);
	}
	rec.port = fwd->port;
	if (fwd->decision == PLUGIN_FORWARD_ALLOWED) {
		rec.event = BP_AUDIT_EV_FORWARD_ACCEPT;
	} else {
		rec.event = BP_AUDIT_EV_FORWARD_REJECT;
		rec.reason = bp_forward_refusal(kind, policy, is_cert,
				is_cert ? sess->cert_flags : 0,
				fwd->decision == PLUGIN_FORWARD_REFUSED_SERVER);
		dropbear_log(LOG_NOTICE, "%s: refused %s forwarding for '%s' from %s: %s",
				BP_PLUGIN_NAME, name, rec.user ? rec.user : "?",
				inst->peer ? inst->peer : "?", bp_strerror(rec.reason));
	}
	bp_audit_write(inst, &rec);
}

/* PerSourceMaxStartups, read by the listener for each connection */
static unsigned int bp_max_unauth_per_source(struct PluginInstance *instance) {
	return ((struct bp_instance *)instance)->cfg.per_source_max_startups;
}

/* --- client "env" requests (issue 10) ------------------------------------ */

/* Variables Dropbear sets for a session: never taken from a client, even
 * when AcceptEnv matches (Dropbear's own value replaces a client's where it
 * sets one, but SSH_TTY, SSH_AUTH_SOCK, SSH_ORIGINAL_COMMAND... are only
 * set sometimes). */
static char *const bp_env_reserved[] = {
	"USER", "LOGNAME", "HOME", "SHELL", "PATH", "SSH_*"
};

/* AcceptEnv: 1 = set the variable, 0 = ignore it (the client still gets
 * a success reply from Dropbear). */
static int bp_accept_env(struct PluginInstance *instance,
		struct PluginSession *session, const char *name, const char *value) {
	struct bp_instance *inst = (struct bp_instance *)instance;
	size_t namelen = strlen(name);

	(void)session;
	(void)value;
	if (bp_pattern_list_match(bp_env_reserved,
			sizeof(bp_env_reserved) / sizeof(bp_env_reserved[0]), name, namelen)) {
		return 0;
	}
	return bp_pattern_list_match(inst->cfg.accept_env, inst->cfg.naccept_env,
			name, namelen) ? 1 : 0;
}

static int bp_allow_authorized_keys(struct PluginInstance *instance) {
	return ((struct bp_instance *)instance)->cfg.authorized_keys;
}

/* --- host keys (HostKeyDir) --------------------------------------------- */

/* The fingerprint of a private key in Dropbear's key file format.
 * Returns 0, or -1 if it is not one. */
static int bp_hostkey_fingerprint(const char *p, size_t len, char fp[BP_SHA256_FP_SIZE]) {
	enum signkey_type type = DROPBEAR_SIGNKEY_ANY;
	sign_key *key = new_sign_key();
	buffer *buf = buf_new(len);
	buffer *pub;
	int ret = -1;

	if (bp_hostkey_check((const unsigned char *)p, len) < 0) {
		goto out;
	}
	buf_putbytes(buf, (const unsigned char *)p, len);
	buf_setpos(buf, 0);
	if (buf_get_priv_key(buf, key, &type) == DROPBEAR_SUCCESS && buf->pos == buf->len) {
		pub = buf_new(MAX_PUBKEY_SIZE);
		buf_put_pub_key(pub, key, type);
		/* the blob, after its length */
		bp_sha256_fingerprint(fp, pub->data + 4, pub->len - 4);
		buf_free(pub);
		ret = 0;
	}
out:
	buf_burn_free(buf);
	sign_key_free(key);
	return ret;
}

/* A new ed25519 key in Dropbear's key file format (malloc'ed). */
static char *bp_hostkey_generate(size_t *len) {
	sign_key *key = new_sign_key();
	buffer *buf = buf_new(MAX_PRIVKEY_SIZE);
	char *out;

	seedrandom();
	key->ed25519key = gen_ed25519_priv_key(256);
	buf_put_priv_key(buf, key, DROPBEAR_SIGNKEY_ED25519);
	sign_key_free(key);
	out = malloc(buf->len);
	if (out != NULL) {
		memcpy(out, buf->data, buf->len);
		*len = buf->len;
	}
	buf_burn_free(buf);
	return out;
}

/* Write the new key file path in dir (made, mode 0700, if missing; its
 * parent must exist) without ever replacing one: a temporary file of mode
 * 0600, synced, then linked to path.  Returns 0, or -1 with errno set
 * and *failed naming what could not be made; nothing is left behind. */
static int bp_hostkey_save(const char *dir, const char *path,
		const char *p, size_t len, const char **failed) {
	char tmp[BP_HOSTKEY_MAX_PATH + 32];
	int fd, dfd, saved, written;

	*failed = dir;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		return -1;
	}
	*failed = path;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid()) >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0600);
	if (fd < 0) {
		return -1;
	}
	if ((written = bp_write_all(fd, p, len)) < 0 || fsync(fd) < 0
			|| close(fd) < 0 || link(tmp, path) < 0) {
		saved = errno;
		if (written < 0) {
			close(fd);
		}
		unlink(tmp);
		errno = saved;
		return -1;
	}
	unlink(tmp);
	/* the new name survives a power cut */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	return 0;
}

/* HostKeyDir has no ed25519 key at path: a new one in *data (malloc'ed).
 * Returns 0 if it was saved there, 1 if it could not be (an ephemeral
 * key, with a warning), 2 if another process made the file meanwhile (it
 * is read instead, as bp_read_file()), -1 on error (logged). */
static int bp_hostkey_create(const char *dir, const char *path, char **data, size_t *len) {
	char fp[BP_SHA256_FP_SIZE];
	const char *failed;

	*data = bp_hostkey_generate(len);
	if (*data == NULL || bp_hostkey_fingerprint(*data, *len, fp) < 0) {
		dropbear_log(LOG_ERR, "%s: cannot generate a host key", BP_PLUGIN_NAME);
		return -1;
	}
	if (bp_hostkey_save(dir, path, *data, *len, &failed) == 0) {
		dropbear_log(LOG_INFO, "%s: generated host key %s, fingerprint %s",
				BP_PLUGIN_NAME, path, fp);
		return 0;
	}
	if (errno == EEXIST && failed == path) {
		m_burn(*data, *len);
		free(*data);
		(void)bp_read_file(path, BP_HOSTKEY_MAX_SIZE, data, len);
		return 2;
	}
	dropbear_log(LOG_WARNING, "%s: HostKeyDir %s: cannot create %s: %s; using an "
			"ephemeral ed25519 host key, fingerprint %s, which changes when "
			"the server restarts", BP_PLUGIN_NAME, dir, failed, strerror(errno), fp);
	return 1;
}

/* The host keys in HostKeyDir, ed25519 generated if absent (see
 * bp_hostkey_create()).  Packs them into inst->hostkeys; the listener
 * hands them to its connections.  Returns 0, or -1 (logged). */
static int bp_hostkeys_load(struct bp_instance *inst) {
	const char *dir = inst->cfg.host_key_dir;
	char path[BP_HOSTKEY_MAX_PATH];
	char fp[BP_SHA256_FP_SIZE];
	char *data[BP_HOSTKEY_NFILES];
	size_t len[BP_HOSTKEY_NFILES];
	struct bp_hostkey keys[BP_HOSTKEY_MAX_KEYS];
	size_t i, n = 0;
	int made, ephemeral = 0, ret = -1;

	memset(data, 0, sizeof(data));
	memset(len, 0, sizeof(len));
	for (i = 0; i < BP_HOSTKEY_NFILES; i++) {
		if (bp_hostkey_path(path, sizeof(path), dir, strlen(dir), bp_hostkey_files[i]) < 0) {
			dropbear_log(LOG_ERR, "%s: HostKeyDir %s: path too long", BP_PLUGIN_NAME, dir);
			goto out;
		}
		made = 2;
		if (bp_read_file(path, BP_HOSTKEY_MAX_SIZE, &data[i], &len[i]) < 0
				&& errno == ENOENT) {
			if (i != BP_HOSTKEY_ED25519) {
				continue;
			}
			made = bp_hostkey_create(dir, path, &data[i], &len[i]);
			if (made < 0) {
				goto out;
			}
			ephemeral = made == 1;
		}
		if (data[i] == NULL) {
			dropbear_log(LOG_ERR, "%s: host key %s: cannot read: %s", BP_PLUGIN_NAME,
					path, errno == EFBIG ? "file too large" : strerror(errno));
			goto out;
		}
		if (made == 2) {
			/* a key file the operator (or another process) made */
			if (bp_hostkey_fingerprint(data[i], len[i], fp) < 0) {
				dropbear_log(LOG_ERR, "%s: host key %s: not a private key in "
						"Dropbear's format (dropbearconvert converts OpenSSH's)",
						BP_PLUGIN_NAME, path);
				goto out;
			}
			if (inst->listener) {
				dropbear_log(LOG_INFO, "%s: host key %s, fingerprint %s",
						BP_PLUGIN_NAME, path, fp);
			}
		}
		keys[n].data = (const unsigned char *)data[i];
		keys[n].len = len[i];
		n++;
	}
	inst->hostkeys_len = bp_hostkeys_packed_size(keys, n);
	inst->hostkeys = inst->hostkeys_len ? malloc(inst->hostkeys_len) : NULL;
	if (inst->hostkeys == NULL || bp_hostkeys_pack((unsigned char *)inst->hostkeys,
			inst->hostkeys_len, keys, n) != inst->hostkeys_len) {
		dropbear_log(LOG_ERR, "%s: cannot keep the host keys", BP_PLUGIN_NAME);
		goto out;
	}
	if (inst->listener && bp_memfd_publish("bearpass-hostkeys", BP_HOSTKEYS_FD,
			inst->hostkeys, inst->hostkeys_len) < 0) {
		if (ephemeral) {
			/* each connection would present a key of its own */
			dropbear_log(LOG_ERR, "%s: cannot hand the ephemeral host key to "
					"connections: %s", BP_PLUGIN_NAME, strerror(errno));
			goto out;
		}
		dropbear_log(LOG_WARNING, "%s: cannot hand the host keys to connections "
				"(%s): each reads %s itself", BP_PLUGIN_NAME, strerror(errno), dir);
	}
	ret = 0;
out:
	for (i = 0; i < BP_HOSTKEY_NFILES; i++) {
		if (data[i] != NULL) {
			m_burn(data[i], len[i]);
			free(data[i]);
		}
	}
	return ret;
}

/* Plugin API 1.5: the host keys, when no -r option names key files */
static int bp_host_keys(struct PluginInstance *instance,
		struct PluginHostKey *keys, unsigned int max) {
	struct bp_instance *inst = (struct bp_instance *)instance;
	struct bp_hostkey got[BP_HOSTKEY_MAX_KEYS];
	int i, n;

	if (inst->hostkeys == NULL && bp_hostkeys_load(inst) < 0) {
		return -1;
	}
	n = bp_hostkeys_unpack((const unsigned char *)inst->hostkeys, inst->hostkeys_len,
			got, max < BP_HOSTKEY_MAX_KEYS ? max : BP_HOSTKEY_MAX_KEYS);
	if (n < 0) {
		dropbear_log(LOG_ERR, "%s: the host keys are malformed", BP_PLUGIN_NAME);
		return -1;
	}
	for (i = 0; i < n; i++) {
		keys[i].data = got[i].data;
		keys[i].len = (unsigned int)got[i].len;
	}
	return n;
}

static void bp_delete_plugin(struct PluginInstance *instance) {
	struct bp_instance *inst = (struct bp_instance *)instance;

	if (inst == NULL) {
		return;
	}
	if (inst->hostkeys != NULL) {
		m_burn(inst->hostkeys, inst->hostkeys_len);
		free(inst->hostkeys);
	}
	bp_config_free(&inst->cfg);
	bp_cakeys_free(&inst->ca);
	free(inst->revoked);
	free(inst->config_path);
	free(inst->config_text);
	free(inst->peer);
	free(inst);
}

struct PluginInstance *plugin_new(int verbose, const char *options,
		const char *addrstring) {
	struct bp_instance *inst = NULL;

	(void)verbose;
	if (options == NULL || options[0] == '\0') {
		dropbear_log(LOG_ERR, "%s: no configuration file given (use -A %s,FILE)",
				BP_PLUGIN_NAME, BP_PLUGIN_NAME);
		return NULL;
	}
	inst = calloc(1, sizeof(*inst));
	if (inst == NULL) {
		goto fail;
	}
	inst->base.api_version[0] = DROPBEAR_PLUGIN_VERSION_MAJOR;
	inst->base.api_version[1] = DROPBEAR_PLUGIN_VERSION_MINOR;
	inst->base.checkpubkey = bp_checkpubkey;
	inst->base.auth_success = bp_auth_success;
	inst->base.delete_session = bp_delete_session;
	inst->base.delete_plugin = bp_delete_plugin;
	inst->base.allow_authorized_keys = bp_allow_authorized_keys;
	inst->base.get_user = bp_get_user;
	inst->base.session_env = bp_session_env;
	inst->base.session_event = bp_session_event;
	inst->base.accept_env = bp_accept_env;
	inst->base.listen_addresses = bp_listen_addresses;
	inst->base.accept_peer = bp_accept_peer;
	inst->base.subsystem = bp_subsystem;
	inst->base.run_subsystem = bp_run_subsystem;
	inst->base.session_limits = bp_session_limits;
	inst->base.session_expired = bp_session_expired;
	inst->base.forward_request = bp_forward_request;
	inst->base.max_unauth_per_source = bp_max_unauth_per_source;
	inst->base.host_keys = bp_host_keys;
	inst->listener = addrstring == NULL;
	if (!inst->listener) {
		/* the listener's host keys, if it handed them on; first of
		 * all, so that the descriptor never reaches a session */
		(void)bp_memfd_read(BP_HOSTKEYS_FD, BP_HOSTKEY_MAX_PACKED,
				&inst->hostkeys, &inst->hostkeys_len);
	}

	inst->config_path = strdup(options);
	if (inst->config_path == NULL) {
		goto fail;
	}
	if (addrstring) {
		inst->peer = strdup(addrstring);
		if (inst->peer == NULL) {
			goto fail;
		}
		bp_parse_peer(inst, addrstring);
	}
	if (bp_load_config(inst) == 0) {
		int config_errors = inst->errors;

		bp_load_ca_keys(inst);
		if (inst->errors > config_errors && !inst->listener) {
			/* In a session, CA keys that became unusable (the file
			 * was removed or broken while the server runs) refuse
			 * every certificate with an audited reason; a partial
			 * list is never used. */
			inst->ca_unavailable = 1;
			bp_cakeys_free(&inst->ca);
			memset(&inst->ca, 0, sizeof(inst->ca));
			inst->errors = config_errors;
		}
		config_errors = inst->errors;
		bp_load_revoked(inst);
		if (inst->errors > config_errors && !inst->listener) {
			/* likewise: revoked_ok 0 refuses every certificate */
			inst->errors = config_errors;
		}
	}
	if (inst->errors > 0) {
		/* the listener (and -C) stops on any problem; a session on a
		 * configuration that no longer parses */
		dropbear_log(LOG_ERR, "%s: %d error%s in %s", BP_PLUGIN_NAME,
				inst->errors, inst->errors == 1 ? "" : "s", inst->config_path);
		goto fail;
	}
	if (inst->listener) {
		/* the text is needed only until it is handed on */
		bp_snapshot_publish(inst);
		free(inst->config_text);
		inst->config_text = NULL;
	}
	return &inst->base;

fail:
	bp_delete_plugin(inst ? &inst->base : NULL);
	return NULL;
}
