#include "client/prompts.h"

#include <iostream>
#include <string>

#include "base/text.h"
#include "client/ipc_client.h"

namespace accord::client {

namespace {

// One request, one answer; an error answer is returned as the error.
Result<proto::Response> Ask(IpcClient& client, proto::Request request) {
  request.set_protocol(kIpcProtocolVersion);
  ACCORD_RETURN_IF_ERROR(client.Send(request));
  Result<proto::Response> answer = client.Receive();
  if (!answer.ok()) return answer.error();
  if (answer->has_error() && answer->error().code() != proto::OK) {
    return MakeError(static_cast<ErrorCode>(answer->error().code()), answer->error().message());
  }
  return answer;
}

Error Usage(std::string message) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(message));
}

// Which due agreement the check-in is about: a number from the list, or enter for none.
Status AskAgreement(const proto::DueResponse& due, proto::CheckInRequest& check_in,
                    std::istream& in, std::ostream& out) {
  if (due.due_size() == 0) return Status::Ok();
  out << "Due now:\n";
  for (int i = 0; i < due.due_size(); ++i) {
    out << "  " << i + 1 << ") " << TerminalSafe(due.due(i).agreement_id().substr(0, 8)) << "  "
        << TerminalSafe(due.due(i).text(), "     ") << "\n";
  }
  out << "Is this check-in about one of these (1-" << due.due_size() << ", enter for none)? "
      << std::flush;
  std::string line;
  if (!std::getline(in, line)) return Usage("check-in cancelled");
  if (line.empty()) return Status::Ok();
  int n = 0;
  for (char c : line) {
    if (c < '0' || c > '9' || n > due.due_size()) {
      return Usage("answer with a number from the list, or enter for none");
    }
    n = n * 10 + (c - '0');
  }
  if (n < 1 || n > due.due_size()) {
    return Usage("answer with a number from the list, or enter for none");
  }
  check_in.set_agreement(due.due(n - 1).agreement_id());
  return Status::Ok();
}

}  // namespace

Status ConfirmLeave(IpcClient& client, std::istream& in, std::ostream& out) {
  proto::Request status;
  status.mutable_status();
  Result<proto::Response> answer = Ask(client, std::move(status));
  if (!answer.ok()) return answer.error();
  std::string names;
  for (const proto::MemberView& m : answer->status().members()) {
    if (m.is_me() || m.left()) continue;
    names += (names.empty() ? "" : ", ") + TerminalSafe(m.name());
  }
  out << "Leave the pact" << (names.empty() ? "" : " with " + names)
      << "? You keep a read-only copy (accord export still works); you cannot write to it or "
         "rejoin it. [y/N] "
      << std::flush;
  std::string line;
  if (!std::getline(in, line) || (line != "y" && line != "Y" && line != "yes")) {
    return MakeError(ErrorCode::kRefused, "not leaving");
  }
  return Status::Ok();
}

Status AnswerJoinConsent(IpcClient& client, const proto::JoinConsentUpdate& update,
                         std::istream& in, std::ostream& out) {
  const std::string name = TerminalSafe(update.partner_name());
  out << TerminalSafe(update.message())
      << "\nsafety number: " << TerminalSafe(update.safety_number()) << " (the same as on " << name
      << "'s screen?)\n"
      << (update.device() ? "Become another device of " + name + "? [y/N] "
                          : "Join " + name + "'s pact? [y/N] ")
      << std::flush;
  std::string line;
  const bool yes = std::getline(in, line) && (line == "y" || line == "Y" || line == "yes");
  proto::Request answer;
  answer.set_protocol(kIpcProtocolVersion);
  answer.mutable_join_consent()->set_accept(yes);
  return client.Send(answer);
}

Status AskCheckIn(IpcClient& client, proto::CheckInRequest& check_in, std::istream& in,
                  std::ostream& out) {
  proto::Request due;
  due.mutable_due();
  Result<proto::Response> answer = Ask(client, std::move(due));
  if (!answer.ok()) return answer.error();
  ACCORD_RETURN_IF_ERROR(AskAgreement(answer->due(), check_in, in, out));
  out << "How are things with us, 1 (hard) to 5 (great)? " << std::flush;
  std::string line;
  if (!std::getline(in, line)) return Usage("check-in cancelled");
  if (line.size() != 1 || line[0] < '1' || line[0] > '5') {
    return Usage("feeling must be a number from 1 to 5");
  }
  check_in.set_feeling(static_cast<uint32_t>(line[0] - '0'));
  out << "Anything you want to say about it (enter to skip)? " << std::flush;
  if (std::getline(in, line)) check_in.set_note(line);
  return Status::Ok();
}

}  // namespace accord::client
