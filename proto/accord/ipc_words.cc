#include "accord/ipc_words.h"

namespace accord::proto {

namespace {
constexpr std::string_view kUnknown = "unknown";
}  // namespace

// Each switch names every enumerator of the generated enum (protoc's two range sentinels too)
// and has no default, so a value added to ipc.proto without a word here is a -Wswitch warning.

std::string_view WordFor(VersionStatus status) {
  switch (status) {
    case VERSION_STATUS_ACTIVE:
      return "active";
    case VERSION_STATUS_PENDING:
      return "pending";
    case VERSION_STATUS_SUPERSEDED:
      return "superseded";
    case VERSION_STATUS_RETIRED:
      return "retired";
    case VERSION_STATUS_UNSPECIFIED:
    case VersionStatus_INT_MIN_SENTINEL_DO_NOT_USE_:
    case VersionStatus_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return kUnknown;
}

std::string_view WordFor(AgreementStatus status) {
  switch (status) {
    case AGREEMENT_STATUS_ACTIVE:
      return "active";
    case AGREEMENT_STATUS_PENDING:
      return "pending";
    case AGREEMENT_STATUS_RETIRED:
      return "retired";
    case AGREEMENT_STATUS_UNSPECIFIED:
    case AgreementStatus_INT_MIN_SENTINEL_DO_NOT_USE_:
    case AgreementStatus_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return kUnknown;
}

std::string_view WordFor(Scope scope) {
  switch (scope) {
    case SCOPE_SHARED:
      return "shared";
    case SCOPE_PRIVATE:
      return "private";
    case SCOPE_CONTROL:
      return "control";
    case SCOPE_UNSPECIFIED:
    case Scope_INT_MIN_SENTINEL_DO_NOT_USE_:
    case Scope_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return kUnknown;
}

std::string_view WordFor(EntryKind kind) {
  switch (kind) {
    case ENTRY_KIND_NEED:
      return "need";
    case ENTRY_KIND_BOUNDARY:
      return "boundary";
    case ENTRY_KIND_PROPOSAL:
      return "proposal";
    case ENTRY_KIND_COUNTER:
      return "counter";
    case ENTRY_KIND_ACCEPTANCE:
      return "acceptance";
    case ENTRY_KIND_DECLINE:
      return "decline";
    case ENTRY_KIND_RETIRE:
      return "retire";
    case ENTRY_KIND_SPACE_REQUEST:
      return "space-request";
    case ENTRY_KIND_SPACE_ACK:
      return "space-ack";
    case ENTRY_KIND_SPACE_BACK:
      return "space-back";
    case ENTRY_KIND_CHECK_IN:
      return "check-in";
    case ENTRY_KIND_APPRECIATION:
      return "appreciation";
    case ENTRY_KIND_REFLECTION:
      return "reflection";
    case ENTRY_KIND_MEMBER_CREATED:
      return "member-created";
    case ENTRY_KIND_MEMBER_ADDED:
      return "member-added";
    case ENTRY_KIND_DEVICE_ADDED:
      return "device-added";
    case ENTRY_KIND_MEMBER_LEFT:
      return "member-left";
    case ENTRY_KIND_DEVICE_REMOVED:
      return "device-removed";
    case ENTRY_KIND_EPOCH_START:
      return "epoch-start";
    case ENTRY_KIND_PRIVATE_CHAIN_START:
      return "private-chain";
    case ENTRY_KIND_FORGET:
      return "forget";
    case ENTRY_KIND_ERASED:
      return "erased";
    case ENTRY_KIND_DEVICE_REKEYED:
      return "device-rekeyed";
    case ENTRY_KIND_RETRACT:
      return "retract";
    case ENTRY_KIND_PERSON_KEY_START:
      return "person-key";
    case ENTRY_KIND_SEALED:
      return "sealed";
    case ENTRY_KIND_DAMAGED:
      return "damaged";
    case ENTRY_KIND_REPAIRED:
      return "repaired";
    case ENTRY_KIND_UNSPECIFIED:
    case EntryKind_INT_MIN_SENTINEL_DO_NOT_USE_:
    case EntryKind_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return kUnknown;
}

std::string_view WordFor(Signature signature) {
  switch (signature) {
    case SIGNATURE_STORED:
      return "stored";
    case SIGNATURE_VERIFIED:
      return "verified";
    case SIGNATURE_BAD:
      return "BAD";
    case SIGNATURE_UNSPECIFIED:
    case Signature_INT_MIN_SENTINEL_DO_NOT_USE_:
    case Signature_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return kUnknown;
}

std::string_view WordFor(Damage damage) {
  switch (damage) {
    case DAMAGE_UNSPECIFIED:
      return "";
    case DAMAGE_HEADER:
      return "header";
    case DAMAGE_BODY:
      return "body";
    case DAMAGE_MISSING_BODY:
      return "missing body";
    case DAMAGE_UNDECRYPTABLE:
      return "does not decrypt";
    case Damage_INT_MIN_SENTINEL_DO_NOT_USE_:
    case Damage_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return kUnknown;
}

std::string_view WordFor(InviteState state) {
  switch (state) {
    case INVITE_STATE_OPEN:
      return "open";
    case INVITE_STATE_CONSENT:
      return "consent";
    case INVITE_STATE_PAIRED:
      return "paired";
    case INVITE_STATE_DECLINED:
      return "declined";
    case INVITE_STATE_FAILED:
      return "failed";
    case INVITE_STATE_EXPIRED:
      return "expired";
    case INVITE_STATE_UNSPECIFIED:
    case InviteState_INT_MIN_SENTINEL_DO_NOT_USE_:
    case InviteState_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return kUnknown;
}

std::string_view WordFor(PeerState state) {
  switch (state) {
    case PEER_STATE_CONNECTED:
      return "connected";
    case PEER_STATE_CONNECTING:
      return "connecting";
    case PEER_STATE_OFFLINE:
      return "offline";
    case PEER_STATE_UNSPECIFIED:
    case PeerState_INT_MIN_SENTINEL_DO_NOT_USE_:
    case PeerState_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return kUnknown;
}

std::string_view WordFor(CheckResult result) {
  switch (result) {
    case CHECK_RESULT_OK:
      return "ok";
    case CHECK_RESULT_WARNING:
      return "warning";
    case CHECK_RESULT_FAILED:
      return "FAILED";
    case CHECK_RESULT_UNSPECIFIED:
    case CheckResult_INT_MIN_SENTINEL_DO_NOT_USE_:
    case CheckResult_INT_MAX_SENTINEL_DO_NOT_USE_:
      break;
  }
  return kUnknown;
}

}  // namespace accord::proto
