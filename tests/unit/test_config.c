/*
 * bearpass - unit tests of the bearpass.conf parser (plugin/config.c).
 *
 * Usage: test_config [CONFDIR]   (default tests/conf, relative to the
 * repository root).  Besides the tables below, every file listed in
 * CONFDIR/bad/EXPECT must give its expected error and every .conf file in
 * CONFDIR/good must parse; "@CAFILE@" is replaced by a path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "config.h"
#include "t.h"

#define CA "TrustedUserCAKeys /etc/bearpass/ca.pub\n"
#define MAX_MSGS 200

struct diag_log {
	int n;
	char *msg[MAX_MSGS];
};

static void log_diag(void *ctx, const char *msg)
{
	struct diag_log *log = ctx;

	if (log->n < MAX_MSGS) {
		log->msg[log->n] = strdup(msg);
	}
	log->n++;
}

static void log_clear(struct diag_log *log)
{
	int i;

	for (i = 0; i < log->n && i < MAX_MSGS; i++) {
		free(log->msg[i]);
	}
	memset(log, 0, sizeof(*log));
}

static const char *first_msg(const struct diag_log *log)
{
	return log->n > 0 && log->msg[0] != NULL ? log->msg[0] : "(no message)";
}

static int parse_text(struct bp_config *cfg, const char *text, size_t len,
		struct diag_log *log)
{
	memset(log, 0, sizeof(*log));
	return bp_config_parse(cfg, "t.conf", text, len, log_diag, log);
}

/* ---- rendering a config as "key=value" lines, for table checks ---- */

static void cat(char *buf, size_t size, const char *s)
{
	size_t n = strlen(buf);

	snprintf(buf + n, size - n, "%s", s);
}

static void addr_text(int family, const unsigned char *a, char *out, size_t n)
{
	if (inet_ntop(family, a, out, (socklen_t)n) == NULL) {
		snprintf(out, n, "?");
	}
}

static void render(const struct bp_config *c, char *buf, size_t size)
{
	static const char *const fwd[] = { "no", "certificate", "yes" };
	char tmp[256], a[64];
	size_t i;

	buf[0] = '\0';
#define S(s) ((s) ? (s) : "(null)")
	snprintf(tmp, sizeof(tmp), "\nca=%s\ncaenv=%s\nprincipals=%s\nrevoked=%s\n"
			"authorized_keys=%d\nport=%d\n", S(c->trusted_user_ca_keys),
			S(c->trusted_user_ca_keys_env), S(c->authorized_principals_file),
			S(c->revoked_keys), c->authorized_keys, c->port);
	cat(buf, size, tmp);
	cat(buf, size, "listen=");
	for (i = 0; i < c->nlisten; i++) {
		const struct bp_listen *l = &c->listen[i];

		if (l->kind == BP_LISTEN_6PN) {
			snprintf(tmp, sizeof(tmp), "6pn");
		} else if (l->kind == BP_LISTEN_ANY) {
			snprintf(tmp, sizeof(tmp), "any");
		} else {
			addr_text(l->family, l->addr, a, sizeof(a));
			snprintf(tmp, sizeof(tmp), "%s%s", l->family == AF_INET6 ? "v6:" : "v4:", a);
		}
		cat(buf, size, i ? "," : "");
		cat(buf, size, tmp);
		if (l->port) {
			snprintf(tmp, sizeof(tmp), "#%d", l->port);
			cat(buf, size, tmp);
		}
	}
	addr_text(c->sixpn_prefix.family, c->sixpn_prefix.addr, a, sizeof(a));
	snprintf(tmp, sizeof(tmp), "\nsixpn=%s/%d\nsixpn_wait=%u\nallow_from_set=%d\nallow_from=",
			a, c->sixpn_prefix.bits, c->sixpn_wait, c->allow_from_set);
	cat(buf, size, tmp);
	for (i = 0; i < c->nallow_from; i++) {
		addr_text(c->allow_from[i].family, c->allow_from[i].addr, a, sizeof(a));
		snprintf(tmp, sizeof(tmp), "%s%s/%d", i ? "," : "", a, c->allow_from[i].bits);
		cat(buf, size, tmp);
	}
	snprintf(tmp, sizeof(tmp), "\npasswd=%s\ngroup=%s\nunknown_user=%s\nshell=%s\n"
			"inherit=%d\nexclude=", S(c->passwd_file), S(c->group_file),
			c->unknown_user == BP_UNKNOWN_USER_DENY ? "deny" : "root",
			S(c->default_shell), c->inherit_environment);
	cat(buf, size, tmp);
	for (i = 0; i < c->ninherit_env_exclude; i++) {
		cat(buf, size, i ? "," : "");
		cat(buf, size, c->inherit_env_exclude[i]);
	}
	snprintf(tmp, sizeof(tmp), "\naudit=%s:%s\ntcp=%s\nagent=%s\ntty=%s\naccept_env=",
			c->audit_kind == BP_AUDIT_STDERR ? "stderr" :
			c->audit_kind == BP_AUDIT_SYSLOG ? "syslog" : "file",
			S(c->audit_path), fwd[c->allow_tcp_forwarding],
			fwd[c->allow_agent_forwarding], fwd[c->permit_tty]);
	cat(buf, size, tmp);
	for (i = 0; i < c->naccept_env; i++) {
		cat(buf, size, i ? "," : "");
		cat(buf, size, c->accept_env[i]);
	}
	snprintf(tmp, sizeof(tmp), "\ndisconnect_expired=%d\nmax_session=%u\n"
			"alive=%u\nstartups=%u\nhostkeydir=%s\nsftp=%s:%s\n",
			c->disconnect_expired_cert, c->max_session_time,
			c->client_alive_interval,
			c->per_source_max_startups, S(c->host_key_dir),
			c->sftp == BP_SUBSYS_INTERNAL ? "internal" :
			c->sftp == BP_SUBSYS_PATH ? "path" : "none", S(c->sftp_path));
	cat(buf, size, tmp);
#undef S
}

/* ---- defaults ---- */

static const char *const defaults_expected[] = {
	"\nca=(null)\n", "\ncaenv=(null)\n", "\nprincipals=(null)\n",
	"\nrevoked=(null)\n", "\nauthorized_keys=0\n", "\nport=22\n",
	"\nlisten=\n", "\nsixpn=fdaa::/16\n", "\nsixpn_wait=30\n",
	"\nallow_from_set=0\n", "\nallow_from=\n", "\npasswd=/etc/passwd\n",
	"\ngroup=/etc/group\n", "\nunknown_user=root\n", "\nshell=/bin/sh\n",
	"\ninherit=1\n",
	"\nexclude=HOME,USER,LOGNAME,SHELL,PWD,OLDPWD,SHLVL,_,MAIL,TERM,SSH_*,"
		"LD_PRELOAD,LD_LIBRARY_PATH,LD_AUDIT,NOTIFY_SOCKET,LISTEN_PID,"
		"LISTEN_FDS,LISTEN_FDNAMES,INVOCATION_ID\n",
	"\naudit=stderr:(null)\n", "\ntcp=certificate\n", "\nagent=certificate\n",
	"\ntty=certificate\n", "\naccept_env=LANG,LC_*,TERM,FLY_SSH_*\n",
	"\ndisconnect_expired=0\n", "\nmax_session=0\n", "\nalive=0\n", "\nstartups=5\n",
	"\nhostkeydir=/etc/dropbear\n", "\nsftp=internal:(null)\n",
};

static void test_defaults(void)
{
	struct bp_config c;
	struct diag_log log;
	char buf[8192];
	size_t i;
	int n;

	CHECK(bp_config_defaults(&c) == 0);
	render(&c, buf, sizeof(buf));
	for (i = 0; i < sizeof(defaults_expected) / sizeof(defaults_expected[0]); i++) {
		CHECKF(strstr(buf, defaults_expected[i]) != NULL, "defaults: %s", defaults_expected[i]);
	}
	bp_config_free(&c);

	/* a file with only the CA line gives the same defaults */
	n = parse_text(&c, CA, strlen(CA), &log);
	CHECK(n == 0);
	render(&c, buf, sizeof(buf));
	for (i = 1; i < sizeof(defaults_expected) / sizeof(defaults_expected[0]); i++) {
		CHECKF(strstr(buf, defaults_expected[i]) != NULL, "parsed defaults: %s", defaults_expected[i]);
	}
	CHECK(strstr(buf, "\nca=/etc/bearpass/ca.pub\n") != NULL);
	bp_config_free(&c);
	log_clear(&log);
}

/* ---- good inputs ---- */

