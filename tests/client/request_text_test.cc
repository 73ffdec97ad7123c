#include "client/request_text.h"

#include <gtest/gtest.h>

#include "accord/ipc.pb.h"

namespace accord::client {
namespace {

TEST(RequestText, ValidTextPasses) {
  proto::Request r;
  r.mutable_add_need()->set_text("I need time, Zoë");
  EXPECT_TRUE(CheckRequestText(r).ok());
}

TEST(RequestText, InvalidUtf8IsNamedByItsField) {
  proto::Request need;
  need.mutable_add_need()->set_text("caf\xe9");
  Status s = CheckRequestText(need);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().message, "the text is not valid UTF-8");

  proto::Request decline;
  decline.mutable_agreement_action()->set_agreement("abcd");
  decline.mutable_agreement_action()->set_note("\xff");
  EXPECT_EQ(CheckRequestText(decline).error().message, "the note is not valid UTF-8");
}

}  // namespace
}  // namespace accord::client
