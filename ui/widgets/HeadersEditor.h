#pragma once

#include "model/Webhook.h"

#include <QWidget>

class QLabel;
class QTableWidget;

namespace hookline {

// Custom headers as an editable two-column table; reserved and malformed
// names are flagged in place.
class HeadersEditor final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeadersEditor)

public:
    explicit HeadersEditor(QWidget *parent = nullptr);

    void setHeaders(const QList<CustomHeader> &headers);
    QList<CustomHeader> headers() const;
    void setHeaderPrefix(const QString &prefix);
    // Empty when every row is acceptable.
    QString problem() const;

    QTableWidget *table() const { return m_table; }

Q_SIGNALS:
    void changed();

private:
    void validate();

    QTableWidget *m_table;
    QLabel *m_problem;
    QString m_prefix = QStringLiteral("X-Webhook");
    QString m_problemText;
};

} // namespace hookline
