#pragma once

#include <QIcon>

namespace hookline {

// Hookline's application icon (resources/icons), for the window, the About
// dialog and the tray. Built from the PNG sizes, so no SVG plugin is needed.
class AppIcon final {
public:
    AppIcon() = delete;

    static QIcon icon();
};

} // namespace hookline
