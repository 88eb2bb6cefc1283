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
#include "pubkeyapi.h"

#include "bp_error.h"
#include "config.h"

#define BP_PLUGIN_NAME "bearpass"

/* Largest files read (a bigger one is an error, never truncated) */
#define BP_CAKEYS_MAX_FILE (1024 * 1024)
#define BP_KRL_MAX_FILE    (16 * 1024 * 1024)
#define BP_USERDB_MAX_FILE (16 * 1024 * 1024)

struct bp_instance {
	struct PluginInstance base;     /* must be first */
	struct bp_config cfg;
	char *config_path;
	char *peer;                     /* "host:port", NULL in the listener */
	int errors;
};

struct bp_session {
	struct PluginSession base;      /* must be first */
	char *options;                  /* authorized_keys-style restrictions */
};

/* --- files ------------------------------------------------------------ */

/* Read a whole file of at most max bytes into a NUL-terminated buffer.
 * Returns 0, or -1 with errno set (EFBIG if the file is larger than max). */
static int bp_read_file(const char *path, size_t max, char **out, size_t *outlen) {
	int ret = -1;
	int fd = -1;
	char *buf = NULL;
	size_t len = 0;
	ssize_t n;
	int saved;

	*out = NULL;
	*outlen = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		goto out;
	}
	buf = malloc(max + 1);
	if (buf == NULL) {
		errno = ENOMEM;
		goto out;
	}
	for (;;) {
		/* read one byte past max to detect an oversized file */
		n = read(fd, buf + len, max + 1 - len);
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			goto out;
		}
		if (n == 0) {
			break;
		}
		len += (size_t)n;
		if (len > max) {
			errno = EFBIG;
			goto out;
		}
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	buf = NULL;
	ret = 0;
out:
	saved = errno;
	free(buf);
	if (fd >= 0) {
		close(fd);
	}
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

	bp_check_file(inst, "TrustedUserCAKeys", cfg->line_trusted_user_ca_keys,
			cfg->trusted_user_ca_keys, BP_CAKEYS_MAX_FILE);
	bp_check_file(inst, "RevokedKeys", cfg->line_revoked_keys,
			cfg->revoked_keys, BP_KRL_MAX_FILE);
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

static int bp_load_config(struct bp_instance *inst) {
	char *buf = NULL;
	size_t len = 0;

	if (bp_read_file(inst->config_path, BP_CONFIG_MAX_SIZE, &buf, &len) < 0) {
		inst->errors++;
		dropbear_log(LOG_ERR, "%s: cannot read: %s", inst->config_path,
				errno == EFBIG ? "file too large" : strerror(errno));
		return -1;
	}
	bp_config_parse(&inst->cfg, inst->config_path, buf, len, bp_config_diag, inst);
	free(buf);
	if (inst->errors == 0) {
		bp_check_files(inst);
	}
	return inst->errors ? -1 : 0;
}

/* --- plugin API --------------------------------------------------------- */

static void bp_delete_session(struct PluginSession *session) {
	struct bp_session *s = (struct bp_session *)session;

	if (s) {
		free(s->options);
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
	(void)instance;
	(void)session_inout;
	(void)keyblob;
	(void)keybloblen;
	/* Certificate login arrives with the certificate patch; until then
	 * the plugin accepts nothing by itself. */
	(void)algo;
	(void)algolen;
	(void)username;
	return DROPBEAR_FAILURE;
}

static int bp_allow_authorized_keys(struct PluginInstance *instance) {
	return ((struct bp_instance *)instance)->cfg.authorized_keys;
}

static void bp_delete_plugin(struct PluginInstance *instance) {
	struct bp_instance *inst = (struct bp_instance *)instance;

	if (inst == NULL) {
		return;
	}
	bp_config_free(&inst->cfg);
	free(inst->config_path);
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
	inst->base.auth_success = NULL;
	inst->base.delete_session = bp_delete_session;
	inst->base.delete_plugin = bp_delete_plugin;
	inst->base.allow_authorized_keys = bp_allow_authorized_keys;

	inst->config_path = strdup(options);
	if (inst->config_path == NULL) {
		goto fail;
	}
	if (addrstring) {
		inst->peer = strdup(addrstring);
		if (inst->peer == NULL) {
			goto fail;
		}
	}
	if (bp_load_config(inst) < 0) {
		if (inst->errors > 0) {
			dropbear_log(LOG_ERR, "%s: %d error%s in %s", BP_PLUGIN_NAME,
					inst->errors, inst->errors == 1 ? "" : "s", inst->config_path);
		}
		goto fail;
	}
	(void)bp_get_options;
	return &inst->base;

fail:
	bp_delete_plugin(inst ? &inst->base : NULL);
	return NULL;
}
