#pragma once

// Finding a widget the way a screen reader user names it: by its accessible
// name (a control), or by its accessible description (a status label, whose
// name is its changing text).
#include <QString>
#include <QWidget>

namespace hookline::test {

template <typename W>
W *byAccessibleName(QWidget *root, const QString &name)
{
    for (auto *w : root->findChildren<W *>()) {
        if (w->accessibleName() == name)
            return w;
    }
    return nullptr;
}

template <typename W>
W *byAccessibleDescription(QWidget *root, const QString &description)
{
    for (auto *w : root->findChildren<W *>()) {
        if (w->accessibleDescription() == description)
            return w;
    }
    return nullptr;
}

} // namespace hookline::test
