#pragma once

#include <QtGlobal>

namespace hookline::api {

// The process's log output while `hookline-cli serve` runs. Qt's own handler
// writes each line with a write(2) of its own, and the request log has a
// line for every request, written on the thread that answers them. This
// handler gathers debug and info lines and writes them together when the
// thread that installed it is about to wait for events again (under load,
// once per pass over the ready connections; when idle, at once), or when
// 64 KB wait. A warning or worse writes what was gathered, then itself, at
// once, so the order of lines is kept. Lines are formatted as Qt's handler
// does (qFormatLogMessage: QT_MESSAGE_PATTERN applies) and go to stderr.
class GatheredLogOutput final {
public:
    static constexpr qsizetype kMaxGatheredBytes = 64 * 1024;

    // On a thread whose event loop runs (serve: the main thread), once.
    static void install();
    // Writes what was gathered; also at exit (a post routine).
    static void flush();

private:
    GatheredLogOutput() = delete;
};

} // namespace hookline::api
