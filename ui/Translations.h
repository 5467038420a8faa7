#pragma once

#include <QLocale>

namespace hookline {

// The window's languages: English in the sources, with its plural forms from
// hookline_en.ts (so "1 delivery", "2 deliveries" in every language without a
// translation of its own), then the chosen language over it, then Qt's own.
class Translations final {
public:
    Translations() = delete;

    // Installs them on the application for `locale`; call once, after the
    // QCoreApplication exists. Returns false if the chosen language has none
    // (the window is then in English).
    static bool install(const QLocale &locale);
};

} // namespace hookline
