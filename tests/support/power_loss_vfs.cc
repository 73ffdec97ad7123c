#include "tests/support/power_loss_vfs.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <system_error>

namespace accord::testing {

namespace fs = std::filesystem;

const char* IoKindName(IoKind kind) {
  switch (kind) {
    case IoKind::kWrite:
      return "write";
    case IoKind::kTruncate:
      return "truncate";
    case IoKind::kSync:
      return "fsync";
    case IoKind::kDirSync:
      return "dir-fsync";
    case IoKind::kDelete:
      return "delete";
  }
  return "?";
}

const char* SurvivalName(Survival survival) {
  switch (survival) {
    case Survival::kSyncedOnly:
      return "synced-only";
    case Survival::kWrittenInOrder:
      return "written-in-order";
    case Survival::kTornWrite:
      return "written-in-order+torn";
    case Survival::kSyncedTornWrite:
      return "synced-only+torn";
  }
  return "?";
}

namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "power_loss_vfs: %s\n", what);
  std::abort();
}

// Applies one recorded write or truncate to a file's bytes.
void ApplyBytes(std::vector<uint8_t>& bytes, int64_t offset, const uint8_t* data, int64_t size) {
  const size_t end = static_cast<size_t>(offset + size);
  if (bytes.size() < end) bytes.resize(end, 0);
  std::copy(data, data + size, bytes.begin() + offset);
}

}  // namespace

// The SQLite side: one shim file in front of each real unix file.
struct PowerLossVfs::Impl {
  // The real file follows it in SQLite's allocation, which is 8-byte aligned.
  struct File {
    sqlite3_file base;
    int inode;  // -1: not a watched file
    char* rel;  // malloc'd; null when not watched
  };
  static_assert(sizeof(File) % 8 == 0, "the real file must stay 8-byte aligned");

  static PowerLossVfs* self;
  static sqlite3_vfs* real;
  static sqlite3_vfs shim;
  static sqlite3_io_methods methods;
  static int (*real_open_directory)(const char*, int*);

