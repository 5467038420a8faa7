#include "SpreadRewriter.h"

#include <QList>
#include <QStringList>

#include <QSet>
#include <algorithm>

namespace hookline {

namespace {

constexpr char kSpreadHelperName[] = "__hooklineSpread";
// Spread *defines* own data properties (CreateDataProperty); Object.assign
// would *assign* them, calling setters such as __proto__ and accessors of the
// target. Keys come from Object.keys: own, enumerable, in property order.
constexpr char kSpreadHelper[]
    = "function __hooklineSpread(target) {"
      " for (var i = 1; i < arguments.length; i++) {"
      " var source = arguments[i]; if (source === null || source === undefined) continue;"
      " source = Object(source); var keys = Object.keys(source);"
      " for (var k = 0; k < keys.length; k++)"
      " Object.defineProperty(target, keys[k], {value: source[keys[k]], writable: true, enumerable: true, configurable: true});"
      " } return target; }";

enum class Kind { Identifier, Number, String, Template, Regex, Punct };

struct Token {
    Kind kind;
    qsizetype start;
    qsizetype end;
};

bool isIdentStart(QChar c)
{
    return c.isLetter() || c == u'_' || c == u'$' || c.unicode() > 0x7f;
}

bool isIdentPart(QChar c)
{
    return isIdentStart(c) || c.isDigit();
}

// Keywords after which a '/' starts a regular expression and a '{' an object literal.
const QSet<QString> &expressionKeywords()
{
    static const QSet<QString> words{QStringLiteral("return"), QStringLiteral("typeof"), QStringLiteral("void"),  QStringLiteral("delete"),
                                     QStringLiteral("in"),     QStringLiteral("of"),     QStringLiteral("new"),   QStringLiteral("yield"),
                                     QStringLiteral("await"),  QStringLiteral("case"),   QStringLiteral("throw"), QStringLiteral("instanceof")};
    return words;
}

class Tokenizer {
public:
    explicit Tokenizer(const QString &s)
        : m_s(s)
    {
    }

    std::optional<QList<Token>> run(QString *error)
    {
        QList<Token> out;
        qsizetype i = 0;
        const qsizetype n = m_s.size();
        while (i < n) {
            const QChar c = m_s[i];
            if (c.isSpace()) {
                ++i;
            } else if (c == u'/' && i + 1 < n && m_s[i + 1] == u'/') {
                while (i < n && m_s[i] != u'\n')
                    ++i;
            } else if (c == u'/' && i + 1 < n && m_s[i + 1] == u'*') {
                const auto close = m_s.indexOf(QStringLiteral("*/"), i + 2);
                if (close < 0)
                    return fail(error, QStringLiteral("unterminated comment"));
                i = close + 2;
            } else if (c == u'"' || c == u'\'') {
                const auto start = i;
                for (++i; i < n && m_s[i] != c; ++i) {
                    if (m_s[i] == u'\\')
                        ++i;
                    else if (m_s[i] == u'\n')
                        return fail(error, QStringLiteral("unterminated string"));
                }
                if (i >= n)
                    return fail(error, QStringLiteral("unterminated string"));
                out.append({Kind::String, start, ++i});
            } else if (c == u'`') {
                const auto start = i;
                if (!skipTemplate(i))
                    return fail(error, QStringLiteral("unterminated template literal"));
                out.append({Kind::Template, start, i});
            } else if (c.isDigit() || (c == u'.' && i + 1 < n && m_s[i + 1].isDigit())) {
                const auto start = i;
                while (i < n && (isIdentPart(m_s[i]) || m_s[i] == u'.'))
                    ++i;
                out.append({Kind::Number, start, i});
            } else if (isIdentStart(c)) {
                const auto start = i;
                while (i < n && isIdentPart(m_s[i]))
                    ++i;
                out.append({Kind::Identifier, start, i});
            } else if (c == u'/' && regexAllowed(out)) {
                const auto start = i;
                bool inClass = false;
                for (++i; i < n; ++i) {
                    if (m_s[i] == u'\\')
                        ++i;
                    else if (m_s[i] == u'[')
                        inClass = true;
                    else if (m_s[i] == u']')
                        inClass = false;
                    else if (m_s[i] == u'/' && !inClass)
                        break;
                    else if (m_s[i] == u'\n')
                        return fail(error, QStringLiteral("unterminated regular expression"));
                }
                if (i >= n)
                    return fail(error, QStringLiteral("unterminated regular expression"));
                for (++i; i < n && isIdentPart(m_s[i]);)
                    ++i;
                out.append({Kind::Regex, start, i});
            } else {
                // Punctuators: the ones that matter here are "...", "=>" and single brackets.
                qsizetype len = 1;
                if (m_s.mid(i, 3) == u"...")
                    len = 3;
                else if (m_s.mid(i, 2) == u"=>")
                    len = 2;
                out.append({Kind::Punct, i, i + len});
                i += len;
            }
        }
        return out;
    }

private:
    bool skipTemplate(qsizetype &i)
    {
        const qsizetype n = m_s.size();
        for (++i; i < n; ++i) {
            if (m_s[i] == u'\\') {
                ++i;
            } else if (m_s[i] == u'`') {
                ++i;
                return true;
            } else if (m_s[i] == u'$' && i + 1 < n && m_s[i + 1] == u'{') {
                int depth = 0;
                for (i += 1; i < n; ++i) {
                    if (m_s[i] == u'{') {
                        ++depth;
                    } else if (m_s[i] == u'}') {
                        if (--depth == 0)
                            break;
                    } else if (m_s[i] == u'`') {
                        if (!skipTemplate(i))
                            return false;
                        --i;
                    } else if (m_s[i] == u'"' || m_s[i] == u'\'') {
                        const QChar q = m_s[i];
                        for (++i; i < n && m_s[i] != q; ++i) {
                            if (m_s[i] == u'\\')
                                ++i;
                        }
                    }
                }
                if (i >= n)
                    return false;
            }
        }
        return false;
    }

