#include "daemon/ipc/handlers.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>

#include "base/text.h"
#include "daemon/export/export.h"
#include "daemon/ipc/doctor.h"
#include "daemon/ipc/log_stream.h"
#include "daemon/ipc/page.h"
#include "daemon/ipc/resolve.h"
#include "daemon/ipc/views.h"
#include "daemon/logging.h"
#include "daemon/net/peer_manager.h"
#include "daemon/state/due.h"

namespace accord::daemon {

namespace {

constexpr size_t kMaxTextBytes = 4000;          // bytes per user text; entries must fit one frame
constexpr size_t kExportChunkBytes = 1u << 20;  // bytes of export content per response frame

// Gentle guidance, never blocking (SPEC §6).
std::string IStatementHint(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::string word;
  while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) {
    word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(text[i++]))));
  }
  if (word != "you" && word != "your") return "";
  return "this starts with \"You\"; saying it as an I-statement (\"I need ...\", \"I feel ...\") "
         "often lands more gently";
}

Status CheckText(const std::string& text, const char* what) {
  if (text.empty()) return MakeError(ErrorCode::kInvalidArgument, std::string(what) + " is empty");
  ACCORD_RETURN_IF_ERROR(CheckUserText(text, what));
  if (text.size() > kMaxTextBytes) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(what) + " is longer than " +
                                                      std::to_string(kMaxTextBytes) + " bytes");
  }
  return Status::Ok();
}

// Every command but the first one (init), watch (it only listens), consent to an invitation
// (it answers a pairing under way), join (with --name it creates the identity) and doctor
// (it says what is missing) needs this device's identity.
bool NeedsIdentity(proto::Request::CommandCase command) {
  using R = proto::Request;
  return command != R::COMMAND_NOT_SET && command != R::kInit && command != R::kWatch &&
         command != R::kInviteConsent && command != R::kJoin && command != R::kDoctor;
}

}  // namespace

std::string Handlers::Hostname() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof(buf) - 1) != 0) return "";
  return buf;
}

Handlers::Handlers(Node& node, PeerManager* peers) : node_(node), peers_(peers) {
  ListenForWatchers();
}

void Handlers::Handle(const proto::Request& q, const std::shared_ptr<IpcSession>& session) {
  using R = proto::Request;
  if (NeedsIdentity(q.command_case()) && !node_.has_identity()) {
    return session->SendError(ErrorCode::kRefused,
                              "this device has no identity yet; run: accord init --name YOUR_NAME");
  }
  switch (q.command_case()) {
    // Streams and answers that come later: the handler keeps the session.
    case R::kWatch:
      watchers_.push_back(session);
      return;
    case R::kLog:
      return Log(q.log(), session);
    case R::kExport:
      return Export(q.export_(), session);
    case R::kInvite:
      return Invite(q.invite(), session);
    case R::kJoin:
      return Join(q.join(), session);
    case R::kDoctor: {
      if (!peers_) return session->SendError(ErrorCode::kUnavailable, "networking is off");
      std::weak_ptr<IpcSession> weak = session;
      RunDoctor(node_, *peers_, [weak](proto::DoctorResponse checks) {
        auto s = weak.lock();
        if (!s) return;
        proto::Response out;
        *out.mutable_doctor() = std::move(checks);
        s->Send(out);
      });
      return;
    }
    case R::kInviteConsent: {
      accord::Status s = peers_ ? peers_->invitations().Consent(q.invite_consent().accept())
                                : accord::Status(MakeError(ErrorCode::kNotFound, "no invitation"));
      if (!s.ok()) session->SendError(s.code(), s.error().message);
      return;  // the answer arrives as the next update of the invitation's stream
    }
    case R::kJoinConsent: {
      accord::Status s = peers_ ? peers_->joins().Consent(q.join_consent().accept())
                                : accord::Status(MakeError(ErrorCode::kNotFound, "no join"));
      if (!s.ok()) session->SendError(s.code(), s.error().message);
      return;  // the join's result arrives on the connection that asked
    }
    // One request, one response.
    case R::kInit:
      return Reply(session, Init(q.init()));
    case R::kStatus:
      return Reply(session, Status());
    case R::kAddNeed:
      return Reply(session, WriteNote(state::NeedAdded{q.add_need().text()}, q.add_need().text(),
                                      "need text", /*hint=*/true));
    case R::kAddBoundary:
      return Reply(session, WriteNote(state::BoundaryAdded{q.add_boundary().text(),
                                                           q.add_boundary().during_space()},
                                      q.add_boundary().text(), "boundary text", /*hint=*/true));
    case R::kAppreciate:
      return Reply(session, WriteNote(state::Appreciated{q.appreciate().text()},
                                      q.appreciate().text(), "appreciation text", /*hint=*/false));
    case R::kReflect:
      return Reply(session, WriteNote(state::Reflected{q.reflect().text()}, q.reflect().text(),
                                      "reflection text", /*hint=*/false));
    case R::kForget: {
      Result<log::EntryId> id = ResolveReflection(node_.State(), q.forget().id());
      if (!id.ok()) return Reply(session, id.error());
      return Reply(session, Written(node_.Forget(*id), ""));
    }
    case R::kLeave:
      return Reply(session, Written(node_.Leave(), ""));
    case R::kRemoveDevice:
      return Reply(session, Written(node_.RemoveDevice(q.remove_device().device()), ""));
    case R::kListNotes:
      return Reply(session, ListNotes(q.list_notes()));
    case R::kPropose:
      return Reply(session, Propose(q.propose()));
    case R::kCounter:
      return Reply(session, Counter(q.counter()));
    case R::kAgreementAction:
      return Reply(session, AgreementAction(q.agreement_action()));
    case R::kListAgreements:
      return Reply(session, ListAgreements(q.list_agreements()));
    case R::kShow:
      return Reply(session, Show(q.show()));
    case R::kAskSpace:
      return Reply(session, AskSpace(q.ask_space()));
    case R::kAckSpace:
      return Reply(session, AckSpace(q.ack_space()));
    case R::kBack:
      return Reply(session, Back());
    case R::kSpace:
      return Reply(session, Space());
    case R::kCheckIn:
      return Reply(session, CheckIn(q.check_in()));
    case R::kListCheckIns:
      return Reply(session, ListCheckIns(q.list_check_ins()));
    case R::kDue:
      return Reply(session, Due());
    case R::kPeers:
      return Reply(session, Peers());
    case R::kDevices:
      return Reply(session, Devices());
    case R::kRetract:
      return Reply(session, Retract(q.retract()));
    case R::kSafetyNumber:
      return Reply(session, SafetyNumbers());
    case R::COMMAND_NOT_SET:
      break;
  }
  // No command, or one this build does not know (it parses as none); the connection stays
  // usable.
  session->SendError(ErrorCode::kInvalidArgument,
                     "unknown request; is accord the same version as accordd?");
}

