#include "NewKeyDialog.h"

#include "Clipboard.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace hookline {

NewKeyDialog::NewKeyDialog(const QString &key, const QString &whose, QWidget *parent)
    : QDialog(parent)
    , m_key(new QLineEdit(key, this))
    , m_copy(new QPushButton(tr("&Copy key"), this))
    , m_copied(new QLabel(this))
{
    setWindowTitle(tr("New API key"));
    auto *intro = new QLabel(tr("The API key for %1. It is shown this once: Hookline keeps only a hash of it. "
                                "Copy it into the product that will call the API now.")
                                 .arg(whose),
                             this);
    intro->setWordWrap(true);
    m_key->setReadOnly(true);
    m_key->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_key->setAccessibleName(tr("New API key"));
    m_key->setMinimumWidth(m_key->fontMetrics().horizontalAdvance(key) + 24);
    m_copy->setAccessibleName(tr("Copy the API key"));
    m_copied->setAccessibleDescription(tr("Copy status"));
    m_copied->setText(tr("Not copied yet."));
    connect(m_copy, &QPushButton::clicked, this, [this] {
        Clipboard::instance()->setSecret(m_key->text());
        m_copied->setText(tr("Copied. The clipboard is cleared in %n seconds.", nullptr, Clipboard::instance()->clearDelayMs() / 1000));
    });
    auto *row = new QHBoxLayout;
    row->addWidget(m_key, 1);
    row->addWidget(m_copy);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(row);
    layout->addWidget(m_copied);
    layout->addWidget(buttons);
    m_copy->setFocus();
}

NewKeyDialog::~NewKeyDialog()
{
    // The key leaves memory with the dialog; the clipboard clears itself.
    m_key->clear();
}

} // namespace hookline