    bool regexAllowed(const QList<Token> &tokens) const
    {
        if (tokens.isEmpty())
            return true;
        const auto &t = tokens.constLast();
        const auto text = m_s.mid(t.start, t.end - t.start);
        if (t.kind == Kind::Identifier)
            return expressionKeywords().contains(text);
        if (t.kind == Kind::Punct)
            return text != u")" && text != u"]" && text != u"}";
        return false;
    }

    std::optional<QList<Token>> fail(QString *error, const QString &why)
    {
        if (error)
            *error = why;
        return std::nullopt;
    }

    const QString &m_s;
};

class Rewriter {
public:
    Rewriter(const QString &s, QList<Token> tokens)
        : m_s(s)
        , m_tokens(std::move(tokens))
    {
    }

    std::optional<QString> run(QString *error)
    {
        m_match.fill(-1, m_tokens.size());
        QList<qsizetype> stack;
        for (qsizetype i = 0; i < m_tokens.size(); ++i) {
            const auto t = text(i);
            if (t == u"{" || t == u"(" || t == u"[") {
                stack << i;
            } else if (t == u"}" || t == u")" || t == u"]") {
                if (stack.isEmpty() || !closes(text(stack.constLast()), t)) {
                    if (error)
                        *error = QStringLiteral("unbalanced '%1'").arg(t);
                    return std::nullopt;
                }
                m_match[stack.takeLast()] = i;
            }
        }
        if (!stack.isEmpty()) {
            if (error)
                *error = QStringLiteral("unclosed '%1'").arg(text(stack.constLast()));
            return std::nullopt;
        }
        if (m_tokens.isEmpty())
            return m_s;
        // The helper is a function declaration at the end: hoisted, so usable
        // everywhere, and no line of the script moves (errors keep their line).
        const QString body = gap(0) + range(0, m_tokens.size()) + m_s.mid(m_tokens.constLast().end);
        if (!m_usedHelper)
            return m_s; // spreads only in arrays and calls, which the engine has
        return body + u'\n' + QLatin1StringView(kSpreadHelper);
    }

private:
    static bool closes(const QString &open, const QString &close)
    {
        return (open == u"{" && close == u"}") || (open == u"(" && close == u")") || (open == u"[" && close == u"]");
    }

