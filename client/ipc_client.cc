#include "client/ipc_client.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "base/frame.h"
#include "client/fd_io.h"

namespace accord::client {

// The IPC enum mirrors accord::ErrorCode value for value: the client turns one into the other
// with a cast, so any drift must fail the build.
static_assert(static_cast<int>(ErrorCode::kOk) == proto::OK);
static_assert(static_cast<int>(ErrorCode::kInternal) == proto::INTERNAL);
static_assert(static_cast<int>(ErrorCode::kIo) == proto::IO);
static_assert(static_cast<int>(ErrorCode::kInvalidArgument) == proto::INVALID_ARGUMENT);
static_assert(static_cast<int>(ErrorCode::kUnavailable) == proto::UNAVAILABLE);
static_assert(static_cast<int>(ErrorCode::kNotFound) == proto::NOT_FOUND);
static_assert(static_cast<int>(ErrorCode::kAmbiguous) == proto::AMBIGUOUS);
static_assert(static_cast<int>(ErrorCode::kRefused) == proto::REFUSED);
static_assert(static_cast<int>(ErrorCode::kAlreadyExists) == proto::ALREADY_EXISTS);
static_assert(static_cast<int>(ErrorCode::kCorrupt) == proto::CORRUPT);
static_assert(static_cast<int>(ErrorCode::kInsecureFile) == proto::INSECURE_FILE);
static_assert(static_cast<int>(ErrorCode::kWrongPassphrase) == proto::WRONG_PASSPHRASE);
static_assert(static_cast<int>(ErrorCode::kCryptoFailure) == proto::CRYPTO_FAILURE);
static_assert(static_cast<int>(ErrorCode::kMalformedEntry) == proto::MALFORMED_ENTRY);
static_assert(static_cast<int>(ErrorCode::kWrongPact) == proto::WRONG_PACT);
static_assert(static_cast<int>(ErrorCode::kBadSignature) == proto::BAD_SIGNATURE);
static_assert(static_cast<int>(ErrorCode::kBodyHashMismatch) == proto::BODY_HASH_MISMATCH);
static_assert(static_cast<int>(ErrorCode::kSeqGap) == proto::SEQ_GAP);
static_assert(static_cast<int>(ErrorCode::kPrevMismatch) == proto::PREV_MISMATCH);
static_assert(static_cast<int>(ErrorCode::kUnknownEpoch) == proto::UNKNOWN_EPOCH);
static_assert(static_cast<int>(ErrorCode::kDecryptFailed) == proto::DECRYPT_FAILED);
static_assert(static_cast<int>(ErrorCode::kBadBody) == proto::BAD_BODY);
static_assert(static_cast<int>(ErrorCode::kFork) == proto::FORK);
static_assert(static_cast<int>(ErrorCode::kFrozenAuthor) == proto::FROZEN_AUTHOR);
static_assert(static_cast<int>(ErrorCode::kUnknownAuthor) == proto::UNKNOWN_AUTHOR);
static_assert(static_cast<int>(ErrorCode::kTooLarge) == proto::TOO_LARGE);

Result<IpcClient> IpcClient::Connect(const std::filesystem::path& socket) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return MakeError(ErrorCode::kIo, std::string("socket: ") + std::strerror(errno));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket.c_str(), sizeof(addr.sun_path) - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    int e = errno;
    ::close(fd);
    return MakeError(ErrorCode::kUnavailable, "the accord daemon is not running at " +
                                                  socket.native() + " (" + std::strerror(e) +
                                                  "); start it with: accordd" +
                                                  " (or systemctl --user start accordd)");
  }
  return IpcClient(fd);
}

IpcClient::~IpcClient() {
  if (fd_ >= 0) ::close(fd_);
}

Status IpcClient::Send(const proto::Request& request) {
  std::string payload;
  if (!request.SerializeToString(&payload) || payload.size() > kMaxIpcFrameBytes) {
    return MakeError(ErrorCode::kTooLarge, "request too large");
  }
  Bytes frame = EncodeFrame(AsBytes(payload));
  if (!WriteAll(fd_, frame.data(), frame.size())) {
    return MakeError(ErrorCode::kUnavailable, "the daemon closed the connection");
  }
  return Status::Ok();
}

Result<proto::Response> IpcClient::Receive() {
  uint8_t header[kFrameHeaderBytes];
  if (!ReadExact(fd_, header, sizeof(header))) {
    return MakeError(ErrorCode::kUnavailable, "the daemon closed the connection");
  }
  Result<uint32_t> length = DecodeFrameLength(header);
  if (!length.ok()) return length.error();
  std::string payload(*length, '\0');
  if (!ReadExact(fd_, reinterpret_cast<uint8_t*>(payload.data()), payload.size())) {
    return MakeError(ErrorCode::kUnavailable, "the daemon closed the connection mid-response");
  }
  proto::Response response;
  if (!response.ParseFromString(payload)) {
    return MakeError(ErrorCode::kCorrupt, "the daemon sent a response that does not parse");
  }
  return response;
}

}  // namespace accord::client
