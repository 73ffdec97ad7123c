// Whole-file reads and in-place overwrites for tests that damage files the way a disk would
// (same inode, owner and mode), e.g. key files and databases. Test thread only.
#ifndef ACCORD_TESTS_SUPPORT_FILE_BYTES_H_
#define ACCORD_TESTS_SUPPORT_FILE_BYTES_H_

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "base/bytes.h"

namespace accord::testing {

inline Bytes ReadFileBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// False if the file cannot be opened or not all of `bytes` were written.
inline bool OverwriteFileBytes(const std::filesystem::path& p, const Bytes& bytes) {
  const int fd = ::open(p.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) return false;
  const bool written =
      ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
  ::close(fd);
  return written;
}

}  // namespace accord::testing

#endif  // ACCORD_TESTS_SUPPORT_FILE_BYTES_H_
