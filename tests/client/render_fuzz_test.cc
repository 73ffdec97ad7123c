// Random bytes in every string field of every response the client renders as text never put a
// C0/C1 control, DEL, a bidi override/isolate/mark or invalid UTF-8 on stdout (SPEC §6: text
// from anyone is data). Fields are found by reflection, so a new field is covered unasked.
#include <gtest/gtest.h>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "base/text.h"
#include "client/render.h"

namespace accord::client {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr int kRoundsPerResponse = 400;  // renders per response type
constexpr int kMaxDepth = 4;             // nested messages filled

class Filler {
 public:
  explicit Filler(uint32_t seed) : rng_(seed) {}

  std::string RandomText() {
    // Words the renderer branches on, so every branch sees hostile neighbours.
    static const std::vector<std::string> kWords = {"open",    "paired", "consent", "connected",
                                                    "retired", "active", "pending", ""};
    static const std::vector<std::string> kNasty = {
        "\x1b]0;owned\a",     "\x1b[2J",      "\r",           "\b",
        std::string(1, '\0'), "\x7f",         "\xc2\x9b",     "\x9b",
        "\xc2\x85",           "\xe2\x80\xae", "\xe2\x81\xa6", "\xe2\x80\x8f",
        "\xd8\x9c",           "\xe2\x80\xa8", "\n",           "\t",
        "\xf0\x9f",           "\xed\xa0\x80", "\xc0\xaf"};
    if (rng_() % 6 == 0) return kWords[rng_() % kWords.size()];
    std::string s;
    const size_t parts = rng_() % 8;
    for (size_t i = 0; i < parts; ++i) {
      switch (rng_() % 3) {
        case 0:
          s += kNasty[rng_() % kNasty.size()];
          break;
        case 1:
          for (size_t k = rng_() % 6; k > 0; --k) s.push_back(static_cast<char>(rng_() % 256));
          break;
        default:
          s += "text ";
      }
    }
    return s;
  }

  void Fill(Message& m, int depth) {
    const Descriptor* d = m.GetDescriptor();
    const Reflection* r = m.GetReflection();
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      if (f->containing_oneof() != nullptr) continue;  // Response.result: chosen by the caller
      const int count = f->is_repeated() ? static_cast<int>(rng_() % 3) : 1;
      for (int k = 0; k < count; ++k) FillOne(m, r, f, depth);
    }
  }

 private:
  void FillOne(Message& m, const Reflection* r, const FieldDescriptor* f, int depth) {
    const bool rep = f->is_repeated();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        rep ? r->AddString(&m, f, RandomText()) : r->SetString(&m, f, RandomText());
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (depth < kMaxDepth)
          Fill(rep ? *r->AddMessage(&m, f) : *r->MutableMessage(&m, f), depth + 1);
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        rep ? r->AddBool(&m, f, rng_() % 2) : r->SetBool(&m, f, rng_() % 2);
        break;
      case FieldDescriptor::CPPTYPE_INT32:
        rep ? r->AddInt32(&m, f, rng_() % 100) : r->SetInt32(&m, f, rng_() % 100);
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        rep ? r->AddUInt32(&m, f, rng_() % 100) : r->SetUInt32(&m, f, rng_() % 100);
        break;
      case FieldDescriptor::CPPTYPE_INT64: {
        const int64_t v = 1'700'000'000'000LL + static_cast<int64_t>(rng_() % 100'000'000);
        rep ? r->AddInt64(&m, f, v) : r->SetInt64(&m, f, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_UINT64:
        rep ? r->AddUInt64(&m, f, rng_() % 1000) : r->SetUInt64(&m, f, rng_() % 1000);
        break;
      case FieldDescriptor::CPPTYPE_ENUM: {
        const auto* e =
            f->enum_type()->value(static_cast<int>(rng_() % f->enum_type()->value_count()));
        rep ? r->AddEnum(&m, f, e) : r->SetEnum(&m, f, e);
        break;
      }
      default:
        break;
    }
  }

  std::mt19937 rng_;
};

// Nothing unsafe but newline and tab, and valid UTF-8 throughout.
::testing::AssertionResult SafeForATerminal(const std::string& out) {
  if (!IsValidUtf8(out)) return ::testing::AssertionFailure() << "invalid UTF-8 in output";
  Status s = CheckUserText(out, "output");
  if (!s.ok()) return ::testing::AssertionFailure() << s.error().message;
  return ::testing::AssertionSuccess();
}

TEST(RenderFuzz, RandomBytesInEveryTextFieldNeverReachTheTerminalAsControls) {
  const google::protobuf::OneofDescriptor* result =
      proto::Response::descriptor()->FindOneofByName("result");
  ASSERT_NE(result, nullptr);
  Filler filler(20261201);
  int rendered = 0;
  for (int i = 0; i < result->field_count(); ++i) {
    const FieldDescriptor* kind = result->field(i);
    for (int round = 0; round < kRoundsPerResponse; ++round) {
      proto::Response response;
      filler.Fill(*response.GetReflection()->MutableMessage(&response, kind), 0);
      std::ostringstream out;
      RenderText(response, 1'700'000'000'000LL, out);
      ASSERT_TRUE(SafeForATerminal(out.str())) << kind->name() << " round " << round << "\n"
                                               << response.DebugString();
      ++rendered;
    }
  }
  EXPECT_EQ(rendered, result->field_count() * kRoundsPerResponse);
}

TEST(RenderFuzz, RandomExportChunksAreSafeForATerminal) {
  Filler filler(7);
  for (int round = 0; round < 2000; ++round) {
    std::ostringstream out;
    RenderExportChunk(filler.RandomText() + "\r\n" + filler.RandomText(), out);
    ASSERT_TRUE(SafeForATerminal(out.str())) << round;
  }
}

}  // namespace
}  // namespace accord::client
