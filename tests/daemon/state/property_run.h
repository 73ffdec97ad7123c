// Runs a rapidcheck property as part of a GoogleTest test, with at least `min_cases` cases
// (more if RC_PARAMS asks), and hands back the success result so the caller can check the
// generator's distribution. A failed property fails the calling test with rapidcheck's
// message (the shrunk counterexample); a passed one prints its tag distribution. Test-only;
// any thread.
#ifndef ACCORD_TESTS_DAEMON_STATE_PROPERTY_RUN_H_
#define ACCORD_TESTS_DAEMON_STATE_PROPERTY_RUN_H_

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <algorithm>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

namespace accord::state {

template <typename Property>
std::optional<rc::detail::SuccessResult> RunProperty(Property property, const std::string& id,
                                                     const std::string& description,
                                                     int min_cases) {
  rc::detail::TestParams params = rc::detail::configuration().testParams;
  params.maxSuccess = std::max(params.maxSuccess, min_cases);
  rc::detail::TestMetadata metadata;
  metadata.id = id;
  metadata.description = description;
  const auto result = rc::detail::checkTestable(property, metadata, params);
  if (!result.template is<rc::detail::SuccessResult>()) {
    std::ostringstream message;
    rc::detail::printResultMessage(result, message);
    ADD_FAILURE() << message.str();
    return std::nullopt;
  }
  std::ostringstream shown;
  rc::detail::printResultMessage(result, shown);
  std::cout << shown.str() << "\n";
  const rc::detail::SuccessResult& success = result.template get<rc::detail::SuccessResult>();
  EXPECT_GE(success.numSuccess, min_cases);
  return success;
}

}  // namespace accord::state

#endif  // ACCORD_TESTS_DAEMON_STATE_PROPERTY_RUN_H_
