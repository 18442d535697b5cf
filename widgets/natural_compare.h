#pragma once

// Orders names the way people read them: runs of digits compare by value, so "blk.2" comes
// before "blk.10". Everything else compares case-insensitively, then exactly, so the order is total.

#include <QStringView>

namespace matryx {

// Negative, zero or positive as `a` sorts before, with or after `b`.
int naturalCompare(QStringView a, QStringView b);

} // namespace matryx
