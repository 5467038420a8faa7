#include "Webhook.h"

namespace hookline {

QStringList Webhook::signingSecrets(const QDateTime &now) const
{
    QStringList out;
    for (const auto &s : secrets) {
        if (!s.expiresAt || *s.expiresAt > now)
            out << s.secret;
    }
    if (out.isEmpty() && !secret.isEmpty())
        out << secret;
    return out;
}

} // namespace hookline