static const struct good_case {
	const char *text;       /* CA line appended unless it mentions one */
	const char *expect[4];  /* substrings of render() */
} good_cases[] = {
	{ "Port 2222\n", { "\nport=2222\n" } },
	{ "Port 1\n", { "\nport=1\n" } },
	{ "Port 65535\n", { "\nport=65535\n" } },
	{ "pOrT 22\n", { "\nport=22\n" } },
	{ "PORT\t2200\n", { "\nport=2200\n" } },
	{ "   Port   2201   \n", { "\nport=2201\n" } },
	{ "\t# comment\n#Port 1\n\n   \nPort 2202\n", { "\nport=2202\n" } },
	{ "Port 2203\r\n", { "\nport=2203\n" } },
	{ "Port 2204", { "\nport=2204\n" } },
	{ "TrustedUserCAKeysEnv FLY_SSH_CA\n",
		{ "\ncaenv=FLY_SSH_CA\n", "\nca=(null)\n" } },
	{ "TrustedUserCAKeys /ca\nTrustedUserCAKeysEnv _X9\n",
		{ "\nca=/ca\n", "\ncaenv=_X9\n" } },
	{ "TrustedUserCAKeysEnv none\nTrustedUserCAKeys /ca\n", { "\ncaenv=(null)\n" } },
	{ "AuthorizedPrincipalsFile /etc/bearpass/principals/%u\n",
		{ "\nprincipals=/etc/bearpass/principals/%u\n" } },
	{ "AuthorizedPrincipalsFile .ssh/principals_%u_100%%\n",
		{ "\nprincipals=.ssh/principals_%u_100%%\n" } },
	{ "AuthorizedPrincipalsFile none\n", { "\nprincipals=(null)\n" } },
	{ "RevokedKeys /etc/bearpass/krl\n", { "\nrevoked=/etc/bearpass/krl\n" } },
	{ "RevokedKeys NONE\n", { "\nrevoked=(null)\n" } },
	{ "AuthorizedKeys yes\n", { "\nauthorized_keys=1\n" } },
	{ "AuthorizedKeys YES\n", { "\nauthorized_keys=1\n" } },
	{ "AuthorizedKeys no\n", { "\nauthorized_keys=0\n" } },
	{ "ListenAddress 6pn\n", { "\nlisten=6pn\n" } },
	{ "ListenAddress ANY\n", { "\nlisten=any\n" } },
	{ "ListenAddress 127.0.0.1\nListenAddress ::1\n", { "\nlisten=v4:127.0.0.1,v6:::1\n" } },
	{ "ListenAddress 127.0.0.1:2222\n", { "\nlisten=v4:127.0.0.1#2222\n" } },
	{ "ListenAddress [fdaa::3]:22\nListenAddress [::1]\n",
		{ "\nlisten=v6:fdaa::3#22,v6:::1\n" } },
	{ "ListenAddress 6pn\nListenAddress 127.0.0.1\n", { "\nlisten=6pn,v4:127.0.0.1\n" } },
	{ "SixPNPrefix fd00::/8\n", { "\nsixpn=fd00::/8\n" } },
	{ "SixPNPrefix fdaa:1:2::5/32\n", { "\nsixpn=fdaa:1::/32\n" } },
	{ "SixPNWait 0\n", { "\nsixpn_wait=0\n" } },
	{ "SixPNWait 90s\n", { "\nsixpn_wait=90\n" } },
	{ "SixPNWait 5m\n", { "\nsixpn_wait=300\n" } },
	{ "SixPNWait 1h\n", { "\nsixpn_wait=3600\n" } },
	{ "SixPNWait 59m60\n", { "\nsixpn_wait=3600\n" } },
	{ "SixPNWait 1M30S\n", { "\nsixpn_wait=90\n" } },
	{ "MaxSessionTime 8h\n", { "\nmax_session=28800\n" } },
	{ "MaxSessionTime 2d\n", { "\nmax_session=172800\n" } },
	{ "MaxSessionTime 1w1d\n", { "\nmax_session=691200\n" } },
	{ "MaxSessionTime 365d\n", { "\nmax_session=31536000\n" } },
	{ "MaxSessionTime 31536000\n", { "\nmax_session=31536000\n" } },
	{ "MaxSessionTime 0\n", { "\nmax_session=0\n" } },
	{ "ClientAliveInterval 30\n", { "\nalive=30\n" } },
	{ "ClientAliveInterval 1m\n", { "\nalive=60\n" } },
	{ "clientaliveinterval 1d\n", { "\nalive=86400\n" } },
	{ "ClientAliveInterval 0\n", { "\nalive=0\n" } },
	{ "AllowFrom 10.0.0.0/8 fdaa::/16\n",
		{ "\nallow_from=10.0.0.0/8,fdaa::/16\n", "\nallow_from_set=1\n" } },
	{ "AllowFrom 10.1.2.3/8\nAllowFrom 192.168.1.7\n",
		{ "\nallow_from=10.0.0.0/8,192.168.1.7/32\n" } },
	{ "AllowFrom any\n", { "\nallow_from=0.0.0.0/0,::/0\n" } },
	{ "AllowFrom ::1 fdaa:0:1:3::7/63\n", { "\nallow_from=::1/128,fdaa:0:1:2::/63\n" } },
	{ "PasswdFile /srv/passwd\nGroupFile /srv/group\n",
		{ "\npasswd=/srv/passwd\n", "\ngroup=/srv/group\n" } },
	{ "UnknownUser deny\n", { "\nunknown_user=deny\n" } },
	{ "UnknownUser Root\n", { "\nunknown_user=root\n" } },
	{ "DefaultShell /bin/bash\n", { "\nshell=/bin/bash\n" } },
	{ "InheritEnvironment no\n", { "\ninherit=0\n" } },
	{ "InheritEnvironmentExclude SECRET_* AWS_?\nInheritEnvironmentExclude HOME\n",
		{ "\nexclude=SECRET_*,AWS_?,HOME\n" } },
	{ "AuditLog syslog\n", { "\naudit=syslog:(null)\n" } },
	{ "AuditLog /var/log/bearpass.json\n", { "\naudit=file:/var/log/bearpass.json\n" } },
	{ "AuditLog STDERR\n", { "\naudit=stderr:(null)\n" } },
	{ "AllowTcpForwarding no\nAllowAgentForwarding yes\nPermitTTY Certificate\n",
		{ "\ntcp=no\n", "\nagent=yes\n", "\ntty=certificate\n" } },
	{ "PermitTTY no\n", { "\ntty=no\n" } },
	{ "AcceptEnv LANG\nAcceptEnv LC_ALL X*\n", { "\naccept_env=LANG,LC_ALL,X*\n" } },
	{ "DisconnectExpiredCert yes\n", { "\ndisconnect_expired=1\n" } },
	{ "PerSourceMaxStartups 1\n", { "\nstartups=1\n" } },
	{ "PerSourceMaxStartups 1000\n", { "\nstartups=1000\n" } },
	{ "HostKeyDir /var/lib/bearpass\n", { "\nhostkeydir=/var/lib/bearpass\n" } },
	{ "Subsystem sftp internal\n", { "\nsftp=internal:(null)\n" } },
	{ "Subsystem sftp /usr/lib/openssh/sftp-server\n",
		{ "\nsftp=path:/usr/lib/openssh/sftp-server\n" } },
	{ "Subsystem none\n", { "\nsftp=none:(null)\n" } },
	{ "Subsystem sftp INTERNAL\n", { "\nsftp=internal:(null)\n" } },
};

static void test_good(void)
{
	char text[2048], buf[8192];
	struct bp_config c;
	struct diag_log log;
	size_t i, j;
	int n;

	for (i = 0; i < sizeof(good_cases) / sizeof(good_cases[0]); i++) {
		const struct good_case *g = &good_cases[i];

		if (strstr(g->text, "TrustedUserCAKeys") != NULL) {
			snprintf(text, sizeof(text), "%s", g->text);
		} else {
			snprintf(text, sizeof(text), CA "%s", g->text);
		}
		n = parse_text(&c, text, strlen(text), &log);
		CHECKF(n == 0, "good case %zu: %d errors, first: %s", i, n,
				log.n ? log.msg[0] : "");
		render(&c, buf, sizeof(buf));
		for (j = 0; j < 4 && g->expect[j] != NULL; j++) {
			CHECKF(strstr(buf, g->expect[j]) != NULL,
					"good case %zu: want %s in %s", i, g->expect[j], buf);
		}
		bp_config_free(&c);
		log_clear(&log);
	}
}

/* ---- bad inputs: exactly one message, given in full ---- */

