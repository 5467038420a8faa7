#pragma once

#include "model/Delivery.h"
#include "model/Event.h"

#include <QDialog>

class QLabel;
class QListWidget;
class QPlainTextEdit;

namespace hookline {

class AppContext;

// Every attempt of one delivery: the request as sent (headers, body) and what
// came back (status, headers, body, error), with copy-as-curl.
class AttemptDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AttemptDialog)

public:
    AttemptDialog(AppContext &context, const QString &deliveryId, QWidget *parent = nullptr);

    QString curlForCurrent() const;
    QListWidget *attemptList() const { return m_list; }

public:
    // An attempt's timings (model/Delivery.h) as one line of words.
    static QString timingsText(const QByteArray &json);

private:
    void showAttempt(int index);
    QByteArray requestBody(const Attempt &attempt) const;

    AppContext &m_context;
    QString m_deliveryId;
    QString m_url;
    Event m_event;
    QList<Attempt> m_attempts;
    QLabel *m_summary;
    QListWidget *m_list;
    QPlainTextEdit *m_request;
    QPlainTextEdit *m_response;
};

} // namespace hookline
