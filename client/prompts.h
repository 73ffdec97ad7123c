// The questions the client asks on a terminal (SPEC §6): before it sends a request, leaving
// the pact and a check-in without flags; during a join, what the code does. Each asks the daemon
// what it needs to ask well.
#ifndef ACCORD_CLIENT_PROMPTS_H_
#define ACCORD_CLIENT_PROMPTS_H_

#include <iosfwd>

#include "accord/ipc.pb.h"
#include "base/result.h"
#include "client/ipc_client.h"

namespace accord::client {

// `leave` without --yes: names the partners (from status) and asks. Ok to go on; kRefused
// when the answer is not yes.
Status ConfirmLeave(IpcClient& client, std::istream& in, std::ostream& out);

// `checkin` without flags: offers the agreements whose review or check-in is due (from due),
// then asks the feeling (1..5) and a note, and fills `check_in`. kInvalidArgument when an
// answer is not one it offered, or input ends.
Status AskCheckIn(IpcClient& client, proto::CheckInRequest& check_in, std::istream& in,
                  std::ostream& out);

// `join` on a terminal without --yes: says what the inviter's signed record says the code
// does ("join NAME's pact" / "become another device of NAME") with the safety number, asks,
// and sends the answer (a JoinConsentRequest). The join's result is the daemon's next message.
Status AnswerJoinConsent(IpcClient& client, const proto::JoinConsentUpdate& update,
                         std::istream& in, std::ostream& out);

}  // namespace accord::client

#endif  // ACCORD_CLIENT_PROMPTS_H_