  static sqlite3_file* Real(sqlite3_file* f) {
    return reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + sizeof(File));
  }
  static File* Shim(sqlite3_file* f) { return reinterpret_cast<File*>(f); }
  static bool Watched(sqlite3_file* f) { return Shim(f)->inode >= 0; }

  static int Open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
    File* file = Shim(f);
    file->base.pMethods = nullptr;
    file->inode = -1;
    file->rel = nullptr;
    std::optional<std::string> rel = name ? self->Relative(name) : std::nullopt;
    if (rel && !self->powered_) return SQLITE_CANTOPEN;
    std::error_code ec;
    const bool existed = rel && fs::exists(name, ec);
    sqlite3_file* r = Real(f);
    int rc = real->xOpen(real, name, r, flags, out_flags);
    if (r->pMethods == nullptr) return rc;
    file->base.pMethods = &methods;
    if (rc != SQLITE_OK || !rel) return rc;
    std::vector<uint8_t> on_disk;
    sqlite3_int64 size = 0;
    if (r->pMethods->xFileSize(r, &size) == SQLITE_OK && size > 0) {
      on_disk.resize(static_cast<size_t>(size));
      if (r->pMethods->xRead(r, on_disk.data(), static_cast<int>(size), 0) != SQLITE_OK) {
        Die("cannot read a watched file at open");
      }
    }
    self->NoteOpen(*rel, on_disk, existed);
    file->inode = self->names_[*rel].current;
    file->rel = strdup(rel->c_str());
    return rc;
  }

  static int Delete(sqlite3_vfs*, const char* name, int dir_sync) {
    std::optional<std::string> rel = self->Relative(name);
    if (rel && !self->Delete(*rel)) return SQLITE_IOERR_DELETE;
    return real->xDelete(real, name, dir_sync);
  }

  // The unix VFS opens a file's directory only to fsync it (unixSync of a new journal or WAL,
  // unixDelete with dirSync): the moment the directory's names become durable.
  static int OpenDirectory(const char* file_in_dir, int* fd) {
    std::optional<std::string> rel = self->Relative(file_in_dir);
    if (rel) {
      // unixSync fsyncs the file itself before its directory.
      if (self->syncing_ >= 0) self->Synced(self->syncing_);
      const std::string dir = fs::path(*rel).parent_path().string();
      if (!self->DirSync(dir)) return SQLITE_CANTOPEN;  // unixSync carries on without it
    }
    return real_open_directory(file_in_dir, fd);
  }

  static int Close(sqlite3_file* f) {
    sqlite3_file* r = Real(f);
    int rc = r->pMethods->xClose(r);
    std::free(Shim(f)->rel);
    Shim(f)->rel = nullptr;
    return rc;
  }
  static int Read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
    sqlite3_file* r = Real(f);
    return r->pMethods->xRead(r, out, amount, offset);
  }
  static int Write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
    if (Watched(f) && !self->Write(Shim(f)->inode, Shim(f)->rel, offset, data, amount)) {
      return SQLITE_IOERR_WRITE;
    }
    sqlite3_file* r = Real(f);
    return r->pMethods->xWrite(r, data, amount, offset);
  }
  static int Truncate(sqlite3_file* f, sqlite3_int64 size) {
    if (Watched(f) && !self->Truncate(Shim(f)->inode, Shim(f)->rel, size)) {
      return SQLITE_IOERR_TRUNCATE;
    }
    sqlite3_file* r = Real(f);
    return r->pMethods->xTruncate(r, size);
  }
  static int Sync(sqlite3_file* f, int flags) {
    sqlite3_file* r = Real(f);
    if (!Watched(f)) return r->pMethods->xSync(r, flags);
    const int inode = Shim(f)->inode;
    if (!self->Event({IoKind::kSync, Shim(f)->rel, 0, 0})) return SQLITE_IOERR_FSYNC;
    self->syncing_ = inode;
    int rc = r->pMethods->xSync(r, flags);
    self->syncing_ = -1;
    if (!self->powered_) return SQLITE_IOERR_FSYNC;  // cut at its directory's fsync
    if (rc == SQLITE_OK) self->Synced(inode);
    return rc;
  }
  static int FileSize(sqlite3_file* f, sqlite3_int64* size) {
    sqlite3_file* r = Real(f);
    return r->pMethods->xFileSize(r, size);
  }
  static int Lock(sqlite3_file* f, int level) {
    sqlite3_file* r = Real(f);
    return r->pMethods->xLock(r, level);
  }
  static int Unlock(sqlite3_file* f, int level) {
    sqlite3_file* r = Real(f);
    return r->pMethods->xUnlock(r, level);
  }
  static int CheckReservedLock(sqlite3_file* f, int* out) {
    sqlite3_file* r = Real(f);
    return r->pMethods->xCheckReservedLock(r, out);
  }
  static int FileControl(sqlite3_file* f, int op, void* arg) {
    sqlite3_file* r = Real(f);
    return r->pMethods->xFileControl(r, op, arg);
  }
  static int SectorSize(sqlite3_file* f) {
    sqlite3_file* r = Real(f);
    return r->pMethods->xSectorSize(r);
  }
  static int DeviceCharacteristics(sqlite3_file* f) {
    sqlite3_file* r = Real(f);
    return r->pMethods->xDeviceCharacteristics(r);
  }
  static int ShmMap(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
    sqlite3_file* r = Real(f);
    return r->pMethods->xShmMap(r, page, size, extend, out);
  }
  static int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
    sqlite3_file* r = Real(f);
    return r->pMethods->xShmLock(r, offset, n, flags);
  }
  static void ShmBarrier(sqlite3_file* f) {
    sqlite3_file* r = Real(f);
    r->pMethods->xShmBarrier(r);
  }
  static int ShmUnmap(sqlite3_file* f, int delete_flag) {
    sqlite3_file* r = Real(f);
    return r->pMethods->xShmUnmap(r, delete_flag);
  }

  // The rest of the VFS is the real one's.
  static int Access(sqlite3_vfs*, const char* name, int flags, int* out) {
    return real->xAccess(real, name, flags, out);
  }
  static int FullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
    return real->xFullPathname(real, name, n, out);
  }
  static void* DlOpen(sqlite3_vfs*, const char* name) { return real->xDlOpen(real, name); }
  static void DlError(sqlite3_vfs*, int n, char* out) { real->xDlError(real, n, out); }
  static void (*DlSym(sqlite3_vfs*, void* h, const char* sym))(void) {
    return real->xDlSym(real, h, sym);
  }
  static void DlClose(sqlite3_vfs*, void* h) { real->xDlClose(real, h); }
  static int Randomness(sqlite3_vfs*, int n, char* out) { return real->xRandomness(real, n, out); }
  static int Sleep(sqlite3_vfs*, int us) { return real->xSleep(real, us); }
  static int CurrentTime(sqlite3_vfs*, double* out) { return real->xCurrentTime(real, out); }
  static int GetLastError(sqlite3_vfs*, int n, char* out) {
    return real->xGetLastError(real, n, out);
  }
  static int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) {
    return real->xCurrentTimeInt64(real, out);
  }
};

PowerLossVfs* PowerLossVfs::Impl::self = nullptr;
sqlite3_vfs* PowerLossVfs::Impl::real = nullptr;
sqlite3_vfs PowerLossVfs::Impl::shim = {};
sqlite3_io_methods PowerLossVfs::Impl::methods = {};
int (*PowerLossVfs::Impl::real_open_directory)(const char*, int*) = nullptr;