static const struct bad_case {
	const char *text;       /* CA line appended unless nocafix */
	int noca;
	const char *msg;
} bad_cases[] = {
	{ "Bogus 1\n", 0, "t.conf:1: unknown keyword \"Bogus\"" },
	{ "Port=22\n", 0, "t.conf:1: unknown keyword \"Port=22\" (write \"Keyword value\", not \"Keyword=value\")" },
	{ "Port 22 # comment\n", 0, "t.conf:1: Port: unexpected extra value \"#\"" },
	{ "\n\nPort\n", 0, "t.conf:3: Port: missing value" },
	{ "Port 70000\n", 0, "t.conf:1: Port: bad value \"70000\" (expected 1-65535)" },
	{ "Port 0\n", 0, "t.conf:1: Port: bad value \"0\" (expected 1-65535)" },
	{ "Port -1\n", 0, "t.conf:1: Port: bad value \"-1\" (expected 1-65535)" },
	{ "Port +22\n", 0, "t.conf:1: Port: bad value \"+22\" (expected 1-65535)" },
	{ "Port 22x\n", 0, "t.conf:1: Port: bad value \"22x\" (expected 1-65535)" },
	{ "Port 99999999999999999999999\n", 0, "t.conf:1: Port: bad value \"99999999999999999999999\" (expected 1-65535)" },
	{ "Port 22 23\n", 0, "t.conf:1: Port: unexpected extra value \"23\"" },
	{ "Port 22\n# x\nport 23\n", 0, "t.conf:3: duplicate keyword Port (first given at line 1)" },
	{ "Port 22\x01\n", 0, "t.conf:1: control character 0x01 in line" },
	{ "Port 22\r\r\n", 0, "t.conf:1: control character 0x0d in line" },
	{ "", 1, "t.conf:1: missing TrustedUserCAKeys or TrustedUserCAKeysEnv (at least one is required)" },
	{ "Port 22\n\n# end", 1, "t.conf:3: missing TrustedUserCAKeys or TrustedUserCAKeysEnv (at least one is required)" },
	{ "Port 22\n", 1, "t.conf:1: missing TrustedUserCAKeys or TrustedUserCAKeysEnv (at least one is required)" },
	{ "TrustedUserCAKeysEnv none\n", 1, "t.conf:1: missing TrustedUserCAKeys or TrustedUserCAKeysEnv (at least one is required)" },
	{ "TrustedUserCAKeys ca.pub\nTrustedUserCAKeysEnv CA\n", 1, "t.conf:1: TrustedUserCAKeys: bad value \"ca.pub\" (expected an absolute path)" },
	{ "TrustedUserCAKeys none\nTrustedUserCAKeysEnv CA\n", 1, "t.conf:1: TrustedUserCAKeys: bad value \"none\" (expected an absolute path)" },
	{ "TrustedUserCAKeys ca.pub\n", 1, "t.conf:1: TrustedUserCAKeys: bad value \"ca.pub\" (expected an absolute path)" },
	{ "Port 1\nTrustedUserCAKeys\n", 1, "t.conf:2: TrustedUserCAKeys: missing value" },
	{ "TrustedUserCAKeysEnv 9CA\n", 0, "t.conf:1: TrustedUserCAKeysEnv: bad value \"9CA\" (expected a variable name or none)" },
	{ "TrustedUserCAKeysEnv CA-KEY\n", 0, "t.conf:1: TrustedUserCAKeysEnv: bad value \"CA-KEY\" (expected a variable name or none)" },
	{ "TrustedUserCAKeys /a\nTrustedUserCAKeys /b\n", 1, "t.conf:2: duplicate keyword TrustedUserCAKeys (first given at line 1)" },
	{ "AuthorizedPrincipalsFile /p/%h\n", 0, "t.conf:1: AuthorizedPrincipalsFile: bad value \"/p/%h\" (unknown token \"%h\", only %u and %% are allowed)" },
	{ "AuthorizedPrincipalsFile /p/%\n", 0, "t.conf:1: AuthorizedPrincipalsFile: bad value \"/p/%\" (unknown token \"%\", only %u and %% are allowed)" },
	{ "AuthorizedPrincipalsFile /p/%%%U\n", 0, "t.conf:1: AuthorizedPrincipalsFile: bad value \"/p/%%%U\" (unknown token \"%U\", only %u and %% are allowed)" },
	{ "RevokedKeys krl\n", 0, "t.conf:1: RevokedKeys: bad value \"krl\" (expected an absolute path or none)" },
	{ "AuthorizedKeys true\n", 0, "t.conf:1: AuthorizedKeys: bad value \"true\" (expected yes or no)" },
	{ "AuthorizedKeys 1\n", 0, "t.conf:1: AuthorizedKeys: bad value \"1\" (expected yes or no)" },
	{ "ListenAddress localhost\n", 0, "t.conf:1: ListenAddress: bad value \"localhost\" (expected 6pn, any, an address, ADDR:PORT or [ADDR]:PORT)" },
	{ "ListenAddress 1.2.3.4:0\n", 0, "t.conf:1: ListenAddress: bad value \"1.2.3.4:0\" (expected 6pn, any, an address, ADDR:PORT or [ADDR]:PORT)" },
	{ "ListenAddress 1.2.3.4:\n", 0, "t.conf:1: ListenAddress: bad value \"1.2.3.4:\" (expected 6pn, any, an address, ADDR:PORT or [ADDR]:PORT)" },
	{ "ListenAddress [::1]:\n", 0, "t.conf:1: ListenAddress: bad value \"[::1]:\" (expected 6pn, any, an address, ADDR:PORT or [ADDR]:PORT)" },
	{ "ListenAddress [::1]x\n", 0, "t.conf:1: ListenAddress: bad value \"[::1]x\" (expected 6pn, any, an address, ADDR:PORT or [ADDR]:PORT)" },
	{ "ListenAddress [1.2.3.4]:22\n", 0, "t.conf:1: ListenAddress: bad value \"[1.2.3.4]:22\" (expected 6pn, any, an address, ADDR:PORT or [ADDR]:PORT)" },
	{ "ListenAddress [::1\n", 0, "t.conf:1: ListenAddress: bad value \"[::1\" (expected 6pn, any, an address, ADDR:PORT or [ADDR]:PORT)" },
	{ "ListenAddress 1.2.3.4:22:33\n", 0, "t.conf:1: ListenAddress: bad value \"1.2.3.4:22:33\" (expected 6pn, any, an address, ADDR:PORT or [ADDR]:PORT)" },
	{ "ListenAddress 1.2.3.4%eth0\n", 0, "t.conf:1: ListenAddress: bad value \"1.2.3.4%eth0\" (expected 6pn, any, an address, ADDR:PORT or [ADDR]:PORT)" },
	{ "ListenAddress 6pn any\n", 0, "t.conf:1: ListenAddress: unexpected extra value \"any\"" },
	{ "ListenAddress ::1\nListenAddress ::1\n", 0, "t.conf:2: ListenAddress: duplicate value \"::1\"" },
	{ "ListenAddress ::\n", 0, "t.conf:1: ListenAddress: \"::\" is every address (write \"any\" to mean that)" },
	{ "ListenAddress [::]:22\n", 0, "t.conf:1: ListenAddress: \"[::]:22\" is every address (write \"any\" to mean that)" },
	{ "ListenAddress 0.0.0.0:2222\n", 0, "t.conf:1: ListenAddress: \"0.0.0.0:2222\" is every address (write \"any\" to mean that)" },
	{ "SixPNPrefix fdaa::\n", 0, "t.conf:1: SixPNPrefix: bad value \"fdaa::\" (expected an IPv6 prefix such as fdaa::/16)" },
	{ "SixPNPrefix 10.0.0.0/8\n", 0, "t.conf:1: SixPNPrefix: bad value \"10.0.0.0/8\" (expected an IPv6 prefix such as fdaa::/16)" },
	{ "SixPNPrefix fdaa::/129\n", 0, "t.conf:1: SixPNPrefix: bad value \"fdaa::/129\" (expected an IPv6 prefix such as fdaa::/16)" },
	{ "SixPNWait 3601\n", 0, "t.conf:1: SixPNWait: bad value \"3601\" (expected a time of 0 to 3600 seconds, such as 30, 90s or 5m)" },
	{ "SixPNWait 2h\n", 0, "t.conf:1: SixPNWait: bad value \"2h\" (expected a time of 0 to 3600 seconds, such as 30, 90s or 5m)" },
	{ "SixPNWait 5x\n", 0, "t.conf:1: SixPNWait: bad value \"5x\" (expected a time of 0 to 3600 seconds, such as 30, 90s or 5m)" },
	{ "SixPNWait m\n", 0, "t.conf:1: SixPNWait: bad value \"m\" (expected a time of 0 to 3600 seconds, such as 30, 90s or 5m)" },
	{ "SixPNWait 1hh\n", 0, "t.conf:1: SixPNWait: bad value \"1hh\" (expected a time of 0 to 3600 seconds, such as 30, 90s or 5m)" },
	{ "SixPNWait -5\n", 0, "t.conf:1: SixPNWait: bad value \"-5\" (expected a time of 0 to 3600 seconds, such as 30, 90s or 5m)" },
	{ "MaxSessionTime 53w\n", 0, "t.conf:1: MaxSessionTime: bad value \"53w\" (expected a time of 0 to 31536000 seconds (1 year), such as 0, 8h or 2d)" },
	{ "MaxSessionTime 365d1s\n", 0, "t.conf:1: MaxSessionTime: bad value \"365d1s\" (expected a time of 0 to 31536000 seconds (1 year), such as 0, 8h or 2d)" },
	{ "MaxSessionTime 18446744073709551617\n", 0, "t.conf:1: MaxSessionTime: bad value \"18446744073709551617\" (expected a time of 0 to 31536000 seconds (1 year), such as 0, 8h or 2d)" },
	{ "MaxSessionTime 99999999999999w\n", 0, "t.conf:1: MaxSessionTime: bad value \"99999999999999w\" (expected a time of 0 to 31536000 seconds (1 year), such as 0, 8h or 2d)" },
	{ "AllowFrom 10.0.0.0/33\n", 0, "t.conf:1: AllowFrom: bad value \"10.0.0.0/33\" (expected an address, a prefix such as 10.0.0.0/8 or fdaa::/16, or any)" },
	{ "AllowFrom 10.0.0.0/8 bogus ::1\n", 0, "t.conf:1: AllowFrom: bad value \"bogus\" (expected an address, a prefix such as 10.0.0.0/8 or fdaa::/16, or any)" },
	{ "AllowFrom 10.0.0.0/\n", 0, "t.conf:1: AllowFrom: bad value \"10.0.0.0/\" (expected an address, a prefix such as 10.0.0.0/8 or fdaa::/16, or any)" },
	{ "AllowFrom\n", 0, "t.conf:1: AllowFrom: missing value" },
	{ "PasswdFile etc/passwd\n", 0, "t.conf:1: PasswdFile: bad value \"etc/passwd\" (expected an absolute path)" },
	{ "GroupFile ./group\n", 0, "t.conf:1: GroupFile: bad value \"./group\" (expected an absolute path)" },
	{ "DefaultShell sh\n", 0, "t.conf:1: DefaultShell: bad value \"sh\" (expected an absolute path)" },
	{ "HostKeyDir keys\n", 0, "t.conf:1: HostKeyDir: bad value \"keys\" (expected an absolute path)" },
	{ "UnknownUser nobody\n", 0, "t.conf:1: UnknownUser: bad value \"nobody\" (expected root or deny)" },
	{ "InheritEnvironment maybe\n", 0, "t.conf:1: InheritEnvironment: bad value \"maybe\" (expected yes or no)" },
	{ "InheritEnvironmentExclude FOO BA-R\n", 0, "t.conf:1: InheritEnvironmentExclude: bad value \"BA-R\" (expected a variable name or pattern of A-Z a-z 0-9 _ * ?)" },
	{ "AcceptEnv LANG=C\n", 0, "t.conf:1: AcceptEnv: bad value \"LANG=C\" (expected a variable name or pattern of A-Z a-z 0-9 _ * ?)" },
	{ "AcceptEnv\n", 0, "t.conf:1: AcceptEnv: missing value" },
	{ "AuditLog file.log\n", 0, "t.conf:1: AuditLog: bad value \"file.log\" (expected stderr, syslog or an absolute path)" },
	{ "AllowTcpForwarding local\n", 0, "t.conf:1: AllowTcpForwarding: bad value \"local\" (expected no, certificate or yes)" },
	{ "AllowAgentForwarding cert\n", 0, "t.conf:1: AllowAgentForwarding: bad value \"cert\" (expected no, certificate or yes)" },
	{ "PermitTTY on\n", 0, "t.conf:1: PermitTTY: bad value \"on\" (expected no, certificate or yes)" },
	{ "DisconnectExpiredCert y\n", 0, "t.conf:1: DisconnectExpiredCert: bad value \"y\" (expected yes or no)" },
	{ "PerSourceMaxStartups 0\n", 0, "t.conf:1: PerSourceMaxStartups: bad value \"0\" (expected 1-1000)" },
	{ "ClientAliveInterval 1d1s\n", 0, "t.conf:1: ClientAliveInterval: bad value \"1d1s\" (expected a time of 0 to 86400 seconds (1 day), such as 0, 30 or 1m)" },
	{ "ClientAliveInterval -1\n", 0, "t.conf:1: ClientAliveInterval: bad value \"-1\" (expected a time of 0 to 86400 seconds (1 day), such as 0, 30 or 1m)" },
	{ "PerSourceMaxStartups 1001\n", 0, "t.conf:1: PerSourceMaxStartups: bad value \"1001\" (expected 1-1000)" },
	{ "Subsystem\n", 0, "t.conf:1: Subsystem: missing value" },
	{ "Subsystem sftp\n", 0, "t.conf:1: Subsystem: missing value after sftp" },
	{ "Subsystem scp internal\n", 0, "t.conf:1: Subsystem: bad value \"scp\" (expected sftp or none)" },
	{ "Subsystem sftp sftp-server\n", 0, "t.conf:1: Subsystem: bad value \"sftp-server\" (expected internal or an absolute path)" },
	{ "Subsystem sftp internal x\n", 0, "t.conf:1: Subsystem: unexpected extra value \"x\"" },
	{ "Subsystem none x\n", 0, "t.conf:1: Subsystem: unexpected extra value \"x\"" },
	{ "Subsystem none\nSubsystem sftp internal\n", 0, "t.conf:2: duplicate keyword Subsystem (first given at line 1)" },
};

