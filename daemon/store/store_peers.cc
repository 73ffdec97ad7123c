// Store: remembered peer addresses, and resetting the log for a device that joins a pact.
#include "daemon/store/store.h"

namespace accord::store {

Status Store::RememberPeer(const DeviceKey& device, std::string_view sealed_address,
                           int64_t seen_ms) {
  Transaction tx(*db_);
  ACCORD_RETURN_IF_ERROR(tx.status());
  Result<Query> del = db_->Prepare("DELETE FROM peers WHERE device_key = ?");
  if (!del.ok()) return del.error();
  del->Bind(1, device);
  ACCORD_RETURN_IF_ERROR(del->Run());
  Result<Query> ins =
      db_->Prepare("INSERT INTO peers (device_key, address, last_seen) VALUES (?, ?, ?)");
  if (!ins.ok()) return ins.error();
  ins->Bind(1, device).BindText(2, sealed_address).Bind(3, seen_ms);
  ACCORD_RETURN_IF_ERROR(ins->Run());
  return tx.Commit();
}

Result<std::vector<Store::PeerRow>> Store::Peers() const {
  Result<Query> q = db_->Prepare("SELECT device_key, address, last_seen FROM peers");
  if (!q.ok()) return q.error();
  std::vector<PeerRow> rows;
  while (true) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    PeerRow r;
    if (!q->Fixed(0, r.device)) continue;
    r.sealed_address = q->Text(1);
    r.last_seen_ms = q->Int64(2);
    rows.push_back(std::move(r));
  }
  return rows;
}

Status Store::ResetLog() {
  {
    Transaction tx(*db_);
    ACCORD_RETURN_IF_ERROR(tx.status());
    ACCORD_RETURN_IF_ERROR(db_->Exec(
        "DELETE FROM forks; DELETE FROM frozen; DELETE FROM erased; DELETE FROM entries;"));
    ACCORD_RETURN_IF_ERROR(tx.Commit());
  }
  heads_.clear();
  frozen_.clear();
  return Status::Ok();
}

}  // namespace accord::store
