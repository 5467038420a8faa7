#include "AuditDialog.h"

#include "AppContext.h"
#include "models/AuditModel.h"
#include "service/AuditLog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace hookline {

AuditDialog::AuditDialog(AppContext &context, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_model(new AuditModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_filter(new QLineEdit(this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Audit log"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1); // any column
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortRole(AuditModel::RawDataRole);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(AuditModel::At, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setTabKeyNavigation(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_table->setAccessibleName(tr("Audit log entries"));
    m_filter->setPlaceholderText(tr("Filter: a webhook id, a user, an action…"));
    m_filter->setAccessibleName(tr("Filter the audit log"));
    m_filter->setClearButtonEnabled(true);
    m_status->setAccessibleDescription(tr("Audit log status")); // its text is what a screen reader reads
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    auto *filterLabel = new QLabel(tr("&Filter:"), this);
    filterLabel->setBuddy(m_filter);
    auto *top = new QHBoxLayout;
    top->addWidget(filterLabel);
    top->addWidget(m_filter, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *refresh = buttons->addButton(tr("&Refresh"), QDialogButtonBox::ActionRole);
    refresh->setAccessibleName(tr("Refresh the audit log"));
    connect(refresh, &QPushButton::clicked, this, &AuditDialog::load);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(1100, 560);
    load();
}

void AuditDialog::load()
{
    m_status->setText(tr("Reading the audit log…"));
    m_context.db().run<Result<QList<AuditEntry>>>(
        [](QSqlDatabase db) {
            AuditFilter filter;
            filter.limit = kShown;
            return AuditLog(db).list(filter);
        },
        this,
        [this](Result<QList<AuditEntry>> entries) {
            if (!entries) {
                m_status->setText(entries.error().message);
                return;
            }
            const auto n = int(entries->size());
            m_model->setEntries(std::move(*entries));
            m_table->resizeColumnsToContents();
            m_status->setText(n >= kShown ? tr("The newest %1 changes.").arg(kShown) : tr("%n change(s).", nullptr, n));
            Q_EMIT loaded();
        });
}

} // namespace hookline
