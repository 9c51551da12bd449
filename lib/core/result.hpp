// SPDX-License-Identifier: Apache-2.0
#pragma once

// A small value-or-error type. GCC 12 has no std::expected in C++20, and exceptions must not
// cross main(): every fallible function in the project returns Result<T> and the one main()
// wrapper per program turns an Error into a logged message and an exit code.

#include <string>
#include <utility>
#include <variant>

namespace css {

struct Error {
        std::string message; // complete, user-facing sentence (no trailing newline)
        int errno_value = 0; // 0 when no errno is behind the failure
};

template <typename T> class [[nodiscard]] Result {
public:
        Result(T value) : v_(std::move(value)) {}
        Result(Error error) : v_(std::move(error)) {}

        bool ok() const { return v_.index() == 0; }
        explicit operator bool() const { return ok(); }

        T &value() & { return std::get<0>(v_); }
        const T &value() const & { return std::get<0>(v_); }
        T &&value() && { return std::get<0>(std::move(v_)); }
        T &operator*() & { return value(); }
        const T &operator*() const & { return value(); }
        T *operator->() { return &value(); }
        const T *operator->() const { return &value(); }

        const Error &error() const { return std::get<1>(v_); }

private:
        std::variant<T, Error> v_;
};

template <> class [[nodiscard]] Result<void> {
public:
        Result() = default;
        Result(Error error) : error_(std::move(error)), ok_(false) {}

        bool ok() const { return ok_; }
        explicit operator bool() const { return ok_; }
        const Error &error() const { return error_; }

private:
        Error error_;
        bool ok_ = true;
};

// Builds an Error from errno-style failures: make_errno_error(errno, "Failed to open '", p, "'")
// gives "Failed to open 'p': No such file or directory".
Error make_errno_error(int errno_value, std::string message);

} // namespace css
