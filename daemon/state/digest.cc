#include "daemon/state/digest.h"

#include <string_view>

#include "crypto/hash.h"

// Canonical encoding, version 2 (also docs/state-digest.md). Integers are big-endian;
// i64 values are their two's complement as u64. lp(x) = u32 length + bytes. Lists are a u32
// count, then the items in the order State keeps them (LWW order of entries; members,
// devices and stances by key; frozen authors by device). An optional is u8 0, or u8 1 and
// the value. Every section starts with lp(its name).
//
//   digest   = BLAKE2b-256( lp("accord/state-digest/v2") members needs boundaries agreements
//                           check_ins space_requests appreciations frozen )
//   authored = id[32] member[32] device[32] u64 lamport i64 time_ms
//   withdrawn = opt(authored lp(note))
//   members  = lp("members") list of: id[32] lp(name) added_by[32] u8 left
//              list of device: key[32] x25519[32] lp(name) added_by[32] u8 removed
//   needs    = lp("needs") list of: authored lp(text) withdrawn
//   boundaries = lp("boundaries") list of: authored lp(text) u8 during_space withdrawn
//   agreements = lp("agreements") list of: id[32] u8 status opt(latest_active[32])
//              list of pending[32] list of version list of retirement list of check_in id[32]
//     version    = authored opt(parent[32]) lp(text) opt(schedule) i64 review_every_ms
//                  u8 countered u8 active i64 active_since_ms list of stance
//     schedule   = lp(spec) lp(time_zone) u32 weekdays u32 start_minute u32 end_minute
//                  u32 every_weeks i64 anchor_day
//     stance     = member[32] u8 kind authored lp(note)
//     retirement = authored lp(note)
//   check_ins = lp("check_ins") list of: authored u32 feeling lp(note) opt(agreement[32])
//              withdrawn
//   space_requests = lp("space_requests") list of: authored i64 start_ms i64 duration_ms
//              i64 end_ms opt(ended_by[32]) lp(message) list of ack: authored lp(note)
//              withdrawn
//   appreciations = lp("appreciations") list of: authored lp(text) withdrawn
//   frozen   = lp("frozen") list of: device[32] u64 from_seq
//
// Left out on purpose: reflections (private to one member's devices, so two members' devices
// would never agree) and anything that depends on the current time (due, in space now).

namespace accord::state {
namespace {

constexpr std::string_view kDomain = "accord/state-digest/v2";
constexpr size_t kFlushBytes = 64 * 1024;  // bytes buffered before hashing

class Encoder {
 public:
  void U8(uint8_t v) { AppendU8(buf_, v); }
  void U32(uint32_t v) { AppendU32Be(buf_, v); }
  void U64(uint64_t v) { AppendU64Be(buf_, v); }
  void I64(int64_t v) { U64(static_cast<uint64_t>(v)); }
  void Bool(bool v) { U8(v ? 1 : 0); }
  void Fixed(const FixedBytes<32>& b) { AppendBytes(buf_, b); }
  void Lp(std::string_view s) { AppendLengthPrefixed(buf_, AsBytes(s)); }
  void Count(size_t n) { U32(static_cast<uint32_t>(n)); }
  void OptFixed(const std::optional<FixedBytes<32>>& b) {
    Bool(b.has_value());
    if (b) Fixed(*b);
  }
  void Entry(const Authored& by) {
    Fixed(by.id);
    Fixed(by.member);
    Fixed(by.device);
    U64(by.lamport);
    I64(by.time_ms);
    MaybeFlush();
  }
  void Withdrawn(const std::optional<Withdrawal>& w) {
    Bool(w.has_value());
    if (!w) return;
    Entry(w->by);
    Lp(w->note);
  }
  template <typename T, typename Fn>
  void List(std::string_view section, const std::vector<T>& items, Fn&& fn) {
    if (!section.empty()) Lp(section);
    Count(items.size());
    for (const T& item : items) fn(item);
  }
  Hash32 Finish() {
    hasher_.Update(buf_);
    return hasher_.Final();
  }

