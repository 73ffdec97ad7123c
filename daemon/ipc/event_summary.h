// One line per event for `accord watch` (and later the web page's event stream). Daemon
// thread; pure function of the event and the members after it was folded (only names are
// needed, so a watcher costs no view of the whole state per event).
#ifndef ACCORD_DAEMON_IPC_EVENT_SUMMARY_H_
#define ACCORD_DAEMON_IPC_EVENT_SUMMARY_H_

#include <vector>

#include "accord/ipc.pb.h"
#include "daemon/node/node.h"
#include "daemon/state/events.h"
#include "daemon/state/state.h"

namespace accord::daemon {

proto::Event SummarizeEvent(const state::Event& event, const std::vector<state::Member>& members);
// "damaged" or "repaired": an entry found damaged, or repaired from a peer's intact copy.
proto::Event SummarizeIntegrity(const Node::IntegrityNotice& notice, int64_t now_ms);

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_IPC_EVENT_SUMMARY_H_
