// Shared set-up for the tests of daemon/net's classes without sockets: real Nodes over real
// stores in a TempDir (tests/daemon/node/node_fixture.h) and an io_context that is run only
// when a test says so. Test thread only.
#ifndef ACCORD_TESTS_DAEMON_NET_NET_FIXTURE_H_
#define ACCORD_TESTS_DAEMON_NET_NET_FIXTURE_H_

#include <asio.hpp>
#include <memory>
#include <string>

#include "crypto/dh.h"
#include "crypto/sign.h"
#include "tests/daemon/node/node_fixture.h"

namespace accord::daemon {

class NetFixture : public NodeFixture {
 protected:
  // An initialised node in a home of its own.
  std::unique_ptr<Node> InitNode(const std::string& home, const std::string& name) {
    std::unique_ptr<Node> node = OpenOk(Home(home));
    EXPECT_TRUE(node && node->Init(name, "laptop").ok());
    return node;
  }

  asio::io_context io_;
};

// A device that exists only as keys (it never runs): another member's device, say.
struct StrangerKeys {
  crypto::SigningKey signing = crypto::SigningKey::Generate();
  crypto::DhKeyPair dh = crypto::DhKeyPair::Generate();
};

}  // namespace accord::daemon

#endif  // ACCORD_TESTS_DAEMON_NET_NET_FIXTURE_H_
