#include "daemon/peer/replay_guard.h"

namespace accord::peer {

bool ReplayGuard::Accept(const crypto::DhPublicKey& initiator, const Tai64n& timestamp) {
  auto [it, inserted] = latest_.try_emplace(initiator, timestamp);
  if (inserted) return true;
  // Byte order is time order for TAI64N, so std::array's lexicographic < is the comparison.
  if (!(it->second < timestamp)) return false;
  it->second = timestamp;
  return true;
}

}  // namespace accord::peer
