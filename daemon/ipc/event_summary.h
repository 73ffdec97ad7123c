// One line per event for `accord watch` (and later the web page's event stream). Daemon
// thread; pure function of the event and the members after it was folded (only names are
// needed, so a watcher costs no view of the whole state per event).
#ifndef ACCORD_DAEMON_IPC_EVENT_SUMMARY_H_
#define ACCORD_DAEMON_IPC_EVENT_SUMMARY_H_

#include <vector>

#include "accord/ipc.pb.h"
#include "daemon/state/events.h"
#include "daemon/state/state.h"

namespace accord::daemon {

proto::Event SummarizeEvent(const state::Event& event, const std::vector<state::Member>& members);

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_IPC_EVENT_SUMMARY_H_
