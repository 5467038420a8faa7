#pragma once

#include <QString>
#include <QStringList>

namespace hookline {

// A man page in roff (man(7) macros), written from the same tables that
// drive a program's --help, so the two cannot say different things.
class ManPage final {
public:
    // name "hookline-cli", section 1, summary for the NAME line.
    ManPage(const QString &name, int section, const QString &summary);

    // SYNOPSIS and DESCRIPTION, the two sections every page starts with.
    void introduce(const QString &synopsis, const QString &description);
    void section(const QString &title);
    void paragraph(const QString &text);
    // A tagged item: the term in bold (an option or a synopsis), then its text.
    void item(const QString &term, const QString &text);
    // Text kept as written, line by line (examples, command lines).
    void example(const QStringList &lines);

    // The ENVIRONMENT section: what both programs read from the environment.
    void environment();

    QString toRoff() const;

    // Text made safe for roff: backslashes, hyphens and leading dots.
    static QString escape(const QString &text);

private:
    QStringList m_lines;
};

} // namespace hookline
