// TcpTap: a loopback TCP forwarder that counts the bytes of peer connections passing through
// it, split into the connection-type byte plus the first frame each way (the handshake) and
// the frames after it. Bench only; its own thread forwards, any thread reads the counters.
#ifndef ACCORD_BENCH_TCP_TAP_H_
#define ACCORD_BENCH_TCP_TAP_H_

#include <atomic>
#include <cstdint>
#include <thread>

namespace accord::bench {

class TcpTap {
 public:
  // Listens on 127.0.0.1:`listen_port` (SO_REUSEADDR, so a port a daemon just left can be
  // taken over) and forwards every accepted connection to 127.0.0.1:`upstream_port`.
  TcpTap(uint16_t listen_port, uint16_t upstream_port);
  ~TcpTap();  // stops forwarding and closes every connection
  TcpTap(const TcpTap&) = delete;
  TcpTap& operator=(const TcpTap&) = delete;

  bool listening() const { return listen_fd_ >= 0; }
  // Totals over all connections and both directions.
  uint64_t bytes() const { return handshake_bytes_ + frame_bytes_; }
  uint64_t handshake_bytes() const { return handshake_bytes_; }  // type byte, msg1, msg2
  uint64_t frame_bytes() const { return frame_bytes_; }          // transport frames
  uint64_t frames() const { return frames_; }
  uint64_t connections() const { return connections_; }

 private:
  void Run();

  int listen_fd_ = -1;
  uint16_t upstream_port_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> handshake_bytes_{0};
  std::atomic<uint64_t> frame_bytes_{0};
  std::atomic<uint64_t> frames_{0};
  std::atomic<uint64_t> connections_{0};
  std::thread thread_;
};

}  // namespace accord::bench

#endif  // ACCORD_BENCH_TCP_TAP_H_
