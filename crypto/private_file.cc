#include "crypto/private_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "crypto/random.h"

namespace accord::crypto {

namespace {

namespace fs = std::filesystem;

std::string ModeString(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

Error IoError(const std::string& what, const fs::path& p, int err) {
  return MakeError(ErrorCode::kIo, what + " " + p.string() + ": " + std::strerror(err));
}

// Closes on destruction; this code has many early returns.
class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }
  // Returns close()'s result: for a written file a failed close can mean lost data.
  int Close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

fs::path DirOf(const fs::path& path) {
  fs::path dir = path.parent_path();
  return dir.empty() ? fs::path(".") : dir;
}

std::string OwnerMismatch(const fs::path& p, uid_t uid) {
  return p.string() + " is owned by uid " + std::to_string(uid) + ", not by you (uid " +
         std::to_string(geteuid()) + "); run accord as its owner, or chown it to yourself";
}

Status CheckDirStat(const struct stat& st, const fs::path& dir) {
  if (S_ISLNK(st.st_mode)) {
    return MakeError(ErrorCode::kInsecureFile,
                     "directory " + dir.string() +
                         " is a symbolic link; point accord at the real directory instead");
  }
  if (!S_ISDIR(st.st_mode)) {
    return MakeError(ErrorCode::kInsecureFile,
                     dir.string() + " is not a directory; move it out of the way");
  }
  if (st.st_uid != geteuid()) {
    return MakeError(ErrorCode::kInsecureFile, "directory " + OwnerMismatch(dir, st.st_uid));
  }
  if ((st.st_mode & 077) != 0) {
    return MakeError(ErrorCode::kInsecureFile,
                     "directory " + dir.string() + " is accessible by other users (mode " +
                         ModeString(st.st_mode) + "); run chmod 700 " + dir.string());
  }
  return Status::Ok();
}

Status CheckFileStat(const struct stat& st, const fs::path& path) {
  if (S_ISLNK(st.st_mode)) {
    return MakeError(ErrorCode::kInsecureFile,
                     path.string() + " is a symbolic link; replace the link with the file itself");
  }
  if (!S_ISREG(st.st_mode)) {
    return MakeError(ErrorCode::kInsecureFile,
                     path.string() + " is not a regular file; move it out of the way");
  }
  if (st.st_uid != geteuid()) {
    return MakeError(ErrorCode::kInsecureFile, OwnerMismatch(path, st.st_uid));
  }
  if ((st.st_mode & 077) != 0) {
    return MakeError(ErrorCode::kInsecureFile,
                     path.string() + " is accessible by other users (mode " +
                         ModeString(st.st_mode) + "); run chmod 600 " + path.string());
  }
  return Status::Ok();
}

// Checks an existing directory; kNotFound if it does not exist.
Status CheckExistingDir(const fs::path& dir) {
  struct stat st;
  if (::lstat(dir.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return MakeError(ErrorCode::kNotFound, "directory " + dir.string() + " does not exist");
    }
    return IoError("cannot inspect directory", dir, errno);
  }
  return CheckDirStat(st, dir);
}

// mkdir -p with mode 0700 for every directory it creates (as XDG asks for its own dirs).
Status MakeDirs(const fs::path& dir) {
  if (::mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST) return Status::Ok();
  if (errno != ENOENT) return IoError("cannot create directory", dir, errno);
  const fs::path parent = dir.parent_path();
  if (parent.empty() || parent == dir) return IoError("cannot create directory", dir, ENOENT);
  ACCORD_RETURN_IF_ERROR(MakeDirs(parent));
  if (::mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST) return Status::Ok();
  return IoError("cannot create directory", dir, errno);
}

Status WriteAll(int fd, ByteView data, const fs::path& path) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot write", path, errno);
    }
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status SyncDir(const fs::path& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return IoError("cannot open directory to sync it", dir, errno);
  if (::fsync(fd.get()) != 0) return IoError("cannot sync directory", dir, errno);
  return Status::Ok();
}

Error Exists(const fs::path& path) {
  return MakeError(ErrorCode::kAlreadyExists,
                   path.string() +
                       " already exists and was left untouched; move it away "
                       "first only if you mean to replace it");
}

// Moves `tmp` to `path` unless `path` exists.
Status RenameNoReplace(const fs::path& tmp, const fs::path& path) {
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) == 0) {
    return Status::Ok();
  }
  if (errno == EEXIST) return Exists(path);
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
    return IoError("cannot move the new file into place at", path, errno);
  }
  // The file system lacks RENAME_NOREPLACE: check, then rename. The race left is only
  // against our own uid, since the directory is 0700.
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0) return Exists(path);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return IoError("cannot move the new file into place at", path, errno);
  }
  return Status::Ok();
}

}  // namespace

