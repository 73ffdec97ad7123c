// Small numbers drawn from one random choice, consuming its bits: how the state simulations
// (history_sim.cc, epochs_property_test.cc) turn one generated integer into an action's
// arguments, so rapidcheck shrinks them together. Test thread only.
#ifndef ACCORD_TESTS_DAEMON_STATE_SIM_ARGS_H_
#define ACCORD_TESTS_DAEMON_STATE_SIM_ARGS_H_

#include <cstddef>
#include <cstdint>

namespace accord::state::testing {

class Args {
 public:
  explicit Args(uint32_t bits) : bits_(bits) {}
  // A number in [0, n); 0 when n is 0.
  size_t Pick(size_t n) {
    if (n == 0) return 0;
    const size_t out = bits_ % n;
    bits_ /= static_cast<uint32_t>(n);
    return out;
  }

 private:
  uint32_t bits_;
};

}  // namespace accord::state::testing

#endif  // ACCORD_TESTS_DAEMON_STATE_SIM_ARGS_H_
