#include "json/CanonicalJson.h"

#include "json/HexDigit.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

// One pass over the UTF-8 input: the parser validates the JSON.parse grammar
// (ECMA-262 §25.5.1, i.e. RFC 8259 strictly) and writes the JSON.stringify
// form of every token straight into the output buffer. Only objects can need
// a second look: when one has array-index keys or duplicate keys, its members
// are re-laid-out in place once the closing '}' is seen (see finishObject()).

namespace hookline {
namespace {

constexpr int kMaxDepth = 512;
constexpr char kHex[] = "0123456789abcdef";

// Bytes that JSON.stringify copies verbatim inside a string and that may
// appear raw in a JSON.parse string: printable ASCII (and DEL) except '"' and
// '\\'. Everything else needs a closer look.
constexpr std::array<bool, 256> kPlainAscii = [] {
    std::array<bool, 256> t{};
    for (int c = 0x20; c < 0x80; ++c)
        t[size_t(c)] = c != '"' && c != '\\';
    return t;
}();

bool isDigit(uchar c)
{
    return c >= '0' && c <= '9';
}
bool isJsonWhitespace(uchar c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// A growable byte buffer written through a raw pointer: QByteArray::append()
// per byte would pay for a detach check and a size update every time.
class Output final {
public:
    explicit Output(qsizetype capacity)
        : m_buf(std::max<qsizetype>(capacity, 32), Qt::Uninitialized)
        , m_data(m_buf.data())
    {
    }

    // Room for n more bytes; commit them with advance().
    char *reserve(qsizetype n)
    {
        if (n > m_buf.size() - m_len) {
            m_buf.resize(std::max(m_buf.size() * 2, m_len + n));
            m_data = m_buf.data();
        }
        return m_data + m_len;
    }
    void advance(qsizetype n) { m_len += n; }
    void put(char c)
    {
        *reserve(1) = c;
        ++m_len;
    }
    void append(const void *p, qsizetype n)
    {
        std::memcpy(reserve(n), p, size_t(n));
        m_len += n;
    }
    qsizetype size() const { return m_len; }
    const char *data() const { return m_data; }
    void truncate(qsizetype n) { m_len = n; }
    QByteArray take()
    {
        m_buf.truncate(m_len);
        return std::move(m_buf);
    }

private:
    QByteArray m_buf;
    char *m_data;
    qsizetype m_len = 0;
};

// QuoteJSONString (ECMA-262 §25.5.2.3) for the code units below U+0080 that
// need escaping: the short forms \b \t \n \f \r \" \\, and UnicodeEscape
// (\u00XX, lowercase hex) for the remaining C0 controls. '/' and DEL are not
// escaped.
void putEscapedAscii(Output &out, uint c)
{
    switch (c) {
    case '"': out.append("\\\"", 2); return;
    case '\\': out.append("\\\\", 2); return;
    case '\b': out.append("\\b", 2); return;
    case '\t': out.append("\\t", 2); return;
    case '\n': out.append("\\n", 2); return;
    case '\f': out.append("\\f", 2); return;
    case '\r': out.append("\\r", 2); return;
    default: {
        const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
        out.append(esc, 6);
    }
    }
}

// QuoteJSONString escapes a lone surrogate (one not part of a valid pair) as
// UnicodeEscape, lowercase: well-formed JSON.stringify (ES2019).
void putSurrogateEscape(Output &out, uint u)
{
    const char esc[6] = {'\\', 'u', kHex[(u >> 12) & 0xf], kHex[(u >> 8) & 0xf], kHex[(u >> 4) & 0xf], kHex[u & 0xf]};
    out.append(esc, 6);
}

// A Unicode scalar value (never a surrogate) as UTF-8.
void putUtf8(Output &out, char32_t cp)
{
    char *d = out.reserve(4);
    if (cp < 0x80) {
        d[0] = char(cp);
        out.advance(1);
    } else if (cp < 0x800) {
        d[0] = char(0xc0 | (cp >> 6));
        d[1] = char(0x80 | (cp & 0x3f));
        out.advance(2);
    } else if (cp < 0x10000) {
        d[0] = char(0xe0 | (cp >> 12));
        d[1] = char(0x80 | ((cp >> 6) & 0x3f));
        d[2] = char(0x80 | (cp & 0x3f));
        out.advance(3);
    } else {
        d[0] = char(0xf0 | (cp >> 18));
        d[1] = char(0x80 | ((cp >> 12) & 0x3f));
        d[2] = char(0x80 | ((cp >> 6) & 0x3f));
        d[3] = char(0x80 | (cp & 0x3f));
        out.advance(4);
    }
}

// Length of the well-formed UTF-8 sequence at p (> 0), or minus the number of
// bytes that a WHATWG UTF-8 decoder turns into ONE U+FFFD ("maximal subpart"
// rule, also Unicode §3.9 U+FFFD substitution): the lead byte plus the
// continuation bytes that were still acceptable. The offending byte is then
// decoded afresh. Node.js decodes request bodies this way, so this is the
// string a JavaScript receiver parses. Overlongs, surrogates (ED A0..BF) and
// code points above U+10FFFF are ill-formed.
int utf8Sequence(const uchar *p, const uchar *end)
{
    const uchar lead = p[0];
    int continuations;
    uchar lo = 0x80, hi = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
        continuations = 1;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        continuations = 2;
        if (lead == 0xe0)
            lo = 0xa0;
        else if (lead == 0xed)
            hi = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        continuations = 3;
        if (lead == 0xf0)
            lo = 0x90;
        else if (lead == 0xf4)
            hi = 0x8f;
    } else {
        return -1;
    }
    for (int i = 1; i <= continuations; ++i) {
        if (p + i >= end || p[i] < lo || p[i] > hi)
            return -i;
        lo = 0x80;
        hi = 0xbf;
    }
    return continuations + 1;
}

// ECMA-262 §7.1.12.1 Number::toString(x) with radix 10, as JSON.stringify
// (SerializeJSONProperty) prints finite numbers; non-finite ones become "null".
// std::to_chars without a precision yields the shortest digit string that
// round-trips, choosing the closest one on ties: exactly the s, k, n of step 5.
// Returns the number of bytes written to out (at most 25).
int writeNumber(char *out, double v)
{
    if (!std::isfinite(v)) {
        std::memcpy(out, "null", 4);
        return 4;
    }
    if (v == 0) { // step 2: both +0 and -0 print as "0"
        out[0] = '0';
        return 1;
    }
    char *o = out;
    if (v < 0) { // step 4: "-" followed by Number::toString(-x)
        *o++ = '-';
        v = -v;
    }
    char sci[32];
    const auto res = std::to_chars(sci, sci + sizeof sci, v, std::chars_format::scientific);
    // sci is "d[.ddd]e[+-]xx": collect the digits s (k of them) and n = exponent + 1.
    char digits[20];
    int k = 0;
    const char *p = sci;
    for (; *p != 'e'; ++p) {
        if (*p != '.')
            digits[k++] = *p;
    }
    int exponent = 0;
    std::from_chars(p + 1 + (p[1] == '+'), res.ptr, exponent);
    const int n = exponent + 1;

    if (k <= n && n <= 21) { // step 6: the digits, then n-k zeros
        std::memcpy(o, digits, size_t(k));
        o += k;
        std::memset(o, '0', size_t(n - k));
        o += n - k;
    } else if (0 < n && n <= 21) { // step 7: decimal point inside the digits
        std::memcpy(o, digits, size_t(n));
        o += n;
        *o++ = '.';
        std::memcpy(o, digits + n, size_t(k - n));
        o += k - n;
    } else if (-6 < n && n <= 0) { // step 8: "0." then -n zeros then the digits
        *o++ = '0';
        *o++ = '.';
        std::memset(o, '0', size_t(-n));
        o += -n;
        std::memcpy(o, digits, size_t(k));
        o += k;
    } else { // steps 9-10: exponential form, "e+" or "e-" and |n-1|
        *o++ = digits[0];
        if (k > 1) {
            *o++ = '.';
            std::memcpy(o, digits + 1, size_t(k - 1));
            o += k - 1;
        }
        *o++ = 'e';
        *o++ = n - 1 > 0 ? '+' : '-';
        o = std::to_chars(o, o + 4, std::abs(n - 1)).ptr;
    }
    return int(o - out);
}

// The key text (between the quotes of its canonical form) as an array index,
// or -1. OrdinaryOwnPropertyKeys (ECMA-262 §10.1.11.1) lists array-index keys
// first, in ascending numeric order, then the other string keys in creation
// order. An array index is a canonical numeric string of an integer in
// 0 .. 2^32-2: no leading zeros, sign, fraction or exponent ("4294967295" is an
// ordinary key). Digits are never escaped, so the canonical bytes decide.
qint64 arrayIndexOf(const char *s, qsizetype len)
{
    if (len < 1 || len > 10 || (s[0] == '0' && len > 1))
        return -1;
    qint64 value = 0;
    for (qsizetype i = 0; i < len; ++i) {
        if (!isDigit(uchar(s[i])))
            return -1;
        value = value * 10 + (s[i] - '0');
    }
    return value <= 4294967294LL ? value : -1;
}

class Parser final {
public:
    explicit Parser(QByteArrayView text)
        : m_begin(reinterpret_cast<const uchar *>(text.data()))
        , m_p(m_begin)
        , m_end(m_begin + text.size())
        , m_out(text.size() + 16)
    {
    }

