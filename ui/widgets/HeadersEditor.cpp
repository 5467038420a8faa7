#include "HeadersEditor.h"

#include "Theme.h"

#include "service/WebhookValidator.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace hookline {

HeadersEditor::HeadersEditor(QWidget *parent)
    : QWidget(parent)
    , m_table(new QTableWidget(0, 2, this))
    , m_problem(new QLabel(this))
{
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Value")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setTabKeyNavigation(false);
    m_table->setAccessibleName(tr("Custom headers"));
    m_table->setAccessibleDescription(tr("Headers sent with every delivery, after Hookline's own"));
    m_problem->setWordWrap(true);
    Theme::setTone(m_problem, Theme::Tone::Error);
    m_problem->setAccessibleDescription(tr("Custom header problem")); // the text is the accessible name
    auto *add = new QPushButton(tr("Add header"), this);
    auto *remove = new QPushButton(tr("Remove header"), this);
    add->setAccessibleName(tr("Add header"));
    remove->setAccessibleName(tr("Remove header"));
    connect(add, &QPushButton::clicked, this, [this] {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        m_table->setItem(row, 0, new QTableWidgetItem);
        m_table->setItem(row, 1, new QTableWidgetItem);
        m_table->setCurrentCell(row, 0);
        m_table->editItem(m_table->item(row, 0));
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_table->currentRow() >= 0)
            m_table->removeRow(m_table->currentRow());
        validate();
        Q_EMIT changed();
    });
    connect(m_table, &QTableWidget::itemChanged, this, [this] {
        validate();
        Q_EMIT changed();
    });
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table);
    layout->addLayout(buttons);
    layout->addWidget(m_problem);
    m_problem->hide();
}

void HeadersEditor::setHeaders(const QList<CustomHeader> &headers)
{
    const QSignalBlocker block(m_table);
    m_table->setRowCount(0);
    for (const auto &h : headers) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        m_table->setItem(row, 0, new QTableWidgetItem(h.name));
        m_table->setItem(row, 1, new QTableWidgetItem(h.value));
    }
    validate();
}

QList<CustomHeader> HeadersEditor::headers() const
{
    QList<CustomHeader> out;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const auto *name = m_table->item(row, 0);
        const auto *value = m_table->item(row, 1);
        const auto n = name ? name->text().trimmed() : QString();
        const auto v = value ? value->text() : QString();
        if (!n.isEmpty() || !v.isEmpty())
            out << CustomHeader{n, v};
    }
    return out;
}

void HeadersEditor::setHeaderPrefix(const QString &prefix)
{
    m_prefix = prefix;
    validate();
}

QString HeadersEditor::problem() const
{
    return m_problemText;
}

void HeadersEditor::validate()
{
    WebhookValidator::Context context;
    context.headerPrefix = m_prefix;
    const auto status = WebhookValidator(context).validateHeaders(headers());
    m_problemText = status ? QString() : status.error().message;
    const QSignalBlocker block(m_table);
    const WebhookValidator validator(context);
    for (int row = 0; row < m_table->rowCount(); ++row) {
        auto *item = m_table->item(row, 0);
        if (!item)
            continue;
        // Each row on its own, then against the others for duplicates.
        const auto *valueItem = m_table->item(row, 1);
        const CustomHeader header{item->text().trimmed(), valueItem ? valueItem->text() : QString()};
        QString why;
        if (header.name.isEmpty() && header.value.isEmpty())
            why.clear();
        else if (const auto s = validator.validateHeaders({header}); !s)
            why = s.error().message;
        for (int other = 0; other < m_table->rowCount() && why.isEmpty(); ++other) {
            const auto *o = m_table->item(other, 0);
            if (other != row && o && !header.name.isEmpty() && o->text().trimmed().compare(header.name, Qt::CaseInsensitive) == 0)
                why = tr("%1 is given twice").arg(header.name);
        }
        item->setBackground(why.isEmpty() ? QBrush() : Theme::errorBackground(m_table->palette()));
        item->setToolTip(why);
    }
    m_problem->setText(m_problemText);
    m_problem->setVisible(!m_problemText.isEmpty());
}

} // namespace hookline