static void test_bad(void)
{
	char text[2048];
	struct bp_config c;
	struct diag_log log;
	size_t i;
	int n;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *b = &bad_cases[i];

		snprintf(text, sizeof(text), "%s%s", b->text, b->noca ? "" : CA);
		memset(&c, 0xa5, sizeof(c));
		n = parse_text(&c, text, strlen(text), &log);
		CHECKF(n == 1 && log.n == 1, "bad case %zu (%s): %d errors", i, b->msg, n);
		if (log.n >= 1) {
			CHECK_STREQ(log.msg[0], b->msg);
		}
		CHECKF(c.trusted_user_ca_keys == NULL && c.passwd_file == NULL
				&& c.naccept_env == 0 && c.port == 0, "bad case %zu: out not cleared", i);
		if (n == 0) {
			bp_config_free(&c);
		}
		log_clear(&log);
	}
}

/* ---- every keyword: case, missing value, extra value, duplicates ---- */

static const struct kw_case {
	const char *kw;
	const char *good;
	const char *bad;
	int list;
} kw_cases[] = {
	{ "TrustedUserCAKeys", "/ca.pub", "ca.pub", 0 },
	{ "TrustedUserCAKeysEnv", "CA", "C.A", 0 },
	{ "AuthorizedPrincipalsFile", "p/%u", "p/%d", 0 },
	{ "RevokedKeys", "/krl", "krl", 0 },
	{ "AuthorizedKeys", "no", "nope", 0 },
	{ "ListenAddress", "::1", "::1::2", 1 },
	{ "Port", "22", "22.0", 0 },
	{ "SixPNPrefix", "fdaa::/16", "fdaa::/x", 0 },
	{ "SixPNWait", "30", "30y", 0 },
	{ "AllowFrom", "::/0", "::/-1", 1 },
	{ "PasswdFile", "/etc/passwd", "passwd", 0 },
	{ "GroupFile", "/etc/group", "group", 0 },
	{ "UnknownUser", "deny", "allow", 0 },
	{ "DefaultShell", "/bin/sh", "bin/sh", 0 },
	{ "InheritEnvironment", "yes", "ja", 0 },
	{ "InheritEnvironmentExclude", "A*", "A.B", 1 },
	{ "AuditLog", "syslog", "journal", 0 },
	{ "AllowTcpForwarding", "no", "local", 0 },
	{ "AllowAgentForwarding", "yes", "always", 0 },
	{ "PermitTTY", "certificate", "certificates", 0 },
	{ "AcceptEnv", "LC_*", "LC-*", 1 },
	{ "DisconnectExpiredCert", "yes", "soon", 0 },
	{ "MaxSessionTime", "1h", "1y", 0 },
	{ "PerSourceMaxStartups", "10", "ten", 0 },
	{ "ClientAliveInterval", "30", "30x", 0 },
	{ "HostKeyDir", "/keys", "keys", 0 },
	{ "Subsystem", "none", "ftp", 0 },
};

