#pragma once
// Asio and Beast come in through here only, compiled once (BOOST_ASIO_SEPARATE_COMPILATION and
// BOOST_BEAST_SEPARATE_COMPILATION, see http/asio_impl.cpp). Include it only in http/ and the few
// engine files that do network I/O: each includer costs ~20 s of compile time.

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace unyo {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using net::awaitable;
using net::use_awaitable;
/// Completion token that returns (error_code, …) as a tuple instead of throwing.
constexpr auto kAsTuple = net::as_tuple(net::use_awaitable);
}  // namespace unyo
