#include "daemon/notify/happening.h"

#include <variant>

namespace accord::notify {

namespace {

const state::Member* MemberOfDevice(const std::vector<state::Member>& members,
                                    const log::DeviceKey& device) {
  for (const state::Member& m : members)
    for (const state::Device& d : m.devices)
      if (d.key == device) return &m;
  return nullptr;
}

const state::Version* FindVersion(const state::Live& state, const log::EntryId& version) {
  for (const state::Agreement& a : state.agreements)
    for (const state::Version& v : a.versions)
      if (v.by.id == version) return &v;
  return nullptr;
}

// The text an agreement shows: its latest active version's, else its newest version's.
std::string AgreementTextOf(const state::Live& state, const state::Agreement& agreement) {
  if (agreement.latest_active) {
    if (const state::Version* v = FindVersion(state, *agreement.latest_active)) return v->text;
  }
  return agreement.versions.empty() ? std::string() : agreement.versions.back().text;
}

}  // namespace

bool IsLive(int64_t authored_ms, int64_t now_ms) { return now_ms - authored_ms <= kLiveWindowMs; }

std::optional<Happening> HappeningOf(const state::Event& event,
                                     const std::vector<state::Member>& members,
                                     const state::MemberId& me) {
  if (event.scope != log::Scope::kShared) return std::nullopt;
  const state::Member* author = MemberOfDevice(members, event.author);
  if (author == nullptr || author->left || author->id == me) return std::nullopt;
  Happening h;
  h.who = author->id;
  h.name = author->name;
  h.authored_ms = event.time_ms;
  if (const auto* x = std::get_if<state::SpaceAsked>(&event.kind)) {
    h.topic = Topic::kSpaceAsked;
    h.text = x->message;
  } else if (const auto* x = std::get_if<state::Proposed>(&event.kind)) {
    h.topic = x->agreement ? Topic::kCountered : Topic::kProposed;
    h.text = x->text;
    h.about = x->agreement ? *x->agreement : event.id;
  } else if (const auto* x = std::get_if<state::Accepted>(&event.kind)) {
    h.topic = Topic::kAccepted;
    h.about = x->version;
  } else if (const auto* x = std::get_if<state::Retired>(&event.kind)) {
    h.topic = Topic::kRetired;
    h.text = x->note;
    h.about = x->agreement;
  } else {
    return std::nullopt;
  }
  return h;
}

Happening ReviewDue(const state::DueItem& item) {
  Happening h;
  h.topic = Topic::kReviewDue;
  h.authored_ms = item.due_ms;
  h.about = item.version;
  return h;
}

void AddAgreementText(Happening& h, const state::Live& state) {
  if (!h.about) return;
  switch (h.topic) {
    case Topic::kAccepted:
    case Topic::kReviewDue:
      if (const state::Version* v = FindVersion(state, *h.about)) h.text = v->text;
      return;
    case Topic::kRetired:
      if (const state::Agreement* a = state.FindAgreement(*h.about)) {
        std::string text = AgreementTextOf(state, *a);
        if (!h.text.empty()) text += (text.empty() ? "" : "\n") + h.text;
        h.text = std::move(text);
      }
      return;
    case Topic::kSpaceAsked:
    case Topic::kProposed:
    case Topic::kCountered:
      return;
  }
}

}  // namespace accord::notify