static void lower(char *s)
{
	for (; *s; s++) {
		if (*s >= 'A' && *s <= 'Z') {
			*s = (char)(*s - 'A' + 'a');
		}
	}
}

static void test_keywords(void)
{
	char text[1024], want[512], kwl[64];
	struct bp_config c;
	struct diag_log log;
	size_t i;
	int n;

	for (i = 0; i < sizeof(kw_cases) / sizeof(kw_cases[0]); i++) {
		const struct kw_case *k = &kw_cases[i];

		/* good, in canonical and lower case */
		snprintf(text, sizeof(text), CA "%s %s\n", k->kw, k->good);
		if (strcmp(k->kw, "TrustedUserCAKeys") == 0) {
			snprintf(text, sizeof(text), "%s %s\n", k->kw, k->good);
		}
		n = parse_text(&c, text, strlen(text), &log);
		CHECKF(n == 0, "%s good: %s", k->kw, log.n ? log.msg[0] : "");
		bp_config_free(&c);
		log_clear(&log);
		snprintf(kwl, sizeof(kwl), "%s", k->kw);
		lower(kwl);
		snprintf(text, sizeof(text), "TrustedUserCAKeysEnv CA\n%s %s\n", kwl, k->good);
		if (strcmp(k->kw, "TrustedUserCAKeysEnv") == 0) {
			snprintf(text, sizeof(text), "TrustedUserCAKeys /x\n%s %s\n", kwl, k->good);
		}
		n = parse_text(&c, text, strlen(text), &log);
		CHECKF(n == 0, "%s lower case: %s", k->kw, log.n ? log.msg[0] : "");
		bp_config_free(&c);
		log_clear(&log);

		/* missing value (the CA line comes after: line 1) */
		snprintf(text, sizeof(text), "%s\nTrustedUserCAKeys /x\nTrustedUserCAKeysEnv X\n", k->kw);
		snprintf(want, sizeof(want), "t.conf:1: %s: missing value", k->kw);
		n = parse_text(&c, text, strlen(text), &log);
		CHECKF(n >= 1 && log.n >= 1 && strcmp(log.msg[0], want) == 0, "%s missing: %s",
				k->kw, log.n ? log.msg[0] : "");
		log_clear(&log);

		/* bad value */
		snprintf(text, sizeof(text), "# c\n  %s  %s  \n", k->kw, k->bad);
		snprintf(want, sizeof(want), "t.conf:2: %s: bad value \"%s\"", k->kw, k->bad);
		n = parse_text(&c, text, strlen(text), &log);
		CHECKF(n >= 1 && log.n >= 1 && strncmp(log.msg[0], want, strlen(want)) == 0,
				"%s bad: %s", k->kw, log.n ? log.msg[0] : "");
		log_clear(&log);

		if (k->list) {
			continue;
		}
		/* extra value */
		snprintf(text, sizeof(text), "%s %s extra\n", k->kw, k->good);
		snprintf(want, sizeof(want), "t.conf:1: %s: unexpected extra value \"extra\"", k->kw);
		if (strcmp(k->kw, "Subsystem") == 0) {
			snprintf(want, sizeof(want), "t.conf:1: Subsystem: unexpected extra value \"extra\"");
		}
		n = parse_text(&c, text, strlen(text), &log);
		CHECKF(n >= 1 && log.n >= 1 && strcmp(log.msg[0], want) == 0, "%s extra: %s",
				k->kw, log.n ? log.msg[0] : "");
		log_clear(&log);

		/* duplicate, second spelled in lower case */
		snprintf(text, sizeof(text), "TrustedUserCAKeysEnv CA\n%s %s\n\n%s %s\n",
				k->kw, k->good, kwl, k->good);
		if (strcmp(k->kw, "TrustedUserCAKeysEnv") == 0) {
			snprintf(text, sizeof(text), "TrustedUserCAKeys /x\n%s %s\n\n%s %s\n",
					k->kw, k->good, kwl, k->good);
		}
		snprintf(want, sizeof(want), "t.conf:4: duplicate keyword %s (first given at line 2)", k->kw);
		n = parse_text(&c, text, strlen(text), &log);
		CHECKF(n == 1 && log.n == 1 && strcmp(log.msg[0], want) == 0, "%s dup: %s",
				k->kw, log.n ? log.msg[0] : "");
		log_clear(&log);
	}
}

/* ---- lexical limits ---- */

static void test_lines(void)
{
	char *text;
	struct bp_config c;
	struct diag_log log;
	size_t len, i;
	int n;

	text = malloc(BP_CONFIG_MAX_SIZE + 64);
	if (text == NULL) {
		CHECK(0);
		return;
	}

	/* a line of exactly 1024 bytes is fine, also with CR; 1025 is not */
	for (i = 0; i < 3; i++) {
		size_t linelen = i == 2 ? 1025 : 1024;

		snprintf(text, 64, "%s", CA "Port 22");
		len = strlen(text);
		memset(text + len, ' ', linelen - 7);
		len += linelen - 7;
		if (i == 1) {
			text[len++] = '\r';
		}
		text[len++] = '\n';
		n = parse_text(&c, text, len, &log);
		if (i < 2) {
			CHECKF(n == 0, "line of 1024: %s", log.n ? log.msg[0] : "");
			CHECK(c.port == 22);
		} else {
			CHECK(n == 1 && log.n == 1);
			CHECK_STREQ(first_msg(&log), "t.conf:2: line too long (max 1024)");
		}
		bp_config_free(&c);
		log_clear(&log);
	}

	/* overlong line without newline at the end; errors go on after it */
	snprintf(text, 64, "%s", "Port x\n");
	len = strlen(text);
	memset(text + len, '#', 2000);
	len += 2000;
	n = parse_text(&c, text, len, &log);
	CHECK(n == 3 && log.n == 3);
	if (log.n == 3) {
		CHECK_STREQ(log.msg[0], "t.conf:1: Port: bad value \"x\" (expected 1-65535)");
		CHECK_STREQ(log.msg[1], "t.conf:2: line too long (max 1024)");
		CHECK_STREQ(log.msg[2], "t.conf:2: missing TrustedUserCAKeys or TrustedUserCAKeysEnv (at least one is required)");
	}
	log_clear(&log);

	/* NUL byte: one error, on its line */
	memcpy(text, CA "Port 22\n# a\0b\nPort 23\n", sizeof(CA) + 20);
	n = parse_text(&c, text, sizeof(CA) + 20, &log);
	CHECK(n == 1 && log.n == 1);
	CHECK_STREQ(first_msg(&log), "t.conf:3: NUL byte in file");
	log_clear(&log);
	n = parse_text(&c, "\0", 1, &log);
	CHECK(n == 1);
	CHECK_STREQ(first_msg(&log), "t.conf:1: NUL byte in file");
	log_clear(&log);

	/* file size: 65536 bytes fine, 65537 not (line 1) */
	for (i = 0; i < 2; i++) {
		size_t want = BP_CONFIG_MAX_SIZE + i;

		snprintf(text, 64, "%s", CA);
		len = strlen(text);
		while (len < want) {
			size_t chunk = want - len < 100 ? want - len : 100;

			memset(text + len, '#', chunk);
			text[len + chunk - 1] = '\n';
			len += chunk;
		}
		n = parse_text(&c, text, len, &log);
		if (i == 0) {
			CHECKF(n == 0, "max size: %s", log.n ? log.msg[0] : "");
		} else {
			CHECK(n == 1);
			CHECK_STREQ(first_msg(&log), "t.conf:1: file too large (max 65536 bytes)");
		}
		bp_config_free(&c);
		log_clear(&log);
	}

	/* every error is reported, up to the cap */
	len = 0;
	for (i = 0; i < 150; i++) {
		memcpy(text + len, "Port x\n", 7);
		len += 7;
	}
	n = parse_text(&c, text, len, &log);
	CHECK(n == BP_CONFIG_MAX_ERRORS + 1 && log.n == n);
	if (log.n == BP_CONFIG_MAX_ERRORS + 1) {
		CHECK_STREQ(log.msg[0], "t.conf:1: Port: bad value \"x\" (expected 1-65535)");
		CHECK_STREQ(log.msg[1], "t.conf:2: duplicate keyword Port (first given at line 1)");
		CHECK_STREQ(log.msg[BP_CONFIG_MAX_ERRORS], "t.conf:101: too many errors, giving up");
	}
	log_clear(&log);

	/* several different errors in one file, each reported in order */
	snprintf(text, 512, "%s", "Port 0\nBogus\nAuthorizedKeys maybe\nPort 1\n");
	n = parse_text(&c, text, strlen(text), &log);
	CHECK(n == 5 && log.n == 5);
	if (log.n == 5) {
		CHECK_STREQ(log.msg[0], "t.conf:1: Port: bad value \"0\" (expected 1-65535)");
		CHECK_STREQ(log.msg[1], "t.conf:2: unknown keyword \"Bogus\"");
		CHECK_STREQ(log.msg[2], "t.conf:3: AuthorizedKeys: bad value \"maybe\" (expected yes or no)");
		CHECK_STREQ(log.msg[3], "t.conf:4: duplicate keyword Port (first given at line 1)");
		CHECK_STREQ(log.msg[4], "t.conf:4: missing TrustedUserCAKeys or TrustedUserCAKeysEnv (at least one is required)");
	}
	log_clear(&log);

	/* NULL diag and NULL file name are allowed */
	n = bp_config_parse(&c, NULL, "Port x\n", 7, NULL, NULL);
	CHECK(n == 2);
	n = bp_config_parse(&c, NULL, CA, strlen(CA), NULL, NULL);
	CHECK(n == 0);
	bp_config_free(&c);
	n = bp_config_parse(&c, NULL, "Port x\n" CA, 7 + strlen(CA), log_diag, &log);
	CHECK(n == 1);
	CHECK_STREQ(first_msg(&log), "(config):1: Port: bad value \"x\" (expected 1-65535)");
	log_clear(&log);

	free(text);
}

