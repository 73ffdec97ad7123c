#include "daemon/ipc/resolve.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace accord::daemon {

namespace {

Status CheckPrefix(std::string_view prefix, const char* what) {
  if (prefix.size() < kMinIdPrefix) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(what) + " id '" +
                                                      std::string(prefix) +
                                                      "' is too short; give at least " +
                                                      std::to_string(kMinIdPrefix) + " hex digits");
  }
  bool hex = std::all_of(prefix.begin(), prefix.end(),
                         [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
  if (!hex) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string(what) + " id '" + std::string(prefix) + "' is not hexadecimal");
  }
  return Status::Ok();
}

bool Matches(const log::EntryId& id, std::string_view prefix) {
  std::string hex = ToHex(id);
  std::string lower(prefix);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return hex.compare(0, lower.size(), lower) == 0;
}

// `lists`: the command(s) that list what was looked for, for the not-found advice.
Error NoneOrMany(const char* what, std::string_view prefix, const std::vector<std::string>& hits,
                 const char* lists) {
  if (hits.empty()) {
    return MakeError(ErrorCode::kNotFound, std::string("no ") + what + " with id '" +
                                               std::string(prefix) + "'; list them with " + lists);
  }
  std::string message = "id '" + std::string(prefix) + "' is ambiguous; it matches:";
  for (const std::string& h : hits) message += " " + h.substr(0, 12);
  return MakeError(ErrorCode::kAmbiguous, message + "; give more digits");
}

}  // namespace

Result<AgreementRef> ResolveAgreement(const state::Live& state, std::string_view prefix) {
  ACCORD_RETURN_IF_ERROR(CheckPrefix(prefix, "agreement"));
  std::vector<AgreementRef> refs;
  std::vector<std::string> hits;
  for (const state::Agreement& a : state.agreements) {
    for (size_t i = 0; i < a.versions.size(); ++i) {
      const log::EntryId& id = a.versions[i].by.id;
      if (!Matches(id, prefix)) continue;
      AgreementRef ref{&a, std::nullopt};
      if (id != a.id) ref.version = id;
      refs.push_back(ref);
      hits.push_back(ToHex(id));
    }
  }
  if (refs.size() != 1) return NoneOrMany("agreement", prefix, hits, "accord agreements");
  return refs.front();
}

Result<const state::SpaceRequest*> ResolveSpaceRequest(const state::Live& state,
                                                       std::string_view prefix) {
  ACCORD_RETURN_IF_ERROR(CheckPrefix(prefix, "space request"));
  std::vector<const state::SpaceRequest*> found;
  std::vector<std::string> hits;
  for (const state::SpaceRequest& r : state.space_requests) {
    if (Matches(r.by.id, prefix)) {
      found.push_back(&r);
      hits.push_back(ToHex(r.by.id));
    }
  }
  if (found.size() != 1) return NoneOrMany("space request", prefix, hits, "accord space");
  return found.front();
}

Result<log::EntryId> ResolveReflection(const state::State& state, std::string_view prefix) {
  ACCORD_RETURN_IF_ERROR(CheckPrefix(prefix, "reflection"));
  std::vector<log::EntryId> found;
  std::vector<std::string> hits;
  for (const state::Reflection& r : state.reflections) {
    if (Matches(r.by.id, prefix)) {
      found.push_back(r.by.id);
      hits.push_back(ToHex(r.by.id));
    }
  }
  if (found.size() != 1) return NoneOrMany("reflection", prefix, hits, "accord reflections");
  return found.front();
}

Result<log::EntryId> ResolveItem(const state::State& state, std::string_view prefix) {
  ACCORD_RETURN_IF_ERROR(CheckPrefix(prefix, "entry"));
  std::vector<log::EntryId> found;
  auto consider = [&](const log::EntryId& id) {
    if (Matches(id, prefix)) found.push_back(id);
  };
  for (const state::Need& x : state.needs) consider(x.by.id);
  for (const state::Boundary& x : state.boundaries) consider(x.by.id);
  for (const state::Appreciation& x : state.appreciations) consider(x.by.id);
  for (const state::CheckIn& x : state.check_ins) consider(x.by.id);
  for (const state::SpaceRequest& x : state.space_requests) consider(x.by.id);
  for (const state::Agreement& a : state.agreements)
    for (const state::Version& v : a.versions) consider(v.by.id);
  for (const state::Reflection& x : state.reflections) consider(x.by.id);
  if (found.size() == 1) return found.front();
  std::vector<std::string> hits;
  for (const log::EntryId& id : found) hits.push_back(ToHex(id));
  std::sort(hits.begin(), hits.end());
  return NoneOrMany("entry", prefix, hits,
                    "accord needs, boundaries, appreciations, checkins or space");
}

}  // namespace accord::daemon