Status EnsurePrivateDir(const fs::path& dir) {
  struct stat st;
  if (::lstat(dir.c_str(), &st) == 0) return CheckDirStat(st, dir);
  if (errno != ENOENT) return IoError("cannot inspect directory", dir, errno);

  ACCORD_RETURN_IF_ERROR(MakeDirs(dir));
  // mkdir's mode is filtered by the umask; set it on the directory actually opened (never
  // through a symlink), then verify like any existing directory.
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ELOOP || errno == ENOTDIR) return CheckExistingDir(dir);
    return IoError("cannot open new directory", dir, errno);
  }
  if (::fstat(fd.get(), &st) != 0) return IoError("cannot inspect directory", dir, errno);
  if (st.st_uid == geteuid() && ::fchmod(fd.get(), 0700) != 0) {
    return IoError("cannot chmod directory", dir, errno);
  }
  return CheckExistingDir(dir);
}

Status WriteNewPrivateFile(const fs::path& path, ByteView data) {
  const fs::path dir = DirOf(path);
  ACCORD_RETURN_IF_ERROR(EnsurePrivateDir(dir));
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0) return Exists(path);
  if (errno != ENOENT) return IoError("cannot inspect", path, errno);

  const fs::path tmp = dir / ("." + path.filename().string() + ".tmp-" + ToHex(RandomFixed<8>()));
  UniqueFd fd(::open(tmp.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (fd.get() < 0) return IoError("cannot create temporary file", tmp, errno);
  auto fail = [&tmp](Error error) -> Status {
    ::unlink(tmp.c_str());
    return error;
  };
  // The open mode is filtered by the umask; set it explicitly so the result never depends
  // on the caller's umask.
  if (::fchmod(fd.get(), 0600) != 0) return fail(IoError("cannot chmod", tmp, errno));
  if (Status s = WriteAll(fd.get(), data, tmp); !s.ok()) return fail(s.error());
  if (::fsync(fd.get()) != 0) return fail(IoError("cannot sync", tmp, errno));
  if (fd.Close() != 0) return fail(IoError("cannot close", tmp, errno));
  if (Status s = RenameNoReplace(tmp, path); !s.ok()) return fail(s.error());
  // The new name is durable only once the directory is synced.
  return SyncDir(dir);
}

Result<size_t> RemoveInterruptedWrites(const fs::path& path) {
  const fs::path dir = DirOf(path);
  const std::string prefix = "." + path.filename().string() + ".tmp-";
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec == std::errc::no_such_file_or_directory) return size_t{0};
  if (ec) return IoError("cannot list", dir, ec.value());
  size_t removed = 0;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return IoError("cannot list", dir, ec.value());
    const std::string name = it->path().filename().string();
    if (name.size() != prefix.size() + 16 || !name.starts_with(prefix)) continue;
    if (!std::all_of(name.begin() + prefix.size(), name.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); })) {
      continue;
    }
    struct stat st;
    if (::lstat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (::unlink(it->path().c_str()) != 0) return IoError("cannot remove", it->path(), errno);
    ++removed;
  }
  if (removed > 0) ACCORD_RETURN_IF_ERROR(SyncDir(dir));
  return removed;
}

Result<size_t> ReadPrivateFile(const fs::path& path, std::span<uint8_t> out) {
  ACCORD_RETURN_IF_ERROR(CheckExistingDir(DirOf(path)));
  struct stat before;
  if (::lstat(path.c_str(), &before) != 0) {
    if (errno == ENOENT) {
      return MakeError(ErrorCode::kNotFound, path.string() + " does not exist");
    }
    return IoError("cannot inspect", path, errno);
  }
  ACCORD_RETURN_IF_ERROR(CheckFileStat(before, path));

  // O_NONBLOCK: if the path were swapped for a FIFO after lstat, open must not hang.
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) {
    if (errno == ELOOP) {
      return MakeError(ErrorCode::kInsecureFile,
                       path.string() + " became a symbolic link while being opened; refusing it");
    }
    if (errno == ENOENT) return MakeError(ErrorCode::kNotFound, path.string() + " vanished");
    return IoError("cannot open", path, errno);
  }
  // Check what was actually opened, not what the path named a moment ago.
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return IoError("cannot inspect", path, errno);
  ACCORD_RETURN_IF_ERROR(CheckFileStat(st, path));
  if (st.st_dev != before.st_dev || st.st_ino != before.st_ino) {
    return MakeError(ErrorCode::kInsecureFile,
                     path.string() + " was replaced while being opened; try again");
  }
  const auto too_large = [&path] {
    return MakeError(ErrorCode::kCorrupt, path.string() + " is too large to be what accord wrote");
  };
  if (st.st_size < 0 || static_cast<uint64_t>(st.st_size) > out.size()) return too_large();

  size_t size = 0;
  for (;;) {
    // With `out` full, a one-byte probe tells whether the file grew after fstat.
    uint8_t probe;
    uint8_t* dst = size < out.size() ? out.data() + size : &probe;
    const size_t want = size < out.size() ? out.size() - size : 1;
    const ssize_t n = ::read(fd.get(), dst, want);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot read", path, errno);
    }
    if (n == 0) break;
    if (dst == &probe) return too_large();
    size += static_cast<size_t>(n);
  }
  return size;
}

}  // namespace accord::crypto