/* ---- list limits ---- */

static void test_lists(void)
{
	static const struct {
		const char *kw;
		int per_line;   /* values per line */
		int any;        /* use AllowFrom any (2 entries) */
	} lists[] = {
		{ "ListenAddress", 1, 0 },
		{ "AllowFrom", 1, 0 },
		{ "AllowFrom", 32, 0 },
		{ "AllowFrom", 0, 1 },
		{ "InheritEnvironmentExclude", 1, 0 },
		{ "InheritEnvironmentExclude", 32, 0 },
		{ "AcceptEnv", 1, 0 },
		{ "AcceptEnv", 32, 0 },
	};
	char *text, want[128];
	struct bp_config c;
	struct diag_log log;
	size_t i, len, count;
	int extra, v, n;

	text = malloc(65536);
	if (text == NULL) {
		CHECK(0);
		return;
	}
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		for (extra = 0; extra < 2; extra++) {
			int total = BP_CONFIG_MAX_LIST + extra, lineno = 1;

			len = (size_t)snprintf(text, 65536, "%s", CA);
			if (lists[i].any) {
				/* 15 x "any" = 30 entries, then two or three more */
				for (v = 0; v < 15; v++) {
					len += (size_t)sprintf(text + len, "AllowFrom any\n");
					lineno++;
				}
				len += (size_t)sprintf(text + len, "AllowFrom 10.0.0.%d\n", 1);
				len += (size_t)sprintf(text + len, "AllowFrom 10.0.0.2%s\n",
						extra ? " 10.0.0.3" : "");
				lineno += 2;
			} else {
				for (v = 0; v < total; v++) {
					if (v % lists[i].per_line == 0) {
						len += (size_t)sprintf(text + len, "%s%s", v ? "\n" : "", lists[i].kw);
						lineno++;
					}
					if (strcmp(lists[i].kw, "ListenAddress") == 0
							|| strcmp(lists[i].kw, "AllowFrom") == 0) {
						len += (size_t)sprintf(text + len, " 10.0.%d.%d", v / 256, v % 256);
					} else {
						len += (size_t)sprintf(text + len, " V%d", v);
					}
				}
				len += (size_t)sprintf(text + len, "\n");
			}
			n = parse_text(&c, text, len, &log);
			if (extra == 0) {
				CHECKF(n == 0, "%s: 32 entries: %s", lists[i].kw, log.n ? log.msg[0] : "");
				count = strcmp(lists[i].kw, "ListenAddress") == 0 ? c.nlisten
					: strcmp(lists[i].kw, "AllowFrom") == 0 ? c.nallow_from
					: strcmp(lists[i].kw, "AcceptEnv") == 0 ? c.naccept_env
					: c.ninherit_env_exclude;
				CHECKF(count == BP_CONFIG_MAX_LIST, "%s: count %zu", lists[i].kw, count);
				bp_config_free(&c);
			} else {
				snprintf(want, sizeof(want), "t.conf:%d: %s: too many values (max 32)",
						lineno, lists[i].any ? "AllowFrom" : lists[i].kw);
				CHECKF(n == 1 && log.n == 1, "%s: 33 entries: %d errors", lists[i].kw, n);
				CHECKF(strcmp(first_msg(&log), want) == 0, "\"%s\" != \"%s\"", first_msg(&log), want);
			}
			log_clear(&log);
		}
	}

	/* "any" when only one slot is left */
	len = (size_t)snprintf(text, 65536, "%s", CA);
	for (v = 0; v < 31; v++) {
		len += (size_t)sprintf(text + len, "AllowFrom 10.0.0.%d\n", v);
	}
	len += (size_t)sprintf(text + len, "AllowFrom any\n");
	n = parse_text(&c, text, len, &log);
	CHECK(n == 1);
	CHECK_STREQ(first_msg(&log), "t.conf:33: AllowFrom: too many values (max 32)");
	log_clear(&log);
	free(text);
}

/* ---- shell-style patterns ---- */

static void test_patterns(void)
{
	static const struct {
		const char *pat;
		const char *name;
		int match;
	} cases[] = {
		{ "LANG", "LANG", 1 },
		{ "LANG", "LANGUAGE", 0 },
		{ "LANG", "LAN", 0 },
		{ "LANG", "lang", 0 },
		{ "LC_*", "LC_ALL", 1 },
		{ "LC_*", "LC_", 1 },
		{ "LC_*", "LC", 0 },
		{ "*", "", 1 },
		{ "*", "X", 1 },
		{ "", "", 1 },
		{ "", "X", 0 },
		{ "?", "", 0 },
		{ "?", "A", 1 },
		{ "A?C", "ABC", 1 },
		{ "A?C", "AC", 0 },
		{ "*_KEY", "AWS_SECRET_KEY", 1 },
		{ "*_KEY", "AWS_KEY_ID", 0 },
		{ "A*B*C", "AxxBxxBxxC", 1 },
		{ "A*B*C", "AxxBxxBxxCx", 0 },
		{ "**X**", "aXb", 1 },
		{ "*?", "", 0 },
		{ "*?", "Z", 1 },
		{ "SSH_*", "SSH_AUTH_SOCK", 1 },
		{ "FLY_SSH_*", "FLY_SSH", 0 },
		{ "*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0 },
	};
	char *list[1];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		list[0] = (char *)cases[i].pat;
		CHECKF(bp_pattern_list_match(list, 1, cases[i].name, strlen(cases[i].name))
				== cases[i].match, "pattern %s vs %s", cases[i].pat, cases[i].name);
	}
	/* a list: any member; name with length, not NUL-terminated */
	{
		char *l[] = { "FOO", "BAR_*", "?Z" };

		CHECK(bp_pattern_list_match(l, 3, "BAR_1", 5) == 1);
		CHECK(bp_pattern_list_match(l, 3, "QZ", 2) == 1);
		CHECK(bp_pattern_list_match(l, 3, "FOOBAR", 3) == 1);
		CHECK(bp_pattern_list_match(l, 3, "FOOBAR", 6) == 0);
		CHECK(bp_pattern_list_match(l, 0, "FOO", 3) == 0);
		CHECK(bp_pattern_list_match(l, 3, "FO\0", 3) == 0);
	}
}

/* ---- prefixes ---- */

