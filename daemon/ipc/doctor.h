// `accord doctor` (SPEC §6): checks of this machine's set-up and of the path to each partner
// device, each ok, a warning or a failure with the command that fixes it. Daemon thread; the
// probes of remembered addresses are asynchronous and bounded. Rendering is the client's.
#ifndef ACCORD_DAEMON_IPC_DOCTOR_H_
#define ACCORD_DAEMON_IPC_DOCTOR_H_

#include <asio.hpp>
#include <chrono>
#include <functional>

#include "accord/ipc.pb.h"
#include "daemon/net/peer_manager.h"
#include "daemon/node/node.h"

namespace accord::daemon {

constexpr std::chrono::minutes kBeaconsRecent{2};         // beacons heard longer ago: a failure
constexpr std::chrono::milliseconds kProbeTimeout{2000};  // per remembered address
constexpr std::chrono::seconds kSkewWarning{30};          // clocks further apart: a warning
constexpr std::chrono::minutes kSkewFailure{5};           // beacons die at 10 min: fail well before

// Runs every check and calls `done` once, on the daemon thread, within about kProbeTimeout.
void RunDoctor(Node& node, PeerManager& peers, std::function<void(proto::DoctorResponse)> done);

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_IPC_DOCTOR_H_
