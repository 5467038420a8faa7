#include "EventType.h"

#include <QRegularExpression>

namespace hookline {

QString EventType::groupOf(QStringView name)
{
    const auto dot = name.indexOf(u'.');
    return (dot < 0 ? name : name.left(dot)).toString();
}

bool EventType::isValidName(QStringView name)
{
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$"));
    return name.size() <= 128 && re.match(name).hasMatch();
}

QStringList EventType::ownEventNames()
{
    return {testEventName(), QStringLiteral("hookline.webhook.disabled"), QStringLiteral("hookline.webhook.failing"),
            QStringLiteral("hookline.webhook.recovered")};
}

bool EventType::isOwn(QStringView name)
{
    return name == testEventName() || isOperational(name);
}

} // namespace hookline