static void test_prefixes(void)
{
	static const struct {
		const char *prefix;     /* NULL: must not parse */
		const char *text;       /* the prefix as parsed, or the bad input */
		int family;
		const char *addr;
		int match;
	} cases[] = {
		{ "10.0.0.0/8", "10.0.0.0/8", AF_INET, "10.255.1.2", 1 },
		{ "10.0.0.0/8", "10.0.0.0/8", AF_INET, "11.0.0.0", 0 },
		{ "10.1.2.3/8", "10.0.0.0/8", AF_INET, "10.9.9.9", 1 },
		{ "192.168.1.7", "192.168.1.7/32", AF_INET, "192.168.1.7", 1 },
		{ "192.168.1.7", "192.168.1.7/32", AF_INET, "192.168.1.8", 0 },
		{ "192.168.1.0/25", "192.168.1.0/25", AF_INET, "192.168.1.127", 1 },
		{ "192.168.1.0/25", "192.168.1.0/25", AF_INET, "192.168.1.128", 0 },
		{ "0.0.0.0/0", "0.0.0.0/0", AF_INET, "1.2.3.4", 1 },
		{ "0.0.0.0/0", "0.0.0.0/0", AF_INET6, "::1", 0 },
		{ "1.2.3.4/0", "0.0.0.0/0", AF_INET, "255.255.255.255", 1 },
		{ "fdaa::/16", "fdaa::/16", AF_INET6, "fdaa:0:1::2", 1 },
		{ "fdaa::/16", "fdaa::/16", AF_INET6, "fdab::2", 0 },
		{ "fdaa::/16", "fdaa::/16", AF_INET, "10.0.0.1", 0 },
		{ "fdaa:1:2:3::ff/63", "fdaa:1:2:2::/63", AF_INET6, "fdaa:1:2:3::1", 1 },
		{ "fdaa:1:2:3::ff/63", "fdaa:1:2:2::/63", AF_INET6, "fdaa:1:2:4::1", 0 },
		{ "::/0", "::/0", AF_INET6, "2001:db8::1", 1 },
		{ "::/0", "::/0", AF_INET6, "::ffff:1.2.3.4", 1 },
		{ "::1", "::1/128", AF_INET6, "::1", 1 },
		{ "::1", "::1/128", AF_INET6, "::2", 0 },
		{ "ff00::/127", "ff00::/127", AF_INET6, "ff00::1", 1 },
		{ "ff00::/127", "ff00::/127", AF_INET6, "ff00::2", 0 },
		/* IPv4-mapped peers match IPv4 prefixes */
		{ "10.0.0.0/8", "10.0.0.0/8", AF_INET6, "::ffff:10.1.2.3", 1 },
		{ "10.0.0.0/8", "10.0.0.0/8", AF_INET6, "::ffff:11.1.2.3", 0 },
		{ "10.0.0.0/8", "10.0.0.0/8", AF_INET6, "::10.1.2.3", 0 },
		{ "10.0.0.0/8", "10.0.0.0/8", AF_INET6, "64:ff9b::10.1.2.3", 0 },
		{ "0.0.0.0/0", "0.0.0.0/0", AF_INET6, "::ffff:127.0.0.1", 1 },
		/* bad prefixes */
		{ NULL, "10.0.0.0/33", 0, NULL, 0 },
		{ NULL, "::/129", 0, NULL, 0 },
		{ NULL, "10.0.0.0/", 0, NULL, 0 },
		{ NULL, "10.0.0.0/-1", 0, NULL, 0 },
		{ NULL, "10.0.0.0/+8", 0, NULL, 0 },
		{ NULL, "10.0.0.0/8/8", 0, NULL, 0 },
		{ NULL, "10.0.0.0/0008", 0, NULL, 0 },
		{ NULL, "10.0.0/8", 0, NULL, 0 },
		{ NULL, "10.0.0.256", 0, NULL, 0 },
		{ NULL, "/8", 0, NULL, 0 },
		{ NULL, "", 0, NULL, 0 },
		{ NULL, "fdaa:::/16", 0, NULL, 0 },
		{ NULL, "fe80::1%eth0/64", 0, NULL, 0 },
		{ NULL, "any", 0, NULL, 0 },
		{ NULL, "1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb:cccc/64", 0, NULL, 0 },
	};
	struct bp_prefix p;
	unsigned char addr[16];
	char a[64], text[80];
	size_t i;
	int r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].prefix == NULL) {
			memset(&p, 0x5a, sizeof(p));
			r = bp_prefix_parse(&p, cases[i].text, strlen(cases[i].text));
			CHECKF(r == -1, "prefix %s should not parse", cases[i].text);
			CHECK(p.family == 0 && p.bits == 0);
			continue;
		}
		r = bp_prefix_parse(&p, cases[i].prefix, strlen(cases[i].prefix));
		CHECKF(r == 0, "prefix %s", cases[i].prefix);
		addr_text(p.family, p.addr, a, sizeof(a));
		snprintf(text, sizeof(text), "%s/%d", a, p.bits);
		CHECKF(strcmp(text, cases[i].text) == 0, "%s != %s", text, cases[i].text);
		memset(addr, 0, sizeof(addr));
		CHECK(inet_pton(cases[i].family, cases[i].addr, addr) == 1);
		CHECKF(bp_prefix_match(&p, cases[i].family, addr) == cases[i].match,
				"%s in %s", cases[i].addr, cases[i].prefix);
	}
	/* length is honoured: "10.0.0.0/8" cut to "10.0.0.0" */
	CHECK(bp_prefix_parse(&p, "10.0.0.0/8", 8) == 0 && p.bits == 32);
	/* embedded NUL */
	CHECK(bp_prefix_parse(&p, "10.0.0.1\0/8", 11) == -1);
	/* every truncation of a valid prefix either parses or fails cleanly */
	{
		const char *full = "fdaa:1:2:3:4:5:6:7/112";
		size_t l;

		for (l = 0; l <= strlen(full); l++) {
			r = bp_prefix_parse(&p, full, l);
			CHECK(r == 0 || r == -1);
		}
	}
}

/* ---- principals file expansion ---- */

static void test_expand(void)
{
	static const struct {
		const char *tmpl;
		const char *user;
		const char *home;
		const char *want;       /* NULL: must fail */
	} cases[] = {
		{ "/etc/p/%u", "alice", "/home/alice", "/etc/p/alice" },
		{ ".ssh/principals", "alice", "/home/alice", "/home/alice/.ssh/principals" },
		{ "p_%u_%%", "bob", "/", "//p_bob_%" },
		{ "%u%u", "x", "/h", "/h/xx" },
		{ "/p/%%u", "x", "/h", "/p/%u" },
		{ "/p/%h", "x", "/h", NULL },
		{ "/p/%", "x", "/h", NULL },
		{ "/p/%u", "", "/h", NULL },
		{ "/p/%u", "..", "/h", NULL },
		{ "/p/%u", ".", "/h", NULL },
		{ "/p/%u", "a/b", "/h", NULL },
		{ "/p/%u", "..a", "/h", "/p/..a" },
	};
	char *out;
	size_t i;
	int r;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out = (char *)1;
		r = bp_config_expand_principals_file(cases[i].tmpl, cases[i].user,
				strlen(cases[i].user), cases[i].home, strlen(cases[i].home), &out);
		if (cases[i].want == NULL) {
			CHECKF(r == -1 && out == NULL, "expand %s %s", cases[i].tmpl, cases[i].user);
		} else {
			CHECKF(r == 0, "expand %s %s", cases[i].tmpl, cases[i].user);
			CHECK_STREQ(out, cases[i].want);
		}
		free(r == 0 ? out : NULL);
	}
	/* BP_CONFIG_MAX_PATH: exactly fits, one more does not */
	{
		char *user = malloc(BP_CONFIG_MAX_PATH + 2);

		if (user == NULL) {
			CHECK(0);
			return;
		}
		memset(user, 'u', BP_CONFIG_MAX_PATH + 1);
		r = bp_config_expand_principals_file("/%u", user, BP_CONFIG_MAX_PATH - 1, "/h", 2, &out);
		CHECK(r == 0 && out != NULL && strlen(out) == BP_CONFIG_MAX_PATH);
		free(r == 0 ? out : NULL);
		r = bp_config_expand_principals_file("/%u", user, BP_CONFIG_MAX_PATH, "/h", 2, &out);
		CHECK(r == -1 && out == NULL);
		r = bp_config_expand_principals_file("%u", user, BP_CONFIG_MAX_PATH - 3, "/h", 2, &out);
		CHECK(r == 0 && out != NULL && strlen(out) == BP_CONFIG_MAX_PATH);
		free(r == 0 ? out : NULL);
		r = bp_config_expand_principals_file("%u", user, BP_CONFIG_MAX_PATH - 2, "/h", 2, &out);
		CHECK(r == -1);
		free(user);
	}
}

/* ---- systematic mutation: truncate a valid file at every length ---- */

