#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace hookline {

// Why an operation was refused. `code` is stable and machine readable (the
// CLI and the REST API map it to exit codes and HTTP statuses); `field` names
// the input at fault when there is one; `message` is the sentence a person reads.
struct Error final {
    enum class Code { Validation, NotFound, Conflict, Quota, TooLarge, Database, Io, Internal };

    Code code = Code::Internal;
    QString message;
    QString field;

    static Error validation(const QString &field, const QString &message)
    {
        return {Code::Validation, field.isEmpty() ? message : field + QStringLiteral(": ") + message, field};
    }
    static Error notFound(const QString &message) { return {Code::NotFound, message, {}}; }
    static Error database(const QString &message) { return {Code::Database, message, {}}; }
};

QString errorCodeName(Error::Code code);

// A value or the reason there is none: C++20 has no std::expected yet.
template <typename T>
class [[nodiscard]] Result final {
public:
    Result(T value)
        : m_data(std::move(value))
    {
    }
    Result(Error error)
        : m_data(std::move(error))
    {
    }

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_data); }
    const T &value() const & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const Error &error() const { return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

// For operations that return nothing but may fail.
struct Ok final {};
using Status = Result<Ok>;

} // namespace hookline