    bool parseDocument(bool requireObject)
    {
        skipWhitespace();
        if (m_p == m_end)
            return fail(m_p, QStringLiteral("expected a JSON value (the input is empty)"));
        if (requireObject && *m_p != '{')
            return failWith(m_p, QStringLiteral("expected a JSON object"),
                            QStringLiteral("the top-level value starts with %1").arg(describeByte(*m_p)));
        if (!parseValue(0))
            return false;
        skipWhitespace();
        if (m_p != m_end)
            return fail(m_p, QStringLiteral("expected the end of the input after the JSON value"));
        return true;
    }

    QByteArray takeOutput() { return m_out.take(); }

    JsonParseError error() const
    {
        JsonParseError e;
        e.offset = m_errorAt - m_begin;
        const uchar *lineStart = m_begin;
        for (const uchar *p = m_begin; p < m_errorAt; ++p) {
            if (*p == '\n') {
                ++e.line;
                lineStart = p + 1;
            }
        }
        e.column = int(m_errorAt - lineStart) + 1;
        e.message = QStringLiteral("%1 at line %2, column %3 (offset %4)").arg(m_errorWhat).arg(e.line).arg(e.column).arg(e.offset);
        if (!m_errorHint.isEmpty())
            e.message += QStringLiteral(": ") + m_errorHint;
        return e;
    }

private:
    struct Member final {
        qsizetype keyStart; // output offset of the key's opening quote
        qsizetype keyEnd;   // just past its closing quote; the value starts after the ':'
        qsizetype valueEnd;
        qint64 index; // array index, or -1
        int winner;   // member (relative index) whose value this key ends up with
        bool dropped; // a later duplicate of an earlier key
    };