    QString text(qsizetype i) const { return m_s.mid(m_tokens[i].start, m_tokens[i].end - m_tokens[i].start); }

    // Source before token i (whitespace and comments), back to the previous token.
    QString gap(qsizetype i) const
    {
        const auto from = i == 0 ? 0 : m_tokens[i - 1].end;
        return m_s.mid(from, m_tokens[i].start - from);
    }

    bool isObjectLiteral(qsizetype i) const
    {
        if (i == 0)
            return false;
        const auto &prev = m_tokens[i - 1];
        const auto t = text(i - 1);
        if (prev.kind == Kind::Identifier)
            return expressionKeywords().contains(t);
        if (prev.kind != Kind::Punct)
            return false;
        return t != u")" && t != u"]" && t != u"}" && t != u";" && t != u"=>" && t != u"{";
    }

    // Only the line breaks of a stretch of source: what a rewrite must keep so
    // that line numbers in error messages still match the script as written.
    QString newlinesOf(const QString &text) const { return QString(text.count(u'\n'), u'\n'); }

    // Tokens [from, to) with their gaps, except the gap before `from`.
    QString range(qsizetype from, qsizetype to) const
    {
        QString out;
        for (qsizetype i = from; i < to; ++i) {
            if (i > from)
                out += gap(i);
            if (text(i) == u"{" && isObjectLiteral(i) && m_match[i] > i) {
                out += literal(i, m_match[i]);
                i = m_match[i];
            } else {
                out += text(i);
            }
        }
        return out;
    }

    QString literal(qsizetype open, qsizetype close) const
    {
        struct Entry {
            qsizetype from;
            qsizetype to;
        };
        QList<Entry> entries;
        qsizetype start = open + 1;
        for (qsizetype i = open + 1; i < close; ++i) {
            if (m_match[i] > i) {
                i = m_match[i];
            } else if (text(i) == u",") {
                entries.append({start, i});
                start = i + 1;
            }
        }
        if (start < close)
            entries.append({start, close});
        const bool hasSpread = std::any_of(entries.cbegin(), entries.cend(), [&](const Entry &e) { return text(e.from) == u"..."; });
        if (!hasSpread) {
            QString out = QStringLiteral("{");
            for (const auto &e : entries) {
                out += gap(e.from) + range(e.from, e.to);
                if (e.to < close)
                    out += gap(e.to) + u',';
            }
            return out + gap(close) + u'}';
        }
        QStringList parts;
        QStringList group;
        const auto flush = [&] {
            if (!group.isEmpty())
                parts << u'{' + group.join(QStringLiteral(", ")) + u'}';
            group.clear();
        };
        for (const auto &e : entries) {
            if (e.from == e.to)
                continue;
            const auto lines = newlinesOf(gap(e.from));
            if (text(e.from) == u"...") {
                flush(); // the literal before the spread, if any, is the target
                if (parts.isEmpty())
                    parts << QStringLiteral("{}");
                parts << lines + range(e.from + 1, e.to);
            } else {
                group << lines + range(e.from, e.to);
            }
        }
        flush();
        m_usedHelper = true;
        return QLatin1StringView(kSpreadHelperName) + u'(' + parts.join(QStringLiteral(", ")) + newlinesOf(gap(close)) + u')';
    }

    const QString &m_s;
    QList<Token> m_tokens;
    QList<qsizetype> m_match;
    mutable bool m_usedHelper = false;
};

} // namespace

std::optional<QString> SpreadRewriter::rewrite(const QString &script, QString *error)
{
    auto tokens = Tokenizer(script).run(error);
    if (!tokens)
        return std::nullopt;
    if (!std::any_of(tokens->cbegin(), tokens->cend(), [&](const Token &t) { return t.end - t.start == 3 && script.mid(t.start, 3) == u"..."; }))
        return script; // nothing to do: keep the script exactly as written
    return Rewriter(script, std::move(*tokens)).run(error);
}

} // namespace hookline
