#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace hookline {

// How a delivery is signed. Chosen per webhook. What each scheme is (its
// name, headers, signed bytes, encoding, key) is its SchemeDescriptor; the
// table there lists them in this order, which the build checks.
enum class Scheme { Standard, HmacHex, HmacBase64, Timestamped, Github, Stripe };

// Stable lowercase names ("standard", "hmac-hex", "hmac-base64", "timestamped",
// "github", "stripe"). They are stored in the database and the config files, so
// never rename one.
QString schemeName(Scheme scheme);

// Exact, case-sensitive match of a schemeName(); anything else is nullopt so a
// typo in a config file is reported rather than silently signing differently.
std::optional<Scheme> schemeFromName(QStringView name);

// Every name, in the table's order (for UI pickers and CLI help).
QStringList schemeNames();

// True for the schemes whose signed bytes include a timestamp and whose
// verification therefore enforces a tolerance: standard, timestamped, stripe.
bool schemeUsesTimestamp(Scheme scheme);

} // namespace hookline
