// A test-only SQLite VFS over the default unix one that models a disk losing power: it
// records every write, truncate, fsync, delete and directory fsync of the files under one
// watched directory, and at a chosen event "cuts the power". Test thread only; never linked
// into the daemon. Enumerating crash points over a workload is power_loss_run.h.
#ifndef ACCORD_TESTS_SUPPORT_POWER_LOSS_VFS_H_
#define ACCORD_TESTS_SUPPORT_POWER_LOSS_VFS_H_

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace accord::testing {

// The disk model. A file's bytes become durable at its fsync (xSync); its name (a create or a
// delete) at a fsync of its directory, which the unix VFS does inside the first xSync of a new
// journal or WAL, and in xDelete when asked (seen through its "openDirectory" system call).
// Until then a new file may vanish and a deleted one come back with its last synced bytes.
// Files and inodes are told apart, so a WAL deleted and created again is two inodes.
// The -shm file is not modelled (never synced; SQLite rebuilds it): a reboot removes it.

enum class IoKind { kWrite, kTruncate, kSync, kDirSync, kDelete };
const char* IoKindName(IoKind kind);

struct IoEvent {
  IoKind kind = IoKind::kWrite;
  std::string file;    // relative to the watched directory (a directory for kDirSync)
  int64_t offset = 0;  // kWrite: where; kTruncate: the new size
  int64_t size = 0;    // kWrite: bytes
  bool operator==(const IoEvent&) const = default;
};

// What survives the cut, besides every durable name and durable byte.
enum class Survival {
  kSyncedOnly,       // nothing unsynced reaches the disk
  kWrittenInOrder,   // every unsynced write issued before the cut reached the disk, in order
  kTornWrite,        // as kWrittenInOrder, and the write at the cut half-done (its last sector
                     // torn in the middle)
  kSyncedTornWrite,  // as kSyncedOnly, and the write at the cut half-done (alone)
};
const char* SurvivalName(Survival survival);

// Bytes of each watched file after a reboot, by path relative to the watched directory;
// nullopt: the file is not there.
using DiskImage = std::map<std::string, std::optional<std::vector<uint8_t>>>;

class PowerLossVfs {
 public:
  static constexpr int64_t kSectorBytes = 512;  // bytes; where a torn write is cut

  // Registers the shim as SQLite's default VFS (once per process) and returns it.
  static PowerLossVfs& Install();

  // Starts recording the files under `dir` afresh (forgetting everything before), power on.
  // Files already there count as durable. `cut_before` (an index into events()) arms the cut:
  // that event does not happen, and from then on every I/O to a watched file fails.
  void Watch(const std::filesystem::path& dir, std::optional<size_t> cut_before = std::nullopt);
  // Stops watching (no cut); files are left as they are.
  void StopWatching();
  // Cuts the power now if it is still on (a cut after the last event).
  void CutNow();

  bool powered() const { return powered_; }
  const std::vector<IoEvent>& events() const { return events_; }
  // The disk after the cut, one image per survival mode that applies (kTornWrite and
  // kSyncedTornWrite only when the cut fell on a write). REQUIRES: the power was cut.
  const std::map<Survival, DiskImage>& images() const { return images_; }

  // Writes `image` into `dir` (a copy of the watched directory): each file replaced or
  // removed, and every -shm removed.
  static void ApplyImage(const DiskImage& image, const std::filesystem::path& dir);

  // For the shim's own callbacks (power_loss_vfs.cc).
  struct Impl;

 private:
  PowerLossVfs() = default;
  friend struct Impl;

  struct Op {
    bool truncate = false;
    int64_t offset = 0;  // truncate: the new size
    std::vector<uint8_t> data;
  };
  struct Inode {
    std::vector<uint8_t> current;
    std::vector<uint8_t> durable;
    std::vector<Op> pending;  // since the last fsync, in order
  };
  struct Name {
    int current = -1;  // inode the directory entry points to now; -1: none
    int durable = -1;  // inode it points to on disk after a power loss; -1: none
  };

  // Each returns false when the power is (now) off: the operation must fail. An event that
  // is the cut takes the images first (with the bytes of a write cut half-way).
  bool Event(IoEvent event, const Op* write = nullptr, int inode = -1);
  std::optional<std::string> Relative(const char* path) const;
  // A watched file was opened: gives its name the inode the open found or created.
  void NoteOpen(const std::string& rel, const std::vector<uint8_t>& on_disk, bool existed);
  bool Write(int inode, const std::string& rel, int64_t offset, const void* data, int64_t size);
  bool Truncate(int inode, const std::string& rel, int64_t size);
  void Synced(int inode);
  bool Delete(const std::string& rel);
  bool DirSync(const std::string& dir_rel);
  void TakeImages(const std::optional<Op>& cut_write, int cut_inode);
  DiskImage ImageOf(Survival survival, const std::optional<Op>& cut_write, int cut_inode) const;

  std::optional<std::filesystem::path> dir_;
  std::optional<size_t> cut_before_;
  bool powered_ = true;
  std::vector<IoEvent> events_;
  std::vector<Inode> inodes_;
  std::map<std::string, Name> names_;
  std::map<std::string, bool> at_watch_;  // files present when watching began
  int syncing_ = -1;                      // inode whose xSync is under way
  std::map<Survival, DiskImage> images_;
};

}  // namespace accord::testing

#endif  // ACCORD_TESTS_SUPPORT_POWER_LOSS_VFS_H_