    static QString describeByte(uchar c)
    {
        if (c > 0x20 && c < 0x7f)
            return QStringLiteral("'%1'").arg(QLatin1Char(char(c)));
        if (c == ' ')
            return QStringLiteral("' '");
        if (c < 0x20 || c == 0x7f)
            return QStringLiteral("control character U+%1").arg(QString::number(c, 16).toUpper().rightJustified(4, QLatin1Char('0')));
        return QStringLiteral("byte 0x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
    }

    // "unexpected <what is at `at`>" plus a hint of what the grammar wanted there.
    bool fail(const uchar *at, const QString &hint)
    {
        if (at >= m_end)
            return failWith(m_end, QStringLiteral("unexpected end of input"), hint);
        const uchar c = *at;
        const QString what = c >= 0x80                 ? QStringLiteral("unexpected byte 0x%1").arg(uint(c), 2, 16, QLatin1Char('0'))
                             : (c < 0x20 || c == 0x7f) ? QStringLiteral("unexpected %1").arg(describeByte(c))
                                                       : QStringLiteral("unexpected character %1").arg(describeByte(c));
        return failWith(at, what, hint);
    }

    bool failWith(const uchar *at, const QString &what, const QString &hint)
    {
        m_errorAt = at;
        m_errorWhat = what;
        m_errorHint = hint;
        return false;
    }

    void skipWhitespace()
    {
        while (m_p < m_end && isJsonWhitespace(*m_p))
            ++m_p;
    }

    bool parseValue(int depth)
    {
        if (m_p == m_end)
            return fail(m_p, QStringLiteral("expected a value"));
        switch (*m_p) {
        case '{': return parseObject(depth);
        case '[': return parseArray(depth);
        case '"': return parseString();
        case 't': return parseLiteral("true", 4);
        case 'f': return parseLiteral("false", 5);
        case 'n': return parseLiteral("null", 4);
        case '-':
        case '0':
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7':
        case '8':
        case '9': return parseNumber();
        default: return fail(m_p, QStringLiteral("expected a value (object, array, string, number, true, false or null)"));
        }
    }

    bool enterContainer(int depth)
    {
        if (depth < kMaxDepth)
            return true;
        return failWith(m_p, QStringLiteral("nesting too deep"), QStringLiteral("arrays and objects may nest at most %1 levels").arg(kMaxDepth));
    }

    bool parseObject(int depth)
    {
        if (!enterContainer(depth))
            return false;
        ++m_p;
        m_out.put('{');
        const qsizetype bodyStart = m_out.size();
        const size_t base = m_members.size();
        bool hasIndexKey = false;
        skipWhitespace();
        if (m_p < m_end && *m_p == '}') {
            ++m_p;
            m_out.put('}');
            return true;
        }
        for (;;) {
            if (m_p == m_end || *m_p != '"') {
                const bool trailingComma = m_members.size() > base && m_p < m_end && *m_p == '}';
                return fail(m_p, trailingComma ? QStringLiteral("expected an object key (trailing commas are not allowed)")
                                               : QStringLiteral("expected an object key in double quotes"));
            }
            Member m{};
            m.keyStart = m_out.size();
            if (!parseString())
                return false;
            m.keyEnd = m_out.size();
            m.index = arrayIndexOf(m_out.data() + m.keyStart + 1, m.keyEnd - m.keyStart - 2);
            hasIndexKey |= m.index >= 0;
            skipWhitespace();
            if (m_p == m_end || *m_p != ':')
                return fail(m_p, QStringLiteral("expected ':' after the object key"));
            ++m_p;
            m_out.put(':');
            skipWhitespace();
            if (!parseValue(depth + 1))
                return false;
            m.valueEnd = m_out.size();
            m.winner = int(m_members.size() - base);
            m_members.push_back(m);
            skipWhitespace();
            if (m_p < m_end && *m_p == ',') {
                ++m_p;
                m_out.put(',');
                skipWhitespace();
                continue;
            }
            if (m_p < m_end && *m_p == '}') {
                ++m_p;
                break;
            }
            return fail(m_p, QStringLiteral("expected ',' or '}' after an object member"));
        }
        finishObject(base, bodyStart, hasIndexKey);
        m_members.resize(base);
        m_out.put('}');
        return true;
    }

    std::string_view keyOf(const Member &m) const { return {m_out.data() + m.keyStart, size_t(m.keyEnd - m.keyStart)}; }

    // JSON.parse creates the members with CreateDataProperty in source order
    // (InternalizeJSONProperty / ECMA-262 §25.5.1): a repeated key overwrites
    // the value but keeps the property where it was first created. Then
    // JSON.stringify walks EnumerableOwnProperties, i.e. array-index keys in
    // ascending order first (see arrayIndexOf()). The members were written in
    // source order; rewrite them if that is not already the result.
    void finishObject(size_t base, qsizetype bodyStart, bool hasIndexKey)
    {
        const int n = int(m_members.size() - base);
        Member *mem = m_members.data() + base;
        bool hasDuplicates = false;
        if (n <= 32) {
            for (int i = 1; i < n; ++i) {
                for (int j = 0; j < i; ++j) {
                    if (!mem[j].dropped && keyOf(mem[j]) == keyOf(mem[i])) {
                        mem[j].winner = i;
                        mem[i].dropped = hasDuplicates = true;
                        break;
                    }
                }
            }
        } else {
            m_order.resize(size_t(n));
            for (int i = 0; i < n; ++i)
                m_order[size_t(i)] = i;
            std::sort(m_order.begin(), m_order.end(), [&](int a, int b) {
                const int c = keyOf(mem[a]).compare(keyOf(mem[b]));
                return c != 0 ? c < 0 : a < b;
            });
            for (int i = 0; i < n;) {
                int j = i + 1;
                while (j < n && keyOf(mem[m_order[size_t(j)]]) == keyOf(mem[m_order[size_t(i)]]))
                    mem[m_order[size_t(j++)]].dropped = hasDuplicates = true;
                mem[m_order[size_t(i)]].winner = m_order[size_t(j - 1)];
                i = j;
            }
        }
        if (!hasDuplicates && !hasIndexKey)
            return;

        m_order.clear();
        for (int i = 0; i < n; ++i) {
            if (!mem[i].dropped && mem[i].index >= 0)
                m_order.push_back(i);
        }
        std::sort(m_order.begin(), m_order.end(), [&](int a, int b) { return mem[a].index < mem[b].index; });
        for (int i = 0; i < n; ++i) {
            if (!mem[i].dropped && mem[i].index < 0)
                m_order.push_back(i);
        }
        if (!hasDuplicates) {
            bool unchanged = true;
            for (int i = 0; i < n && unchanged; ++i)
                unchanged = m_order[size_t(i)] == i;
            if (unchanged)
                return;
        }

        m_scratch.assign(m_out.data() + bodyStart, size_t(m_out.size() - bodyStart));
        m_out.truncate(bodyStart);
        const auto copy = [&](qsizetype from, qsizetype to) { m_out.append(m_scratch.data() + (from - bodyStart), to - from); };
        bool first = true;
        for (const int i : m_order) {
            if (!first)
                m_out.put(',');
            first = false;
            const Member &key = mem[i];
            const Member &value = mem[key.winner];
            copy(key.keyStart, key.keyEnd + 1); // the key and its ':'
            copy(value.keyEnd + 1, value.valueEnd);
        }
    }

    bool parseArray(int depth)
    {
        if (!enterContainer(depth))
            return false;
        ++m_p;
        m_out.put('[');
        skipWhitespace();
        if (m_p < m_end && *m_p == ']') {
            ++m_p;
            m_out.put(']');
            return true;
        }
        for (;;) {
            if (!parseValue(depth + 1))
                return false;
            skipWhitespace();
            if (m_p < m_end && *m_p == ',') {
                ++m_p;
                m_out.put(',');
                skipWhitespace();
                if (m_p < m_end && *m_p == ']')
                    return fail(m_p, QStringLiteral("expected a value (trailing commas are not allowed)"));
                continue;
            }
            if (m_p < m_end && *m_p == ']') {
                ++m_p;
                m_out.put(']');
                return true;
            }
            return fail(m_p, QStringLiteral("expected ',' or ']' after an array element"));
        }
    }

    bool parseLiteral(const char *word, int len)
    {
        for (int i = 0; i < len; ++i) {
            if (m_p + i == m_end || m_p[i] != uchar(word[i]))
                return fail(m_p + i, QStringLiteral("expected '%1'").arg(QLatin1StringView(word, len)));
        }
        m_out.append(word, len);
        m_p += len;
        return true;
    }

    // JSON.parse reads the literal with StringToNumber, i.e. rounds it to the
    // nearest double (std::from_chars does the same), and JSON.stringify prints
    // that double with Number::toString (writeNumber()).
    bool parseNumber()
    {
        const uchar *const start = m_p;
        const uchar *p = m_p;
        if (*p == '-')
            ++p;
        if (p == m_end || !isDigit(*p))
            return fail(p, QStringLiteral("expected a digit after '-'"));
        const uchar *const intStart = p;
        if (*p == '0') {
            ++p;
            if (p < m_end && isDigit(*p))
                return fail(p, QStringLiteral("leading zeros are not allowed in numbers"));
        } else {
            while (p < m_end && isDigit(*p))
                ++p;
        }
        const uchar *const intEnd = p;
        const uchar *fracEnd = p;
        bool plainInteger = true;
        if (p < m_end && *p == '.') {
            plainInteger = false;
            ++p;
            if (p == m_end || !isDigit(*p))
                return fail(p, QStringLiteral("expected a digit after the decimal point"));
            while (p < m_end && isDigit(*p))
                ++p;
            fracEnd = p;
        }
        const uchar *expStart = nullptr;
        if (p < m_end && (*p == 'e' || *p == 'E')) {
            plainInteger = false;
            ++p;
            if (p < m_end && (*p == '+' || *p == '-'))
                ++p;
            expStart = p;
            if (p == m_end || !isDigit(*p))
                return fail(p, QStringLiteral("expected a digit in the exponent"));
            while (p < m_end && isDigit(*p))
                ++p;
        }
        m_p = p;

        // Fast path: integers of up to 15 digits are exact doubles and print as
        // written, except "-0" which Number::toString prints as "0".
        if (plainInteger && intEnd - intStart <= 15) {
            if (start != intStart && *intStart == '0')
                m_out.put('0');
            else
                m_out.append(start, p - start);
            return true;
        }
        double v = 0;
        const auto res = std::from_chars(reinterpret_cast<const char *>(start), reinterpret_cast<const char *>(p), v);
        if (res.ec == std::errc::result_out_of_range) {
            // Beyond the double range JSON.parse yields +-Infinity (printed as
            // "null") or +-0 (printed as "0"). Decide from the decimal exponent
            // of the first significant digit.
            long long magnitude = 0;
            if (*intStart != '0') {
                magnitude = intEnd - intStart;
            } else {
                const uchar *q = intEnd + 1;
                while (q < fracEnd && *q == '0')
                    ++q;
                magnitude = -(q - intEnd - 1);
            }
            if (expStart) {
                long long e = 0;
                for (const uchar *q = expStart; q < p; ++q)
                    e = std::min(e * 10 + (*q - '0'), 1'000'000'000'000LL);
                magnitude += expStart[-1] == '-' ? -e : e;
            }
            v = magnitude > 0 ? HUGE_VAL : 0.0;
        }
        char *dest = m_out.reserve(32);
        m_out.advance(writeNumber(dest, v));
        return true;
    }

    // A string token, written as QuoteJSONString(JSON.parse(token)). Runs of
    // bytes that come out unchanged (plain ASCII and well-formed UTF-8) are
    // copied in one go.
    bool parseString()
    {
        const uchar *p = m_p + 1; // past the opening quote
        const uchar *run = p;
        m_out.put('"');
        for (;;) {
            while (p < m_end && kPlainAscii[*p])
                ++p;
            if (p == m_end)
                return fail(p, QStringLiteral("unterminated string"));
            const uchar c = *p;
            if (c >= 0x80) {
                const int len = utf8Sequence(p, m_end);
                if (len > 0) {
                    p += len;
                    continue;
                }
                m_out.append(run, p - run);
                m_out.append("\xef\xbf\xbd", 3); // U+FFFD, see utf8Sequence()
                p += -len;
                run = p;
                continue;
            }
            m_out.append(run, p - run);
            if (c == '"') {
                m_out.put('"');
                m_p = p + 1;
                return true;
            }
            if (c != '\\')
                return fail(p, QStringLiteral("control characters must be escaped in strings"));
            if (!parseEscape(p))
                return false;
            run = p;
        }
    }

    // Four hex digits at p (bounds-checked), or -1.
    int hex4(const uchar *p) const
    {
        if (m_end - p < 4)
            return -1;
        const int a = hexDigitValue(p[0]), b = hexDigitValue(p[1]), c = hexDigitValue(p[2]), d = hexDigitValue(p[3]);
        return (a | b | c | d) < 0 ? -1 : (a << 12) | (b << 8) | (c << 4) | d;
    }

    // The escape sequence at p (a backslash); advances p past it.
    bool parseEscape(const uchar *&p)
    {
        if (p + 1 == m_end)
            return fail(p + 1, QStringLiteral("unterminated string"));
        const uchar c = p[1];
        switch (c) {
        case '"':
        case '\\': putEscapedAscii(m_out, c); break;
        case '/': m_out.put('/'); break;
        case 'b': putEscapedAscii(m_out, '\b'); break;
        case 'f': putEscapedAscii(m_out, '\f'); break;
        case 'n': putEscapedAscii(m_out, '\n'); break;
        case 'r': putEscapedAscii(m_out, '\r'); break;
        case 't': putEscapedAscii(m_out, '\t'); break;
        case 'u': {
            const int u = hex4(p + 2);
            if (u < 0) {
                const uchar *bad = p + 2;
                while (bad < m_end && bad < p + 6 && hexDigitValue(*bad) >= 0)
                    ++bad;
                return fail(bad, QStringLiteral("expected 4 hex digits after \\u"));
            }
            p += 6;
            if (u >= 0xd800 && u <= 0xdbff) {
                // A high surrogate joins a directly following \u low surrogate
                // into one code point; otherwise it stays a lone code unit.
                const int low = m_end - p >= 6 && p[0] == '\\' && p[1] == 'u' ? hex4(p + 2) : -1;
                if (low >= 0xdc00 && low <= 0xdfff) {
                    putUtf8(m_out, 0x10000 + ((char32_t(u) - 0xd800) << 10) + (char32_t(low) - 0xdc00));
                    p += 6;
                } else {
                    putSurrogateEscape(m_out, uint(u));
                }
            } else if (u >= 0xdc00 && u <= 0xdfff) {
                putSurrogateEscape(m_out, uint(u));
            } else if (u < 0x20 || u == '"' || u == '\\') {
                putEscapedAscii(m_out, uint(u));
            } else {
                putUtf8(m_out, char32_t(u));
            }
            return true;
        }
        default: return fail(p + 1, QStringLiteral("invalid escape sequence (valid are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"));
        }
        p += 2;
        return true;
    }

    const uchar *const m_begin;
    const uchar *m_p;
    const uchar *const m_end;
    Output m_out;
    std::vector<Member> m_members; // members of the objects being parsed, innermost last
    std::vector<int> m_order;
    std::string m_scratch;
    const uchar *m_errorAt = nullptr;
    QString m_errorWhat;
    QString m_errorHint;
};

std::optional<QByteArray> run(QByteArrayView text, JsonParseError *error, bool requireObject)
{
    Parser parser(text);
    if (!parser.parseDocument(requireObject)) {
        if (error)
            *error = parser.error();
        return std::nullopt;
    }
    return parser.takeOutput();
}

} // namespace

std::optional<QByteArray> CanonicalJson::canonicalize(QByteArrayView text, JsonParseError *error)
{
    return run(text, error, false);
}

std::optional<QByteArray> CanonicalJson::canonicalizeObject(QByteArrayView text, JsonParseError *error)
{
    return run(text, error, true);
}

QByteArray CanonicalJson::quote(QStringView s)
{
    Output out(s.size() + 2);
    out.put('"');
    const char16_t *p = s.utf16();
    const char16_t *const end = p + s.size();
    while (p < end) {
        const char16_t c = *p++;
        if (c < 0x80) {
            if (kPlainAscii[c])
                out.put(char(c));
            else
                putEscapedAscii(out, c);
        } else if (QChar::isHighSurrogate(c) && p < end && QChar::isLowSurrogate(*p)) {
            putUtf8(out, QChar::surrogateToUcs4(c, *p++));
        } else if (QChar::isSurrogate(c)) {
            putSurrogateEscape(out, c);
        } else {
            putUtf8(out, c);
        }
    }
    out.put('"');
    return out.take();
}

QByteArray CanonicalJson::formatNumber(double v)
{
    char buf[32];
    return QByteArray(buf, writeNumber(buf, v));
}

} // namespace hookline
