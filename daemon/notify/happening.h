// What in the log is worth a desktop notification (SPEC §7): a partner's space request,
// proposal or counter, acceptance or retirement, and a review that became due. Pure: the
// members and "who am I" come in as arguments. Any thread. The words shown are compose.h's.
#ifndef ACCORD_DAEMON_NOTIFY_HAPPENING_H_
#define ACCORD_DAEMON_NOTIFY_HAPPENING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "daemon/state/due.h"
#include "daemon/state/events.h"
#include "daemon/state/state.h"

namespace accord::notify {

enum class Topic { kSpaceAsked, kProposed, kCountered, kAccepted, kRetired, kReviewDue };

// An entry (or a review) to tell the user about, before any text is chosen for it.
struct Happening {
  Topic topic = Topic::kSpaceAsked;
  state::MemberId who{};  // the partner who wrote it; zero for kReviewDue
  std::string name;       // the partner's display name as received (not yet sanitised)
  // The partner's words: the space message, the proposal's text, the retirement's note, the
  // agreement's text (filled by AddAgreementText for an acceptance or a due review). Shown
  // only in full mode.
  std::string text;
  int64_t authored_ms = 0;  // the entry's time (the author's clock); due time for a review
  std::optional<log::EntryId> about;  // the agreement version (kAccepted) or agreement (others)
  friend bool operator==(const Happening&, const Happening&) = default;
};

// ms: an entry authored longer ago than this is history (an initial sync, a partner's
// backlog after days offline) and is never told; entries arrive once, so this is the only
// filter that start-up and syncs need. Partner clocks ahead of ours pass.
constexpr int64_t kLiveWindowMs = 10 * 60 * 1000;

bool IsLive(int64_t authored_ms, int64_t now_ms);

// The happening `event` is, if it is one: a notifying kind, written by a current member who
// is not `me` (so never one's own writes or one's own other devices), an entry of
// `members`' devices. Says nothing about liveness (IsLive) or the text of an acceptance.
std::optional<Happening> HappeningOf(const state::Event& event,
                                     const std::vector<state::Member>& members,
                                     const state::MemberId& me);

// A review that became due (review_watch.h), as a happening about its agreement.
Happening ReviewDue(const state::DueItem& item);

// Fills `text` for an acceptance (the accepted version's text), a due review (the latest
// active version's text) and a retirement (the agreement's text, then its note).
void AddAgreementText(Happening& happening, const state::Live& state);

}  // namespace accord::notify

#endif  // ACCORD_DAEMON_NOTIFY_HAPPENING_H_
