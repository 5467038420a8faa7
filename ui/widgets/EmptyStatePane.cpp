#include "EmptyStatePane.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace hookline {

EmptyStatePane::EmptyStatePane(QWidget *parent)
    : QWidget(parent)
    , m_new(new QPushButton(tr("Create a &webhook"), this))
{
    auto *title = new QLabel(tr("No webhooks yet"), this);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    title->setFont(big);
    auto *what = new QLabel(tr("A webhook sends the events you choose to a URL of yours, signed so that the receiver can "
                               "check they come from you, and retried until it answers."),
                            this);
    what->setWordWrap(true);
    auto *how = new QLabel(tr("Give it the receiver's URL, pick the events, save: the receiver gets the signing secret "
                              "from the Secret tab, and Send test ping (Ctrl+T) checks the whole path."),
                           this);
    how->setWordWrap(true);
    m_new->setAccessibleName(tr("Create a webhook"));
    m_new->setDefault(true);
    connect(m_new, &QPushButton::clicked, this, &EmptyStatePane::newWebhookRequested);

    auto *column = new QVBoxLayout;
    column->addWidget(title);
    column->addWidget(what);
    column->addWidget(how);
    column->addSpacing(12);
    column->addWidget(m_new, 0, Qt::AlignLeft);
    auto *inner = new QWidget(this);
    inner->setLayout(column);
    inner->setMaximumWidth(560);
    // Centred by stretches, not by an alignment flag: wrapped labels then get
    // the width they need for their height.
    auto *row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(inner, 3);
    row->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addStretch(1);
    layout->addLayout(row);
    layout->addStretch(2);
}

} // namespace hookline
