// A fresh directory under $TMPDIR for one test, removed with everything in it at the end.
#ifndef ACCORD_TESTS_SUPPORT_TEMP_DIR_H_
#define ACCORD_TESTS_SUPPORT_TEMP_DIR_H_

#include <filesystem>

namespace accord::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace accord::testing

#endif  // ACCORD_TESTS_SUPPORT_TEMP_DIR_H_
