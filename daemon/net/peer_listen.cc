// PeerManager's listener: binding --listen, or every interface on the port kept in the home,
// and the addresses partners reach this daemon at. The rest of PeerManager is in
// peer_manager.cc.
#include <algorithm>

#include "daemon/logging.h"
#include "daemon/net/interfaces.h"
#include "daemon/net/kept_port.h"
#include "daemon/net/peer_manager.h"

namespace accord::daemon {

std::error_code PeerManager::Bind(const asio::ip::tcp::endpoint& endpoint) {
  std::error_code ec;
  acceptor_ = std::make_unique<asio::ip::tcp::acceptor>(io_);
  acceptor_->open(endpoint.protocol(), ec);
  if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  // [::] takes IPv4 too (as ::ffff:a.b.c.d), so one acceptor serves both families.
  if (!ec && endpoint.address().is_v6() && endpoint.address().is_unspecified())
    acceptor_->set_option(asio::ip::v6_only(false), ec);
  if (!ec) acceptor_->bind(endpoint, ec);
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) acceptor_.reset();
  return ec;
}

// Without --listen: every interface, both families, on the port kept in the home (picked the
// first time). A kept port another program took since is not given up: this run uses a new
// one and says so; the next run tries the kept one again.
std::error_code PeerManager::BindAllInterfaces(uint16_t port) {
  std::error_code ec = Bind({asio::ip::address_v6::any(), port});
  if (ec == asio::error::address_family_not_supported)
    ec = Bind({asio::ip::address_v4::any(), port});
  return ec;
}

Status PeerManager::Listen() {
  if (!listen_option_.empty()) {
    Result<HostPort> hp = ParseHostPort(listen_option_);
    if (!hp.ok()) return hp.error();
    Result<std::vector<asio::ip::tcp::endpoint>> endpoints = Resolve(io_, *hp);
    if (!endpoints.ok()) return endpoints.error();
    std::error_code ec = Bind(endpoints->front());
    if (ec) {
      return MakeError(ErrorCode::kIo, "cannot listen on " + listen_option_ + ": " + ec.message());
    }
    wildcard_listen_ = endpoints->front().address().is_unspecified();
    return Status::Ok();
  }
  wildcard_listen_ = true;
  Result<uint16_t> kept = ReadKeptPort(kept_port_file_);
  if (!kept.ok() && kept.error().code != ErrorCode::kNotFound) return kept.error();
  if (kept.ok()) {
    std::error_code ec = BindAllInterfaces(*kept);
    if (!ec) return Status::Ok();
    LogWarning("the kept peer port " + std::to_string(*kept) + " is in use (" + ec.message() +
               "); listening on another port for this run; partners find it by beacon");
  }
  std::error_code ec = BindAllInterfaces(0);
  if (ec) return MakeError(ErrorCode::kIo, "cannot listen for peers: " + ec.message());
  if (!kept.ok()) {
    std::error_code port_ec;
    Status s = KeepPort(kept_port_file_, acceptor_->local_endpoint(port_ec).port());
    if (!s.ok()) LogWarning("cannot keep the peer port: " + s.error().message);
  }
  return Status::Ok();
}

std::vector<std::string> PeerManager::ListenAddresses() const {
  if (!acceptor_) return {};
  std::error_code ec;
  const asio::ip::tcp::endpoint local = acceptor_->local_endpoint(ec);
  if (ec) return {};
  if (!wildcard_listen_) return {EndpointString(local)};
  std::vector<std::string> out;
  for (const InterfaceAddress& a : UpInterfaceAddresses()) {
    if (local.address().is_v4() && !a.address.is_v4()) continue;
    out.push_back(AddressText(a, listen_port_));
  }
  if (out.empty()) out.push_back("127.0.0.1:" + std::to_string(listen_port_));  // no network
  // IPv4 first: the address most people can read out and type.
  std::stable_partition(out.begin(), out.end(), [](const std::string& a) { return a[0] != '['; });
  return out;
}

std::string PeerManager::listen_address() const {
  std::vector<std::string> all = ListenAddresses();
  return all.empty() ? std::string() : all.front();
}

}  // namespace accord::daemon
