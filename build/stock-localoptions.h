/* Options of the stock Dropbear that make bench compares against: the same
 * tarball, no patches, built static with musl. */

/* Debian's musl has no crypt() */
#define DROPBEAR_SVR_PASSWORD_AUTH 0

/* The sftp subsystem execs OpenSSH's sftp-server where Debian's dropbear
 * package points it (openssh-sftp-server provides the link); stock
 * Dropbear has no SFTP server of its own. */
#define SFTPSERVER_PATH "/usr/lib/sftp-server"
