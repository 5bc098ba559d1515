/* The static libdbus-1.a calls two libsystemd functions, only from its server side (socket
 * activation of a bus daemon), which hull never runs; Debian ships no static libsystemd. These
 * stand-ins say "no sockets passed", so a static hull needs no libsystemd at all. Linked
 * only into the static build: a dynamic one uses the real libdbus-1.so and libsystemd.so. */
#include <errno.h>

int sd_listen_fds(int unset_environment);
int sd_is_socket(int fd, int family, int type, int listening);

int sd_listen_fds(int unset_environment) {
  (void)unset_environment;
  return 0;
}

int sd_is_socket(int fd, int family, int type, int listening) {
  (void)fd;
  (void)family;
  (void)type;
  (void)listening;
  return -ENOSYS;
}
