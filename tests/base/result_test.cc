#include "base/result.h"

#include <gtest/gtest.h>

namespace accord {
namespace {

TEST(Result, HoldsValueOrError) {
  Result<int> ok = 5;
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 5);
  Result<int> bad = MakeError(ErrorCode::kNotFound, "nope");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.code(), ErrorCode::kNotFound);
  EXPECT_EQ(bad.error().message, "nope");
}

TEST(Result, ExitCodesFollowTheSpec) {
  EXPECT_EQ(ExitCodeFor(ErrorCode::kOk), 0);
  EXPECT_EQ(ExitCodeFor(ErrorCode::kInternal), 1);
  EXPECT_EQ(ExitCodeFor(ErrorCode::kInvalidArgument), 2);
  EXPECT_EQ(ExitCodeFor(ErrorCode::kUnavailable), 3);
  EXPECT_EQ(ExitCodeFor(ErrorCode::kNotFound), 4);
  EXPECT_EQ(ExitCodeFor(ErrorCode::kAmbiguous), 4);
  EXPECT_EQ(ExitCodeFor(ErrorCode::kRefused), 5);
  EXPECT_EQ(ExitCodeFor(ErrorCode::kBadSignature), 1);
}

Status FailsWith(ErrorCode code) { return MakeError(code, "x"); }
Status Propagates() {
  ACCORD_RETURN_IF_ERROR(FailsWith(ErrorCode::kIo));
  return Status::Ok();
}

TEST(Result, ReturnIfErrorPropagatesTheFirstError) {
  EXPECT_EQ(Propagates().code(), ErrorCode::kIo);
}

}  // namespace
}  // namespace accord
