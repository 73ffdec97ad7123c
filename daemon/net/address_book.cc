#include "daemon/net/address_book.h"

#include <algorithm>

#include "base/bytes.h"
#include "daemon/logging.h"

namespace accord::daemon {

namespace {

constexpr std::string_view kAddressPurpose = "accord/peer-address/v1";

}  // namespace

void AddressBook::Load() {
  Result<std::vector<store::Store::PeerRow>> rows = node_.store().Peers();
  if (!rows.ok()) return;
  for (const auto& row : *rows) {
    std::optional<std::string> plain = node_.OpenLocal(kAddressPurpose, row.sealed_address);
    // x25519 hex, then a space before each address (newest first; none for a device never
    // seen). Rows of one address, from before addresses were kept per device, read the same.
    if (!plain || plain->size() < 65 || (*plain)[64] != ' ') continue;
    std::optional<Bytes> x = FromHex(plain->substr(0, 64));
    if (!x || x->size() != 32) continue;
    DialTarget t;
    t.device = row.device;
    std::copy(x->begin(), x->end(), t.x25519.begin());
    pinned_[t.device] = t.x25519;
    node_.TrustDevice(t.device);
    std::vector<std::string>& list = remembered_[t.device];
    size_t at = 65;
    while (at < plain->size() && list.size() < kMaxAddressesPerDevice) {
      size_t end = std::min(plain->find(' ', at), plain->size());
      t.address = plain->substr(at, end - at);
      if (!t.address.empty()) {
        list.push_back(t.address);
        AddAddress(t);
      }
      at = end + 1;
    }
  }
}

void AddressBook::Pin(const log::DeviceKey& device, const crypto::DhPublicKey& x25519) {
  pinned_[device] = x25519;
  if (changed_) changed_();
}

bool AddressBook::Knows(const log::DeviceKey& device, const std::string& address) const {
  auto it = remembered_.find(device);
  return it != remembered_.end() &&
         std::find(it->second.begin(), it->second.end(), address) != it->second.end();
}

void AddressBook::Remember(const DialTarget& target) {
  std::vector<std::string>& list = remembered_[target.device];
  if (!target.address.empty()) {
    std::erase(list, target.address);
    list.insert(list.begin(), target.address);
    if (list.size() > kMaxAddressesPerDevice) list.resize(kMaxAddressesPerDevice);
  }
  std::string plain = ToHex(target.x25519) + " ";
  for (size_t i = 0; i < list.size(); ++i) plain += (i ? " " : "") + list[i];
  // A device known only by key (from a pairing bundle) was never seen: no "last seen".
  Status s = node_.RememberPeer(target.device, node_.SealLocal(kAddressPurpose, plain),
                                target.address.empty() ? 0 : node_.NowMs());
  if (!s.ok()) LogWarning("cannot remember a peer address: " + s.error().message);
  AddAddress(target);
  if (changed_) changed_();
}

void AddressBook::AddAddress(const DialTarget& target) {
  if (target.address.empty()) return;
  const bool known = std::any_of(addresses_.begin(), addresses_.end(), [&](const DialTarget& t) {
    return t.device == target.device && t.x25519 == target.x25519 && t.address == target.address;
  });
  if (!known) addresses_.push_back(target);
}

std::optional<log::DeviceKey> AddressBook::PinnedDevice(const crypto::DhPublicKey& x25519) const {
  for (const auto& [device, x] : pinned_)
    if (x == x25519) return device;
  return std::nullopt;
}

std::map<log::DeviceKey, int64_t> AddressBook::LastSeen() const {
  std::map<log::DeviceKey, int64_t> out;
  Result<std::vector<store::Store::PeerRow>> rows = node_.store().Peers();
  if (rows.ok()) {
    for (const auto& row : *rows) out[row.device] = row.last_seen_ms;
  }
  return out;
}

}  // namespace accord::daemon
