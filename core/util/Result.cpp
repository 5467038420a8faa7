#include "Result.h"

namespace hookline {

QString errorCodeName(Error::Code code)
{
    switch (code) {
    case Error::Code::Validation: return QStringLiteral("validation");
    case Error::Code::NotFound: return QStringLiteral("not_found");
    case Error::Code::Conflict: return QStringLiteral("conflict");
    case Error::Code::Quota: return QStringLiteral("quota");
    case Error::Code::TooLarge: return QStringLiteral("too_large");
    case Error::Code::Database: return QStringLiteral("database");
    case Error::Code::Io: return QStringLiteral("io");
    case Error::Code::Internal: break;
    }
    return QStringLiteral("internal");
}

} // namespace hookline