PowerLossVfs& PowerLossVfs::Install() {
  static PowerLossVfs* installed = [] {
    using I = Impl;
    I::real = sqlite3_vfs_find("unix");
    if (I::real == nullptr || I::real->iVersion < 3) Die("no unix VFS of version 3");
    I::self = new PowerLossVfs();
    I::methods = {};
    I::methods.iVersion = 2;  // shared memory, no xFetch: every read and write comes here
    I::methods.xClose = I::Close;
    I::methods.xRead = I::Read;
    I::methods.xWrite = I::Write;
    I::methods.xTruncate = I::Truncate;
    I::methods.xSync = I::Sync;
    I::methods.xFileSize = I::FileSize;
    I::methods.xLock = I::Lock;
    I::methods.xUnlock = I::Unlock;
    I::methods.xCheckReservedLock = I::CheckReservedLock;
    I::methods.xFileControl = I::FileControl;
    I::methods.xSectorSize = I::SectorSize;
    I::methods.xDeviceCharacteristics = I::DeviceCharacteristics;
    I::methods.xShmMap = I::ShmMap;
    I::methods.xShmLock = I::ShmLock;
    I::methods.xShmBarrier = I::ShmBarrier;
    I::methods.xShmUnmap = I::ShmUnmap;
    sqlite3_vfs& v = I::shim;
    v = {};
    v.iVersion = 2;
    v.szOsFile = static_cast<int>(sizeof(I::File)) + I::real->szOsFile;
    v.mxPathname = I::real->mxPathname;
    v.zName = "accord_power_loss";
    v.xOpen = I::Open;
    v.xDelete = I::Delete;
    v.xAccess = I::Access;
    v.xFullPathname = I::FullPathname;
    v.xDlOpen = I::DlOpen;
    v.xDlError = I::DlError;
    v.xDlSym = I::DlSym;
    v.xDlClose = I::DlClose;
    v.xRandomness = I::Randomness;
    v.xSleep = I::Sleep;
    v.xCurrentTime = I::CurrentTime;
    v.xGetLastError = I::GetLastError;
    v.xCurrentTimeInt64 = I::CurrentTimeInt64;
    I::real_open_directory = reinterpret_cast<int (*)(const char*, int*)>(
        I::real->xGetSystemCall(I::real, "openDirectory"));
    if (I::real_open_directory == nullptr ||
        I::real->xSetSystemCall(I::real, "openDirectory",
                                reinterpret_cast<sqlite3_syscall_ptr>(I::OpenDirectory)) !=
            SQLITE_OK) {
      Die("the unix VFS has no openDirectory system call to watch directory fsyncs");
    }
    if (sqlite3_vfs_register(&v, /*makeDflt=*/1) != SQLITE_OK) Die("cannot register the VFS");
    return I::self;
  }();
  return *installed;
}

void PowerLossVfs::Watch(const fs::path& dir, std::optional<size_t> cut_before) {
  dir_ = fs::weakly_canonical(fs::absolute(dir));
  cut_before_ = cut_before;
  powered_ = true;
  events_.clear();
  inodes_.clear();
  names_.clear();
  at_watch_.clear();
  images_.clear();
  syncing_ = -1;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(*dir_, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file()) at_watch_[fs::relative(it->path(), *dir_).string()] = true;
  }
}

void PowerLossVfs::StopWatching() {
  dir_.reset();
  cut_before_.reset();
  powered_ = true;
}

void PowerLossVfs::CutNow() {
  if (powered_) TakeImages(std::nullopt, -1);
}

