#include "Ids.h"

#include "util/Clock.h"

#include <QRandomGenerator>

#include <array>

namespace hookline {

namespace {
constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// Appends `value` in base62 as exactly `width` digits, most significant first,
// so that lexical order equals numeric order.
void appendBase62(QString &out, quint64 value, int width)
{
    std::array<QChar, 16> digits{};
    for (int i = width - 1; i >= 0; --i) {
        digits[size_t(i)] = QLatin1Char(kAlphabet[value % 62]);
        value /= 62;
    }
    for (int i = 0; i < width; ++i)
        out.append(digits[size_t(i)]);
}
} // namespace

QString newId(QStringView prefix)
{
    QString id;
    id.reserve(prefix.size() + 22);
    id.append(prefix);
    const auto ms = quint64(Clock::nowMs()) & 0xFFFFFFFFFFFFull;
    appendBase62(id, ms, 9); // 62^9 > 2^48
    auto *rng = QRandomGenerator::system();
    appendBase62(id, rng->generate64() % 839299365868340224ull, 10); // 62^10
    appendBase62(id, rng->bounded(238328u), 3);                      // 62^3
    return id;
}

} // namespace hookline
