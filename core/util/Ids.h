#pragma once

#include <QString>

namespace hookline {

// Identifiers are a prefix ("wh_", "evt_", "msg_", ...) and 22 base62
// characters: 48 bits of milliseconds then 80 random bits. They sort by
// creation time, which keeps B-tree inserts at the right edge of the index and
// lets "newest first" use the primary key.
QString newId(QStringView prefix);

} // namespace hookline