std::optional<std::string> PowerLossVfs::Relative(const char* path) const {
  if (!dir_) return std::nullopt;
  const std::string prefix = dir_->string() + "/";
  const std::string p = path;
  if (p.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  return p.substr(prefix.size());
}

bool PowerLossVfs::Event(IoEvent event, const Op* write, int inode) {
  if (!powered_) return false;
  if (cut_before_ && events_.size() == *cut_before_) {
    TakeImages(write ? std::optional<Op>(*write) : std::nullopt, inode);
    return false;
  }
  events_.push_back(std::move(event));
  return true;
}

void PowerLossVfs::NoteOpen(const std::string& rel, const std::vector<uint8_t>& on_disk,
                            bool existed) {
  auto [it, first_sight] = names_.try_emplace(rel);
  Name& name = it->second;
  if (name.current >= 0 && existed) return;  // another handle on the same file
  // A new inode: created by this open, or (first sight, or deleted behind SQLite's back)
  // created outside SQLite.
  Inode inode;
  inode.current = on_disk;
  const bool durable = first_sight && existed && at_watch_.count(rel) != 0;
  if (durable) {
    inode.durable = on_disk;
  } else if (!on_disk.empty()) {
    inode.pending.push_back(Op{false, 0, on_disk});
  }
  inodes_.push_back(std::move(inode));
  name.current = static_cast<int>(inodes_.size()) - 1;
  if (durable) name.durable = name.current;
}

bool PowerLossVfs::Write(int inode, const std::string& rel, int64_t offset, const void* data,
                         int64_t size) {
  const auto* bytes = static_cast<const uint8_t*>(data);
  Op op{false, offset, std::vector<uint8_t>(bytes, bytes + size)};
  if (!Event({IoKind::kWrite, rel, offset, size}, &op, inode)) return false;
  ApplyBytes(inodes_[inode].current, offset, bytes, size);
  inodes_[inode].pending.push_back(std::move(op));
  return true;
}

bool PowerLossVfs::Truncate(int inode, const std::string& rel, int64_t size) {
  if (!Event({IoKind::kTruncate, rel, size, 0})) return false;
  inodes_[inode].current.resize(static_cast<size_t>(size), 0);
  inodes_[inode].pending.push_back(Op{true, size, {}});
  return true;
}

void PowerLossVfs::Synced(int inode) {
  inodes_[inode].durable = inodes_[inode].current;
  inodes_[inode].pending.clear();
}

bool PowerLossVfs::Delete(const std::string& rel) {
  if (!Event({IoKind::kDelete, rel, 0, 0})) return false;
  names_[rel].current = -1;
  return true;
}

bool PowerLossVfs::DirSync(const std::string& dir_rel) {
  if (!Event({IoKind::kDirSync, dir_rel, 0, 0})) return false;
  for (auto& [rel, name] : names_) {
    if (fs::path(rel).parent_path().string() == dir_rel) name.durable = name.current;
  }
  return true;
}

void PowerLossVfs::TakeImages(const std::optional<Op>& cut_write, int cut_inode) {
  images_.clear();
  for (Survival s : {Survival::kSyncedOnly, Survival::kWrittenInOrder, Survival::kTornWrite,
                     Survival::kSyncedTornWrite}) {
    const bool torn = s == Survival::kTornWrite || s == Survival::kSyncedTornWrite;
    if (torn && !cut_write) continue;
    images_[s] = ImageOf(s, cut_write, cut_inode);
  }
  powered_ = false;
}

DiskImage PowerLossVfs::ImageOf(Survival survival, const std::optional<Op>& cut_write,
                                int cut_inode) const {
  const bool unsynced = survival == Survival::kWrittenInOrder || survival == Survival::kTornWrite;
  const bool torn = survival == Survival::kTornWrite || survival == Survival::kSyncedTornWrite;
  DiskImage image;
  for (const auto& [rel, name] : names_) {
    if (name.durable < 0) {
      image[rel] = std::nullopt;
      continue;
    }
    const Inode& inode = inodes_[name.durable];
    std::vector<uint8_t> bytes = inode.durable;
    if (unsynced) {
      for (const Op& op : inode.pending) {
        if (op.truncate) {
          bytes.resize(static_cast<size_t>(op.offset), 0);
        } else {
          ApplyBytes(bytes, op.offset, op.data.data(), static_cast<int64_t>(op.data.size()));
        }
      }
    }
    if (torn && cut_write && cut_inode == name.durable) {
      // Every sector before the write's last lands; the last one only half.
      const int64_t size = static_cast<int64_t>(cut_write->data.size());
      const int64_t end = cut_write->offset + size;
      const int64_t last_sector =
          std::max(cut_write->offset, (end - 1) / kSectorBytes * kSectorBytes);
      const int64_t kept = (last_sector - cut_write->offset) + (end - last_sector) / 2;
      if (kept > 0) ApplyBytes(bytes, cut_write->offset, cut_write->data.data(), kept);
    }
    image[rel] = std::move(bytes);
  }
  return image;
}

void PowerLossVfs::ApplyImage(const DiskImage& image, const fs::path& dir) {
  std::error_code ec;
  for (const auto& [rel, bytes] : image) {
    const fs::path path = dir / rel;
    if (!bytes) {
      fs::remove(path, ec);
      continue;
    }
    const int fd = ::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) Die("cannot write an image file");
    size_t done = 0;
    while (done < bytes->size()) {
      const ssize_t n = ::write(fd, bytes->data() + done, bytes->size() - done);
      if (n <= 0) Die("cannot write an image file");
      done += static_cast<size_t>(n);
    }
    ::close(fd);
  }
  std::vector<fs::path> shm;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > 4 && name.compare(name.size() - 4, 4, "-shm") == 0) shm.push_back(it->path());
  }
  for (const fs::path& p : shm) fs::remove(p, ec);
}

}  // namespace accord::testing
