#include "ManPage.h"

#include <QDate>

namespace hookline {

ManPage::ManPage(const QString &name, int section, const QString &summary)
{
    // The date is the build's: a page rebuilt on another day only differs there.
    m_lines << QStringLiteral(".TH %1 %2 \"%3\" \"Hookline %4\" \"Hookline Manual\"")
                   .arg(name.toUpper(), QString::number(section), QDate::currentDate().toString(Qt::ISODate), QStringLiteral(HOOKLINE_VERSION))
            << QStringLiteral(".SH NAME") << QStringLiteral("%1 \\- %2").arg(escape(name), escape(summary));
}

void ManPage::introduce(const QString &synopsis, const QString &description)
{
    section(QStringLiteral("Synopsis"));
    paragraph(synopsis);
    section(QStringLiteral("Description"));
    paragraph(description);
}

void ManPage::section(const QString &title)
{
    m_lines << QStringLiteral(".SH ") + escape(title.toUpper());
}

void ManPage::paragraph(const QString &text)
{
    m_lines << QStringLiteral(".PP") << escape(text);
}

void ManPage::item(const QString &term, const QString &text)
{
    m_lines << QStringLiteral(".TP") << QStringLiteral(".B ") + escape(term);
    if (!text.isEmpty())
        m_lines << escape(text);
}

void ManPage::example(const QStringList &lines)
{
    m_lines << QStringLiteral(".PP") << QStringLiteral(".nf") << QStringLiteral(".RS 4");
    for (const auto &l : lines)
        m_lines << escape(l);
    m_lines << QStringLiteral(".RE") << QStringLiteral(".fi");
}

void ManPage::environment()
{
    section(QStringLiteral("Environment"));
    item(QStringLiteral("HOOKLINE_DB"), QStringLiteral("The database when --db is not given: a SQLite file or a postgresql:// URL."));
    item(QStringLiteral("HOOKLINE_MASTER_KEY"),
         QStringLiteral("Base64 of the 32-byte key webhook secrets are encrypted with. Without it: the system keychain, else a key file "
                        "beside the database (FILE.key, mode 0600)."));
    item(QStringLiteral("QT_LOGGING_RULES"),
         QStringLiteral("Which log categories are written: hookline.engine, hookline.store, hookline.net, hookline.service, hookline.api "
                        "(warnings are on by default), e.g. \"hookline.*.debug=true\"."));
}

QString ManPage::toRoff() const
{
    return m_lines.join(u'\n') + u'\n';
}

QString ManPage::escape(const QString &text)
{
    QString out;
    out.reserve(text.size() + 8);
    bool lineStart = true;
    for (const QChar c : text) {
        if (lineStart && (c == u'.' || c == u'\''))
            out += QStringLiteral("\\&"); // a line starting with . or ' would be read as a request
        if (c == u'\\')
            out += QStringLiteral("\\e");
        else if (c == u'-')
            out += QStringLiteral("\\-"); // a real minus, so options can be searched and copied
        else
            out += c;
        lineStart = c == u'\n';
    }
    return out;
}

} // namespace hookline
