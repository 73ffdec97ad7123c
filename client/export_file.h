// `export --out FILE`: the export is written to a new 0600 file beside FILE and renamed onto
// it only when complete, so a partial export never looks complete and a symbolic link at FILE
// is never followed. Client only.
#ifndef ACCORD_CLIENT_EXPORT_FILE_H_
#define ACCORD_CLIENT_EXPORT_FILE_H_

#include <filesystem>
#include <string_view>

#include "base/result.h"

namespace accord::client {

class ExportFile {
 public:
  // kInvalidArgument if `path` is a symbolic link or exists as anything but a regular file;
  // kIo if the temporary file cannot be made. An existing regular file is replaced by Commit.
  static Result<ExportFile> Create(const std::filesystem::path& path);
  ExportFile(ExportFile&& o) noexcept;
  ExportFile(const ExportFile&) = delete;
  ExportFile& operator=(const ExportFile&) = delete;
  // Deletes the temporary file unless Commit succeeded.
  ~ExportFile();

  Status Write(std::string_view data);
  // Flushes to disk and renames the temporary file onto `path`.
  Status Commit();

 private:
  ExportFile(std::filesystem::path path, std::filesystem::path temp, int fd)
      : path_(std::move(path)), temp_(std::move(temp)), fd_(fd) {}
  std::filesystem::path path_;
  std::filesystem::path temp_;
  int fd_;
  bool committed_ = false;
};

}  // namespace accord::client

#endif  // ACCORD_CLIENT_EXPORT_FILE_H_
