/* bearpass build options for Dropbear (copied into each build directory as
 * localoptions.h).  BEARPASS_STATIC is defined for the static musl build. */

/* Password and keyboard-interactive logins are always off; Debian's musl
 * has no crypt() anyway. */
#define DROPBEAR_SVR_PASSWORD_AUTH 0
#define DROPBEAR_SVR_PAM_AUTH 0

#ifdef BEARPASS_STATIC
/* The plugin is linked in: -A bearpass,FILE.  No dlopen() in the binary. */
#define DROPBEAR_PLUGIN_DLOPEN 0
#define DROPBEAR_PLUGIN_BUILTIN 1
#define DROPBEAR_PLUGIN_BUILTIN_NAME "bearpass"
#endif

/* `dropbear -V` appends this (patch 0008), e.g. "Dropbear v2025.89
 * (bearpass 0.1.0, 8 patches)".  The Makefile defines
 * BEARPASS_VERSION_SUFFIX from VERSION and patches/series at the top of
 * each build directory's copy of this file. */
#ifdef BEARPASS_VERSION_SUFFIX
#define DROPBEAR_VERSION_SUFFIX BEARPASS_VERSION_SUFFIX
#endif

/* Ciphers: chacha20-poly1305@openssh.com, aes128-ctr, aes256-ctr,
 * aes128-gcm@openssh.com, aes256-gcm@openssh.com, in OpenSSH's default
 * order (patch 0026).  With libsodium, chacha20-poly1305 and AES-GCM use
 * SIMD, AES-NI and PCLMULQDQ code chosen at run time by CPU features;
 * libtomcrypt's portable code otherwise (patches 0024, 0025). */
#define DROPBEAR_ENABLE_GCM_MODE 1

/* Sessions that cannot start say "bearpass: cannot start PROGRAM: REASON"
 * (patch 0006). */
#define DROPBEAR_SVR_EXEC_ERROR_PREFIX "bearpass"

#ifdef BEARPASS_STATIC
/* The plugin's get_user answers every user lookup (patch 0005): no
 * getpwnam(), initgroups() or NSS code in the static binary. */
#define DROPBEAR_SVR_LIBC_USERS 0
#endif

/* X25519 and Ed25519 from libsodium (patch 0022); the Makefile gives
 * every build its libsodium's headers and library. */
#define DROPBEAR_LIBSODIUM 1

/* Receive window per channel: OpenSSH's 2 MiB instead of Dropbear's
 * 24 kB, with which an upload stopped for a window adjustment every
 * 8 kB (uploads ran at 0.7x sshd's speed).  The channel's buffer is
 * allocated on its first data and its pages only as data passes through
 * it, so idle sessions cost nothing more; -W still overrides it. */
#define DEFAULT_RECV_WINDOW (2 * 1024 * 1024)

/* Largest payload sent: 32 kB, as OpenSSH sends and as RFC 4253 lets
 * every implementation receive, instead of Dropbear's 16 kB; a channel's
 * maximum packet size still limits its data.  Half the packets for a
 * download, on both sides: on a 2-core machine the client's CPU is the
 * server's competition.  The payload buffer's pages are only touched as
 * packets use them (patch 0029), so idle sessions cost nothing more. */
#define TRANS_MAX_PAYLOAD_LEN 32768
