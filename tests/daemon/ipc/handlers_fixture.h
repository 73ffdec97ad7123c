// Shared set-up for the IPC handler tests: a real Node on a temporary home, Handlers with no
// networking, each request dispatched to a real IpcSession over a socket pair and its one
// response read back; Bob on a second home when a partner is needed. Test thread only.
#ifndef ACCORD_TESTS_DAEMON_IPC_HANDLERS_FIXTURE_H_
#define ACCORD_TESTS_DAEMON_IPC_HANDLERS_FIXTURE_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <asio.hpp>
#include <memory>
#include <optional>
#include <string>

#include "daemon/ipc/handlers.h"
#include "tests/daemon/node/node_fixture.h"

namespace accord::daemon {

inline proto::ErrorCode Code(ErrorCode code) { return static_cast<proto::ErrorCode>(code); }

inline std::optional<log::EntryId> FromHexId(const std::string& hex) {
  std::optional<Bytes> bytes = FromHex(hex);
  if (!bytes || bytes->size() != log::EntryId().size()) return std::nullopt;
  log::EntryId id;
  std::copy(bytes->begin(), bytes->end(), id.begin());
  return id;
}

class HandlersTest : public NodeFixture {
 protected:
  void SetUp() override {
    node_ = OpenOk(Home("alice"));
    ASSERT_NE(node_, nullptr);
    handlers_ = std::make_unique<Handlers>(*node_, /*peers=*/nullptr);
    asio::local::connect_pair(ours_, theirs_);
    session_ = std::make_shared<IpcSession>(std::move(ours_), *handlers_);
  }
  void TearDown() override {
    session_->Close();
    io_.poll();
  }

  void InitAlice() {
    proto::Request q;
    q.mutable_init()->set_name("Alice");
    q.mutable_init()->set_device_name("laptop");
    const proto::Response r = Ask(q);
    ASSERT_FALSE(r.has_error()) << r.error().message();
  }
  // Bob, on a second home, joined to Alice's pact; his entries reach Alice through ToAlice().
  void AddBob() {
    bob_ = OpenOk(Home("bob"));
    ASSERT_TRUE(bob_->Init("Bob", "phone").ok());
    Pair(*node_, *bob_, "Bob");
  }
  void ToAlice() { ASSERT_TRUE(Sync(*bob_, *node_).ok()); }

  // Dispatches `q` and reads the one response it gets.
  proto::Response Ask(const proto::Request& q) {
    handlers_->Handle(q, session_);
    return ReadResponse();
  }
  // The next response sent; an empty one (and a failure) if none was.
  proto::Response ReadResponse() {
    proto::Response out;
    uint8_t length_bytes[4];
    if (!Await(sizeof(length_bytes))) return out;
    asio::read(theirs_, asio::buffer(length_bytes));
    const size_t length = (size_t{length_bytes[0]} << 24) | (size_t{length_bytes[1]} << 16) |
                          (size_t{length_bytes[2]} << 8) | size_t{length_bytes[3]};
    std::string payload(length, '\0');
    if (!Await(length)) return out;
    asio::read(theirs_, asio::buffer(payload));
    EXPECT_TRUE(out.ParseFromString(payload));
    return out;
  }
  // Runs the session's writes until `bytes` can be read without blocking; false if they
  // never come.
  bool Await(size_t bytes) {
    for (int i = 0; i < 1000 && theirs_.available() < bytes; ++i) {
      io_.restart();
      io_.poll();
    }
    EXPECT_GE(theirs_.available(), bytes) << "no response was sent";
    return theirs_.available() >= bytes;
  }
  // True if nothing was sent in answer.
  bool Silent() {
    io_.restart();
    io_.poll();
    return theirs_.available() == 0;
  }

  static void ExpectError(const proto::Response& r, ErrorCode code, const std::string& message) {
    ASSERT_TRUE(r.has_error());
    EXPECT_EQ(r.error().code(), Code(code)) << r.error().message();
    EXPECT_EQ(r.error().message(), message);
  }
  static void ExpectErrorCode(const proto::Response& r, ErrorCode code) {
    ASSERT_TRUE(r.has_error());
    EXPECT_EQ(r.error().code(), Code(code)) << r.error().message();
  }
  // The written entry's id, or a failure if the request was not written.
  static std::string WrittenId(const proto::Response& r) {
    EXPECT_FALSE(r.has_error()) << r.error().message();
    EXPECT_TRUE(r.has_written());
    return r.written().id();
  }

  static proto::Request AddNeed(const std::string& text) {
    proto::Request q;
    q.mutable_add_need()->set_text(text);
    return q;
  }
  static proto::Request Propose(const std::string& text, const std::string& schedule = "",
                                const std::string& review = "") {
    proto::Request q;
    q.mutable_propose()->set_text(text);
    q.mutable_propose()->set_schedule(schedule);
    q.mutable_propose()->set_time_zone(schedule.empty() ? "" : "Europe/Berlin");
    q.mutable_propose()->set_review_every(review);
    return q;
  }
  static proto::Request Counter(const log::EntryId& agreement, const std::string& text,
                                const std::string& schedule = "") {
    proto::Request q;
    q.mutable_counter()->set_agreement(ToHex(agreement));
    q.mutable_counter()->set_text(text);
    q.mutable_counter()->set_schedule(schedule);
    return q;
  }
  static proto::Request Action(proto::AgreementActionRequest::Action action,
                               const std::string& agreement, const std::string& note = "") {
    proto::Request q;
    q.mutable_agreement_action()->set_action(action);
    q.mutable_agreement_action()->set_agreement(agreement);
    q.mutable_agreement_action()->set_note(note);
    return q;
  }
  static proto::Request Accept(const log::EntryId& agreement) {
    return Action(proto::AgreementActionRequest::ACCEPT, ToHex(agreement));
  }
  static proto::Request AskSpace(const std::string& duration, const std::string& message = "") {
    proto::Request q;
    q.mutable_ask_space()->set_duration(duration);
    q.mutable_ask_space()->set_message(message);
    return q;
  }
  static proto::Request AckSpace(const log::EntryId& request) {
    proto::Request q;
    q.mutable_ack_space()->set_request(ToHex(request));
    return q;
  }
  static proto::Request Back() {
    proto::Request q;
    q.mutable_back();
    return q;
  }

  const state::Agreement& OnlyAgreement() {
    EXPECT_EQ(node_->State().agreements.size(), 1u);
    return node_->State().agreements.front();
  }

  asio::io_context io_;
  asio::local::stream_protocol::socket ours_{io_};
  asio::local::stream_protocol::socket theirs_{io_};
  std::unique_ptr<Node> node_;
  std::unique_ptr<Node> bob_;
  std::unique_ptr<Handlers> handlers_;
  std::shared_ptr<IpcSession> session_;
};

}  // namespace accord::daemon

#endif  // ACCORD_TESTS_DAEMON_IPC_HANDLERS_FIXTURE_H_
