#pragma once

#include <QWidget>

class QPushButton;

namespace hookline {

// What a first start shows instead of an empty form with an error: what a
// webhook is, in one line, and the button to make the first one.
class EmptyStatePane final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EmptyStatePane)

public:
    explicit EmptyStatePane(QWidget *parent = nullptr);

    QPushButton *newButton() const { return m_new; }

Q_SIGNALS:
    void newWebhookRequested();

private:
    QPushButton *m_new;
};

} // namespace hookline
