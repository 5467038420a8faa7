#include "AboutDialog.h"

#include "AppIcon.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSslSocket>
#include <QVBoxLayout>

namespace hookline {

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("About Hookline"));
    auto *text = new QLabel(this);
    text->setTextFormat(Qt::RichText);
    text->setWordWrap(true);
    text->setOpenExternalLinks(false);
    text->setAccessibleName(tr("About Hookline"));
    text->setText(tr("<h2>Hookline %1</h2>"
                     "<p>Outgoing webhooks: signed, delivered, retried, and kept in a history you can browse.</p>"
                     "<p>Built with Qt %2 (running on %3) and %4.</p>"
                     "<h3>Licences</h3>"
                     "<p>Qt is used under the GNU Lesser General Public License v3 (Qt Charts and Qt HTTP Server under the GNU GPL v3). "
                     "OpenSSL 3 is used under the Apache License 2.0. SQLite is in the public domain.</p>")
                      .arg(QStringLiteral(HOOKLINE_VERSION), QStringLiteral(QT_VERSION_STR), QString::fromLatin1(qVersion()),
                           QSslSocket::sslLibraryVersionString()));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *icon = new QLabel(this);
    icon->setPixmap(AppIcon::icon().pixmap(64, 64));
    icon->setAlignment(Qt::AlignTop);
    icon->setAccessibleName(tr("Hookline icon"));
    auto *row = new QHBoxLayout;
    row->addWidget(icon);
    row->addWidget(text, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(buttons);
    resize(520, 320);
}

} // namespace hookline
