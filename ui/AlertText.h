#pragma once

#include "model/Alert.h"

#include <QCoreApplication>
#include <QString>

namespace hookline {

// An alert's detail in the window's language, told from its facts; the
// engine's English detail when it has none (an alert of an older Hookline).
class AlertText final {
    Q_DECLARE_TR_FUNCTIONS(hookline::AlertText)
public:
    AlertText() = delete;
    static QString detail(const Alert &alert);
};

} // namespace hookline
