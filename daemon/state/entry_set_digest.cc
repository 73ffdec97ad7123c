#include "daemon/state/entry_set_digest.h"

#include <string_view>

#include "crypto/hash.h"

namespace accord::state {
namespace {

constexpr std::string_view kSetDomain = "accord/state-digest/v3";
constexpr std::string_view kEntryDomain = "accord/state-digest/v3/entry";
constexpr std::string_view kFreezeDomain = "accord/state-digest/v3/freeze";

Bytes Prefixed(std::string_view domain) {
  Bytes out;
  AppendLengthPrefixed(out, AsBytes(domain));
  return out;
}

}  // namespace

Hash32 EntrySetDigest::EntryItem(const log::EntryId& id) {
  Bytes in = Prefixed(kEntryDomain);
  AppendBytes(in, id);
  return crypto::Blake2b256(in);
}

Hash32 EntrySetDigest::FreezeItem(const log::DeviceKey& author, uint64_t from_seq) {
  Bytes in = Prefixed(kFreezeDomain);
  AppendBytes(in, author);
  AppendU64Be(in, from_seq);
  return crypto::Blake2b256(in);
}

// Byte i carries bits 8i..8i+7 of the 256-bit numbers; the carry out of the top is dropped.
void EntrySetDigest::Add(const Hash32& item) {
  unsigned carry = 0;
  for (size_t i = 0; i < sum_.size(); ++i) {
    const unsigned v = unsigned{sum_[i]} + unsigned{item[i]} + carry;
    sum_[i] = static_cast<uint8_t>(v);
    carry = v >> 8;
  }
  ++count_;
}

void EntrySetDigest::Remove(const Hash32& item) {
  unsigned borrow = 0;
  for (size_t i = 0; i < sum_.size(); ++i) {
    const unsigned subtrahend = unsigned{item[i]} + borrow;
    const unsigned minuend = sum_[i];
    sum_[i] = static_cast<uint8_t>(minuend - subtrahend);
    borrow = minuend < subtrahend ? 1 : 0;
  }
  --count_;
}

Hash32 EntrySetDigest::Final() const {
  Bytes in = Prefixed(kSetDomain);
  AppendBytes(in, sum_);
  AppendU64Be(in, count_);
  return crypto::Blake2b256(in);
}

}  // namespace accord::state
