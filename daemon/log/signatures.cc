#include "daemon/log/signatures.h"

#include <algorithm>
#include <cassert>
#include <thread>

#include "crypto/sign.h"
#include "daemon/log/header.h"

namespace accord::log {

namespace {

SignatureVerdict Check(const Envelope& envelope, const EntryHeader& header) {
  if (envelope.signature.size() != kSignatureBytes) return SignatureVerdict::kUnchecked;
  crypto::Signature signature;
  std::copy(envelope.signature.begin(), envelope.signature.end(), signature.begin());
  return crypto::VerifySignature(header.author, envelope.header, signature)
             ? SignatureVerdict::kValid
             : SignatureVerdict::kInvalid;
}

SignatureVerdict Check(const Envelope& envelope) {
  if (envelope.signature.size() != kSignatureBytes) return SignatureVerdict::kUnchecked;
  Result<EntryHeader> header = DecodeHeader(envelope.header);
  if (!header.ok()) return SignatureVerdict::kUnchecked;
  return Check(envelope, *header);
}

// `check(i)` is entry i's verdict; it is called once for every i, from up to `threads`
// threads, each on its own contiguous slice.
template <typename CheckAt>
std::vector<SignatureVerdict> CheckAll(size_t count, unsigned threads, const CheckAt& check) {
  std::vector<SignatureVerdict> verdicts(count, SignatureVerdict::kUnchecked);
  threads = std::clamp(threads, 1u, kMaxSignatureThreads);
  if (count < kMinParallelSignatures) threads = 1;
  const size_t slice = (count + threads - 1) / std::max(threads, 1u);
  // Each slice writes only its own part of `verdicts` (distinct bytes: no race).
  auto check_slice = [&verdicts, &check](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) verdicts[i] = check(i);
  };
  std::vector<std::jthread> helpers;
  for (unsigned t = 1; t < threads; ++t) {
    const size_t begin = std::min(count, t * slice);
    const size_t end = std::min(count, begin + slice);
    if (begin == end) break;
    helpers.emplace_back(check_slice, begin, end);
  }
  check_slice(0, std::min(slice, count));
  helpers.clear();  // joins
  return verdicts;
}

}  // namespace

std::vector<SignatureVerdict> VerifySignatures(std::span<const Envelope> batch, unsigned threads) {
  return CheckAll(batch.size(), threads, [batch](size_t i) { return Check(batch[i]); });
}

std::vector<SignatureVerdict> VerifySignatures(std::span<const Envelope> batch,
                                               std::span<const EntryHeader> headers,
                                               unsigned threads) {
  assert(headers.size() == batch.size());
  return CheckAll(batch.size(), threads,
                  [batch, headers](size_t i) { return Check(batch[i], headers[i]); });
}

unsigned SignatureThreads() {
  const unsigned cores = std::thread::hardware_concurrency();
  return std::clamp(cores == 0 ? 1u : cores, 1u, kMaxSignatureThreads);
}

}  // namespace accord::log
