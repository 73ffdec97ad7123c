#include "daemon/state/agreements.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace accord::state {
namespace {

// Versions in LWW order; a version's parent always precedes it.
std::vector<Version> CollectVersions(const log::EntryId& root, const AgreementEntries& entries,
                                     const Membership& membership,
                                     std::map<log::EntryId, size_t>& index_of) {
  std::vector<Version> versions;
  for (const auto& [key, e] : entries.proposals) {
    const auto who = membership.MemberOf(*e);
    if (!who) continue;
    const auto& p = std::get<Proposed>(e->kind);
    if (!p.agreement) {
      if (e->id != root || !versions.empty()) continue;
    } else {
      if (*p.agreement != root || !p.parent || index_of.count(*p.parent) == 0) continue;
    }
    Version v;
    v.by = AuthoredBy(*e, *who);
    v.parent = p.parent;
    v.text = p.text;
    v.schedule = p.schedule;
    v.review_every_ms = p.review_every_ms;
    if (p.parent) versions[index_of.at(*p.parent)].countered = true;
    index_of.emplace(e->id, versions.size());
    versions.push_back(std::move(v));
  }
  return versions;
}

// Each member's LWW-latest stance per version, the version itself being its author's
// acceptance.
void CollectStances(const AgreementEntries& entries, const Membership& membership,
                    const std::map<log::EntryId, size_t>& index_of,
                    std::vector<Version>& versions) {
  std::vector<std::map<MemberId, Stance>> stances(versions.size());
  for (size_t i = 0; i < versions.size(); ++i) {
    const Version& v = versions[i];
    stances[i].emplace(v.by.member, Stance{v.by.member, StanceKind::kAccepted, v.by, {}});
  }
  for (const auto& [key, e] : entries.stances) {
    const auto who = membership.MemberOf(*e);
    if (!who) continue;
    Stance s;
    s.member = *who;
    s.by = AuthoredBy(*e, *who);
    log::EntryId version;
    if (const auto* a = std::get_if<Accepted>(&e->kind)) {
      s.kind = StanceKind::kAccepted;
      version = a->version;
    } else {
      const auto& d = std::get<Declined>(e->kind);
      s.kind = StanceKind::kDeclined;
      s.note = d.note;
      version = d.version;
    }
    auto index = index_of.find(version);
    if (index == index_of.end()) continue;
    auto [it, inserted] = stances[index->second].emplace(*who, s);
    if (!inserted && KeyOf(it->second.by) < key) it->second = std::move(s);
  }
  for (size_t i = 0; i < versions.size(); ++i) {
    for (auto& [member, stance] : stances[i]) versions[i].stances.push_back(std::move(stance));
  }
}

void MarkActive(const Membership& membership, Version& v) {
  const std::vector<MemberId>& current = membership.current();
  if (current.empty()) return;  // nobody left to consent
  int64_t since = v.by.time_ms;
  for (const MemberId& m : current) {
    auto it = std::lower_bound(v.stances.begin(), v.stances.end(), m,
                               [](const Stance& s, const MemberId& id) { return s.member < id; });
    if (it == v.stances.end() || it->member != m || it->kind != StanceKind::kAccepted) return;
    since = std::max(since, it->by.time_ms);
  }
  v.active = true;
  v.active_since_ms = since;
}

}  // namespace

std::optional<Agreement> BuildAgreement(const log::EntryId& root, const AgreementEntries& entries,
                                        const Membership& membership) {
  std::map<log::EntryId, size_t> index_of;
  Agreement out;
  out.id = root;
  out.versions = CollectVersions(root, entries, membership, index_of);
  if (out.versions.empty()) return std::nullopt;
  CollectStances(entries, membership, index_of, out.versions);

  std::optional<size_t> latest;
  for (size_t i = 0; i < out.versions.size(); ++i) {
    MarkActive(membership, out.versions[i]);
    if (out.versions[i].active) latest = i;
  }
  if (latest) out.latest_active = out.versions[*latest].by.id;
  for (size_t i = latest ? *latest + 1 : 0; i < out.versions.size(); ++i) {
    const Version& v = out.versions[i];
    if (!v.countered && !v.active) out.pending.push_back(v.by.id);
  }
  for (const auto& [key, e] : entries.retirements) {
    if (const auto who = membership.MemberOf(*e)) {
      out.retirements.push_back(Retirement{AuthoredBy(*e, *who), std::get<Retired>(e->kind).note});
    }
  }
  for (const auto& [key, e] : entries.check_ins) {
    if (membership.MemberOf(*e)) out.check_ins.push_back(e->id);
  }
  if (!out.retirements.empty()) {
    out.status = AgreementStatus::kRetired;
  } else if (latest) {
    out.status = AgreementStatus::kActive;
  } else {
    out.status = AgreementStatus::kPending;
  }
  return out;
}

}  // namespace accord::state
