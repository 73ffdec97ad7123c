#include "daemon/log/signatures.h"

#include <algorithm>
#include <thread>

#include "crypto/sign.h"
#include "daemon/log/header.h"

namespace accord::log {

namespace {

SignatureVerdict Check(const Envelope& envelope) {
  if (envelope.signature.size() != kSignatureBytes) return SignatureVerdict::kUnchecked;
  Result<EntryHeader> header = DecodeHeader(envelope.header);
  if (!header.ok()) return SignatureVerdict::kUnchecked;
  crypto::Signature signature;
  std::copy(envelope.signature.begin(), envelope.signature.end(), signature.begin());
  return crypto::VerifySignature(header->author, envelope.header, signature)
             ? SignatureVerdict::kValid
             : SignatureVerdict::kInvalid;
}

void CheckSlice(std::span<const Envelope> batch, std::span<SignatureVerdict> out) {
  for (size_t i = 0; i < batch.size(); ++i) out[i] = Check(batch[i]);
}

}  // namespace

std::vector<SignatureVerdict> VerifySignatures(std::span<const Envelope> batch, unsigned threads) {
  std::vector<SignatureVerdict> verdicts(batch.size(), SignatureVerdict::kUnchecked);
  threads = std::clamp(threads, 1u, kMaxSignatureThreads);
  if (batch.size() < kMinParallelSignatures) threads = 1;
  const size_t slice = (batch.size() + threads - 1) / std::max(threads, 1u);
  std::vector<std::jthread> helpers;
  std::span<SignatureVerdict> out(verdicts);
  for (unsigned t = 1; t < threads; ++t) {
    const size_t begin = std::min(batch.size(), t * slice);
    const size_t count = std::min(slice, batch.size() - begin);
    if (count == 0) break;
    // Each thread writes only its own slice of `verdicts` (distinct bytes: no race).
    helpers.emplace_back(CheckSlice, batch.subspan(begin, count), out.subspan(begin, count));
  }
  const size_t mine = std::min(slice, batch.size());
  CheckSlice(batch.subspan(0, mine), out.subspan(0, mine));
  helpers.clear();  // joins
  return verdicts;
}

unsigned SignatureThreads() {
  const unsigned cores = std::thread::hardware_concurrency();
  return std::clamp(cores == 0 ? 1u : cores, 1u, kMaxSignatureThreads);
}

}  // namespace accord::log
