#include "Webhook.h"

namespace hookline {

QStringList Webhook::signingSecrets(const QDateTime &now) const
{
    QStringList out;
    int previous = 0;
    for (const auto &s : secrets) {
        if (!s.expiresAt) {
            out.prepend(s.secret);
        } else if (*s.expiresAt > now && previous < kMaxPreviousSecrets) {
            out << s.secret;
            ++previous;
        }
    }
    if (out.isEmpty() && !secret.isEmpty())
        out << secret;
    return out;
}

} // namespace hookline
