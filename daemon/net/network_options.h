// What `accordd`'s command line asks of the network (SPEC §7), as main hands it to
// PeerManager. Plain data; built once in main. Defaults and parsing belong to main.cc.
#ifndef ACCORD_DAEMON_NET_NETWORK_OPTIONS_H_
#define ACCORD_DAEMON_NET_NETWORK_OPTIONS_H_

#include <filesystem>
#include <string>
#include <vector>

namespace accord::daemon {

struct NetworkOptions {
  std::string listen;  // --listen HOST:PORT for peer sync; empty: all interfaces, kept port
  std::filesystem::path kept_port_file;  // where that kept port lives (in the home)
  std::vector<std::string> peers;        // --peer HOST:PORT, repeatable
  bool discovery = true;                 // false with --no-discovery: no LAN beacons sent or heard
};

}  // namespace accord::daemon

#endif  // ACCORD_DAEMON_NET_NETWORK_OPTIONS_H_
