#include "client/request_text.h"

#include <google/protobuf/descriptor.h>

#include <algorithm>

#include "base/text.h"

namespace accord::client {

namespace {

using google::protobuf::FieldDescriptor;

Status NotUtf8(const FieldDescriptor* field) {
  std::string name = field->name();
  std::replace(name.begin(), name.end(), '_', ' ');
  return MakeError(ErrorCode::kInvalidArgument, "the " + name + " is not valid UTF-8");
}

}  // namespace

Status CheckRequestText(const google::protobuf::Message& m) {
  const google::protobuf::Reflection* reflection = m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(m, &fields);
  for (const FieldDescriptor* field : fields) {
    const bool repeated = field->is_repeated();
    const int count = repeated ? reflection->FieldSize(m, field) : 1;
    for (int i = 0; i < count; ++i) {
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
        std::string scratch;
        const std::string& s = repeated
                                   ? reflection->GetRepeatedStringReference(m, field, i, &scratch)
                                   : reflection->GetStringReference(m, field, &scratch);
        if (!IsValidUtf8(s)) return NotUtf8(field);
      } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        ACCORD_RETURN_IF_ERROR(CheckRequestText(repeated
                                                    ? reflection->GetRepeatedMessage(m, field, i)
                                                    : reflection->GetMessage(m, field)));
      }
    }
  }
  return Status::Ok();
}

}  // namespace accord::client
