// What counts as damage to a stored entry, and what proves a peer's copy good
// (daemon/log/integrity.cc), on real signed entries with every byte flipped in turn.
#include "daemon/log/integrity.h"

#include <gtest/gtest.h>

#include "tests/daemon/log/test_feed.h"

namespace accord::log {
namespace {

struct Written {
  EntryId id{};
  EntryHeader header;
  Envelope envelope;
};

Written WriteOne(testing::TestFeed& feed) {
  AuthoredEntry e = feed.Write(0, testing::NeedBody("a quiet hour every evening"));
  return Written{e.id, e.header, e.envelope};
}

TEST(Integrity, AnIntactEntryHasNoDamageAndIsAGoodCopy) {
  testing::TestFeed feed;
  Written w = WriteOne(feed);
  EXPECT_EQ(CheckStoredBytes(w.id, w.header, w.envelope), Damage::kNone);
  EXPECT_EQ(CheckStoredEntry(w.id, w.header, w.envelope, SignatureVerdict::kValid), Damage::kNone);
  EXPECT_TRUE(IsIntactCopy(w.id, w.envelope));
}

TEST(Integrity, EveryFlippedBodyByteIsBodyDamageAndNoGoodCopy) {
  testing::TestFeed feed;
  Written w = WriteOne(feed);
  for (size_t i = 0; i < w.envelope.sealed_body.size(); ++i) {
    Envelope e = w.envelope;
    e.sealed_body[i] ^= 0x20;
    EXPECT_EQ(CheckStoredBytes(w.id, w.header, e), Damage::kBody) << "byte " << i;
    EXPECT_FALSE(IsIntactCopy(w.id, e)) << "byte " << i;
  }
}

TEST(Integrity, EveryFlippedHeaderOrSignatureByteIsHeaderDamageAndNoGoodCopy) {
  testing::TestFeed feed;
  Written w = WriteOne(feed);
  for (size_t i = 0; i < w.envelope.header.size(); ++i) {
    Envelope e = w.envelope;
    e.header[i] ^= 0x01;
    EXPECT_EQ(CheckStoredBytes(w.id, w.header, e), Damage::kHeader) << "byte " << i;
    EXPECT_FALSE(IsIntactCopy(w.id, e)) << "byte " << i;
  }
  for (size_t i = 0; i < w.envelope.signature.size(); ++i) {
    Envelope e = w.envelope;
    e.signature[i] ^= 0x01;
    EXPECT_FALSE(IsIntactCopy(w.id, e)) << "signature byte " << i;
  }
  EXPECT_EQ(CheckStoredEntry(w.id, w.header, w.envelope, SignatureVerdict::kInvalid),
            Damage::kHeader);
}

TEST(Integrity, ABodylessEntryIsMissingItsBodyAndNoGoodCopy) {
  testing::TestFeed feed;
  Written w = WriteOne(feed);
  Envelope e = w.envelope;
  e.sealed_body.clear();
  EXPECT_EQ(CheckStoredBytes(w.id, w.header, e), Damage::kMissingBody);
  EXPECT_FALSE(IsIntactCopy(w.id, e));
}

TEST(Integrity, AnIntactCopyOfAnotherEntryIsNoCopyOfThisOne) {
  testing::TestFeed feed;
  Written first = WriteOne(feed);
  Written second = WriteOne(feed);
  EXPECT_FALSE(IsIntactCopy(first.id, second.envelope));
  EXPECT_TRUE(IsIntactCopy(second.id, second.envelope));
}

}  // namespace
}  // namespace accord::log