void Handlers::Reply(const std::shared_ptr<IpcSession>& session, Result<proto::Response> answer) {
  if (!answer.ok()) return session->SendError(answer.code(), answer.error().message);
  session->Send(*answer);
}

Result<proto::Response> Handlers::Init(const proto::InitRequest& r) {
  // The rule pairing applies to names: a name init accepts never makes pairing fail later.
  ACCORD_RETURN_IF_ERROR(CheckName(r.name(), "name"));
  std::string device_name = r.device_name();
  if (!device_name.empty()) {
    ACCORD_RETURN_IF_ERROR(CheckName(device_name, "device name"));
  } else if (device_name = Hostname(); !CheckName(device_name).ok()) {
    device_name.clear();  // a host name no partner could be shown
  }
  Result<state::MemberId> me = node_.Init(r.name(), device_name);
  if (!me.ok()) return me.error();
  proto::Response out;
  out.mutable_init()->set_member_id(ToHex(*me));
  out.mutable_init()->set_device_key(ToHex(node_.device_key()));
  return out;
}

Result<proto::Response> Handlers::Written(Result<log::EntryId> id, const std::string& text) {
  if (!id.ok()) return id.error();
  proto::Response out;
  out.mutable_written()->set_id(ToHex(*id));
  out.mutable_written()->set_hint(IStatementHint(text));
  return out;
}

Result<proto::Response> Handlers::WriteNote(state::UserKind note, const std::string& text,
                                            const char* what, bool hint) {
  ACCORD_RETURN_IF_ERROR(CheckText(text, what));
  Result<proto::Response> out = Written(node_.Write(std::move(note)), text);
  if (out.ok() && !hint) out->mutable_written()->clear_hint();
  return out;
}

Result<proto::Response> Handlers::ListNotes(const proto::ListNotesRequest& r) {
  const state::State& s = node_.State();
  ViewBuilder v(s, node_.member(), node_.NowMs());
  proto::Response out;
  auto* notes = out.mutable_notes();
  auto all = [](const auto&) { return true; };
  auto note = [&](const auto& n) { *notes->add_notes() = v.Note(n.by, n.text, n.withdrawn); };
  Result<proto::PageInfo> page = MakeError(ErrorCode::kInvalidArgument, "unknown list");
  switch (r.kind()) {
    case proto::ListNotesRequest::NEEDS:
      page = PageNewestFirst(s.needs, r.page(), all, note);
      break;
    case proto::ListNotesRequest::BOUNDARIES:
      page = PageNewestFirst(s.boundaries, r.page(), all, [&](const state::Boundary& b) {
        proto::NoteView n = v.Note(b.by, b.text, b.withdrawn);
        n.set_during_space(b.during_space);
        *notes->add_notes() = std::move(n);
      });
      break;
    case proto::ListNotesRequest::APPRECIATIONS:
      page = PageNewestFirst(s.appreciations, r.page(), all, note);
      break;
    case proto::ListNotesRequest::REFLECTIONS:
      page = PageNewestFirst(
          s.reflections, r.page(),
          [&](const state::Reflection& x) { return x.by.member == node_.member(); },
          [&](const state::Reflection& x) { *notes->add_notes() = v.Note(x.by, x.text); });
      break;
    default:
      break;
  }
  if (!page.ok()) return page.error();
  *notes->mutable_page() = std::move(*page);
  return out;
}

