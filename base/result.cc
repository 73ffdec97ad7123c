#include "base/result.h"

namespace accord {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return "ok";
    case ErrorCode::kInternal:
      return "internal";
    case ErrorCode::kIo:
      return "io";
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kAmbiguous:
      return "ambiguous";
    case ErrorCode::kRefused:
      return "refused";
    case ErrorCode::kAlreadyExists:
      return "already_exists";
    case ErrorCode::kCorrupt:
      return "corrupt";
    case ErrorCode::kInsecureFile:
      return "insecure_file";
    case ErrorCode::kWrongPassphrase:
      return "wrong_passphrase";
    case ErrorCode::kCryptoFailure:
      return "crypto_failure";
    case ErrorCode::kMalformedEntry:
      return "malformed_entry";
    case ErrorCode::kWrongPact:
      return "wrong_pact";
    case ErrorCode::kBadSignature:
      return "bad_signature";
    case ErrorCode::kBodyHashMismatch:
      return "body_hash_mismatch";
    case ErrorCode::kSeqGap:
      return "seq_gap";
    case ErrorCode::kPrevMismatch:
      return "prev_mismatch";
    case ErrorCode::kUnknownEpoch:
      return "unknown_epoch";
    case ErrorCode::kDecryptFailed:
      return "decrypt_failed";
    case ErrorCode::kBadBody:
      return "bad_body";
    case ErrorCode::kFork:
      return "fork";
    case ErrorCode::kFrozenAuthor:
      return "frozen_author";
    case ErrorCode::kUnknownAuthor:
      return "unknown_author";
    case ErrorCode::kTooLarge:
      return "too_large";
  }
  return "unknown";
}

int ExitCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return 0;
    case ErrorCode::kInvalidArgument:
      return 2;
    case ErrorCode::kUnavailable:
      return 3;
    case ErrorCode::kNotFound:
    case ErrorCode::kAmbiguous:
      return 4;
    case ErrorCode::kRefused:
    case ErrorCode::kFrozenAuthor:
      return 5;
    default:
      return 1;
  }
}

}  // namespace accord
