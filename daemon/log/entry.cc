#include "daemon/log/entry.h"

#include "crypto/hash.h"

namespace accord::log {

EntryId ComputeEntryId(ByteView header) { return crypto::Blake2b256(header); }

}  // namespace accord::log
