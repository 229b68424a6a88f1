#pragma once
// Cryptographic helpers over libsodium: random secrets, SHA-256, constant-time compare, argon2id.
// All functions are thread-safe once InitCrypto() has run (app calls it first thing).

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace unyo {

/// Initialises libsodium. Throws std::runtime_error if the library cannot start.
void InitCrypto();

/// `bytes` random bytes, base64url-encoded without padding.
[[nodiscard]] std::string RandomToken(std::size_t bytes = 32);

/// A readable random password with all four character classes.
[[nodiscard]] std::string RandomPassword(std::size_t length = 16);

/// Lower-case hex SHA-256 of `data`.
[[nodiscard]] std::string Sha256Hex(std::string_view data);

/// SHA-256 of data given in pieces (a file read in chunks).
class Sha256 {
public:
    Sha256();
    void Update(const void* data, std::size_t size);
    /// Lower-case hex of everything given; call once.
    [[nodiscard]] std::string Hex();

private:
    alignas(16) unsigned char state_[208];  // crypto_hash_sha256_state, opaque here
};

/// Lower-case hex SHA-256 of the file `p` (read in chunks); its size in `size` when given.
[[nodiscard]] Result<std::string> FileSha256(const std::filesystem::path& p, std::int64_t* size = nullptr);

/// Constant-time equality of two strings (false when lengths differ).
[[nodiscard]] bool ConstantTimeEquals(std::string_view a, std::string_view b);

/// Cost of argon2id hashing: interactive (production) or minimal (tests only).
enum class HashCost { kInteractive, kMinimal };

/// argon2id hash in libsodium's encoded string form. Error::Internal when out of memory.
[[nodiscard]] Result<std::string> HashPassword(std::string_view password,
                                               HashCost cost = HashCost::kInteractive);

/// True when `password` matches the encoded `hash`.
[[nodiscard]] bool VerifyPassword(std::string_view hash, std::string_view password);

}  // namespace unyo
