#pragma once

#include <QList>
#include <QString>

class QCommandLineParser;

namespace hookline {

struct GuiOption final {
    const char *name;      // "db"
    const char *valueName; // "PATH|URL", or nullptr for a flag
    const char *what;
};

// The window's command-line options: one table for the parser, --help and
// the man page hookline(1).
class GuiOptions final {
public:
    GuiOptions() = delete;

    static const QList<GuiOption> &all();
    static void addTo(QCommandLineParser &parser);
    static QString manPage();
};

} // namespace hookline
