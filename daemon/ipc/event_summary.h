// One line per event for `accord watch` (and later the web page's event stream). Daemon
// thread; pure function of the event and the state it was folded into.
#ifndef ACCORD_DAEMON_IPC_EVENT_SUMMARY_H_
#define ACCORD_DAEMON_IPC_EVENT_SUMMARY_H_

#include "accord/ipc.pb.h"
#include "daemon/state/events.h"
#include "daemon/state/state.h"

namespace accord::daemon {

proto::Event SummarizeEvent(const state::Event& event, const state::State& state);

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_IPC_EVENT_SUMMARY_H_
