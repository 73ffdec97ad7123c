#include "daemon/net/address_book.h"

#include <gtest/gtest.h>

#include "tests/daemon/net/net_fixture.h"

namespace accord::daemon {
namespace {

class AddressBookTest : public NetFixture {
 protected:
  AddressBookTest() {
    home_ = Home("a");
    node_ = OpenOk(home_);
    EXPECT_TRUE(node_->Init("Alice", "laptop").ok());
  }
  // The node as after a restart, and a new book over it, loaded.
  std::unique_ptr<AddressBook> Reopened() {
    node_.reset();
    node_ = OpenOk(home_);
    auto book = std::make_unique<AddressBook>(*node_);
    book->Load();
    return book;
  }

  InstancePaths home_;
  std::unique_ptr<Node> node_;
  StrangerKeys bob_;
  DialTarget bob_at_{bob_.signing.public_key(), bob_.dh.public_key(), "127.0.0.1:7001"};
};

TEST_F(AddressBookTest, ARememberedAddressIsDialedAgainAfterARestart) {
  AddressBook(*node_).Remember(bob_at_);
  std::unique_ptr<AddressBook> book = Reopened();
  ASSERT_EQ(book->addresses().size(), 1u);
  EXPECT_EQ(book->addresses()[0].device, bob_at_.device);
  EXPECT_EQ(book->addresses()[0].x25519, bob_at_.x25519);
  EXPECT_EQ(book->addresses()[0].address, "127.0.0.1:7001");
  EXPECT_EQ(book->PinnedDevice(bob_at_.x25519), bob_at_.device);
}

TEST_F(AddressBookTest, EveryAddressADeviceWasReachedAtIsKeptNewestFirstUpToTheBound) {
  {
    AddressBook book(*node_);
    for (int i = 0; i < static_cast<int>(kMaxAddressesPerDevice) + 2; ++i) {
      DialTarget t = bob_at_;
      t.address = "10.0.0." + std::to_string(i) + ":7001";
      book.Remember(t);
    }
    DialTarget again = bob_at_;
    again.address = "10.0.0.3:7001";  // seen again: moves to the front, not kept twice
    book.Remember(again);
    EXPECT_TRUE(book.Knows(bob_at_.device, "10.0.0.3:7001"));
    EXPECT_FALSE(book.Knows(bob_at_.device, "10.0.0.0:7001"));  // the oldest fell off
  }
  std::unique_ptr<AddressBook> book = Reopened();
  const std::vector<std::string>& kept = book->remembered().at(bob_at_.device);
  ASSERT_EQ(kept.size(), kMaxAddressesPerDevice);
  EXPECT_EQ(kept.front(), "10.0.0.3:7001");
  EXPECT_EQ(kept[1], "10.0.0.7:7001");
  EXPECT_EQ(book->addresses().size(), kMaxAddressesPerDevice);  // each one is dialed
}

TEST_F(AddressBookTest, ADeviceRememberedWithoutAnAddressIsPinnedButNeverDialed) {
  AddressBook(*node_).Remember(DialTarget{bob_at_.device, bob_at_.x25519, ""});
  std::unique_ptr<AddressBook> book = Reopened();
  EXPECT_TRUE(book->addresses().empty());
  EXPECT_EQ(book->pinned().count(bob_at_.device), 1u);
  EXPECT_EQ(book->LastSeen().at(bob_at_.device), 0);
}

TEST_F(AddressBookTest, RememberingDialsTheAddressButDoesNotPinTheDevice) {
  AddressBook book(*node_);
  book.Remember(bob_at_);
  EXPECT_EQ(book.addresses().size(), 1u);
  EXPECT_TRUE(book.pinned().empty());
  EXPECT_FALSE(book.PinnedDevice(bob_at_.x25519).has_value());
}

TEST_F(AddressBookTest, AnAddressRememberedTwiceIsDialedOnce) {
  AddressBook book(*node_);
  book.Remember(bob_at_);
  book.Remember(bob_at_);
  EXPECT_EQ(book.addresses().size(), 1u);
}

TEST_F(AddressBookTest, APinnedDeviceIsFoundByItsX25519Key) {
  AddressBook book(*node_);
  book.Pin(bob_at_.device, bob_at_.x25519);
  EXPECT_EQ(book.PinnedDevice(bob_at_.x25519), bob_at_.device);
  StrangerKeys carol;
  EXPECT_FALSE(book.PinnedDevice(carol.dh.public_key()).has_value());
  EXPECT_TRUE(book.addresses().empty());
}

TEST_F(AddressBookTest, AReachedDeviceIsLastSeenWhenRemembered) {
  AddressBook book(*node_);
  book.Remember(bob_at_);
  EXPECT_EQ(book.LastSeen().at(bob_at_.device), node_->NowMs());
}

TEST_F(AddressBookTest, TheStoreHoldsTheAddressOnlySealed) {
  AddressBook(*node_).Remember(bob_at_);
  Result<std::vector<store::Store::PeerRow>> rows = node_->store().Peers();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].sealed_address.find("127.0.0.1"), std::string::npos);
  EXPECT_EQ((*rows)[0].sealed_address.find(ToHex(bob_at_.x25519)), std::string::npos);
}

TEST_F(AddressBookTest, ARowThatDoesNotOpenIsSkipped) {
  ASSERT_TRUE(node_->RememberPeer(bob_at_.device, "not sealed", 1).ok());
  std::unique_ptr<AddressBook> book = Reopened();
  EXPECT_TRUE(book->addresses().empty());
  EXPECT_TRUE(book->pinned().empty());
}

}  // namespace
}  // namespace accord::daemon