 private:
  void MaybeFlush() {
    if (buf_.size() < kFlushBytes) return;
    hasher_.Update(buf_);
    buf_.clear();
  }
  Bytes buf_;
  crypto::Blake2b256Hasher hasher_;
};

void EncodeVersion(Encoder& enc, const Version& v) {
  enc.Entry(v.by);
  enc.OptFixed(v.parent);
  enc.Lp(v.text);
  enc.Bool(v.schedule.has_value());
  if (v.schedule) {
    enc.Lp(v.schedule->spec);
    enc.Lp(v.schedule->time_zone);
    enc.U32(v.schedule->weekdays);
    enc.U32(v.schedule->start_minute);
    enc.U32(v.schedule->end_minute);
    enc.U32(v.schedule->every_weeks);
    enc.I64(v.schedule->anchor_day);
  }
  enc.I64(v.review_every_ms);
  enc.Bool(v.countered);
  enc.Bool(v.active);
  enc.I64(v.active_since_ms);
  enc.List("", v.stances, [&](const Stance& s) {
    enc.Fixed(s.member);
    enc.U8(static_cast<uint8_t>(s.kind));
    enc.Entry(s.by);
    enc.Lp(s.note);
  });
}

void EncodeAgreement(Encoder& enc, const Agreement& a) {
  enc.Fixed(a.id);
  enc.U8(static_cast<uint8_t>(a.status));
  enc.OptFixed(a.latest_active);
  enc.List("", a.pending, [&](const log::EntryId& id) { enc.Fixed(id); });
  enc.List("", a.versions, [&](const Version& v) { EncodeVersion(enc, v); });
  enc.List("", a.retirements, [&](const Retirement& r) {
    enc.Entry(r.by);
    enc.Lp(r.note);
  });
  enc.List("", a.check_ins, [&](const log::EntryId& id) { enc.Fixed(id); });
}

}  // namespace

Hash32 StateDigest(const State& s) {
  Encoder enc;
  enc.Lp(kDomain);
  enc.List("members", s.members, [&](const Member& m) {
    enc.Fixed(m.id);
    enc.Lp(m.name);
    enc.Fixed(m.added_by);
    enc.Bool(m.left);
    enc.List("", m.devices, [&](const Device& d) {
      enc.Fixed(d.key);
      enc.Fixed(d.x25519);
      enc.Lp(d.name);
      enc.Fixed(d.added_by);
      enc.Bool(d.removed);
    });
  });
  enc.List("needs", s.needs, [&](const Need& n) {
    enc.Entry(n.by);
    enc.Lp(n.text);
    enc.Withdrawn(n.withdrawn);
  });
  enc.List("boundaries", s.boundaries, [&](const Boundary& b) {
    enc.Entry(b.by);
    enc.Lp(b.text);
    enc.Bool(b.during_space);
    enc.Withdrawn(b.withdrawn);
  });
  enc.List("agreements", s.agreements, [&](const Agreement& a) { EncodeAgreement(enc, a); });
  enc.List("check_ins", s.check_ins, [&](const CheckIn& c) {
    enc.Entry(c.by);
    enc.U32(c.feeling);
    enc.Lp(c.note);
    enc.OptFixed(c.agreement);
    enc.Withdrawn(c.withdrawn);
  });
  enc.List("space_requests", s.space_requests, [&](const SpaceRequest& r) {
    enc.Entry(r.by);
    enc.I64(r.start_ms);
    enc.I64(r.duration_ms);
    enc.I64(r.end_ms);
    enc.OptFixed(r.ended_by);
    enc.Lp(r.message);
    enc.List("", r.acks, [&](const SpaceAck& a) {
      enc.Entry(a.by);
      enc.Lp(a.note);
    });
    enc.Withdrawn(r.withdrawn);
  });
  enc.List("appreciations", s.appreciations, [&](const Appreciation& a) {
    enc.Entry(a.by);
    enc.Lp(a.text);
    enc.Withdrawn(a.withdrawn);
  });
  enc.List("frozen", s.frozen, [&](const FrozenAuthor& f) {
    enc.Fixed(f.device);
    enc.U64(f.from_seq);
  });
  return enc.Finish();
}

}  // namespace accord::state
