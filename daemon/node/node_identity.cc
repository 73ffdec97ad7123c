// Node: the key file checked against the store at open (docs/identity.md). A damaged or
// wrong key file must never run as a new device next to an old log, and a missing one must
// never invite an `init` over a store that holds entries.
#include <string>

#include "daemon/node/node.h"
#include "daemon/node/node_keys.h"

namespace accord::daemon {

using node_internal::kMetaDeviceKey;

namespace {

std::string Short(ByteView key) { return ToHex(key).substr(0, 8); }

// What to do when the key file and the store disagree, or the key file is missing.
std::string WhatToDo(const InstancePaths& paths) {
  return "restore " + paths.key_file.native() +
         " from a backup (the same file, mode 0600) and start accordd again; to give this "
         "store up and begin as a new device, run `accordd --start-over` (it moves the old "
         "store aside, it deletes nothing). Do not run `accord init`";
}

}  // namespace

Status Node::CheckRecordedDeviceKey() {
  Result<std::optional<Bytes>> recorded = store_->GetMeta(kMetaDeviceKey);
  if (!recorded.ok()) return recorded.error();
  if (!*recorded) return Status::Ok();  // an older store: CheckIdentityAgainstStore derives it
  if (**recorded == Bytes(device_key_.begin(), device_key_.end())) return Status::Ok();
  return MakeError(ErrorCode::kCorrupt,
                   "the key file " + paths_.key_file.native() +
                       " is not this store's key: " + paths_.database.native() +
                       " belongs to device " + Short(**recorded) + ", the key file holds device " +
                       Short(device_key_) + " (a damaged or wrong key file); " + WhatToDo(paths_));
}

Status Node::CheckIdentityAgainstStore() {
  Result<std::optional<Bytes>> recorded = store_->GetMeta(kMetaDeviceKey);
  if (!recorded.ok()) return recorded.error();
  if (*recorded) return Status::Ok();  // checked by LoadIdentity
  // A store from before the device key was recorded: its log must prove this key is ours, by
  // a feed it authored or a control entry (MemberCreated, MemberAdded, DeviceAdded) naming it.
  const uint64_t entries = store_->CachedEntryCount();
  if (entries > 0 && store_->Heads().count(device_key_) == 0 &&
      named_devices_.count(device_key_) == 0) {
    return MakeError(ErrorCode::kCorrupt,
                     "the key file " + paths_.key_file.native() + " is not this store's key: " +
                         paths_.database.native() + " holds " + std::to_string(entries) +
                         " entries and none is by or names device " + Short(device_key_) +
                         " (a damaged or wrong key file); " + WhatToDo(paths_));
  }
  return RecordDeviceKey();
}

Status Node::RecordDeviceKey() { return store_->SetMeta(kMetaDeviceKey, device_key_); }

Status Node::CheckInitMayRun() {
  if (Status missing = CheckNoIdentityIsMissing(); !missing.ok()) {
    return MakeError(
        ErrorCode::kRefused,
        "accord init never overwrites a store that holds a log: " + missing.error().message);
  }
  return Status::Ok();
}

Status Node::CheckNoIdentityIsMissing() {
  Result<std::optional<Bytes>> recorded = store_->GetMeta(kMetaDeviceKey);
  if (!recorded.ok()) return recorded.error();
  const uint64_t entries = store_->CachedEntryCount();
  if (entries == 0 && !*recorded) return Status::Ok();  // a new store, or an interrupted init
  std::string whose = *recorded ? " of device " + Short(**recorded) : std::string();
  return MakeError(
      ErrorCode::kNotFound,
      "no key file at " + paths_.key_file.native() + ", but " + paths_.database.native() +
          " holds the log" + whose + " (" + std::to_string(entries) +
          " entries), which cannot be used or continued without it; " + WhatToDo(paths_));
}

}  // namespace accord::daemon