static const char full_conf[] =
	"# bearpass\n"
	"TrustedUserCAKeys /etc/bearpass/ca.pub\n"
	"TrustedUserCAKeysEnv FLY_SSH_CA\n"
	"AuthorizedPrincipalsFile /etc/bearpass/principals/%u\n"
	"RevokedKeys /etc/bearpass/revoked\n"
	"AuthorizedKeys no\n"
	"ListenAddress 6pn\n"
	"ListenAddress [::1]:2222\n"
	"Port 22\n"
	"SixPNPrefix fdaa::/16\n"
	"SixPNWait 1m\n"
	"AllowFrom fdaa::/16 127.0.0.1\n"
	"PasswdFile /etc/passwd\n"
	"GroupFile /etc/group\n"
	"UnknownUser root\n"
	"DefaultShell /bin/sh\n"
	"InheritEnvironment yes\n"
	"InheritEnvironmentExclude HOME SSH_* SECRET_*\n"
	"AuditLog /var/log/bearpass.log\n"
	"AllowTcpForwarding certificate\n"
	"AllowAgentForwarding no\n"
	"PermitTTY yes\n"
	"AcceptEnv LANG LC_*\n"
	"DisconnectExpiredCert yes\n"
	"MaxSessionTime 12h\n"
	"PerSourceMaxStartups 10\n"
	"ClientAliveInterval 60\n"
	"HostKeyDir /etc/dropbear\n"
	"Subsystem sftp internal\n";

static void test_mutations(void)
{
	struct bp_config c;
	struct diag_log log;
	char buf[8192];
	char *copy;
	size_t len = sizeof(full_conf) - 1, i;
	int n, bad = 0;

	n = parse_text(&c, full_conf, len, &log);
	CHECKF(n == 0, "full conf: %s", log.n ? log.msg[0] : "");
	render(&c, buf, sizeof(buf));
	CHECK(strstr(buf, "\nlisten=6pn,v6:::1#2222\n") != NULL);
	CHECK(strstr(buf, "\nmax_session=43200\n") != NULL);
	CHECK(strstr(buf, "\nalive=60\n") != NULL);
	CHECK(strstr(buf, "\nexclude=HOME,SSH_*,SECRET_*\n") != NULL);
	bp_config_free(&c);
	log_clear(&log);

	/* every prefix of the file: no crash, no leak; errors carry "t.conf:" */
	for (i = 0; i <= len; i++) {
		copy = malloc(i ? i : 1);
		if (copy == NULL) {
			CHECK(0);
			return;
		}
		memcpy(copy, full_conf, i);
		n = parse_text(&c, copy, i, &log);
		if (n == 0) {
			bp_config_free(&c);
		} else if (log.n == 0 || strncmp(log.msg[0], "t.conf:", 7) != 0) {
			bad++;
		}
		log_clear(&log);
		free(copy);
	}
	CHECK(bad == 0);

	/* replace every byte with a few hostile ones: each result either parses
	 * or reports errors, and out is cleared on error */
	copy = malloc(len);
	if (copy == NULL) {
		CHECK(0);
		return;
	}
	bad = 0;
	for (i = 0; i < len; i++) {
		static const char subst[] = { '\0', '\r', ' ', '=', '%', '/', 'x', '\x7f', '\xff' };
		size_t s;

		for (s = 0; s < sizeof(subst); s++) {
			memcpy(copy, full_conf, len);
			copy[i] = subst[s];
			memset(&c, 0x5a, sizeof(c));
			n = parse_text(&c, copy, len, &log);
			if (n == 0) {
				bp_config_free(&c);
			} else if (log.n != n || c.passwd_file != NULL || c.port != 0) {
				bad++;
			}
			log_clear(&log);
		}
	}
	free(copy);
	CHECK(bad == 0);
}

/* ---- tests/conf ---- */

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (f == NULL) {
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			char *nb = realloc(buf, cap ? cap * 2 : 4096);

			if (nb == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
			cap = cap ? cap * 2 : 4096;
		}
		r = fread(buf + n, 1, cap - n, f);
		if (r == 0) {
			break;
		}
		n += r;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* Replace every "@CAFILE@" with "/ca.pub" (shorter, so in place). */
static size_t subst_cafile(char *buf, size_t len)
{
	static const char tag[] = "@CAFILE@", ca[] = "/ca.pub";
	size_t i = 0, o = 0;

	while (i < len) {
		if (len - i >= sizeof(tag) - 1 && memcmp(buf + i, tag, sizeof(tag) - 1) == 0) {
			memcpy(buf + o, ca, sizeof(ca) - 1);
			o += sizeof(ca) - 1;
			i += sizeof(tag) - 1;
		} else {
			buf[o++] = buf[i++];
		}
	}
	return o;
}

static void test_conf_dir(const char *dir)
{
	char path[4096], want[4200];
	char *expect, *line, *next, *buf;
	struct bp_config c;
	struct diag_log log;
	size_t elen, blen;
	DIR *d;
	struct dirent *de;
	int n, nbad = 0, ngood = 0, i, found;

	snprintf(path, sizeof(path), "%s/bad/EXPECT", dir);
	expect = read_all(path, &elen);
	CHECKF(expect != NULL, "cannot read %s (run from the repository root or pass the conf directory)", path);
	if (expect == NULL) {
		return;
	}
	expect = realloc(expect, elen + 1);
	if (expect == NULL) {
		CHECK(0);
		return;
	}
	expect[elen] = '\0';
	for (line = expect; line != NULL && *line != '\0'; line = next) {
		char *name, *lno, *msg;

		next = strchr(line, '\n');
		if (next != NULL) {
			*next++ = '\0';
		}
		if (*line == '\0' || *line == '#') {
			continue;
		}
		name = line;
		lno = strchr(name, '\t');
		msg = lno ? strchr(lno + 1, '\t') : NULL;
		CHECKF(lno != NULL && msg != NULL, "EXPECT line: %s", line);
		if (msg == NULL) {
			continue;
		}
		*lno++ = '\0';
		*msg++ = '\0';
		nbad++;
		snprintf(path, sizeof(path), "%s/bad/%s", dir, name);
		buf = read_all(path, &blen);
		CHECKF(buf != NULL, "cannot read %s", path);
		if (buf == NULL) {
			continue;
		}
		blen = subst_cafile(buf, blen);
		memset(&log, 0, sizeof(log));
		n = bp_config_parse(&c, path, buf, blen, log_diag, &log);
		if (strstr(msg, "cannot read") != NULL) {
			/* found only by the -C file check, not by the parser */
			CHECKF(n == 0, "%s: parser should accept: %s", name, log.n ? log.msg[0] : "");
			bp_config_free(&c);
		} else {
			snprintf(want, sizeof(want), "%s:%s: ", path, lno);
			found = 0;
			for (i = 0; i < log.n && i < MAX_MSGS; i++) {
				if (strncmp(log.msg[i], want, strlen(want)) == 0
						&& strstr(log.msg[i] + strlen(want), msg) != NULL) {
					found = 1;
				}
			}
			CHECKF(n >= 1 && found, "%s: want %s%s, got %s", name, want, msg,
					log.n ? log.msg[0] : "(nothing)");
			CHECKF(n == 1, "%s: %d errors, want one", name, n);
		}
		log_clear(&log);
		free(buf);
	}
	free(expect);
	CHECKF(nbad >= 25, "only %d bad files", nbad);

	snprintf(path, sizeof(path), "%s/good", dir);
	d = opendir(path);
	CHECKF(d != NULL, "cannot open %s", path);
	while (d != NULL && (de = readdir(d)) != NULL) {
		size_t nl = strlen(de->d_name);

		if (nl < 5 || strcmp(de->d_name + nl - 5, ".conf") != 0) {
			continue;
		}
		ngood++;
		snprintf(path, sizeof(path), "%s/good/%s", dir, de->d_name);
		buf = read_all(path, &blen);
		CHECKF(buf != NULL, "cannot read %s", path);
		if (buf == NULL) {
			continue;
		}
		blen = subst_cafile(buf, blen);
		n = parse_text(&c, buf, blen, &log);
		CHECKF(n == 0, "%s: %s", path, log.n ? log.msg[0] : "");
		bp_config_free(&c);
		log_clear(&log);
		free(buf);
	}
	if (d != NULL) {
		closedir(d);
	}
	CHECKF(ngood >= 3, "only %d good files", ngood);
}

int main(int argc, char **argv)
{
	test_defaults();
	test_good();
	test_bad();
	test_keywords();
	test_lines();
	test_lists();
	test_patterns();
	test_prefixes();
	test_expand();
	test_mutations();
	test_conf_dir(argc > 1 ? argv[1] : "tests/conf");
	return T_DONE("config");
}
