// What each IPC request means: one dispatch over the request's command, one handler per
// command turning it into reads of the folded state or one domain event written through the
// Node. Daemon thread only. What the state refuses lives in state/rules.h, not here.
#ifndef ACCORD_DAEMON_IPC_HANDLERS_H_
#define ACCORD_DAEMON_IPC_HANDLERS_H_

#include <memory>
#include <string>
#include <vector>

#include "accord/ipc.pb.h"
#include "daemon/ipc/catch_up_lines.h"
#include "daemon/ipc/ipc_server.h"
#include "daemon/node/node.h"

namespace accord::daemon {

class PeerManager;

class Handlers final : public Dispatcher {
 public:
  // `peers` may be null (no networking, e.g. in tests of the local socket alone).
  Handlers(Node& node, PeerManager* peers);
  // The one dispatch: a switch over every command (no default, so -Wswitch names a new one).
  void Handle(const proto::Request& request, const std::shared_ptr<IpcSession>& session) override;

 private:
  static void Reply(const std::shared_ptr<IpcSession>& session, Result<proto::Response> answer);
  // This machine's name: the default name of a device (init, join without --name).
  static std::string Hostname();
  Result<proto::Response> Init(const proto::InitRequest& r);
  Result<proto::Response> Status();
  // Needs, boundaries, appreciations and reflections: `what` names the text in errors; needs
  // and boundaries get the I-statement hint.
  Result<proto::Response> WriteNote(state::UserKind note, const std::string& text, const char* what,
                                    bool hint);
  Result<proto::Response> ListNotes(const proto::ListNotesRequest& r);
  Result<proto::Response> Propose(const proto::ProposeRequest& r);
  Result<proto::Response> Counter(const proto::CounterRequest& r);
  Result<proto::Response> AgreementAction(const proto::AgreementActionRequest& r);
  Result<proto::Response> ListAgreements(const proto::ListAgreementsRequest& r);
  Result<proto::Response> Show(const proto::ShowRequest& r);
  Result<proto::Response> AskSpace(const proto::AskSpaceRequest& r);
  Result<proto::Response> AckSpace(const proto::AckSpaceRequest& r);
  Result<proto::Response> Back();
  Result<proto::Response> Space();
  Result<proto::Response> CheckIn(const proto::CheckInRequest& r);
  Result<proto::Response> ListCheckIns(const proto::ListCheckInsRequest& r);
  Result<proto::Response> Due();
  void Log(const proto::LogRequest& r, const std::shared_ptr<IpcSession>& session);
  void Export(const proto::ExportRequest& r, const std::shared_ptr<IpcSession>& session);
  Result<proto::Response> Peers();
  void Invite(const proto::InviteRequest& r, const std::shared_ptr<IpcSession>& session);
  void Join(const proto::JoinRequest& r, const std::shared_ptr<IpcSession>& session);
  // `accord devices` (device_handlers.cc): my member's devices.
  Result<proto::Response> Devices();
  // `accord retract` (retract_handler.cc): withdraw one of my items.
  Result<proto::Response> Retract(const proto::RetractRequest& r);
  // `accord safety-number` (safety_number_handler.cc): one per other current member.
  Result<proto::Response> SafetyNumbers();

  Result<proto::Response> Written(Result<log::EntryId> id, const std::string& text);
  // watch_handlers.cc: the event stream.
  void ListenForWatchers();
  void OnEvent(const state::Event& event);
  void OnIntegrity(const Node::IntegrityNotice& notice);
  void SendToWatchers(const proto::Response& out);

  Node& node_;
  PeerManager* peers_;
  std::vector<std::weak_ptr<IpcSession>> watchers_;
  CatchUpLines catch_up_;  // watch's progress lines for large catch-ups
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_IPC_HANDLERS_H_
