#pragma once

// Installs the user-interface translation for a locale: Matryx's own strings (embedded under
// :/i18n) and Qt's standard dialogs. English needs no file.

#include <QLocale>

namespace matryx {

// Replaces any translation installed before. Returns false when Matryx has no translation for
// the locale's language (the interface then stays English).
bool loadLanguage(const QLocale& locale);

} // namespace matryx
