// The one translation unit that compiles Asio and Beast (their
// *_SEPARATE_COMPILATION mode): every other file only declares what it uses.
#include <utility>

#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
