#include "Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace hookline {

bool Translations::install(const QLocale &locale)
{
    // Owned by the application: translators must outlive every tr() call.
    auto *app = QCoreApplication::instance();
    auto *english = new QTranslator(app);
    if (english->load(QStringLiteral(":/i18n/hookline_en.qm")))
        QCoreApplication::installTranslator(english);
    auto *qt = new QTranslator(app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    if (locale.language() == QLocale::English)
        return true;
    // Installed last, searched first.
    auto *chosen = new QTranslator(app);
    if (!chosen->load(locale, QStringLiteral("hookline"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        return false;
    QCoreApplication::installTranslator(chosen);
    return true;
}

} // namespace hookline
