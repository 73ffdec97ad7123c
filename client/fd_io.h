// Blocking whole-buffer reads and writes on a socket descriptor, retried on EINTR: the one
// read-exact loop, used by the client's IpcClient and by the tests' and benchmarks' raw IPC
// connections (tests/integration/ipc_pipe.h). Header only, so those need no link to the
// client library; any thread, one per descriptor. Framing and timeouts are the caller's.
#ifndef ACCORD_CLIENT_FD_IO_H_
#define ACCORD_CLIENT_FD_IO_H_

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>

namespace accord::client {

// False on EOF or an error (a receive timeout included) before all `n` bytes arrived.
inline bool ReadExact(int fd, uint8_t* p, size_t n) {
  while (n > 0) {
    const ssize_t r = ::read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

// False if the peer closed or an error came before all `n` bytes were sent (never SIGPIPE).
inline bool WriteAll(int fd, const uint8_t* p, size_t n) {
  while (n > 0) {
    const ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

}  // namespace accord::client

#endif  // ACCORD_CLIENT_FD_IO_H_
