#include "client/export_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

namespace accord::client {

namespace {

Error IoError(const std::string& what, const std::filesystem::path& path, int e) {
  return MakeError(ErrorCode::kIo,
                   "cannot " + what + " " + path.native() + ": " + std::strerror(e));
}

}  // namespace

Result<ExportFile> ExportFile::Create(const std::filesystem::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (S_ISLNK(st.st_mode)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       path.native() + " is a symbolic link; not writing the export through it");
    }
    if (!S_ISREG(st.st_mode)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       path.native() + " exists and is not a regular file");
    }
  } else if (errno != ENOENT) {
    return IoError("check", path, errno);
  }
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  std::string temp = (dir / ("." + path.filename().native() + ".accord-export-XXXXXX")).native();
  // mkstemp creates the file O_EXCL with mode 0600: nothing at that name is followed.
  int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) return IoError("create a file in", dir, errno);
  if (::fchmod(fd, 0600) != 0) {
    const int e = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    return IoError("set the mode of", temp, e);
  }
  return ExportFile(path, temp, fd);
}

ExportFile::ExportFile(ExportFile&& o) noexcept
    : path_(std::move(o.path_)), temp_(std::move(o.temp_)), fd_(o.fd_), committed_(o.committed_) {
  o.fd_ = -1;
  o.committed_ = true;  // the moved-from object deletes nothing
}

ExportFile::~ExportFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_.c_str());
}

Status ExportFile::Write(std::string_view data) {
  while (!data.empty()) {
    ssize_t w = ::write(fd_, data.data(), data.size());
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return IoError("write", path_, w < 0 ? errno : EIO);
    data.remove_prefix(static_cast<size_t>(w));
  }
  return Status::Ok();
}

Status ExportFile::Commit() {
  if (::fsync(fd_) != 0) return IoError("write", path_, errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) return IoError("write", path_, errno);
  // rename replaces whatever name is at path_ (a symbolic link raced in included) and never
  // follows it.
  if (::rename(temp_.c_str(), path_.c_str()) != 0) return IoError("write", path_, errno);
  committed_ = true;
  return Status::Ok();
}

}  // namespace accord::client
