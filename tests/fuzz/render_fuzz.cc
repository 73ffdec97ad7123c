// The client's text renderer (client/render.h RenderText, RenderExportChunk, ToJson): any
// Response a daemon (or whatever sits on its socket) sends. Input: a byte (bit 0: also render as
// an export chunk), 8 bytes of "now", then the Response bytes.
// Invariants: text output is valid UTF-8 with no C0/C1 control, DEL, bidi control, mark or
// separator other than newline and tab, for any input text (checked here with a decoder of
// its own, not base/text.cc's); JSON output holds no raw C0 control but newline.
#include <sstream>
#include <string>

#include "client/render.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using accord::Bytes;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
namespace fuzz = accord::fuzz;
namespace proto = accord::proto;

// The code point starting at s[i] (advancing i), or -1 for bytes that are not UTF-8.
int64_t NextCodePoint(std::string_view s, size_t& i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return -1;
  int64_t cp = len == 1 ? c : c & (0x7f >> len);
  for (size_t k = 1; k < len; ++k) {
    if ((b(i + k) & 0xc0) != 0x80) return -1;
    cp = cp << 6 | (b(i + k) & 0x3f);
  }
  static constexpr int64_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
  i += len;
  return cp;
}

bool Unsafe(int64_t cp) {
  if (cp == '\n' || cp == '\t') return false;
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f || cp == 0x061c ||
         cp == 0x2028 || cp == 0x2029;
}

void CheckTerminalSafe(const std::string& out, const char* what) {
  for (size_t i = 0; i < out.size();) {
    const int64_t cp = NextCodePoint(out, i);
    if (cp < 0 || Unsafe(cp)) fuzz::Fail(what);
  }
}

// Seeds: each Response kind with every string field holding hostile text (reflection, so a
// new field is covered), the shape the daemon sends.
void Fill(Message& m, int depth, int salt) {
  static const std::string kText[] = {"Alice", "\x1b]0;owned\a",
                                      "a\xe2\x80\xae"
                                      "b\n",
                                      "\xc2\x9b"
                                      "2J",
                                      "ok\r\n\tmore"};
  const google::protobuf::Descriptor* d = m.GetDescriptor();
  const google::protobuf::Reflection* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->containing_oneof() != nullptr && depth == 0) continue;
    const bool rep = f->is_repeated();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: {
        const std::string& t = kText[(i + salt) % 5];
        rep ? r->AddString(&m, f, t) : r->SetString(&m, f, t);
        break;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (depth < 3)
          Fill(rep ? *r->AddMessage(&m, f) : *r->MutableMessage(&m, f), depth + 1, salt + i);
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        rep ? r->AddInt64(&m, f, 1'700'000'000'000) : r->SetInt64(&m, f, 1'700'000'000'000);
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        rep ? r->AddUInt32(&m, f, 3) : r->SetUInt32(&m, f, 3);
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        rep ? r->AddBool(&m, f, true) : r->SetBool(&m, f, true);
        break;
      case FieldDescriptor::CPPTYPE_ENUM: {
        const auto* e = f->enum_type()->value((i + salt) % f->enum_type()->value_count());
        rep ? r->AddEnum(&m, f, e) : r->SetEnum(&m, f, e);
        break;
      }
      default:
        break;
    }
  }
}

std::vector<Bytes> Seeds() {
  std::vector<Bytes> seeds;
  const google::protobuf::OneofDescriptor* result =
      proto::Response::descriptor()->FindOneofByName("result");
  for (int i = 0; i < result->field_count(); ++i) {
    proto::Response response;
    Fill(*response.GetReflection()->MutableMessage(&response, result->field(i)), 1, i);
    Bytes seed = {static_cast<uint8_t>(i == 0 ? 1 : 0), 0, 0, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00};
    std::string bytes = response.SerializeAsString();
    seed.insert(seed.end(), bytes.begin(), bytes.end());
    seeds.push_back(std::move(seed));
  }
  return seeds;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::Init();
  fuzz::WriteSeedsIfAsked("render", Seeds);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::ResetRandom(size);
  fuzz::Input in(data, size);
  const uint8_t control = in.Byte();
  uint64_t now = 0;
  for (int i = 0; i < 8; ++i) now = now << 8 | in.Byte();
  const accord::ByteView bytes = in.Rest();
  proto::Response response;
  if (!response.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return 0;
  std::ostringstream text;
  accord::client::RenderText(response, static_cast<int64_t>(now >> 1), text);
  CheckTerminalSafe(text.str(), "RenderText printed an unsafe byte");
  if (control & 1) {
    std::ostringstream chunk;
    accord::client::RenderExportChunk(accord::AsChars(bytes), chunk);
    CheckTerminalSafe(chunk.str(), "RenderExportChunk printed an unsafe byte");
  }
  const std::string json = accord::client::ToJson(response, (control & 2) != 0);
  for (unsigned char c : json)
    fuzz::Check(c >= 0x20 || c == '\n', "ToJson printed a raw control byte");
  return 0;
}
