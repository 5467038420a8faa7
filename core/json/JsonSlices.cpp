#include "JsonSlices.h"

#include "json/HexDigit.h"

namespace hookline {

namespace {
// Index just past the value starting at `i` (canonical text: no whitespace).
qsizetype skipValue(QByteArrayView s, qsizetype i)
{
    if (i >= s.size())
        return -1;
    if (s[i] == '"') {
        for (++i; i < s.size(); ++i) {
            if (s[i] == '\\')
                ++i;
            else if (s[i] == '"')
                return i + 1;
        }
        return -1;
    }
    if (s[i] == '{' || s[i] == '[') {
        int depth = 0;
        for (; i < s.size(); ++i) {
            const char c = s[i];
            if (c == '"') {
                i = skipValue(s, i) - 1;
                if (i < 0)
                    return -1;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (--depth == 0)
                    return i + 1;
            }
        }
        return -1;
    }
    while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']')
        ++i;
    return i;
}

} // namespace

std::optional<QString> JsonSlices::string(QByteArrayView s)
{
    if (s.size() < 2 || s.front() != '"' || s.back() != '"')
        return std::nullopt;
    QString out;
    QByteArray raw;
    const auto flush = [&] {
        out += QString::fromUtf8(raw);
        raw.clear();
    };
    for (qsizetype i = 1; i < s.size() - 1; ++i) {
        const char c = s[i];
        if (c != '\\') {
            raw += c;
            continue;
        }
        if (++i >= s.size() - 1)
            return std::nullopt;
        flush();
        switch (s[i]) {
        case '"': out += u'"'; break;
        case '\\': out += u'\\'; break;
        case '/': out += u'/'; break;
        case 'b': out += u'\b'; break;
        case 'f': out += u'\f'; break;
        case 'n': out += u'\n'; break;
        case 'r': out += u'\r'; break;
        case 't': out += u'\t'; break;
        case 'u': {
            if (i + 4 >= s.size())
                return std::nullopt;
            int code = 0;
            for (int k = 1; k <= 4; ++k) {
                const int h = hexDigitValue(uchar(s[i + k]));
                if (h < 0)
                    return std::nullopt;
                code = code * 16 + h;
            }
            out += QChar(char16_t(code));
            i += 4;
            break;
        }
        default: return std::nullopt;
        }
    }
    flush();
    return out;
}

std::optional<QList<JsonSlices::Member>> JsonSlices::members(QByteArrayView s)
{
    if (s.size() < 2 || s.front() != '{' || s.back() != '}')
        return std::nullopt;
    QList<Member> out;
    qsizetype i = 1;
    while (i < s.size() - 1) {
        const auto keyEnd = skipValue(s, i);
        if (keyEnd < 0 || keyEnd >= s.size() || s[keyEnd] != ':')
            return std::nullopt;
        auto key = string(s.sliced(i, keyEnd - i));
        if (!key)
            return std::nullopt;
        const auto valueEnd = skipValue(s, keyEnd + 1);
        if (valueEnd < 0)
            return std::nullopt;
        out.append({*key, s.sliced(keyEnd + 1, valueEnd - keyEnd - 1).toByteArray()});
        i = valueEnd + (valueEnd < s.size() - 1 && s[valueEnd] == ',' ? 1 : 0);
    }
    return out;
}

std::optional<QList<QByteArray>> JsonSlices::elements(QByteArrayView s)
{
    if (s.size() < 2 || s.front() != '[' || s.back() != ']')
        return std::nullopt;
    QList<QByteArray> out;
    qsizetype i = 1;
    while (i < s.size() - 1) {
        const auto end = skipValue(s, i);
        if (end < 0)
            return std::nullopt;
        out.append(s.sliced(i, end - i).toByteArray());
        i = end + (end < s.size() - 1 && s[end] == ',' ? 1 : 0);
    }
    return out;
}

std::optional<QByteArray> JsonSlices::member(const QList<Member> &members, QStringView key)
{
    for (const auto &[k, v] : members) {
        if (k == key)
            return v;
    }
    return std::nullopt;
}

} // namespace hookline
