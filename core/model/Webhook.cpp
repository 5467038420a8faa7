#include "Webhook.h"

#include "signing/Secret.h"

namespace hookline {

void Webhook::wipeSecrets()
{
    Secret::wipe(secret);
    for (auto &s : secrets)
        Secret::wipe(s.secret);
}

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
