#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace hookline {

// Shows a new API key the one time it exists in clear: read-only, with a
// Copy button that puts it on the clipboard as a secret (cleared after 30 s).
class NewKeyDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NewKeyDialog)
public:
    NewKeyDialog(const QString &key, const QString &whose, QWidget *parent = nullptr);
    ~NewKeyDialog() override;

private:
    QLineEdit *m_key;
    QPushButton *m_copy;
    QLabel *m_copied;
};

} // namespace hookline
