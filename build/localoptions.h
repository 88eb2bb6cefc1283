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
