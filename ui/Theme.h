#pragma once

#include <QColor>
#include <QPalette>

class QWidget;

namespace hookline {

// The window's few meaningful colours, in one place. Each is picked for the
// palette in use (a light or a dark one), so red text stays readable on a
// dark background; meaning is never carried by colour alone (words and icons
// say it too).
class Theme final {
public:
    enum class Tone { Normal, Success, Warning, Error, Muted };

    Theme() = delete;

    static bool isDark(const QPalette &palette);
    static QColor color(Tone tone, const QPalette &palette);
    static QColor color(Tone tone); // for the application's palette
    static QColor errorBackground(const QPalette &palette);
    // Sets a widget's text colour (a label's, say) to the tone; Normal restores it.
    static void setTone(QWidget *widget, Tone tone);
    // A dark or a light window whatever the desktop says (Qt 6.4 follows the
    // desktop's dark mode only where its platform theme reports one): the
    // Fusion style with a palette of our own. Call before the window is built.
    static void applyPalette(bool dark);
};

} // namespace hookline