Result<proto::Response> Handlers::CheckIn(const proto::CheckInRequest& r) {
  if (r.feeling() < 1 || r.feeling() > 5) {
    return MakeError(ErrorCode::kInvalidArgument, "feeling must be a number from 1 to 5");
  }
  if (r.note().size() > kMaxTextBytes)
    return MakeError(ErrorCode::kInvalidArgument, "note is too long");
  ACCORD_RETURN_IF_ERROR(CheckUserText(r.note(), "check-in note"));
  state::CheckedIn check_in{r.feeling(), r.note(), std::nullopt};
  if (!r.agreement().empty()) {
    Result<AgreementRef> ref = ResolveAgreement(node_.Live(), r.agreement());
    if (!ref.ok()) return ref.error();
    check_in.agreement = ref->agreement->id;
  }
  return Written(node_.Write(std::move(check_in)), "");
}

Result<proto::Response> Handlers::ListCheckIns(const proto::ListCheckInsRequest& r) {
  const state::State& s = node_.State();
  std::optional<log::EntryId> only;
  if (!r.agreement().empty()) {
    Result<AgreementRef> ref = ResolveAgreement(s, r.agreement());
    if (!ref.ok()) return ref.error();
    only = ref->agreement->id;
  }
  ViewBuilder v(s, node_.member(), node_.NowMs());
  proto::Response out;
  auto* list = out.mutable_check_ins();
  Result<proto::PageInfo> page = PageNewestFirst(
      s.check_ins, r.page(), [&](const state::CheckIn& c) { return !only || c.agreement == only; },
      [&](const state::CheckIn& c) { *list->add_check_ins() = v.CheckIn(c); });
  if (!page.ok()) return page.error();
  *list->mutable_page() = std::move(*page);
  return out;
}

Result<proto::Response> Handlers::Due() {
  const state::Live& s = node_.Live();
  ViewBuilder v(s, node_.member(), node_.NowMs());
  proto::Response out;
  out.mutable_due();
  for (const state::DueItem& d : state::Due(s, node_.NowMs())) {
    auto* due = out.mutable_due()->add_due();
    due->set_agreement_id(ToHex(d.agreement));
    const state::Agreement* a = s.FindAgreement(d.agreement);
    if (a) due->set_text(v.Agreement(*a, false).active().text());
    due->set_due_since_ms(d.due_ms);
  }
  return out;
}

void Handlers::Log(const proto::LogRequest& r, const std::shared_ptr<IpcSession>& session) {
  LogStream::Verifier verifier;
  if (peers_) {
    verifier = [peers = peers_](std::shared_ptr<const std::vector<log::Envelope>> entries,
                                LogStream::VerdictsDone done) {
      peers->VerifyInBackground(std::move(entries), std::move(done));
    };
  }
  LogStream::Start(node_, r.verify(), r.limit(), session, std::move(verifier));
}

void Handlers::Export(const proto::ExportRequest& r, const std::shared_ptr<IpcSession>& session) {
  ExportFormat format;
  switch (r.format()) {
    case proto::ExportRequest::JSON:
      format = ExportFormat::kJson;
      break;
    case proto::ExportRequest::MD:
      format = ExportFormat::kMarkdown;
      break;
    case proto::ExportRequest::ICS:
      format = ExportFormat::kICalendar;
      break;
    default:
      return session->SendError(ErrorCode::kInvalidArgument, "unknown export format");
  }
  // One chunk at a time, each made once the one before is written: memory stays bounded
  // by the state's own copy and a chunk, however large the export.
  auto doc = std::make_shared<ExportDocument>(format, node_.State(), node_.member(), node_.NowMs());
  session->SendPulled([doc, finished = false]() mutable -> std::optional<proto::Response> {
    if (finished) return std::nullopt;
    proto::Response out;
    out.mutable_export_()->set_content(doc->NextChunk(kExportChunkBytes));
    finished = doc->done();
    out.mutable_export_()->set_more(!finished);
    return out;
  });
}

}  // namespace accord::daemon
