// Result<T>: a value or an Error{code, message}, for anything input or I/O can break.
// Any thread. The ErrorCode enum is shared with the IPC protocol; ExitCodeFor maps it to the
// client's exit codes (SPEC §6). Exceptions are not part of this vocabulary.
#ifndef ACCORD_BASE_RESULT_H_
#define ACCORD_BASE_RESULT_H_

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace accord {

// Numbers are stable: they travel in IPC responses. Append only.
enum class ErrorCode : int {
  kOk = 0,
  kInternal = 1,          // our bug or an unexpected library failure
  kIo = 2,                // file system or database I/O failed
  kInvalidArgument = 3,   // malformed user input (duration, schedule, feeling, ...)
  kUnavailable = 4,       // the daemon (or a peer) is not reachable
  kNotFound = 5,          // no such id / entry / file
  kAmbiguous = 6,         // an id prefix matches several entries
  kRefused = 7,           // the state forbids it (accept own proposal, act on retired, ...)
  kAlreadyExists = 8,     // e.g. `init` when an identity exists
  kCorrupt = 9,           // stored data fails its own checks
  kInsecureFile = 10,     // key file or directory has unsafe mode, owner, or is a symlink
  kWrongPassphrase = 11,  // locked key file did not open
  kCryptoFailure = 12,    // invalid point, failed DH, failed primitive
  // Entry validation (SPEC §3, SECURITY §5.3); each failure has its own code.
  kMalformedEntry = 20,    // sizes, magic, reserved byte, scope
  kWrongPact = 21,         // header names another pact
  kBadSignature = 22,      // Ed25519 signature over the header does not verify
  kBodyHashMismatch = 23,  // BLAKE2b-256(sealed body) != header.body_hash
  kSeqGap = 24,            // seq is not head + 1
  kPrevMismatch = 25,      // prev hash is not the author's current head id
  kUnknownEpoch = 26,      // no key for the header's epoch
  kDecryptFailed = 27,     // AEAD open failed
  kBadBody = 28,           // body decrypted but does not parse or is not allowed in its scope
  kFork = 29,              // same author and seq, different entry
  kFrozenAuthor = 30,      // author's feed is frozen by an earlier fork
  kUnknownAuthor = 31,     // author is not a device of the pact
  kTooLarge = 32,          // a size exceeded a hard limit
};

const char* ErrorCodeName(ErrorCode code);

// Client exit codes, SPEC §6: 0 ok, 1 other, 2 usage, 3 daemon unreachable, 4 not found or
// ambiguous, 5 refused by the state.
int ExitCodeFor(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {
    assert(this->error().code != ErrorCode::kOk);
  }  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok()
  const Error& error() const { return std::get<1>(v_); }
  ErrorCode code() const { return ok() ? ErrorCode::kOk : error().code; }

 private:
  std::variant<T, Error> v_;
};

// Result<void>.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  static Status Ok() { return Status(); }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }
  ErrorCode code() const { return ok_ ? ErrorCode::kOk : error_.code; }

 private:
  Error error_;
  bool ok_ = true;
};

inline Error MakeError(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

}  // namespace accord

// Propagates the error of a Status or Result expression from the current function.
#define ACCORD_RETURN_IF_ERROR(expr)                         \
  do {                                                       \
    auto accord_status_ = (expr);                            \
    if (!accord_status_.ok()) return accord_status_.error(); \
  } while (0)

#endif  // ACCORD_BASE_RESULT_H_
