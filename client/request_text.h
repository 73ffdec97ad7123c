// The client's own check of what it is about to send: every string in a request is valid
// UTF-8 (proto3 would refuse it on the daemon side with a misleading error). Client only;
// which characters text may hold is the daemon's rule (base/text.h CheckUserText).
#ifndef ACCORD_CLIENT_REQUEST_TEXT_H_
#define ACCORD_CLIENT_REQUEST_TEXT_H_

#include <google/protobuf/message.h>

#include "base/result.h"

namespace accord::client {

// kInvalidArgument "the note is not valid UTF-8" for the first string field that is not.
Status CheckRequestText(const google::protobuf::Message& request);

}  // namespace accord::client

#endif  // ACCORD_CLIENT_REQUEST_TEXT_H_
